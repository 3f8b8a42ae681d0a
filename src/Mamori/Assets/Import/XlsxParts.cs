using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Mamori.Assets.Import;

/// <summary>The workbook parts a sheet's cells refer to: shared strings and the cell formats that show dates.</summary>
static class XlsxParts
{
    /// <summary>Shared strings, without furigana (rPh runs), which Japanese Excel stores next to the text.</summary>
    internal static List<string> ReadSharedStrings(OpenXmlReader reader)
    {
        using var _ = reader;
        var strings = new List<string>();
        var text = new StringBuilder();
        var inPhonetic = false;
        while (reader.Read())
        {
            var t = reader.ElementType;
            if (t == typeof(SharedStringItem))
            {
                if (reader.IsStartElement) text.Clear();
                else strings.Add(text.ToString());
            }
            else if (t == typeof(PhoneticRun)) inPhonetic = reader.IsStartElement;
            else if (t == typeof(Text) && reader.IsStartElement && !inPhonetic) text.Append(reader.GetText());
        }
        return strings;
    }

    /// <summary>Indexes of cell formats (cellXfs) whose number format shows a date.</summary>
    internal static HashSet<uint> ReadDateStyles(OpenXmlReader reader)
    {
        using var _ = reader;
        var customDate = new HashSet<uint>();
        var styles = new HashSet<uint>();
        uint index = 0;
        var inCellXfs = false;
        while (reader.Read())
        {
            var t = reader.ElementType;
            if (t == typeof(NumberingFormat) && reader.IsStartElement)
            {
                if (uint.TryParse(Attr(reader, "numFmtId"), CultureInfo.InvariantCulture, out var id) && IsDateFormatCode(Attr(reader, "formatCode")))
                    customDate.Add(id);
            }
            else if (t == typeof(CellFormats)) inCellXfs = reader.IsStartElement;
            else if (t == typeof(CellFormat) && reader.IsStartElement && inCellXfs)
            {
                var numFmt = uint.TryParse(Attr(reader, "numFmtId"), CultureInfo.InvariantCulture, out var n) ? n : 0;
                if (IsBuiltInDate(numFmt) || customDate.Contains(numFmt)) styles.Add(index);
                index++;
            }
        }
        return styles;

        static string? Attr(OpenXmlReader r, string name) =>
            r.Attributes.FirstOrDefault(a => a.LocalName == name && string.IsNullOrEmpty(a.NamespaceUri)).Value;
    }

    // 14–22: dates and times; 27–36 and 50–58: East Asian (和暦 included) date formats; 45–47: times.
    static bool IsBuiltInDate(uint id) => id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58;

    /// <summary>A custom format shows a date when it has y, d, g or e outside quotes, escapes and brackets.</summary>
    internal static bool IsDateFormatCode(string? code)
    {
        if (string.IsNullOrEmpty(code)) return false;
        var inQuote = false;
        var inBracket = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (inQuote) { inQuote = c != '"'; continue; }
            if (inBracket) { inBracket = c != ']'; continue; }
            switch (c)
            {
                case '"': inQuote = true; break;
                case '[': inBracket = true; break;
                case '\\' or '_' or '*': i++; break;
                case 'E' when i + 1 < code.Length && code[i + 1] is '+' or '-': i++; break; // 0.00E+00
                case 'y' or 'Y' or 'd' or 'D' or 'g' or 'G' or 'e':
                    return !code.StartsWith("General", StringComparison.OrdinalIgnoreCase);
            }
        }
        return false;
    }
}
