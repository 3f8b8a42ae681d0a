namespace Mamori.Features.Catalog;

public sealed record FieldChange(string Field, string? Old, string? New);

public sealed record DiffPair(IndexedNode Old, IndexedNode New, string Relation, List<FieldChange> Changes, string? Note)
{
    public bool Changed => Changes.Count > 0 || Relation != "same";
}

public sealed record CatalogDiffResult(
    IndexedEdition Old, IndexedEdition New, bool ByNodeId,
    List<IndexedNode> Added, List<IndexedNode> Removed, List<DiffPair> Changed, int Unchanged);

/// <summary>
/// What changed between two editions (R7 → R8, 6.0 → 7.0) or two revisions of one edition.
/// Editions are paired only through the catalogue's edition mappings (followed through intermediate
/// editions, e.g. R5 → R6 → R7); an item without a mapping is reported as added or removed, never guessed.
/// Revisions of one file are paired by node id.
/// </summary>
public static class CatalogDiff
{
    /// <summary>Fields whose change is a change of the requirement (our own summary is not).</summary>
    static readonly string[] Compared = ["ref", "kind", "label", "devices", "answers", "date_fields", "applies_to", "scope", "patterns", "params"];

    public static CatalogDiffResult Compare(CatalogIndex index, IndexedEdition old, IndexedEdition @new, bool itemsOnly)
    {
        bool Included(IndexedNode n) => !itemsOnly || n.IsItem;
        var byNodeId = old.FileId == @new.FileId;
        var pairs = new List<DiffPair>();
        var matchedNew = new HashSet<string>();
        var removed = new List<IndexedNode>();
        foreach (var o in old.Nodes.Where(Included))
        {
            var counterparts = byNodeId
                ? @new.ById.TryGetValue(o.NodeId, out var same) ? [(same, "same")] : []
                : Follow(index, o, @new);
            if (counterparts.Count == 0) { removed.Add(o); continue; }
            foreach (var (n, relation) in counterparts)
            {
                matchedNew.Add(n.NodeId);
                var note = index.MappingsFrom(o).FirstOrDefault(m => m.ToFile == n.FileId && m.ToNode == n.NodeId)?.Note
                           ?? index.MappingsTo(o).FirstOrDefault(m => m.FromFile == n.FileId && m.FromNode == n.NodeId)?.Note;
                pairs.Add(new DiffPair(o, n, relation, FieldChanges(o, n), note));
            }
        }
        var added = @new.Nodes.Where(Included).Where(n => !matchedNew.Contains(n.NodeId)).ToList();
        return new CatalogDiffResult(old, @new, byNodeId, added, removed,
            pairs.Where(p => p.Changed).ToList(), pairs.Count(p => !p.Changed));
    }

    /// <summary>Nodes of <paramref name="target"/> reachable from <paramref name="start"/> through edition mappings.</summary>
    static List<(IndexedNode, string)> Follow(CatalogIndex index, IndexedNode start, IndexedEdition target)
    {
        var found = new List<(IndexedNode, string)>();
        var seen = new HashSet<string> { start.FullId };
        var queue = new Queue<(IndexedNode Node, string Relation, int Depth)>([(start, "same", 0)]);
        while (queue.Count > 0)
        {
            var (node, relation, depth) = queue.Dequeue();
            foreach (var (next, step) in index.EditionNeighbours(node))
            {
                if (!seen.Add(next.FullId)) continue;
                var composed = CatalogIndex.Compose(relation, step);
                if (next.FileId == target.FileId) found.Add((next, composed));
                else if (depth < 6 && next.FileId != start.FileId) queue.Enqueue((next, composed, depth + 1));
            }
        }
        return found;
    }

    static List<FieldChange> FieldChanges(IndexedNode a, IndexedNode b) =>
        Compared.Select(f => new FieldChange(f, Show(a, f), Show(b, f)))
            .Where(c => c.Field == "ref" ? CatalogIndex.RefKey(c.Old ?? "") != CatalogIndex.RefKey(c.New ?? "") : c.Old != c.New)
            .ToList();

    static string? Show(IndexedNode n, string field) => n.Fields[field] switch
    {
        null => null,
        System.Text.Json.Nodes.JsonValue v => v.ToString(),
        var other => other.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
    };
}
