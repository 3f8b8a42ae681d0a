namespace Mamori.Features.Catalog;

/// <summary>One item of a sheet for comparison: its number, wording and (in the catalogue) node id; Row is the Excel row.</summary>
public sealed record FormLine(string Ref, string Label, string? NodeId = null, int Row = 0)
{
    public string NumberKey => OfficialFormReader.NumberKey(Ref);
    public string LabelKey => CatalogIndex.Normalize(Label);
}

/// <summary>
/// Items of a sheet compared by number and wording (NFKC, spaces ignored): unchanged, reworded (same number,
/// new wording), renumbered (the same wording under another number), added and removed. An item whose wording
/// moved to another number is renumbered even when its old number still exists with other wording.
/// </summary>
public sealed record OfficialFormDiff(
    List<FormLine> Added, List<FormLine> Removed, List<(FormLine Old, FormLine New)> Reworded,
    List<(FormLine Old, FormLine New)> Renumbered, int Unchanged)
{
    public bool Changed => Added.Count + Removed.Count + Reworded.Count + Renumbered.Count > 0;

    /// <summary>Old node ids whose answers must be reviewed (要確認): the item was removed or now has another number.</summary>
    public Dictionary<string, string> ReviewReasons()
    {
        var reasons = new Dictionary<string, string>();
        foreach (var r in Removed.Where(r => r.NodeId is not null)) reasons[r.NodeId!] = ReviewReason.Removed;
        foreach (var (old, _) in Renumbered.Where(p => p.Old.NodeId is not null)) reasons[old.NodeId!] = ReviewReason.Renumbered;
        return reasons;
    }

    public static OfficialFormDiff Compare(IReadOnlyList<FormLine> old, IReadOnlyList<FormLine> @new)
    {
        var newByKey = @new.GroupBy(n => n.NumberKey).ToDictionary(g => g.Key, g => g.First());
        var newByLabel = @new.GroupBy(n => n.LabelKey).ToDictionary(g => g.Key, g => g.ToList());
        var oldLabels = old.Select(o => o.LabelKey).ToHashSet();
        var matched = new HashSet<FormLine>(ReferenceEqualityComparer.Instance);
        var (added, removed) = (new List<FormLine>(), new List<FormLine>());
        var (reworded, renumbered) = (new List<(FormLine, FormLine)>(), new List<(FormLine, FormLine)>());
        var unchanged = 0;
        foreach (var o in old)
        {
            var sameWording = newByLabel.GetValueOrDefault(o.LabelKey) ?? [];
            if (sameWording.FirstOrDefault(n => n.NumberKey == o.NumberKey) is { } same)
            {
                unchanged++;
                matched.Add(same);
            }
            else if (sameWording.FirstOrDefault(n => !matched.Contains(n)) is { } moved)
            {
                renumbered.Add((o, moved));
                matched.Add(moved);
            }
            // Same number, new wording, unless that wording is another old item that moved here.
            else if (newByKey.GetValueOrDefault(o.NumberKey) is { } n && !oldLabels.Contains(n.LabelKey) && !matched.Contains(n))
            {
                reworded.Add((o, n));
                matched.Add(n);
            }
            else removed.Add(o);
        }
        added.AddRange(@new.Where(n => !matched.Contains(n)));
        return new OfficialFormDiff(added, removed, reworded, renumbered, unchanged);
    }
}

/// <summary>Why an answer needs review (要確認) after a new revision of its sheet (ChecklistAnswer.NeedsReview).</summary>
public static class ReviewReason
{
    public const string Removed = "removed";
    public const string Renumbered = "renumbered";

    public static (string Ja, string En) Label(string reason) => reason switch
    {
        Removed => ("要確認（この項目は新しい様式から削除されました）", "Needs review: the item was removed from the new form"),
        Renumbered => ("要確認（この項目は新しい様式で番号が変わりました）", "Needs review: the item has a new number in the new form"),
        _ => ("要確認", "Needs review"),
    };
}
