using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Mamori.Features.Assets.Import;

/// <summary>
/// Reads one worksheet of an .xlsx file row by row with a plain XmlReader over the sheet's XML (the Open XML SDK
/// only opens the package and finds the parts), so a large sheet is never held in memory. Before anything is inflated, the zip directory is checked against <see cref="ReadLimits"/> (declared
/// sizes and compression ratio: zip bombs); while reading, inflated bytes are counted, because declared sizes can lie.
/// Formula cells yield Excel's cached value and are flagged <see cref="SourceCell.FromFormula"/>.
/// </summary>
public static class XlsxReader
{
    /// <param name="stream">A seekable stream (an uploaded file is buffered).</param>
    /// <param name="sheetName">The sheet to read; the first sheet of the workbook when null.</param>
    public static IEnumerable<SourceRow> Read(Stream stream, string? sheetName = null, ReadLimits? limits = null)
    {
        if (!stream.CanSeek) throw new ArgumentException("The xlsx reader needs a seekable stream.", nameof(stream));
        limits ??= new ReadLimits();
        using var sheet = SheetCursor.Open(stream, sheetName, limits);
        while (sheet.Next() is { } row) yield return row;
    }

    internal static ImportFileException NotXlsx() => new(
        "Excel（.xlsx）ファイルとして読めません。古い形式（.xls）の場合は Excel で .xlsx 形式で保存し直してください",
        "The file cannot be read as an Excel (.xlsx) workbook");

    /// <summary>Column letters of a cell reference ("AB12") → 0-based index (27).</summary>
    internal static int ColumnIndex(string cellReference)
    {
        var index = 0;
        foreach (var c in cellReference)
        {
            if (c is < 'A' or > 'Z') break;
            index = index * 26 + (c - 'A' + 1);
            if (index > 16_384) break;
        }
        return index - 1;
    }

    sealed class SheetCursor : IDisposable
    {
        readonly SpreadsheetDocument document;
        readonly XmlReader reader;
        readonly ReadLimits limits;
        readonly List<string> sharedStrings;
        readonly HashSet<uint> dateStyles;
        readonly bool date1904;
        readonly string row, c, v, f, @is, t, rPh;
        readonly List<SourceCell> cells = [];
        readonly StringBuilder inline = new();
        int rows;
        int lastRowNumber;

        SheetCursor(SpreadsheetDocument document, XmlReader reader, ReadLimits limits, List<string> sharedStrings,
            HashSet<uint> dateStyles, bool date1904)
        {
            this.document = document;
            this.reader = reader;
            this.limits = limits;
            this.sharedStrings = sharedStrings;
            this.dateStyles = dateStyles;
            this.date1904 = date1904;
            var names = reader.NameTable;
            (row, c, v, f, @is, t, rPh) = (names.Add("row"), names.Add("c"), names.Add("v"), names.Add("f"), names.Add("is"), names.Add("t"), names.Add("rPh"));
        }

        public static SheetCursor Open(Stream stream, string? sheetName, ReadLimits limits)
        {
            XlsxPackage.Check(stream, limits);
            SpreadsheetDocument? document = null;
            try
            {
                document = SpreadsheetDocument.Open(stream, isEditable: false,
                    new OpenSettings { MaxCharactersInPart = limits.MaxUncompressedBytes });
                var workbookPart = document.WorkbookPart ?? throw NotXlsx();
                var workbook = workbookPart.Workbook;
                var sheets = workbook.Sheets?.Elements<Sheet>().ToList() ?? [];
                var sheet = (sheetName is null ? sheets.FirstOrDefault() : sheets.FirstOrDefault(s => s.Name?.Value == sheetName))
                    ?? throw (sheetName is null
                        ? NotXlsx()
                        : new ImportFileException($"シート「{sheetName}」が見つかりません", $"There is no sheet named \"{sheetName}\""));
                if (sheet.Id?.Value is not { } id || workbookPart.GetPartById(id) is not WorksheetPart worksheetPart)
                    throw new ImportFileException($"シート「{sheet.Name}」は表のシートではありません", $"Sheet \"{sheet.Name}\" is not a worksheet");

                var budget = new XlsxPackage.InflatedBytes(limits.MaxUncompressedBytes);
                var sharedStrings = workbookPart.SharedStringTablePart is { } sst ? XlsxParts.ReadSharedStrings(XlsxParts.Open(sst, budget)) : [];
                var dateStyles = workbookPart.WorkbookStylesPart is { } styles ? XlsxParts.ReadDateStyles(XlsxParts.Open(styles, budget)) : [];
                var date1904 = workbook.WorkbookProperties?.Date1904?.Value == true;
                return new SheetCursor(document, XlsxParts.Open(worksheetPart, budget), limits, sharedStrings, dateStyles, date1904);
            }
            catch (Exception e) when (IsFormatError(e))
            {
                document?.Dispose();
                throw NotXlsx();
            }
            catch
            {
                document?.Dispose();
                throw;
            }
        }

        static bool IsFormatError(Exception e) =>
            e is OpenXmlPackageException or InvalidDataException or XmlException or FileFormatException or InvalidOperationException;

        /// <summary>The next row that has at least one non-empty cell, or null at the end of the sheet.</summary>
        public SourceRow? Next()
        {
            try
            {
                return ReadRow();
            }
            catch (Exception e) when (IsFormatError(e))
            {
                throw NotXlsx();
            }
        }

