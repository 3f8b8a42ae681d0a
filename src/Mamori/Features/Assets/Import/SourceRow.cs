using System.Globalization;
using Mamori.Platform.Web;

namespace Mamori.Features.Assets.Import;

/// <summary>How a cell's text was stored in the file (CSV cells are always Text).</summary>
public enum CellKind
{
    Text,
    /// <summary>An xlsx number; Text is its invariant-culture form ("44166", "2.5").</summary>
    Number,
    /// <summary>An xlsx number with a date format, or a date cell; Text is ISO ("2020-12-01").</summary>
    Date,
}

/// <param name="FromFormula">The xlsx cell holds a formula; Text is the value Excel last calculated (cached).</param>
public sealed record SourceCell(string Text, CellKind Kind = CellKind.Text, bool FromFormula = false)
{
    public static readonly SourceCell Empty = new("");
    public bool IsBlank => string.IsNullOrWhiteSpace(Text);
}

/// <summary>One row of a CSV or xlsx file. <paramref name="Number"/> is the 1-based row (line) where it starts.</summary>
public sealed record SourceRow(int Number, IReadOnlyList<SourceCell> Cells)
{
    public SourceCell this[int column] => column < Cells.Count ? Cells[column] : SourceCell.Empty;
    public bool IsBlank => Cells.All(c => c.IsBlank);
}

/// <summary>Guards that keep reading an uploaded file within bounded time and memory.</summary>
public sealed record ReadLimits
{
    /// <summary>Rows in the file, title and header rows included.</summary>
    public int MaxRows { get; init; } = 1_000_000;
    /// <summary>Characters in one cell (Excel's own limit is 32,767).</summary>
    public int MaxFieldLength { get; init; } = 32_767;
    public int MaxColumns { get; init; } = 1_000;
    /// <summary>Bytes in one physical CSV line.</summary>
    public int MaxLineBytes { get; init; } = 4 * 1024 * 1024;
    /// <summary>xlsx: declared size of all zip entries together, and bytes actually inflated while reading.</summary>
    public long MaxUncompressedBytes { get; init; } = 200L * 1024 * 1024;
    /// <summary>xlsx: uncompressed/compressed size of one entry (checked for entries of 1 MiB and more).</summary>
    public int MaxCompressionRatio { get; init; } = 100;
}

/// <summary>The file as a whole cannot be read (wrong format, too large, bad encoding); nothing is imported.</summary>
public sealed class ImportFileException(string messageJa, string messageEn) : UserErrorException(new UserError(messageJa, messageEn))
{
    public string MessageJa => Error.Ja;
    public string MessageEn => Error.En;

    /// <summary>1,000,000 whatever the server's culture.</summary>
    internal static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    internal static ImportFileException TooManyRows(int max) =>
        new($"行数が上限（{Count(max)}行）を超えています", $"The file has more than {Count(max)} rows");

    internal static ImportFileException TooManyColumns(int row, int max) =>
        new($"{row}行目: 列数が上限（{Count(max)}列）を超えています", $"Row {row}: more than {Count(max)} columns");

    internal static ImportFileException FieldTooLong(int row, int max) =>
        new($"{row}行目: セルの文字数が上限（{Count(max)}文字）を超えています", $"Row {row}: a cell is longer than {Count(max)} characters");
}
