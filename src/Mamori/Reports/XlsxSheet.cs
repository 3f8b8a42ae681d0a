using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Mamori.Reports;

/// <summary>One row of an exported sheet; bold for titles and headers.</summary>
public sealed record XlsxRow(IReadOnlyList<string?> Cells, bool Bold = false);

/// <summary>
/// A one-sheet .xlsx written with the OpenXml SAX writer (memory stays flat for 100,000 rows): inline strings,
/// every value escaped against formula injection, column widths, a bold style. Used by every Mamori export.
/// </summary>
public static class XlsxSheet
{
    public static byte[] Build(string sheetName, IReadOnlyList<double> widths, IEnumerable<XlsxRow> rows)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            using (var w = OpenXmlWriter.Create(sheetPart))
            {
                w.WriteStartElement(new Worksheet());
                w.WriteStartElement(new Columns()); // Columns must come before SheetData
                for (var i = 0; i < widths.Count; i++)
                    w.WriteElement(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = widths[i], CustomWidth = true });
                w.WriteEndElement();
                w.WriteStartElement(new SheetData());
                var number = 0u;
                foreach (var row in rows)
                {
                    number++;
                    w.WriteStartElement(new Row { RowIndex = number });
                    for (var i = 0; i < row.Cells.Count; i++)
                    {
                        if (string.IsNullOrEmpty(row.Cells[i])) continue;
                        var cell = new Cell { CellReference = ColumnName(i) + number, DataType = CellValues.InlineString, StyleIndex = row.Bold ? 1u : 2u };
                        cell.AppendChild(new InlineString(new Text(SpreadsheetSafe.Escape(row.Cells[i])) { Space = SpaceProcessingModeValues.Preserve }));
                        w.WriteElement(cell);
                    }
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                w.WriteEndElement();
            }
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = sheetName }));
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    public static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26) name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    // Fonts: normal, bold. Formats: 0 default, 1 bold, 2 wrapped text aligned to the top (long item labels).
    static Stylesheet Stylesheet() => new(
        new Fonts(new Font(new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 11 })),
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
        new Borders(new Border()),
        new CellFormats(
            new CellFormat { FontId = 0 },
            new CellFormat { FontId = 1, ApplyFont = true, Alignment = new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }, ApplyAlignment = true },
            new CellFormat { FontId = 0, Alignment = new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }, ApplyAlignment = true }));
}
