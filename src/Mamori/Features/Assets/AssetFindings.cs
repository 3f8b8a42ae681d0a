using Mamori.Platform.Data;
using Mamori.Platform.Time;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>Findings for the current organisation's ledgers (tenant-filtered), evaluated with the shipped OS support table.</summary>
public static class AssetFindings
{
    static readonly Lazy<OsSupportCatalog> OsCatalog = new(() =>
        OsSupportCatalog.Load(Path.Combine(AppContext.BaseDirectory, "Features", "Assets", "os-support.yaml")));

    public static OsSupportCatalog OsSupport => OsCatalog.Value;

    /// <summary>
    /// An organisation's cached findings are dropped when nobody looked at them for this long: 100,000 devices' findings
    /// hold about 70 MB, and the next view evaluates them again (under a second).
    /// </summary>
    public static readonly TimeSpan CacheIdleLimit = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The dashboard's findings, reused until the organisation's ledger changes — in this process or another, e.g. an
    /// import by the command line (DbCache) — and for today only (support ends and fiscal years move on their own).
    /// </summary>
    public static Task<LedgerFindings> EvaluateCachedAsync(MamoriDb db, Guid organizationId, CancellationToken ct = default) =>
        db.CachedAsync(DbCache.Ledger(organizationId), db.Clock.Today().ToString("O"),
            async c => new LedgerFindings(await EvaluateAsync(db, c), await db.Assets.CountAsync(c)), CacheIdleLimit, ct);

    /// <summary>
    /// Every finding of the organisation. Only the columns the rules read are loaded (a 100,000-device ledger in well
    /// under a second instead of seconds for whole entities), and explanations that read the same share one string, since
    /// the dashboard keeps the result cached.
    /// </summary>
    public static async Task<List<Finding>> EvaluateAsync(MamoriDb db, CancellationToken ct = default)
    {
        // In 管理番号 order, which the findings keep within each kind.
        var assets = await db.Assets.AsNoTracking().OrderBy(a => a.ControlNumber).Select(a => new Asset
        {
            Id = a.Id, ControlNumber = a.ControlNumber, Name = a.Name, Category = a.Category, Status = a.Status,
            OperatingSystem = a.OperatingSystem, OsVersion = a.OsVersion, SupportEndsOn = a.SupportEndsOn,
            IpAddress = a.IpAddress, Firmware = a.Firmware, LastStocktakeOn = a.LastStocktakeOn,
        }).ToListAsync(ct);
        var byId = assets.ToDictionary(a => a.Id);
        // Through db.Assets, so the organisation filter applies to the interfaces and ports too.
        await foreach (var i in db.Assets.SelectMany(a => a.Interfaces)
                           .Select(i => new AssetInterface { AssetId = i.AssetId, IpAddress = i.IpAddress, Segment = i.Segment })
                           .AsAsyncEnumerable().WithCancellation(ct))
            if (byId.TryGetValue(i.AssetId, out var asset)) asset.Interfaces.Add(i); // not: a device saved since the first query
        var ports = Findings.RiskyPortNumbers;
        await foreach (var p in db.Assets.SelectMany(a => a.OpenPorts).Where(p => ports.Contains(p.Port))
                           .Select(p => new OpenPort { AssetId = p.AssetId, Port = p.Port, Protocol = p.Protocol, Source = p.Source })
                           .AsAsyncEnumerable().WithCancellation(ct))
            if (byId.TryGetValue(p.AssetId, out var asset)) asset.OpenPorts.Add(p);
        var connections = await db.Connections.AsNoTracking().ToListAsync(ct);
        var texts = new Dictionary<string, string>();
        return Findings.Evaluate(assets, connections, OsSupport, db.Clock.Today())
            .Select(f => f with { ExplanationJa = texts.TryAdd(f.ExplanationJa, f.ExplanationJa) ? f.ExplanationJa : texts[f.ExplanationJa] })
            .ToList();
    }

    /// <summary>
    /// Findings about the connections and about the given devices only, without loading the whole ledger (a device page
    /// of a 100,000-device ledger). The appliances of the connections are loaded too, since connection rules read them.
    /// Same-segment reachability to other devices is judged only among the devices loaded.
    /// </summary>
    public static async Task<List<Finding>> EvaluateAsync(MamoriDb db, IReadOnlyCollection<Guid> assetIds, CancellationToken ct = default)
    {
        var connections = await db.Connections.AsNoTracking().ToListAsync(ct);
        var ids = assetIds.Concat(connections.Where(c => c.ApplianceAssetId != null).Select(c => c.ApplianceAssetId!.Value)).Distinct().ToList();
        var assets = await db.Assets.AsNoTracking().Include(a => a.Interfaces).Include(a => a.OpenPorts).AsSplitQuery()
            .Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        return Findings.Evaluate(assets, connections, OsSupport, db.Clock.Today());
    }

    /// <summary>The heading of a group of findings (each finding's own title names its device or vendor).</summary>
    public static (string Ja, string En) Heading(FindingCode code) => code switch
    {
        FindingCode.UnsupportedOs => ("サポートが終了した OS", "Operating systems out of support"),
        FindingCode.DualHomed => ("2つのネットワークにつながった機器（2枚挿し）", "Devices on two networks"),
        FindingCode.ConnectionNotConfirmed => ("今年度、事業者と確認していない外部接続", "Connections not confirmed this fiscal year"),
        FindingCode.SharedAccount => ("共用アカウント（または不明）の外部接続", "Connections with shared (or unknown) accounts"),
        FindingCode.NoSecondFactor => ("二要素認証のない（または不明な）外部接続", "Connections without (or unknown) second factor"),
        FindingCode.RemoteAccessPortOpen => ("保守回線から届く機器で遠隔操作・ファイル共有のポートが開いている", "Remote-control or file-sharing ports reachable from a vendor path"),
        FindingCode.VpnFirmwareUnknown => ("ファームウェアが分からない VPN 装置", "VPN appliances with unknown firmware"),
        FindingCode.StocktakeOverdue => ("1年以上棚卸していない機器", "Devices not checked for over a year"),
        _ => (code.ToString(), code.ToString()),
    };
}

/// <summary>An organisation's findings grouped once, when evaluated, for the pages that show them (a large ledger has 100,000+).</summary>
public sealed class LedgerFindings(List<Finding> all, int deviceCount)
{
    /// <summary>The organisation's devices when evaluated (current while the cache entry is).</summary>
    public int DeviceCount { get; } = deviceCount;
    /// <summary>In order of severity, then kind, then 管理番号.</summary>
    public IReadOnlyList<Finding> All { get; } = all;
    public ILookup<FindingCode, Finding> ByKind { get; } = all.ToLookup(f => f.Code);
    /// <summary>Each kind found with its count, in the order of <see cref="All"/>.</summary>
    public IReadOnlyList<(FindingCode Code, int Count)> Kinds { get; } = all.GroupBy(f => f.Code).Select(g => (g.Key, g.Count())).ToList();
    /// <summary>By the checklist item (項番) they concern.</summary>
    public ILookup<string, Finding> ByChecklistRef { get; } = all.Where(f => f.ChecklistRef is not null).ToLookup(f => f.ChecklistRef!);
}
