using System.Text;

namespace Mamori.Platform.Reports;

/// <summary>
/// Cells written to CSV/Excel never start a formula (CSV injection): a cell starting with = + - @ (or a form of them
/// such as 全角＝, see <see cref="FormulaStarts"/>), TAB or CR gets a leading apostrophe.
/// </summary>
public static class SpreadsheetSafe
{
    /// <summary>
    /// Every character whose compatibility decomposition starts with +, -, = or @ (全角＝ and the like), in code point
    /// order: what the ledger import treats as a possible formula start, so an export never writes a cell its import would refuse.
    /// </summary>
    public const string FormulaStarts = "+-=@\u207A\u207C\u208A\u208C\u2260\u2A75\u2A76\uFB29\uFE62\uFE63\uFE66\uFE6B\uFF0B\uFF0D\uFF1D\uFF20";

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value[0] is '\t' or '\r' || FormulaStarts.Contains(value[0]) ? "'" + value : value;
    }

    public static string CsvField(string? value)
    {
        var v = Escape(value);
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
    }

    /// <summary>UTF-8 with BOM so that Excel opens Japanese text correctly.</summary>
    public static byte[] Csv(IEnumerable<IEnumerable<string?>> rows)
    {
        var sb = new StringBuilder();
        foreach (var row in rows) sb.Append(string.Join(',', row.Select(CsvField))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }
}