        /// <summary>One pass over the sheet's XML nodes; compiled optimised at once (it runs once per node of a large sheet).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        SourceRow? ReadRow()
        {
            var rowNumber = 0;
            var column = -1;
            string? type = null, value = null;
            uint style = 0;
            bool formula = false, inValue = false, inInline = false, inText = false, inPhonetic = false;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element when XlsxParts.Is(reader, c):
                        column = reader.GetAttribute("r") is { } r && ColumnIndex(r) is >= 0 and var index ? index : column + 1;
                        type = reader.GetAttribute("t");
                        style = uint.TryParse(reader.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                        (value, formula) = (null, false);
                        inline.Clear();
                        if (reader.IsEmptyElement) AddCell(rowNumber, column, type, value, style, formula);
                        break;
                    case XmlNodeType.Element when XlsxParts.Is(reader, v):
                        (value, inValue) = ("", !reader.IsEmptyElement);
                        break;
                    case XmlNodeType.Element when XlsxParts.Is(reader, f):
                        formula = true;
                        break;
                    case XmlNodeType.Element when XlsxParts.Is(reader, @is):
                        inInline = !reader.IsEmptyElement;
                        break;
                    case XmlNodeType.Element when XlsxParts.Is(reader, t):
                        inText = !reader.IsEmptyElement;
                        break;
                    case XmlNodeType.Element when XlsxParts.Is(reader, rPh):
                        inPhonetic = !reader.IsEmptyElement;
                        break;
                    case XmlNodeType.Element when XlsxParts.Is(reader, row):
                        rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : lastRowNumber + 1;
                        lastRowNumber = rowNumber;
                        cells.Clear();
                        column = -1;
                        if (reader.IsEmptyElement && EndRow(rowNumber) is { } empty) return empty;
                        break;
                    case XmlNodeType.EndElement when XlsxParts.Is(reader, c):
                        AddCell(rowNumber, column, type, value, style, formula);
                        break;
                    case XmlNodeType.EndElement when XlsxParts.Is(reader, v):
                        inValue = false;
                        break;
                    case XmlNodeType.EndElement when XlsxParts.Is(reader, @is):
                        inInline = false;
                        break;
                    case XmlNodeType.EndElement when XlsxParts.Is(reader, t):
                        inText = false;
                        break;
                    case XmlNodeType.EndElement when XlsxParts.Is(reader, rPh):
                        inPhonetic = false;
                        break;
                    case XmlNodeType.EndElement when XlsxParts.Is(reader, row):
                        if (EndRow(rowNumber) is { } result) return result;
                        break;
                    case var node when XlsxParts.IsText(node):
                        if (inValue) value += reader.Value;
                        else if (inInline && inText && !inPhonetic)
                        {
                            inline.Append(reader.Value);
                            if (inline.Length > limits.MaxFieldLength) throw ImportFileException.FieldTooLong(rowNumber, limits.MaxFieldLength);
                        }
                        break;
                }
            }
            return null;
        }

        /// <summary>The row read so far, when one of its cells has text.</summary>
        SourceRow? EndRow(int rowNumber)
        {
            if (!cells.Any(x => !x.IsBlank)) return null;
            if (++rows > limits.MaxRows) throw ImportFileException.TooManyRows(limits.MaxRows);
            return new SourceRow(rowNumber, cells.ToArray());
        }

        void AddCell(int rowNumber, int column, string? type, string? value, uint style, bool formula)
        {
            var cell = MakeCell(rowNumber, type, value, inline.ToString(), style, formula);
            if (cell.IsBlank) return;
            if (column >= limits.MaxColumns) throw ImportFileException.TooManyColumns(rowNumber, limits.MaxColumns);
            while (cells.Count <= column) cells.Add(SourceCell.Empty);
            cells[column] = cell;
        }

        SourceCell MakeCell(int row, string? type, string? value, string inline, uint style, bool formula)
        {
            string text;
            var kind = CellKind.Text;
            switch (type)
            {
                case "s":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= sharedStrings.Count)
                        throw NotXlsx();
                    text = sharedStrings[index];
                    break;
                case "inlineStr":
                    text = inline;
                    break;
                case "b":
                    text = value == "1" ? "TRUE" : value is null ? "" : "FALSE";
                    break;
                case "d":
                    text = value ?? "";
                    kind = CellKind.Date;
                    break;
                case "str" or "e":
                    text = value ?? "";
                    break;
                default:
                    if (value is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    {
                        text = value ?? "";
                        break;
                    }
                    if (dateStyles.Contains(style) && JapaneseDate.TryFromExcelSerial(number, date1904, out var date))
                    {
                        text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                        kind = CellKind.Date;
                    }
                    else
                    {
                        text = number.ToString(CultureInfo.InvariantCulture);
                        kind = CellKind.Number;
                    }
                    break;
            }
            if (text.Length > limits.MaxFieldLength) throw ImportFileException.FieldTooLong(row, limits.MaxFieldLength);
            return text.Length == 0 ? SourceCell.Empty : new SourceCell(text, kind, formula);
        }

        public void Dispose()
        {
            reader.Dispose();
            document.Dispose();
        }
    }
}
