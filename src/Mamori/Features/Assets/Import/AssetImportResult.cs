using Mamori.Platform.Web;

namespace Mamori.Features.Assets.Import;

/// <summary>Column index (0-based) → ledger field. Set by header detection, or by the user for unknown columns.</summary>
public sealed class ColumnMapping : Dictionary<int, AssetField>;

/// <summary>A header cell: its text and the field it was mapped to (null: not imported).</summary>
public sealed record HeaderColumn(int Index, string Text, AssetField? Field);

/// <summary>A problem in one row. <see cref="MessageJa"/> names the column, e.g. 「IPアドレス「192.168.1.300」は…」.</summary>
public sealed record ImportIssue(int Row, string? Column, string MessageJa, string MessageEn)
{
    public string TextJa => $"{Row}行目: {MessageJa}";
    public string TextEn => $"Row {Row}: {MessageEn}";
}


public sealed class AssetImportResult
{
    public const int DefaultMaxIssues = 1_000;

    /// <summary>Set when the file as a whole could not be read; nothing may be imported then.</summary>
    public UserError? FileError { get; internal set; }
    public int? HeaderRowNumber { get; internal set; }
    /// <summary>Header cells with the field each one is read into.</summary>
    public List<HeaderColumn> Columns { get; } = [];
    /// <summary>Header cells that are neither recognised nor ledger header fields: ask the user to map or skip them.</summary>
    public List<HeaderColumn> UnknownColumns { get; } = [];
    /// <summary>Non-empty data rows read (all of them are imported when <see cref="Succeeded"/>).</summary>
    public int RowsRead { get; internal set; }
    /// <summary>The valid rows; empty when they were streamed to the importer instead.</summary>
    public List<AssetImportRow> Rows { get; } = [];
    /// <summary>
    /// The first valid rows (up to <see cref="AssetImportOptions.PreviewRows"/>) as they will be stored, also when the
    /// rows were streamed: what the user sees before confirming.
    /// </summary>
    public List<AssetImportRow> Preview { get; } = [];
    /// <summary>The first errors (up to the limit); <see cref="ErrorCount"/> counts all of them.</summary>
    public List<ImportIssue> Errors { get; } = [];
    public int ErrorCount { get; internal set; }
    public List<ImportIssue> Warnings { get; } = [];
    public int WarningCount { get; internal set; }

    /// <summary>Nothing blocks the import: the file was read and no row has an error.</summary>
    public bool Succeeded => FileError is null && ErrorCount == 0;
}

public sealed record AssetImportOptions
{
    /// <summary>Overrides header detection entirely (send back the full mapping the user confirmed).</summary>
    public ColumnMapping? Mapping { get; init; }
    /// <summary>The header row, when the user chose it; otherwise it is detected in the first rows.</summary>
    public int? HeaderRowNumber { get; init; }
    public int MaxIssues { get; init; } = AssetImportResult.DefaultMaxIssues;
    /// <summary>Rows kept for <see cref="AssetImportResult.Preview"/>.</summary>
    public int PreviewRows { get; init; } = 20;
}
