using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;

namespace Mamori.Features.Assets.Import;

/// <summary>
/// The workbook parts a sheet's cells refer to (shared strings, the cell formats that show dates), and the plain
/// XmlReader every part is read with: no DTD, no external resources, inflated bytes counted against the budget.
/// </summary>
static class XlsxParts
{
    /// <summary>SpreadsheetML's namespace, transitional and strict; elements of other namespaces (extensions) are skipped.</summary>
    const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const string StrictMain = "http://purl.oclc.org/ooxml/spreadsheetml/main";

    internal static XmlReader Open(OpenXmlPart part, XlsxPackage.InflatedBytes budget) =>
        XmlReader.Create(new XlsxPackage.CountingStream(part.GetStream(FileMode.Open, FileAccess.Read), budget),
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = true });

    /// <summary>The reader is on a SpreadsheetML element (or its end) whose local name is <paramref name="atom"/> (from the reader's NameTable).</summary>
    internal static bool Is(XmlReader reader, string atom) =>
        ReferenceEquals(reader.LocalName, atom) && reader.NamespaceURI is Main or StrictMain;

    /// <summary>Text, CDATA or white space: the pieces of an element's text.</summary>
    internal static bool IsText(XmlNodeType type) =>
        type is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace;

    /// <summary>Shared strings, without furigana (rPh runs), which Japanese Excel stores next to the text.</summary>
    internal static List<string> ReadSharedStrings(XmlReader reader)
    {
        using var _ = reader;
        var (si, t, rPh) = (reader.NameTable.Add("si"), reader.NameTable.Add("t"), reader.NameTable.Add("rPh"));
        var strings = new List<string>();
        var text = new StringBuilder();
        bool inText = false, inPhonetic = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                if (Is(reader, si))
                {
                    text.Clear();
                    if (reader.IsEmptyElement) strings.Add("");
                }
                else if (Is(reader, t)) inText = !reader.IsEmptyElement;
                else if (Is(reader, rPh)) inPhonetic = !reader.IsEmptyElement;
            }
            else if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (Is(reader, si)) strings.Add(text.ToString());
                else if (Is(reader, t)) inText = false;
                else if (Is(reader, rPh)) inPhonetic = false;
            }
            else if (inText && !inPhonetic && IsText(reader.NodeType)) text.Append(reader.Value);
        }
        return strings;
    }

    /// <summary>Indexes of cell formats (cellXfs) whose number format shows a date.</summary>
    internal static HashSet<uint> ReadDateStyles(XmlReader reader)
    {
        using var _ = reader;
        var (numFmt, cellXfs, xf) = (reader.NameTable.Add("numFmt"), reader.NameTable.Add("cellXfs"), reader.NameTable.Add("xf"));
        var customDate = new HashSet<uint>();
        var styles = new HashSet<uint>();
        uint index = 0;
        var inCellXfs = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && Is(reader, cellXfs)) inCellXfs = false;
            if (reader.NodeType != XmlNodeType.Element) continue;
            if (Is(reader, numFmt))
            {
                if (uint.TryParse(reader.GetAttribute("numFmtId"), CultureInfo.InvariantCulture, out var id) && IsDateFormatCode(reader.GetAttribute("formatCode")))
                    customDate.Add(id);
            }
            else if (Is(reader, cellXfs)) inCellXfs = !reader.IsEmptyElement;
            else if (Is(reader, xf) && inCellXfs)
            {
                var format = uint.TryParse(reader.GetAttribute("numFmtId"), CultureInfo.InvariantCulture, out var n) ? n : 0;
                if (IsBuiltInDate(format) || customDate.Contains(format)) styles.Add(index);
                index++;
            }
        }
        return styles;
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
