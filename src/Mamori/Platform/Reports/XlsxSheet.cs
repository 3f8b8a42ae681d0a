using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Mamori.Platform.Time;

namespace Mamori.Platform.Reports;

/// <summary>
/// One row of an exported sheet; bold for titles and headers. A cell is text (string), a date (DateOnly, or DateTime in
/// UTC shown in 日本時間) stored as a real Excel date with a date format, or a number (int, long, decimal, double).
/// </summary>
public sealed record XlsxRow(IReadOnlyList<object?> Cells, bool Bold = false);

/// <summary>
/// How a sheet prints and scrolls. <paramref name="HeaderRow"/> (1-based, 0 = none) is the table's header: repeated on
/// every printed page (印刷タイトル). <paramref name="Ledger"/> adds what a long register needs on screen: the header and
/// the first column frozen, and an autofilter over the table.
/// </summary>
public sealed record XlsxLayout(int HeaderRow = 0, bool Ledger = false, bool Landscape = true);

/// <summary>
/// A one-sheet .xlsx written with the OpenXml SAX writer (memory stays flat for 100,000 rows): inline strings,
/// every value escaped against formula injection, real dates, column widths, a bold style; printed on A4 fitted to the
/// page width, with a print area, repeated header rows and page numbers. Used by every Mamori export.
/// </summary>
public static class XlsxSheet
{
    const uint Bold = 1, Wrapped = 2, Date = 3, DateTime = 4, Number = 5;
    static readonly DateOnly Epoch = new(1899, 12, 30); // Excel's day 0 (1900 date system, after the 1900-02-29 bug)

