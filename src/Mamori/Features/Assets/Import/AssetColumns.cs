namespace Mamori.Features.Assets.Import;

/// <summary>
/// Column names found in real ledgers (MHLW training example, vendor templates, English sheets), declared with each field
/// in <see cref="LedgerFields"/> and compared by <see cref="LooseText.Key"/>. ホスト名/PC名 are the computer name, not the device name.
/// </summary>
public static class AssetColumns
{
    /// <summary>Ledger header fields (written above the table in the training example); never data columns.</summary>
    static readonly HashSet<string> Ignored = new[] { "最終更新日", "最終更新者", "更新日", "更新者", "last updated", "updated by" }
        .Select(LooseText.Key).ToHashSet();

    static readonly Dictionary<string, AssetField> ByKey = Build();

    /// <summary>
    /// Each importable field's own name (the ledger's column label, Japanese and English, as Mamori exports it), by key:
    /// such a header is that field for certain, where a synonym is a guess (「No.」 is often a row number).
    /// </summary>
    static readonly Dictionary<string, AssetField> ByName = LedgerFields.Importable
        .SelectMany(f => new[] { f.Ja, f.En }.Select(name => (Key: LooseText.Key(name), f.Field)))
        .DistinctBy(n => n.Key)
        .ToDictionary(n => n.Key, n => n.Field);

    static Dictionary<string, AssetField> Build()
    {
        var map = new Dictionary<string, AssetField>();
        foreach (var field in LedgerFields.Importable)
            foreach (var name in field.Synonyms.Prepend(field.Ja).Distinct()) map.Add(LooseText.Key(name), field.Field); // Add: a name may mean one field only
        return map;
    }

    /// <summary>The field a header means: its own name (<see cref="Exact"/>) or a known synonym.</summary>
    public static AssetField? Recognize(string? header)
    {
        var key = LooseText.Key(header);
        return ByName.TryGetValue(key, out var field) || ByKey.TryGetValue(key, out field) ? field : null;
    }

    /// <summary>The field whose own name the header is (after NFKC, without spaces), e.g. 「管理番号」 but not 「No.」.</summary>
    public static AssetField? Exact(string? header) => ByName.TryGetValue(LooseText.Key(header), out var field) ? field : null;

    public static bool IsIgnored(string? header) => Ignored.Contains(LooseText.Key(header));

    /// <summary>All names per field, for the mapping help text.</summary>
    public static IEnumerable<(AssetField Field, IReadOnlyList<string> Names)> Synonyms =>
        LedgerFields.Importable.Select(f => (f.Field, (IReadOnlyList<string>)[f.Ja, .. f.Synonyms]));
}
