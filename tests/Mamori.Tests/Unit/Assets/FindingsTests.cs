using Mamori.Features.Assets;

namespace Mamori.Tests.Unit.Assets;

public sealed class FindingsTests
{
    static readonly DateOnly Today = new(2026, 11, 21);

    static Asset Pc(string number = "001", string? ip = "192.168.0.10") => new()
    {
        ControlNumber = number, Name = "受付PC", Category = AssetCategory.TerminalPc, OperatingSystem = "Windows 11 Pro", OsVersion = "25H2",
        IpAddress = ip, LastStocktakeOn = new DateOnly(2026, 4, 10),
    };

    static Connection Line(Guid? appliance = null) => new()
    {
        VendorName = "A社", Purpose = ConnectionPurpose.Ehr, Method = ConnectionMethod.IpsecVpn, ApplianceAssetId = appliance,
        AccountType = ConnectionAccountType.Personal, SecondFactor = true, LastConfirmedOn = new DateOnly(2026, 5, 1),
    };

    static List<Finding> Evaluate(IEnumerable<Asset> assets, IEnumerable<Connection>? connections = null) =>
        Findings.Evaluate(assets.ToList(), (connections ?? []).ToList(), OsSupportCatalogTests.Catalog, Today);

    static List<FindingCode> Codes(IEnumerable<Asset> assets, IEnumerable<Connection>? connections = null) =>
        Evaluate(assets, connections).Select(f => f.Code).ToList();

    [Fact]
    public void A_well_kept_pc_and_connection_have_no_findings() => Assert.Empty(Evaluate([Pc()], [Line()]));

    [Fact]
    public void An_os_past_its_end_of_support_is_found_from_the_table()
    {
        var pc = Pc();
        (pc.OperatingSystem, pc.OsVersion) = ("Win8", null);
        var finding = Assert.Single(Evaluate([pc]));
        Assert.Equal((FindingCode.UnsupportedOs, FindingSeverity.High, pc.Id), (finding.Code, finding.Severity, finding.AssetId));
        Assert.Equal("受付PC（001）: サポートが終了した OS", finding.TitleJa);
        Assert.StartsWith("Windows 8は 2016年1月12日 にメーカーのサポートが終わり", finding.ExplanationJa);
    }

    [Fact]
    public void The_device_s_own_end_of_support_date_takes_precedence()
    {
        var extended = Pc();
        (extended.OperatingSystem, extended.OsVersion, extended.SupportEndsOn) = ("Windows 10 Pro", "22H2", new DateOnly(2027, 10, 12)); // ESU
        var lapsed = Pc("002");
        lapsed.SupportEndsOn = new DateOnly(2026, 11, 20);
        Assert.Equal([lapsed.Id], Evaluate([extended, lapsed]).Where(f => f.Code == FindingCode.UnsupportedOs).Select(f => f.AssetId));
    }

    [Fact]
    public void Retired_and_stored_devices_are_not_checked_for_support()
    {
        var pc = Pc();
        (pc.OperatingSystem, pc.Status) = ("Windows 7", AssetStatus.Retired);
        Assert.Empty(Evaluate([pc]));
    }

    [Fact]
    public void A_pc_on_two_named_segments_is_dual_homed()
    {
        var pc = Pc();
        pc.Interfaces = [new() { IpAddress = "192.168.0.10", Segment = "電子カルテ系" }, new() { IpAddress = "172.16.0.10", Segment = "インターネット系" }];
        var finding = Assert.Single(Evaluate([pc]));
        Assert.Equal((FindingCode.DualHomed, "2-②"), (finding.Code, finding.ChecklistRef));
        Assert.Contains("電子カルテ系・インターネット系", finding.ExplanationJa);
    }

    [Fact]
    public void Without_segments_two_slash_24_networks_mean_dual_homed()
    {
        var pc = Pc();
        pc.Interfaces = [new() { IpAddress = "10.1.2.3" }];
        Assert.Equal([FindingCode.DualHomed], Codes([pc]));
    }

