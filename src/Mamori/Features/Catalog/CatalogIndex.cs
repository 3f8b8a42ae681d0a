using System.Text;
using System.Text.Json.Nodes;
using Mamori.Features.Assets;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Catalog;

public sealed class IndexedEdition(CatalogEdition row)
{
    public CatalogEdition Row { get; } = row;
    public string FileId => Row.FileId;
    public JsonObject Header { get; } = JsonNode.Parse(row.Header)!.AsObject();
    public List<IndexedNode> Nodes { get; } = [];
    public Dictionary<string, IndexedNode> ById { get; } = [];
    public IEnumerable<string> Gaps => Strings("gaps");
    public IEnumerable<string> Notes => Strings("notes");
    public IEnumerable<JsonObject> Sources => Header["sources"] is JsonArray a ? a.OfType<JsonObject>() : [];
    public JsonObject? Source(string? id) => Sources.FirstOrDefault(s => (string?)s["id"] == id);
    /// <summary>Sort key: publication date as written ("2023-05-31", "2024-06", "2025").</summary>
    public string PublishedKey => Row.Published ?? "";
    IEnumerable<string> Strings(string key) => Header[key] is JsonArray a ? a.Select(x => x?.ToString() ?? "") : [];
}

public sealed class IndexedNode(IndexedEdition edition, CatalogNode row)
{
    public IndexedEdition Edition { get; } = edition;
    public CatalogNode Row { get; } = row;
    public JsonObject Fields { get; } = JsonNode.Parse(row.Fields)!.AsObject();
    public string FileId => Edition.FileId;
    public string NodeId => Row.NodeId;
    public string FullId => $"{FileId}/{NodeId}";
    public List<IndexedNode> Children { get; } = [];
    public IndexedNode? Parent { get; set; }
    internal string RefKey { get; set; } = "";
    internal string RefExactKey { get; set; } = "";
    internal string LabelKey { get; set; } = "";
    internal string SummaryKey { get; set; } = "";
    internal string OtherKey { get; set; } = "";
    public IEnumerable<string> List(string key) => Fields[key] is JsonArray a ? a.Select(x => x?.ToString() ?? "") : [];
    public string? Value(string key) => Fields[key]?.ToString();
    public bool IsItem => Row.Kind is "requirement" or "checklist-item" or "question" or "row" or "activity" or "stage";
    public string Title => Row.Ref is { } r ? $"{r} {Row.Label}" : Row.Label ?? Row.NodeId;

    /// <summary>The earlier edition's item this one was taken over from (catalogue full id), when the facts could not give this edition's own.</summary>
    public string? CarriedFrom => Value("carried_from");

    /// <summary>
    /// 引継ぎ（未照合）: taken over from an earlier edition and not yet checked against this edition's original. The one
    /// place pages and exports ask; an item confirmed from the original (e.g. an imported official file) is not.
    /// </summary>
    public bool IsUnreconciled => CarriedFrom is not null && Row.Confidence != "confirmed";
}

public sealed record SearchHit(IndexedNode Node, int Score, bool ExactReference);

/// <summary>
/// The published catalogue in memory: a few hundred nodes, so search, trees and diffs run without
/// a database round trip. Rebuilt on first use after an import or publish, by this process or another (DbCache).
/// </summary>
public sealed class CatalogIndex
{
    public static Task<CatalogIndex> GetAsync(MamoriDb db, CancellationToken ct = default) =>
        db.CachedAsync(DbCache.Catalog, "", async c => Build(await LoadAsync(db, db.CatalogEditions.Where(e => e.IsCurrent), c)), ct: ct);

    /// <summary>Loads editions with their nodes and mappings (any revision: current, old or draft).</summary>
    public static Task<List<CatalogEdition>> LoadAsync(MamoriDb db, IQueryable<CatalogEdition> editions, CancellationToken ct = default) =>
        editions.AsNoTracking().Include(e => e.Nodes).Include(e => e.Mappings).AsSplitQuery().ToListAsync(ct);

    public IReadOnlyList<IndexedEdition> Editions { get; }
    readonly Dictionary<string, IndexedEdition> byFile;
    readonly Dictionary<string, List<CatalogMapping>> mappingsFrom = [];
    readonly Dictionary<string, List<CatalogMapping>> mappingsTo = [];