    public static byte[] Build(string sheetName, IReadOnlyList<double> widths, IEnumerable<XlsxRow> rows, XlsxLayout? layout = null)
    {
        layout ??= new XlsxLayout();
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var number = 0u;
            var columns = widths.Count;
            using (var w = OpenXmlWriter.Create(sheetPart))
            {
                w.WriteStartElement(new Worksheet());
                w.WriteElement(new SheetProperties(new PageSetupProperties { FitToPage = true }));
                if (layout.Ledger && layout.HeaderRow > 0)
                {
                    var topLeft = $"B{layout.HeaderRow + 1}";
                    w.WriteElement(new SheetViews(new SheetView(
                        new Pane { HorizontalSplit = 1, VerticalSplit = layout.HeaderRow, TopLeftCell = topLeft, ActivePane = PaneValues.BottomRight, State = PaneStateValues.Frozen },
                        new Selection { Pane = PaneValues.BottomRight, ActiveCell = topLeft, SequenceOfReferences = new ListValue<StringValue>([topLeft]) })
                        { TabSelected = true, WorkbookViewId = 0 }));
                }
                w.WriteStartElement(new Columns()); // Columns must come before SheetData
                for (var i = 0; i < widths.Count; i++)
                    w.WriteElement(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = widths[i], CustomWidth = true });
                w.WriteEndElement();
                w.WriteStartElement(new SheetData());
                foreach (var row in rows)
                {
                    number++;
                    w.WriteStartElement(new Row { RowIndex = number });
                    for (var i = 0; i < row.Cells.Count; i++)
                        if (Cell(row.Cells[i], row.Bold, ColumnName(i) + number) is { } cell)
                        {
                            w.WriteElement(cell);
                            columns = Math.Max(columns, i + 1);
                        }
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                var last = $"{ColumnName(Math.Max(columns, 1) - 1)}{Math.Max(number, 1)}";
                if (layout.Ledger && layout.HeaderRow > 0 && number >= layout.HeaderRow)
                    w.WriteElement(new AutoFilter { Reference = $"A{layout.HeaderRow}:{last}" });
                w.WriteElement(new PageMargins { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
                w.WriteElement(new PageSetup
                {
                    PaperSize = 9, // A4
                    Orientation = layout.Landscape ? OrientationValues.Landscape : OrientationValues.Portrait,
                    FitToWidth = 1, FitToHeight = 0, // one page wide, as many pages tall as needed
                });
                w.WriteElement(new HeaderFooter(new OddFooter("&C&P / &N")));
                w.WriteEndElement();

                var sheetRef = $"'{sheetName.Replace("'", "''")}'!";
                var names = new DefinedNames(new DefinedName($"{sheetRef}$A$1:{Absolute(last)}") { Name = "_xlnm.Print_Area", LocalSheetId = 0 });
                if (layout.HeaderRow > 0)
                    names.AppendChild(new DefinedName($"{sheetRef}${layout.HeaderRow}:${layout.HeaderRow}") { Name = "_xlnm.Print_Titles", LocalSheetId = 0 });
                if (layout.Ledger && layout.HeaderRow > 0 && number >= layout.HeaderRow)
                    names.AppendChild(new DefinedName($"{sheetRef}$A${layout.HeaderRow}:{Absolute(last)}") { Name = "_xlnm._FilterDatabase", LocalSheetId = 0, Hidden = true });
                workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = sheetName }));
                workbook.Workbook.AppendChild(names);
            }
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    static Cell? Cell(object? value, bool bold, string reference)
    {
        double? serial = value switch
        {
            DateOnly d => d.DayNumber - Epoch.DayNumber,
            System.DateTime t => JapanTime.ToJst(t).ToOADate(),
            int i => i,
            long l => l,
            decimal m => (double)m,
            double x => x,
            _ => null,
        };
        if (serial is { } v)
            return new Cell
            {
                CellReference = reference,
                StyleIndex = value switch { DateOnly => Date, System.DateTime => DateTime, _ => Number },
                CellValue = new CellValue(v.ToString("R", CultureInfo.InvariantCulture)),
            };
        var text = value switch { null => null, string s => s, IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), _ => value.ToString() };
        if (string.IsNullOrEmpty(text)) return null;
        var cell = new Cell { CellReference = reference, DataType = CellValues.InlineString, StyleIndex = bold ? Bold : Wrapped };
        cell.AppendChild(new InlineString(new Text(SpreadsheetSafe.Escape(text)) { Space = SpaceProcessingModeValues.Preserve }));
        return cell;
    }

    /// <summary>B12 → $B$12.</summary>
    static string Absolute(string cell)
    {
        var digits = cell.IndexOfAny("0123456789".ToCharArray());
        return $"${cell[..digits]}${cell[digits..]}";
    }

    public static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26) name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    // Fonts: normal, bold. Formats: 0 default, 1 bold, 2 wrapped text aligned to the top (long item labels),
    // 3 date (2026/4/1), 4 date and time (2026/4/1 9:30), 5 number; all aligned to the top like the text beside them.
    static Stylesheet Stylesheet()
    {
        static Alignment Top(bool wrap = false) => new() { WrapText = wrap ? true : null, Vertical = VerticalAlignmentValues.Top };
        return new(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy/m/d" }, new NumberingFormat { NumberFormatId = 165, FormatCode = "yyyy/m/d h:mm" }) { Count = 2 },
            new Fonts(new Font(new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 11 })),
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
            new Borders(new Border()),
            new CellFormats(
                new CellFormat { FontId = 0 },
                new CellFormat { FontId = 1, ApplyFont = true, Alignment = Top(wrap: true), ApplyAlignment = true },
                new CellFormat { FontId = 0, Alignment = Top(wrap: true), ApplyAlignment = true },
                new CellFormat { FontId = 0, NumberFormatId = 164, ApplyNumberFormat = true, Alignment = Top(), ApplyAlignment = true },
                new CellFormat { FontId = 0, NumberFormatId = 165, ApplyNumberFormat = true, Alignment = Top(), ApplyAlignment = true },
                new CellFormat { FontId = 0, Alignment = Top(), ApplyAlignment = true }));
    }
}