    [Fact]
    public void One_segment_or_one_network_or_a_router_is_not_dual_homed()
    {
        var sameSegment = Pc();
        sameSegment.Interfaces = [new() { IpAddress = "192.168.0.10", Segment = "電子カルテ系" }, new() { IpAddress = "192.168.1.10", Segment = "電子カルテ系" }];
        var sameNetwork = Pc("002");
        sameNetwork.Interfaces = [new() { IpAddress = "192.168.0.11" }];
        var router = Pc("003");
        (router.Category, router.Firmware) = (AssetCategory.Router, "1.0");
        router.Interfaces = [new() { IpAddress = "203.0.113.1", Segment = "WAN" }, new() { IpAddress = "192.168.0.1", Segment = "LAN" }];
        Assert.Empty(Evaluate([sameSegment, sameNetwork, router]));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("2026-03-31", true)] // 令和7年度: not this fiscal year
    [InlineData("2026-04-01", false)]
    public void A_connection_must_be_confirmed_with_its_vendor_each_fiscal_year(string? confirmed, bool found)
    {
        var line = Line();
        line.LastConfirmedOn = confirmed is null ? null : DateOnly.Parse(confirmed);
        var findings = Evaluate([], [line]);
        Assert.Equal(found, findings.Any(f => f.Code == FindingCode.ConnectionNotConfirmed && f.ConnectionId == line.Id));
        if (found) Assert.Contains("今年度（2026年4月から）", findings.Single().ExplanationJa);
    }

    [Fact]
    public void The_fiscal_year_starts_on_1_april()
    {
        Assert.Equal(new DateOnly(2025, 4, 1), Findings.FiscalYearStart(new DateOnly(2026, 3, 31)));
        Assert.Equal(new DateOnly(2026, 4, 1), Findings.FiscalYearStart(new DateOnly(2026, 4, 1)));
    }

    [Fact]
    public void An_ended_connection_is_not_checked()
    {
        var line = Line();
        (line.Status, line.LastConfirmedOn, line.AccountType, line.SecondFactor) = (ConnectionStatus.Ended, null, ConnectionAccountType.Shared, false);
        Assert.Empty(Evaluate([], [line]));
    }

    [Theory]
    [InlineData(ConnectionAccountType.Shared, "A社の接続: 共用のアカウントです")]
    [InlineData(ConnectionAccountType.Unknown, "A社の接続: アカウントが個人ごとか分かりません")]
    public void A_shared_or_unknown_account_is_found(ConnectionAccountType account, string title)
    {
        var line = Line();
        line.AccountType = account;
        var finding = Assert.Single(Evaluate([], [line]));
        Assert.Equal((FindingCode.SharedAccount, title), (finding.Code, finding.TitleJa));
    }

    [Theory]
    [InlineData(false, "A社の接続: 二要素認証がありません")]
    [InlineData(null, "A社の接続: 二要素認証の有無が分かりません")]
    public void A_connection_without_a_confirmed_second_factor_is_found(bool? secondFactor, string title)
    {
        var line = Line();
        line.SecondFactor = secondFactor;
        var finding = Assert.Single(Evaluate([], [line]));
        Assert.Equal((FindingCode.NoSecondFactor, title), (finding.Code, finding.TitleJa));
    }

    static OpenPort Port(int port, string protocol = "tcp") => new() { Port = port, Protocol = protocol, Source = "nmap" };

    [Fact]
    public void Rdp_or_smb_open_next_to_a_maintenance_appliance_is_found()
    {
        var router = Pc("R1", "192.168.0.1");
        (router.Category, router.Name, router.Firmware) = (AssetCategory.VpnAppliance, "VPNルータ", "15.02");
        var server = Pc("S1", "192.168.0.20");
        server.OpenPorts = [Port(3389), Port(445), Port(80)];
        var finding = Assert.Single(Evaluate([router, server], [Line(router.Id)]));
        Assert.Equal((FindingCode.RemoteAccessPortOpen, server.Id, "2-⑫"), (finding.Code, finding.AssetId, finding.ChecklistRef));
        Assert.StartsWith("この機器では 445（SMB（ファイル共有））、3389（リモートデスクトップ） が開いています", finding.ExplanationJa);
    }

