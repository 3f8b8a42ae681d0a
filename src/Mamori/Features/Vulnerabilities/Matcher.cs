namespace Mamori.Features.Vulnerabilities;

/// <summary>What the matcher reads of a device (only the columns it needs).</summary>
public sealed record DeviceRow(Guid Id, string? Name, string? Manufacturer, string? Model, string? OperatingSystem, string? OsVersion, string? Firmware);

/// <summary>One record's range, as the index holds it.</summary>
public sealed record IndexedRange(string CveId, FeedKind Source, string FeedVersion, VersionRange Range);

/// <summary>A product-only mention: a record names the product (JVN, NVD without a range, KEV) but gives no usable version range.</summary>
public sealed record IndexedMention(string CveId, FeedKind Source, string FeedVersion);

/// <summary>KEV's facts about a CVE (dueDate → 目標日, requiredAction → action).</summary>
public sealed record KevFacts(string CveId, string? VendorProject, string? Product, string? Name, DateOnly? DateAdded, DateOnly? DueDate, string? RequiredAction, string FeedVersion);

/// <summary>
/// The imported feeds held in memory for matching (cached through DbCache under <see cref="VulnerabilityMatching.FeedScope"/>):
/// ranges and product mentions by CPE vendor:product, and KEV by CVE.
/// </summary>
public sealed class FeedIndex
{
    public Dictionary<string, List<IndexedRange>> RangesByCpe { get; } = [];
    public Dictionary<string, List<IndexedMention>> MentionsByCpe { get; } = [];
    public Dictionary<string, KevFacts> Kev { get; } = [];
    /// <summary>Japanese titles (JVN) by CVE, for display.</summary>
    public Dictionary<string, string> JapaneseTitles { get; } = [];
    readonly Dictionary<string, List<KevFacts>> kevByAppliance = [];

    public void AddRange(string cpe, IndexedRange range) => Add(RangesByCpe, cpe, range);
    public void AddMention(string cpe, IndexedMention mention) => Add(MentionsByCpe, cpe, mention);

    static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }

    /// <summary>The KEV entries whose vendorProject/product name the appliance (computed once per appliance).</summary>
    public List<KevFacts> KevFor(Appliance appliance)
    {
        lock (kevByAppliance)
        {
            if (!kevByAppliance.TryGetValue(appliance.Id, out var list))
                kevByAppliance[appliance.Id] = list = Kev.Values.Where(k => appliance.IsKevProduct(k.VendorProject ?? "", k.Product ?? "")).ToList();
            return list;
        }
    }
}

/// <summary>One device × CVE hit, as computed (before it is stored as a <see cref="VulnMatch"/>).</summary>
public sealed record MatchResult(Guid AssetId, string CveId, MatchConfidence Confidence, FeedKind Source, string FeedVersion,
    string Product, string RangeKey, string? DeviceVersion, KevFacts? Kev, string? Title);

/// <summary>
/// The matching rules, pure. For each appliance in the ledger and each CVE that names its product:
/// a vendor advisory's ranges decide first, then NVD's; a version inside a range is <see cref="MatchConfidence.Exact"/>,
/// outside every range no match (an upgrade out of the range clears it); a version no comparator understands, or a
/// product named without a usable range (KEV, JVN, NVD "all versions"), is <see cref="MatchConfidence.ProductOnly"/>
/// (要確認); a device without a recorded version is <see cref="MatchConfidence.VersionUnknown"/> (potential).
/// </summary>
public static class Matcher
{
    public const string ProductScope = "product";
    public const string UnknownScope = "unknown";

    public static List<MatchResult> Match(IEnumerable<DeviceRow> devices, FeedIndex index, ApplianceCatalog catalog)
    {
        var results = new List<MatchResult>();
        var identities = new Dictionary<(string?, string?, string?, string?, string?, string?), DeviceIdentity?>();
        foreach (var d in devices)
        {
            var key = (d.Manufacturer, d.Model, d.OperatingSystem, d.OsVersion, d.Firmware, d.Name);
            if (!identities.TryGetValue(key, out var identity))
                identities[key] = identity = catalog.Identify(d.Manufacturer, d.Model, d.OperatingSystem, d.OsVersion, d.Firmware, d.Name);
            if (identity is not null) MatchDevice(d.Id, identity, index, results);
        }
        return results;
    }

    public static void MatchDevice(Guid assetId, DeviceIdentity identity, FeedIndex index, List<MatchResult> results)
    {
        var appliance = identity.Appliance;
        // CVE → (vendor ranges, nvd ranges, mentions)
        var byCve = new Dictionary<string, (List<IndexedRange> Vendor, List<IndexedRange> Nvd, List<IndexedMention> Mentions)>();
        (List<IndexedRange>, List<IndexedRange>, List<IndexedMention>) Slot(string cve)
        {
            if (!byCve.TryGetValue(cve, out var s)) byCve[cve] = s = ([], [], []);
            return s;
        }
        foreach (var cpe in appliance.Cpe)
        {
            if (index.RangesByCpe.TryGetValue(cpe, out var ranges))
                foreach (var r in ranges)
                {
                    var (vendor, nvd, _) = Slot(r.CveId);
                    (r.Source == FeedKind.Vendor ? vendor : nvd).Add(r);
                }
            if (index.MentionsByCpe.TryGetValue(cpe, out var mentions))
                foreach (var m in mentions) Slot(m.CveId).Item3.Add(m);
        }
        foreach (var k in index.KevFor(appliance)) Slot(k.CveId).Item3.Add(new IndexedMention(k.CveId, FeedKind.Kev, k.FeedVersion));

        foreach (var (cve, (vendorRanges, nvdRanges, mentions)) in byCve)
        {
            index.Kev.TryGetValue(cve, out var kev);
            var title = index.JapaneseTitles.GetValueOrDefault(cve) ?? kev?.Name;
            var decided = vendorRanges.Count > 0 ? vendorRanges : nvdRanges;
            MatchResult Result(MatchConfidence c, FeedKind source, string feedVersion, string rangeKey) =>
                new(assetId, cve, c, source, feedVersion, appliance.Id, rangeKey, identity.VersionText, kev, title);

            if (decided.Count > 0)
            {
                var first = decided[0];
                if (identity.VersionText is null) { results.Add(Result(MatchConfidence.VersionUnknown, first.Source, first.FeedVersion, UnknownScope)); continue; }
                if (identity.Version is null) { results.Add(Result(MatchConfidence.ProductOnly, first.Source, first.FeedVersion, ProductScope)); continue; }
                IndexedRange? hit = null, unsure = null;
                foreach (var r in decided)
                {
                    var inside = r.Range.Contains(identity.Version);
                    if (inside == true) { hit = r; break; }
                    if (inside is null) unsure ??= r;
                }
                if (hit is not null) results.Add(Result(MatchConfidence.Exact, hit.Source, hit.FeedVersion, hit.Range.Key));
                else if (unsure is not null) results.Add(Result(MatchConfidence.ProductOnly, unsure.Source, unsure.FeedVersion, ProductScope));
                // else: outside every known range — not affected, no match.
                continue;
            }
            // No usable range: the product is named (KEV first, then NVD "all versions", then JVN).
            var mention = mentions.OrderBy(m => m.Source switch { FeedKind.Kev => 0, FeedKind.Nvd => 1, _ => 2 }).First();
            results.Add(Result(identity.VersionText is null ? MatchConfidence.VersionUnknown : MatchConfidence.ProductOnly,
                mention.Source, mention.FeedVersion, identity.VersionText is null ? UnknownScope : ProductScope));
        }
    }
}
