using Mamori.Features.Assets;

namespace Mamori.Tests.Unit.Assets;

public sealed class AssetDemoDataTests
{
    static readonly DateOnly Today = new(2026, 11, 21);
    static readonly Guid Org = Guid.Parse("0193a000-0000-7000-8000-000000000001");

    static readonly HashSet<AssetCategory> NetworkDevices =
    [
        AssetCategory.Router, AssetCategory.Switch, AssetCategory.Firewall, AssetCategory.VpnAppliance,
        AssetCategory.WirelessAp, AssetCategory.MobileRouter,
    ];

    [Fact]
    public void A_200_bed_hospital_has_about_300_devices_of_every_kind()
    {
        var (assets, connections, clouds) = AssetDemoData.Build(Org, Today);
        Assert.InRange(assets.Count, 280, 340);
        int Count(AssetCategory c) => assets.Count(a => a.Category == c);
        Assert.InRange(Count(AssetCategory.Server), 10, 14);
        Assert.InRange(Count(AssetCategory.TerminalPc), 200, 240);
        Assert.InRange(Count(AssetCategory.VpnAppliance), 2, 3);
        Assert.Equal(1, Count(AssetCategory.MobileRouter));
        foreach (var c in new[] { AssetCategory.Switch, AssetCategory.Firewall, AssetCategory.WirelessAp, AssetCategory.MedicalDevice,
                     AssetCategory.OnlineEligibilityTerminal, AssetCategory.ReceptionOrPaymentMachine, AssetCategory.Printer })
            Assert.True(Count(c) > 0, c.ToString());
        Assert.InRange(connections.Count, 5, 8);
        Assert.InRange(clouds.Count, 2, 4);

        Assert.Equal(assets.Count, assets.Select(a => a.ControlNumber).Distinct().Count());
        Assert.Equal(assets.Count(a => a.IpAddress is not null), assets.Where(a => a.IpAddress is not null).Select(a => a.IpAddress).Distinct().Count());
        Assert.All(assets, a =>
        {
            Assert.Equal(Org, a.OrganizationId);
            Assert.Equal("デモデータ", a.UpdatedBy);
            Assert.Matches(@"^[A-Z]{2,3}-\d{3,4}$", a.ControlNumber);
            Assert.True(a.IpAddress is null || a.IpAddress.StartsWith("10.10.", StringComparison.Ordinal), a.IpAddress);
            Assert.All(a.Interfaces, i => Assert.Equal(a.Id, i.AssetId));
        });
        Assert.Contains(assets, a => a.ControlNumber == "PC-0001");
        Assert.Contains(assets, a => a.ControlNumber == "SV-001");
        Assert.All(connections, c => Assert.EndsWith("株式会社", c.VendorName));
        Assert.All(connections, c => Assert.Contains(assets, a => a.Id == c.ApplianceAssetId));
        Assert.All(clouds, c => Assert.EndsWith(".example", c.DomainOrAddress));
    }

    [Fact]
    public void Most_devices_were_checked_in_a_stocktake_within_the_last_year()
    {
        var (assets, _, _) = AssetDemoData.Build(Org, Today);
        var recent = assets.Count(a => a.LastStocktakeOn >= Today.AddYears(-1) && a.LastStocktakeOn <= Today);
        Assert.InRange(recent, assets.Count * 8 / 10, assets.Count - 1);
    }

    [Fact]
    public void Exactly_one_end_device_is_dual_homed()
    {
        var (assets, _, _) = AssetDemoData.Build(Org, Today);
        var dual = Assert.Single(assets, a => !NetworkDevices.Contains(a.Category) && a.Interfaces.Select(i => i.Segment).Distinct().Count() >= 2);
        Assert.Equal(AssetCategory.TerminalPc, dual.Category);
        Assert.Equal(["電子カルテ系", "インターネット系"], dual.Interfaces.Select(i => i.Segment));
    }

    [Fact]
    public void The_ledger_shows_the_typical_findings_of_a_first_inspection()
    {
        var (assets, connections, _) = AssetDemoData.Build(Org, Today);
        var findings = Findings.Evaluate(assets, connections, OsSupportCatalogTests.Catalog, Today);
        int Count(FindingCode code) => findings.Count(f => f.Code == code);

        Assert.InRange(Count(FindingCode.UnsupportedOs), 3, 15);
        Assert.Contains(findings, f => f.Code == FindingCode.UnsupportedOs && assets.Single(a => a.Id == f.AssetId).OperatingSystem!.Contains("8.1"));
        Assert.Equal(1, Count(FindingCode.DualHomed));
        Assert.True(Count(FindingCode.ConnectionNotConfirmed) >= 1);
        Assert.True(Count(FindingCode.SharedAccount) >= 1);
        Assert.True(Count(FindingCode.NoSecondFactor) >= 1);
        var vpn = Assert.Single(findings, f => f.Code == FindingCode.VpnFirmwareUnknown);
        Assert.Equal(AssetCategory.VpnAppliance, assets.Single(a => a.Id == vpn.AssetId).Category);
        Assert.True(Count(FindingCode.RemoteAccessPortOpen) >= 1);

        // The well-kept connections (電子カルテ, PACS, ナースコール, UTM監視) raise nothing.
        var clean = connections.Where(c => c.Purpose is ConnectionPurpose.Ehr or ConnectionPurpose.Pacs or ConnectionPurpose.NurseCall or ConnectionPurpose.UtmMonitoring);
        Assert.All(clean, c => Assert.DoesNotContain(findings, f => f.ConnectionId == c.Id));
        var food = connections.Single(c => c.Purpose == ConnectionPurpose.FoodService);
        Assert.Equal([FindingCode.ConnectionNotConfirmed, FindingCode.SharedAccount, FindingCode.NoSecondFactor],
            findings.Where(f => f.ConnectionId == food.Id).Select(f => f.Code).Order());
    }

    [Theory]
    [InlineData("2026-04-01")] // the first day of a fiscal year: "confirmed this year" must still be within it
    [InlineData("2027-03-31")]
    public void Connections_confirmed_this_fiscal_year_stay_so_on_any_day(string day)
    {
        var today = DateOnly.Parse(day);
        var (_, connections, _) = AssetDemoData.Build(Org, today);
        var start = Findings.FiscalYearStart(today);
        Assert.All(connections.Where(c => c.LastConfirmedOn is not null), c => Assert.True(c.LastConfirmedOn <= today));
        Assert.Equal(4, connections.Count(c => c.LastConfirmedOn >= start));
    }

    [Fact]
    public void Two_builds_are_identical()
    {
        var first = AssetDemoData.Build(Org, Today);
        var second = AssetDemoData.Build(Org, Today);
        Assert.Equal(first.Assets.Select(a => a.ControlNumber), second.Assets.Select(a => a.ControlNumber));
        static string Row(Asset a) => string.Join("|", a.ControlNumber, a.Category, a.Name, a.Model, a.OperatingSystem, a.OsVersion, a.IpAddress,
            a.MacAddress, a.Location, a.UserName, a.RegisteredOn, a.LastStocktakeOn, a.Firmware, string.Join(",", a.Interfaces.Select(i => i.IpAddress)));
        Assert.Equal(first.Assets.Select(Row), second.Assets.Select(Row));
        Assert.Equal(first.Connections.Select(c => (c.VendorName, c.LastConfirmedOn)), second.Connections.Select(c => (c.VendorName, c.LastConfirmedOn)));
    }
}