    [Fact]
    public void Risky_ports_far_from_any_maintenance_line_or_udp_are_not_this_finding()
    {
        var router = Pc("R1", "192.168.0.1");
        (router.Category, router.Firmware) = (AssetCategory.VpnAppliance, "15.02");
        router.OpenPorts = [Port(23, "udp")];
        var elsewhere = Pc("S1", "10.0.5.20");
        elsewhere.OpenPorts = [Port(3389)];
        Assert.Empty(Evaluate([router, elsewhere], [Line(router.Id)]));
        Assert.Empty(Evaluate([elsewhere], []));
    }

    [Fact]
    public void Telnet_on_the_appliance_itself_and_vnc_on_its_segment_are_found()
    {
        var router = Pc("R1", "203.0.113.5");
        (router.Category, router.Firmware) = (AssetCategory.MobileRouter, "2.1");
        router.Interfaces = [new() { IpAddress = "10.9.9.1", Segment = "保守回線" }];
        router.OpenPorts = [Port(23)];
        var modality = Pc("M1", "10.9.8.7");
        modality.Category = AssetCategory.MedicalDevice;
        modality.Interfaces = [new() { IpAddress = "10.9.8.7", Segment = "保守回線" }];
        modality.OpenPorts = [Port(5901)];
        var line = Line(router.Id);
        line.Method = ConnectionMethod.LteRouter;
        Assert.Equal([router.Id, modality.Id],
            Evaluate([router, modality], [line]).Where(f => f.Code == FindingCode.RemoteAccessPortOpen).Select(f => f.AssetId));
    }

    [Fact]
    public void A_vpn_appliance_without_a_firmware_version_is_found()
    {
        var byCategory = Pc("R1", "192.168.0.1");
        byCategory.Category = AssetCategory.VpnAppliance;
        var byConnection = Pc("R2", "192.168.0.2");
        byConnection.Category = AssetCategory.Router;
        var findings = Evaluate([byCategory, byConnection], [Line(byConnection.Id)]);
        Assert.Equal([byCategory.Id, byConnection.Id], findings.Where(f => f.Code == FindingCode.VpnFirmwareUnknown).Select(f => f.AssetId));
        Assert.All(findings, f => Assert.Equal("2-①", f.ChecklistRef));
    }

    [Fact]
    public void A_vpn_appliance_with_its_firmware_recorded_is_fine()
    {
        var router = Pc("R1", "192.168.0.1");
        (router.Category, router.Firmware) = (AssetCategory.VpnAppliance, "Rev.15.02.30");
        Assert.Empty(Evaluate([router], [Line(router.Id)]));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("2025-11-20", true)]
    [InlineData("2025-11-21", false)]
    public void A_device_not_checked_in_a_stocktake_for_over_a_year_is_found(string? lastStocktake, bool found)
    {
        var pc = Pc();
        pc.LastStocktakeOn = lastStocktake is null ? null : DateOnly.Parse(lastStocktake);
        var findings = Evaluate([pc]);
        Assert.Equal(found ? [FindingCode.StocktakeOverdue] : [], findings.Select(f => f.Code));
        if (found) Assert.Equal(FindingSeverity.Low, findings[0].Severity);
    }

    [Fact]
    public void Stored_devices_need_a_stocktake_but_retired_ones_do_not()
    {
        var stored = Pc();
        (stored.Status, stored.LastStocktakeOn) = (AssetStatus.Stored, null);
        var retired = Pc("002");
        (retired.Status, retired.LastStocktakeOn) = (AssetStatus.Retired, null);
        Assert.Equal([stored.Id], Evaluate([stored, retired]).Select(f => f.AssetId));
    }

    [Fact]
    public void Findings_are_ordered_by_severity()
    {
        var pc = Pc();
        (pc.OperatingSystem, pc.LastStocktakeOn) = ("Windows 7", null);
        var line = Line();
        line.AccountType = ConnectionAccountType.Shared;
        Assert.Equal([FindingSeverity.High, FindingSeverity.Medium, FindingSeverity.Low], Evaluate([pc], [line]).Select(f => f.Severity));
    }
}
