using Mamori.Features.Vulnerabilities;

namespace Mamori.Tests.Unit.Vulnerabilities;

/// <summary>Exact vs product-only vs version unknown, range precedence, and triage scoped to product and range.</summary>
public sealed class MatcherTests
{
    const string Cve = "CVE-2018-13379";

    static FeedIndex Index(bool withNvd = true, bool withVendor = false)
    {
        var index = new FeedIndex();
        index.Kev[Cve] = new KevFacts(Cve, "Fortinet", "FortiOS", "Fortinet FortiOS SSL VPN Path Traversal Vulnerability", new(2021, 11, 3), new(2022, 5, 3),
            "Apply updates per vendor instructions.", "kev-1");
        index.Kev["CVE-2024-3400"] = new KevFacts("CVE-2024-3400", "Palo Alto Networks", "PAN-OS", "PAN-OS", null, new(2024, 4, 19), "Apply mitigations.", "kev-1");
        if (withNvd)
            foreach (var (from, to) in new[] { ("5.4.6", "5.4.12"), ("5.6.3", "5.6.7"), ("6.0.0", "6.0.4") })
                index.AddRange("fortinet:fortios", new IndexedRange(Cve, FeedKind.Nvd, "nvd-1", new VersionRange(null, from, null, to, null)));
        if (withVendor)
            index.AddRange("fortinet:fortios", new IndexedRange(Cve, FeedKind.Vendor, "vendor-1", new VersionRange(null, "6.0.0", null, "6.0.2", null)));
        return index;
    }

    static readonly Guid Device = Guid.CreateVersion7();

    static List<MatchResult> Run(FeedIndex index, string? firmware, string maker = "Fortinet", string model = "FortiGate-60F") =>
        Matcher.Match([new DeviceRow(Device, "SSL-VPN", maker, model, null, null, firmware)], index, ApplianceCatalog.Default);

    [Fact]
    public void A_version_inside_an_NVD_range_is_an_exact_match_that_carries_KEVs_due_date_and_action()
    {
        var m = Assert.Single(Run(Index(), "v6.0.4 build0231"));
        Assert.Equal((Cve, MatchConfidence.Exact, FeedKind.Nvd, "[6.0.0,6.0.4]"), (m.CveId, m.Confidence, m.Source, m.RangeKey));
        Assert.Equal(new DateOnly(2022, 5, 3), m.Kev!.DueDate);
        Assert.Equal("v6.0.4 build0231", m.DeviceVersion);
    }

    [Theory]
    [InlineData("6.0.5")]
    [InlineData("6.2.0")]
    [InlineData("5.6.2")]
    public void A_version_outside_every_range_does_not_match_even_though_KEV_lists_the_product(string firmware) =>
        Assert.Empty(Run(Index(), firmware));

    [Fact]
    public void A_vendor_advisory_decides_before_NVD()
    {
        Assert.Empty(Run(Index(withVendor: true), "6.0.4")); // the (sample) vendor range ends at 6.0.2
        Assert.Equal(FeedKind.Vendor, Assert.Single(Run(Index(withVendor: true), "6.0.1")).Source);
    }

    [Fact]
    public void Without_a_range_a_KEV_listing_of_the_product_is_raised_at_once_as_product_only()
    {
        var m = Assert.Single(Run(Index(withNvd: false), "6.0.4"));
        Assert.Equal((MatchConfidence.ProductOnly, FeedKind.Kev, Matcher.ProductScope), (m.Confidence, m.Source, m.RangeKey));
        var pan = Assert.Single(Run(Index(), "10.2.3-h4", "Palo Alto Networks", "PA-220"));
        Assert.Equal(("CVE-2024-3400", MatchConfidence.ProductOnly), (pan.CveId, pan.Confidence));
    }

    [Fact]
    public void No_version_is_a_potential_match_and_a_version_no_comparator_reads_is_to_be_checked_never_an_exception()
    {
        Assert.Equal(MatchConfidence.VersionUnknown, Assert.Single(Run(Index(), null)).Confidence);
        var unreadable = Assert.Single(Run(Index(), "最新版（業者管理）"));
        Assert.Equal((MatchConfidence.ProductOnly, Matcher.ProductScope), (unreadable.Confidence, unreadable.RangeKey));
        Assert.Empty(Run(Index(), "6.0.4", "サンプルルータ", "SR-VPN700")); // not an appliance of the dictionary
    }

    static VulnMatch Stored(MatchResult r) => new()
    {
        AssetId = r.AssetId, CveId = r.CveId, Confidence = r.Confidence, Source = r.Source, FeedVersion = r.FeedVersion, Product = r.Product, RangeKey = r.RangeKey,
    };

    static VulnTriage Decision(MatchResult r, TriageStatus status, DateOnly? expires = null) => new()
    {
        AssetId = r.AssetId, CveId = r.CveId, Product = r.Product, RangeKey = r.RangeKey, Status = status, ExpiresOn = expires, DecidedBy = "test",
        DecidedAt = DateTime.UtcNow,
    };

    [Fact]
    public void A_dismissal_holds_while_the_firmware_moves_inside_the_range_and_an_upgrade_into_another_range_raises_it_again()
    {
        var today = new DateOnly(2026, 12, 3);
        var decision = Decision(Assert.Single(Run(Index(), "6.0.2")), TriageStatus.NotAffected);
        var sameRange = Stored(Assert.Single(Run(Index(), "6.0.4")));
        Assert.Equal(TriageStatus.NotAffected, VulnerabilityMatching.StatusOf(sameRange, [decision], today).Status);
        var otherRange = Stored(Assert.Single(Run(Index(), "5.6.5")));
        Assert.Null(VulnerabilityMatching.StatusOf(otherRange, [decision], today).Status);
        // A decision made while the version was unknown does not cover the version once it is known to be vulnerable.
        var unknown = Decision(Assert.Single(Run(Index(), null)), TriageStatus.FalsePositive);
        Assert.Null(VulnerabilityMatching.StatusOf(sameRange, [unknown], today).Status);
    }

    [Fact]
    public void An_acceptance_lapses_at_its_expiry_and_the_match_is_open_again()
    {
        var r = Assert.Single(Run(Index(), "6.0.4"));
        var accepted = Decision(r, TriageStatus.Accepted, new DateOnly(2026, 12, 31));
        Assert.Equal(TriageStatus.Accepted, VulnerabilityMatching.StatusOf(Stored(r), [accepted], new DateOnly(2026, 12, 31)).Status);
        var lapsed = VulnerabilityMatching.StatusOf(Stored(r), [accepted], new DateOnly(2027, 1, 1));
        Assert.True(lapsed.Lapsed);
        Assert.True(VulnerabilityMatching.IsOpen(lapsed.Status));
    }
}
