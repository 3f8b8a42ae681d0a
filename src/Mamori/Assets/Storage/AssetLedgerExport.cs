using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Mamori.Reports;

namespace Mamori.Assets.Storage;

/// <summary>
/// 機器台帳 as .xlsx in the layout of the MHLW training example (seed 002: title, 最終更新日, 最終更新者, then the table
/// with 管理番号 … 説明), followed by the columns Mamori adds; and as CSV. Every cell that could start a formula is escaped.
/// </summary>
public static class AssetLedgerExport
{
    /// <summary>The training example's columns first, in its order, then Mamori's.</summary>
    public static readonly AssetField[] Columns =
    [
        AssetField.ControlNumber, AssetField.Manufacturer, AssetField.OperatingSystem, AssetField.Software, AssetField.SoftwareVersion,
        AssetField.IpAddress, AssetField.ComputerName, AssetField.Location, AssetField.UserName, AssetField.RegisteredOn,
        AssetField.Status, AssetField.Description,
        AssetField.Category, AssetField.MedicalDeviceType, AssetField.Name, AssetField.Model, AssetField.OsVersion, AssetField.Firmware,
        AssetField.MacAddress, AssetField.MaintenanceVendor, AssetField.SecurityUpdatesBy, AssetField.SupportEndsOn,
        AssetField.AntiMalware, AssetField.Authentication, AssetField.LastStocktakeOn,
    ];

    public static string? Value(Asset a, AssetField f) => f switch
    {
        AssetField.ControlNumber => a.ControlNumber,
        AssetField.Category => AssetLabels.Of(a.Category).Ja,
        AssetField.MedicalDeviceType => a.MedicalDeviceType,
        AssetField.Name => a.Name,
        AssetField.Manufacturer => a.Manufacturer,
        AssetField.Model => a.Model,
        AssetField.OperatingSystem => a.OperatingSystem,
        AssetField.OsVersion => a.OsVersion,
        AssetField.Software => a.Software,
        AssetField.SoftwareVersion => a.SoftwareVersion,
        AssetField.Firmware => a.Firmware,
        AssetField.IpAddress => a.IpAddress,
        AssetField.MacAddress => a.MacAddress,
        AssetField.ComputerName => a.ComputerName,
        AssetField.Location => a.Location,
        AssetField.UserName => a.UserName,
        AssetField.RegisteredOn => Date(a.RegisteredOn),
        AssetField.Status => AssetLabels.Of(a.Status).Ja,
        AssetField.Description => a.Description,
        AssetField.MaintenanceVendor => a.MaintenanceVendor,
        AssetField.SecurityUpdatesBy => AssetLabels.Of(a.SecurityUpdatesBy).Ja,
        AssetField.SupportEndsOn => Date(a.SupportEndsOn),
        AssetField.AntiMalware => a.AntiMalware,
        AssetField.Authentication => a.Authentication,
        AssetField.LastStocktakeOn => Date(a.LastStocktakeOn),
        AssetField.UpdatedAt => a.UpdatedAt.AddHours(9).ToString("yyyy/M/d", CultureInfo.InvariantCulture),
        AssetField.UpdatedBy => a.UpdatedBy,
        _ => null,
    };

    /// <summary>Dates as the training ledger writes them: 2020/12/1.</summary>
    static string? Date(DateOnly? d) => d?.ToString("yyyy/M/d", CultureInfo.InvariantCulture);

    public static byte[] Csv(IReadOnlyList<Asset> assets) =>
        SpreadsheetSafe.Csv(new[] { Columns.Select(c => (string?)AssetLabels.Of(c).Ja) }
            .Concat(assets.Select(a => Columns.Select(c => Value(a, c)))));

    public static byte[] Xlsx(IReadOnlyList<Asset> assets, string organizationName)
    {
        var latest = assets.MaxBy(a => a.UpdatedAt);
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
                w.WriteStartElement(new Columns());
                for (var i = 0; i < Columns.Length; i++)
                    w.WriteElement(new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = i is 6 or 8 or 11 or 14 ? 24 : 14, CustomWidth = true });
                w.WriteEndElement();
                w.WriteStartElement(new SheetData());
                var row = 0u;
                WriteRow(w, ++row, [$"機器台帳（{organizationName}）"], bold: true);
                WriteRow(w, ++row, [$"最終更新日： {(latest is null ? "" : latest.UpdatedAt.AddHours(9).ToString("yyyy年M月d日", CultureInfo.InvariantCulture))}"]);
                WriteRow(w, ++row, [$"最終更新者： {latest?.UpdatedBy}"]);
                ++row;
                WriteRow(w, ++row, Columns.Select(c => (string?)AssetLabels.Of(c).Ja).ToList(), bold: true);
                foreach (var a in assets) WriteRow(w, ++row, Columns.Select(c => Value(a, c)).ToList());
                w.WriteEndElement();
                w.WriteEndElement();
            }
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "機器台帳" }));
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    static void WriteRow(OpenXmlWriter w, uint number, IReadOnlyList<string?> values, bool bold = false)
    {
        w.WriteStartElement(new Row { RowIndex = number });
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrEmpty(values[i])) continue;
            var cell = new Cell { CellReference = ColumnName(i) + number, DataType = CellValues.InlineString, StyleIndex = bold ? 1u : 0u };
            cell.AppendChild(new InlineString(new Text(SpreadsheetSafe.Escape(values[i])) { Space = SpaceProcessingModeValues.Preserve }));
            w.WriteElement(cell);
        }
        w.WriteEndElement();
    }

    static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26) name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    static Stylesheet Stylesheet() => new(
        new Fonts(new Font(new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 11 })),
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
        new Borders(new Border()),
        new CellFormats(new CellFormat { FontId = 0 }, new CellFormat { FontId = 1, ApplyFont = true }));
}
