using Mamori.Features.Assets;

namespace Mamori.Tests.Unit.Assets;

public sealed class OsSupportCatalogTests
{
    internal static readonly OsSupportCatalog Catalog = OsSupportCatalog.Load(SourceTree.PathOf("src/Mamori/Features/Assets/os-support.yaml"));

    [Fact]
    public void The_shipped_table_loads_with_a_date_and_a_source_for_every_entry()
    {
        Assert.Equal(new DateOnly(2026, 11, 21), Catalog.AsOf);
        Assert.True(Catalog.Entries.Count >= 25);
        Assert.All(Catalog.Entries, e => Assert.StartsWith("https://", e.Source));
        Assert.Equal(new DateOnly(2020, 1, 14), Catalog.Entries.Single(e => e.Name == "Windows 7").EndsOn);
    }

    [Theory]
    [InlineData("Win8", null, "Windows 8")]
    [InlineData("Windows 8.1 Pro", null, "Windows 8.1")]
    [InlineData("Windows10 Pro", "22H2", "Windows 10（22H2 などの通常版）")]
    [InlineData("Windows 10 Enterprise LTSC 2021", null, "Windows 10 Enterprise LTSC 2021")]
    [InlineData("Windows 10 IoT Enterprise", "LTSC 2021", "Windows 10 IoT Enterprise LTSC 2021")]
    [InlineData("Windows 10 Enterprise 2016 LTSB", null, "Windows 10 Enterprise 2016 LTSB")]
    [InlineData("Windows 11 Pro", "23H2", "Windows 11 23H2（Home/Pro）")]
    [InlineData("Windows 11 Enterprise", "23H2", "Windows 11 23H2（Enterprise/Education）")]
    [InlineData("Windows 11 IoT Enterprise LTSC 2024", "24H2", "Windows 11 IoT Enterprise LTSC 2024")]
    [InlineData("Microsoft Windows Server 2012 R2 Standard", null, "Windows Server 2012 / 2012 R2")]
    [InlineData("ＷＩＮＤＯＷＳ　ＳＥＲＶＥＲ　２０１９", null, "Windows Server 2019")]
    [InlineData("CentOS 7.9", null, "CentOS Linux 7")]
    public void Finds_the_most_specific_entry(string os, string? version, string expected) =>
        Assert.Equal(expected, Catalog.Find(os, version)?.Name);

    [Theory]
    [InlineData("Windows 11 Pro", null)]
    [InlineData("macOS 14", null)]
    [InlineData("", null)]
    [InlineData("Windows Server 2008", "R2")] // matched: 2008 R2 is covered by the 2008 entry
    public void Unknown_or_version_less_text_matches_nothing(string os, string? version)
    {
        var found = Catalog.Find(os, version);
        if (os.Contains("2008")) Assert.Equal("Windows Server 2008 / 2008 R2", found?.Name);
        else Assert.Null(found);
    }

    [Fact]
    public void An_entry_without_a_source_is_refused() =>
        Assert.Throws<InvalidDataException>(() => OsSupportCatalog.Parse("as_of: 2026-11-21\nentries:\n  - name: X\n    ends_on: 2020-01-01\n    match: [[x]]\n"));
}