    CatalogIndex(List<IndexedEdition> editions)
    {
        Editions = editions.OrderBy(e => e.Row.Framework).ThenBy(e => e.PublishedKey, StringComparer.Ordinal).ToList();
        byFile = editions.ToDictionary(e => e.FileId);
        foreach (var m in editions.SelectMany(e => e.Row.Mappings))
        {
            Add(mappingsFrom, $"{m.FromFile}/{m.FromNode}", m);
            Add(mappingsTo, $"{m.ToFile}/{m.ToNode}", m);
        }
        static void Add(Dictionary<string, List<CatalogMapping>> d, string key, CatalogMapping m)
        {
            if (!d.TryGetValue(key, out var list)) d[key] = list = [];
            list.Add(m);
        }
    }

    public static CatalogIndex Build(IEnumerable<CatalogEdition> rows)
    {
        var editions = new List<IndexedEdition>();
        foreach (var row in rows)
        {
            var edition = new IndexedEdition(row);
            foreach (var n in row.Nodes.OrderBy(n => n.Position))
            {
                var node = new IndexedNode(edition, n)
                {
                    RefKey = RefKey(n.Ref ?? ""),
                    RefExactKey = Normalize(n.Ref),
                    LabelKey = Normalize(n.Label ?? ""),
                    SummaryKey = Normalize((n.Summary ?? "") + "\n" + (n.SummaryEn ?? "")),
                };
                node.OtherKey = Normalize(string.Join("\n", node.Value("note"), node.Value("params"), n.NodeId, row.Title, row.TitleEn));
                edition.Nodes.Add(node);
                edition.ById[n.NodeId] = node;
            }
            foreach (var node in edition.Nodes)
                if (node.Row.ParentNodeId is { } p && edition.ById.TryGetValue(p, out var parent))
                {
                    node.Parent = parent;
                    parent.Children.Add(node);
                }
            editions.Add(edition);
        }
        return new CatalogIndex(editions);
    }

    public IndexedEdition? Edition(string fileId) => byFile.GetValueOrDefault(fileId);
    public IndexedNode? Node(string fileId, string nodeId) => Edition(fileId)?.ById.GetValueOrDefault(nodeId);
    public IndexedNode? Node(string fullId) => fullId.IndexOf('/') is var i and > 0 ? Node(fullId[..i], fullId[(i + 1)..]) : null;
    public IReadOnlyList<CatalogMapping> MappingsFrom(IndexedNode n) => mappingsFrom.GetValueOrDefault(n.FullId) ?? [];
    public IReadOnlyList<CatalogMapping> MappingsTo(IndexedNode n) => mappingsTo.GetValueOrDefault(n.FullId) ?? [];

