using Mamori.Features.Vulnerabilities;

namespace Mamori.Tests.Unit.Vulnerabilities;

/// <summary>The ledger's free text normalised to appliance families (appliances.yaml) and firmware versions.</summary>
public sealed class ApplianceCatalogTests
{
    static readonly ApplianceCatalog Catalog = ApplianceCatalog.Default;

    [Theory]
    [InlineData("Fortinet", "FortiGate-60F", null, null, "v6.0.4 build0231", "fortinet-fortios", "6.0.4")]
    [InlineData("フォーティネット", "ＦｏｒｔｉＧａｔｅ－１００Ｆ", null, null, "7.2.4", "fortinet-fortios", "7.2.4")]
    [InlineData(null, null, "FortiOS", "6.0.4", null, "fortinet-fortios", "6.0.4")]
    [InlineData("Cisco", "ASA5506-X", null, null, "9.16(3)19", "cisco-asa", "9.16.3.19.0")]
    [InlineData("Cisco", "Firepower 2110", "FTD", null, "7.2.4", "cisco-ftd", "7.2.4")]
    [InlineData("Palo Alto Networks", "PA-220", null, null, "PAN-OS 10.2.3-h4", "paloalto-panos", "10.2.3.4")]
    [InlineData("Juniper", "SRX300", "Junos", null, "21.4R3-S5", "juniper-junos", "21.4.2.3.5.0")]
    [InlineData("Pulse Secure", "PSA3000", null, null, "9.1R18.2", "ivanti-connect-secure", "9.1.2.18.0.2")]
    [InlineData("YAMAHA", "RTX1210", null, null, "Rev.14.01.38", "yamaha-rtx", "14.1.38")]
    [InlineData("NEC", "UNIVERGE IX2215", null, null, "10.7.18", "nec-univerge-ix", "10.7.18")]
    [InlineData("SonicWall", "TZ370", "SonicOS", null, "7.0.1-5035", "sonicwall-sonicos", "7.0.1.5035")]
    [InlineData("Citrix", "NetScaler MPX", null, null, "13.1-49.13", "citrix-netscaler", "13.1.49.13")]
    public void Free_text_of_the_ledger_names_the_appliance_and_its_version(string? maker, string? model, string? os, string? osVersion, string? firmware,
        string appliance, string version)
    {
        var identity = Catalog.Identify(maker, model, os, osVersion, firmware, null);
        Assert.NotNull(identity);
        Assert.Equal(appliance, identity.Appliance.Id);
        Assert.Equal(version, identity.Version?.ToString());
    }

    [Fact]
    public void Unknown_devices_are_not_appliances_and_an_unreadable_firmware_keeps_its_text_without_a_version()
    {
        Assert.Null(Catalog.Identify("サンプルルータ", "SR-VPN700", null, null, "Rev.15.02.30", "電子カルテ保守用 VPN ルータ"));
        Assert.Null(Catalog.Identify(null, null, "Windows 11 Pro", "23H2", null, "受付PC"));
        var unknown = Catalog.Identify("Fortinet", "FortiGate-60F", null, null, "不明（業者管理）", null)!;
        Assert.Equal("不明（業者管理）", unknown.VersionText);
        Assert.Null(unknown.Version);
        var none = Catalog.Identify("Fortinet", "FortiGate-60F", null, null, null, null)!;
        Assert.Null(none.VersionText);
    }

    [Fact]
    public void Every_appliance_has_a_cpe_name_and_KEV_names_match_the_published_spelling()
    {
        Assert.All(Catalog.Appliances, a => Assert.All(a.Cpe, c => Assert.Matches("^[a-z0-9_.\\-]+:[a-z0-9_.\\-]+$", c)));
        var forti = Catalog.Appliances.Single(a => a.Id == "fortinet-fortios");
        Assert.True(forti.IsKevProduct("Fortinet", "FortiOS"));
        Assert.False(forti.IsKevProduct("Fortinet", "FortiClient EMS"));
        Assert.True(Catalog.Appliances.Single(a => a.Id == "cisco-asa").IsKevProduct("Cisco", "Adaptive Security Appliance (ASA)"));
    }
}
