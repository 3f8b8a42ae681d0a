using System.Text;

namespace Mamori.Reports;

/// <summary>Cells written to CSV/Excel never start a formula (CSV injection): = + - @ TAB CR get a leading apostrophe.</summary>
public static class SpreadsheetSafe
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '＝' or '＋' or '－' or '＠' ? "'" + value : value;
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