    /// <summary>Editions of the same framework that contain this item, found by following edition mappings both ways.</summary>
    public List<(IndexedNode Node, string Relation)> EditionsContaining(IndexedNode start)
    {
        var result = new List<(IndexedNode, string)>();
        var seen = new HashSet<string> { start.FullId };
        var queue = new Queue<(IndexedNode, string)>([(start, "same")]);
        while (queue.Count > 0)
        {
            var (node, relation) = queue.Dequeue();
            foreach (var (next, step) in EditionNeighbours(node))
                if (seen.Add(next.FullId))
                {
                    var composed = Compose(relation, step);
                    result.Add((next, composed));
                    queue.Enqueue((next, composed));
                }
        }
        return result.OrderBy(r => r.Item1.Edition.PublishedKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>Nodes linked by an edition mapping, with the relation seen from <paramref name="node"/>.</summary>
    internal IEnumerable<(IndexedNode Node, string Relation)> EditionNeighbours(IndexedNode node)
    {
        foreach (var m in MappingsFrom(node).Where(m => m.Kind == "edition"))
            if (Node(m.ToFile, m.ToNode) is { } to) yield return (to, m.Relation);
        foreach (var m in MappingsTo(node).Where(m => m.Kind == "edition"))
            if (Node(m.FromFile, m.FromNode) is { } from) yield return (from, Invert(m.Relation));
    }

    internal static string Invert(string relation) => relation switch { "narrower" => "broader", "broader" => "narrower", var r => r };
    internal static string Compose(string a, string b) => a == "same" ? b : b == "same" ? a : a == b ? a : "related";

    // ---- search ----

    /// <summary>
    /// Search over every published edition. An exact official reference (シス14⑤, 2-⑦, 2-(7)) ranks first,
    /// then references that start with the query (シス14 → シス14①…), then label, summary and other text.
    /// Every word of the query must match; common Japanese/English synonyms count as a match.
    /// </summary>
    public List<SearchHit> Search(string query, int limit = 100)
    {
        var q = query.Trim();
        if (q.Length == 0) return [];
        var exactKey = Normalize(q);
        var refKey = RefKey(q);
        var terms = LooseText.Nfkc(q).ToLowerInvariant() // NFKC turns the full-width space into ' '
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => Synonyms.Expand(t).Select(Normalize).ToArray()).ToList();
        var hits = new List<SearchHit>();
        foreach (var edition in Editions)
            foreach (var node in edition.Nodes)
            {
                var score = 0;
                var exact = false;
                // 2-⑦ (R7) and 2-(7) (R5) are different items: the notation typed decides the exact match,
                // the other notation of the same number follows right after.
                if (node.RefKey.Length > 0 && node.RefExactKey == exactKey) { score = 1000; exact = true; }
                else if (node.NodeId == q || node.FullId == q) { score = 950; exact = true; }
                else if (node.RefKey.Length > 0 && node.RefKey == refKey) score = 900;
                else if (refKey.Length > 0 && node.RefKey.Length > refKey.Length && node.RefKey.StartsWith(refKey, StringComparison.Ordinal)
                         && !(char.IsAsciiDigit(refKey[^1]) && char.IsAsciiDigit(node.RefKey[refKey.Length])))
                    score = 800 - Math.Min(node.RefKey.Length, 50);
                else
                {
                    foreach (var expansions in terms)
                    {
                        var best = expansions.Max(t => node.LabelKey.Contains(t) ? 300 : node.RefKey.Contains(t) ? 250
                            : node.SummaryKey.Contains(t) ? 150 : node.OtherKey.Contains(t) ? 50 : 0);
                        if (best == 0) { score = 0; break; }
                        score += best;
                    }
                }
                if (score == 0) continue;
                if (node.IsItem) score += 20;
                hits.Add(new SearchHit(node, score, exact));
            }
        return hits.OrderByDescending(h => h.Score)
            .ThenByDescending(h => h.Node.Edition.PublishedKey, StringComparer.Ordinal)
            .ThenBy(h => h.Node.Row.Position)
            .Take(limit).ToList();
    }

    /// <summary>Width- and case-folded, without spaces: ＳＳＬ-ＶＰＮ = ssl-vpn, ① = 1.</summary>
    internal static string Normalize(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var folded = LooseText.Nfkc(s).ToLowerInvariant();
        var sb = new StringBuilder(folded.Length);
        foreach (var ch in folded)
            if (!char.IsWhiteSpace(ch)) sb.Append(ch);
        return sb.ToString();
    }

    /// <summary>A reference without brackets, so 2-⑦, 2-(7) and ２－（７） compare equal.</summary>
    internal static string RefKey(string s)
    {
        var n = Normalize(s).Replace('－', '-').Replace('‐', '-').Replace('−', '-');
        var sb = new StringBuilder(n.Length);
        foreach (var ch in n)
            if (ch is not ('(' or ')' or '[' or ']' or '【' or '】' or '〈' or '〉' or '「' or '」')) sb.Append(ch);
        return sb.ToString();
    }
}

/// <summary>Search words that mean the same thing in the catalogue (Japanese and English).</summary>
static class Synonyms
{
    static readonly string[][] Groups =
    [
        ["二要素", "2要素", "多要素", "二段階", "two-factor", "2fa", "mfa", "multi-factor"],
        ["パスワード", "password", "passwords"],
        ["バックアップ", "backup", "backups"],
        ["リモートメンテナンス", "リモート保守", "remote maintenance", "remote-maintenance"],
        ["台帳", "ledger", "inventory"],
        ["マルウェア", "ウイルス", "malware", "antivirus", "anti-virus"],
        ["脆弱性", "vulnerability", "vulnerabilities"],
        ["パッチ", "patch", "patches"],
        ["事業継続", "bcp", "business continuity"],
        ["インシデント", "incident", "incidents"],
        ["暗号", "encryption", "encrypt"],
        ["ログ", "log", "logs"],
        ["教育", "研修", "訓練", "training"],
        ["委託", "outsourcing", "contractor"],
        ["クラウド", "cloud"],
        ["アクセス権", "権限", "access control", "privilege"],
        ["連絡体制", "連絡", "contact"],
        ["外部記録媒体", "usb", "removable media"],
    ];

    public static IEnumerable<string> Expand(string term)
    {
        var key = CatalogIndex.Normalize(term);
        var group = Groups.FirstOrDefault(g => g.Any(w => CatalogIndex.Normalize(w) == key));
        return group is null ? [term] : group.Append(term);
    }
}
