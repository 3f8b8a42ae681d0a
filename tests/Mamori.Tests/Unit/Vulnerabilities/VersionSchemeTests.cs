using Mamori.Features.Vulnerabilities;

namespace Mamori.Tests.Unit.Vulnerabilities;

/// <summary>The version comparators, per vendor scheme, and NVD's range semantics.</summary>
public sealed class VersionSchemeTests
{
    static ParsedVersion V(VersionScheme s, string text) => Versions.Parse(s, text) ?? throw new Xunit.Sdk.XunitException($"{s} could not read '{text}'");

    [Theory]
    // FortiOS: the build number is not part of the version.
    [InlineData(VersionScheme.FortiOs, "6.0.4 build0231", "6.0.4", 0)]
    [InlineData(VersionScheme.FortiOs, "v6.0.4 build0231", "6.0.4", 0)]
    [InlineData(VersionScheme.FortiOs, "7.2.4,build1396", "7.2.4", 0)]
    [InlineData(VersionScheme.FortiOs, "6.0.4", "6.0.10", -1)]
    [InlineData(VersionScheme.FortiOs, "6.2.0", "6.0.4", 1)]
    // Cisco ASA: 9.16(3)19 as Cisco writes it and 9.16.3.19 as NVD writes it are one version.
    [InlineData(VersionScheme.CiscoAsa, "9.16(3)19", "9.16.3.19", 0)]
    [InlineData(VersionScheme.CiscoAsa, "9.16(3)19", "9.16(3)23", -1)]
    [InlineData(VersionScheme.CiscoAsa, "9.16(4)", "9.16(3)19", 1)]
    [InlineData(VersionScheme.CiscoAsa, "9.8(4)", "9.16(1)", -1)]
    // PAN-OS hotfixes: 10.2.3 < 10.2.3-h4 < 10.2.4; NVD's update field (10.2.3:h4) is the same version.
    [InlineData(VersionScheme.PanOs, "10.2.3-h4", "10.2.3", 1)]
    [InlineData(VersionScheme.PanOs, "10.2.3-h4", "10.2.4", -1)]
    [InlineData(VersionScheme.PanOs, "10.2.3:h4", "10.2.3-h4", 0)]
    // Junos: 21.4 < 21.4R1 < 21.4R3 < 21.4R3-S5 < 21.4R3-S5.2 < 22.1R1; NVD's 21.4:r3-s5 is 21.4R3-S5.
    [InlineData(VersionScheme.Junos, "21.4R3-S5", "21.4R3", 1)]
    [InlineData(VersionScheme.Junos, "21.4R3-S5", "21.4R3-S5.2", -1)]
    [InlineData(VersionScheme.Junos, "21.4", "21.4R1", -1)]
    [InlineData(VersionScheme.Junos, "21.4:r3-s5", "21.4R3-S5", 0)]
    [InlineData(VersionScheme.Junos, "21.4R3-S5", "22.1R1", -1)]
    // Ivanti / Pulse Connect Secure use the same shape: 9.1R18 < 9.1R18.2 < 9.1R19.
    [InlineData(VersionScheme.Junos, "9.1R18.2", "9.1R18", 1)]
    [InlineData(VersionScheme.Junos, "9.1R18.2", "9.1R19", -1)]
    // Generic dotted: YAMAHA Rev., SonicOS and NetScaler builds with hyphens.
    [InlineData(VersionScheme.Dotted, "Rev.15.02.30", "15.2.30", 0)]
    [InlineData(VersionScheme.Dotted, "7.0.1-5035", "7.0.1-5000", 1)]
    [InlineData(VersionScheme.Dotted, "13.1-49.13", "13.1-51.15", -1)]
    [InlineData(VersionScheme.Dotted, "１０．７．１８", "10.7.18", 0)]
    public void Versions_compare_as_the_vendor_numbers_them(VersionScheme scheme, string a, string b, int expected) =>
        Assert.Equal(expected, Math.Sign(V(scheme, a).CompareTo(V(scheme, b))));

    [Theory]
    [InlineData(VersionScheme.FortiOs, "不明")]
    [InlineData(VersionScheme.FortiOs, "最新")]
    [InlineData(VersionScheme.CiscoAsa, "9.16(3")]
    [InlineData(VersionScheme.PanOs, "10.2")]
    [InlineData(VersionScheme.Junos, "R3-S5")]
    [InlineData(VersionScheme.Dotted, "1.2.x")]
    [InlineData(VersionScheme.Dotted, "99999999999.1")]
    [InlineData(VersionScheme.Dotted, "")]
    public void A_string_the_scheme_does_not_understand_is_not_a_version_and_never_an_exception(VersionScheme scheme, string text) =>
        Assert.Null(Versions.Parse(scheme, text));

    [Theory]
    [InlineData("6.0.0", null, "6.0.4", null, "6.0.4", true)]   // end including
    [InlineData("6.0.0", null, null, "6.0.4", "6.0.4", false)]  // end excluding
    [InlineData("6.0.0", null, "6.0.4", null, "6.0.0", true)]   // start including
    [InlineData(null, "6.0.0", "6.0.4", null, "6.0.0", false)]  // start excluding
    [InlineData(null, null, "5.6.7", null, "5.4.1", true)]      // open start
    [InlineData("6.0.0", null, "6.0.4", null, "6.0.5", false)]
    [InlineData("6.0.0", null, "6.0.4", null, "5.6.9", false)]
    public void Ranges_follow_NVD_start_and_end_including_or_excluding(string? startIncl, string? startExcl, string? endIncl, string? endExcl, string version, bool inside) =>
        Assert.Equal(inside, new VersionRange(null, startIncl, startExcl, endIncl, endExcl).Contains(V(VersionScheme.FortiOs, version)));

    [Fact]
    public void An_exact_version_matches_only_itself_and_an_unreadable_bound_decides_nothing()
    {
        Assert.True(new VersionRange("10.2.3:h1", null, null, null, null).Contains(V(VersionScheme.PanOs, "10.2.3-h1")));
        Assert.False(new VersionRange("10.2.3:h1", null, null, null, null).Contains(V(VersionScheme.PanOs, "10.2.3-h2")));
        Assert.Null(new VersionRange(null, null, null, "see advisory", null).Contains(V(VersionScheme.FortiOs, "6.0.4")));
        Assert.Equal("[6.0.0,6.0.4]", new VersionRange(null, "6.0.0", null, "6.0.4", null).Key);
        Assert.Equal("(,7.0.1)", new VersionRange(null, null, null, null, "7.0.1").Key);
    }
}
