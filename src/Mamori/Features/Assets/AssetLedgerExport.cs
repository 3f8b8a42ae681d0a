using System.Globalization;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Reports;
using Mamori.Platform.Time;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>
/// 機器台帳 as .xlsx in the layout of the MHLW training example (seed 002: title, 最終更新日, 最終更新者, then the table
/// with 管理番号 … 説明), followed by the columns Mamori adds; and as CSV. Every cell that could start a formula is escaped.
/// </summary>
public static class AssetLedgerExport
{
    /// <summary>
    /// The organisation's whole 機器台帳, written as the ledger page's export writes it (same rows, order and bytes):
    /// for the command line and the inspection pack. The caller has entered the organisation (web request, or
    /// <see cref="MamoriDb.EnterOrganizationForCommandLine"/>); the devices are also filtered by its id. Returns the device count.
    /// </summary>
    public static Task<int> WriteAsync(MamoriDb db, Organization organization, LedgerFormat format, Stream output, CancellationToken ct) =>
        WriteAsync(db.Assets.Where(a => a.OrganizationId == organization.Id), organization.Name, format, output, ct);

    /// <summary>The given devices (the page's filtered list, or all of them) by 管理番号, as .xlsx or CSV. Returns the device count.</summary>
    public static async Task<int> WriteAsync(IQueryable<Asset> assets, string organizationName, LedgerFormat format, Stream output, CancellationToken ct)
    {
        var rows = await assets.OrderBy(a => a.ControlNumber).AsNoTracking().ToListAsync(ct);
        await output.WriteAsync(format == LedgerFormat.Csv ? Csv(rows) : Xlsx(rows, organizationName), ct);
        return rows.Count;
    }

    public static string ContentType(LedgerFormat format) =>
        format == LedgerFormat.Csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>「機器台帳_{code}_20261203.xlsx」, dated in JST.</summary>
    public static string FileName(string organizationCode, LedgerFormat format, DateOnly date) =>
        $"機器台帳_{organizationCode}_{date:yyyyMMdd}.{(format == LedgerFormat.Csv ? "csv" : "xlsx")}";

    /// <summary>The training example's columns first, in its order, then Mamori's (<see cref="LedgerFields"/>).</summary>
    public static readonly AssetField[] Columns = LedgerFields.Exported;

    /// <summary>A field as the ledger shows it: dates as the training ledger writes them (2020/12/1), choices in Japanese.</summary>
    public static string? Value(Asset a, AssetField f) => LedgerFields.Of(f).Display(a);

    public static byte[] Csv(IReadOnlyList<Asset> assets) =>
        SpreadsheetSafe.Csv(new[] { Columns.Select(c => (string?)AssetLabels.Of(c).Ja) }
            .Concat(assets.Select(a => Columns.Select(c => Value(a, c)))));

    /// <summary>In the .xlsx, dates are real Excel dates.</summary>
    static object? Cell(Asset a, AssetField f) => LedgerFields.Of(f) is { Kind: LedgerFieldKind.Date } date ? date.Get(a) : Value(a, f);

    /// <param name="exportedOn">出力日, printed above the table (the inspection pack's date).</param>
    public static byte[] Xlsx(IReadOnlyList<Asset> assets, string organizationName, DateOnly? exportedOn = null)
    {
        var latest = assets.MaxBy(a => a.UpdatedAt);
        var widths = Columns.Select((_, i) => i is 6 or 8 or 11 or 14 ? 24d : 14d).ToList();
        XlsxRow[] header =
        [
            new([$"機器台帳（{organizationName}）"], Bold: true),
            new([$"最終更新日： {(latest is null ? "" : JapanTime.ToJst(latest.UpdatedAt).ToString("yyyy年M月d日", CultureInfo.InvariantCulture))}"]),
            new([$"最終更新者： {latest?.UpdatedBy}"]),
            new([exportedOn is { } on ? "出力日： " + on.ToString("yyyy年M月d日", CultureInfo.InvariantCulture) : null]),
            new(Columns.Select(c => (string?)AssetLabels.Of(c).Ja).ToList(), Bold: true),
        ];
        return XlsxSheet.Build("機器台帳", widths, header.Concat(assets.Select(a => new XlsxRow(Columns.Select(c => Cell(a, c)).ToList()))),
            new XlsxLayout(HeaderRow: header.Length, Ledger: true));
    }
}

public enum LedgerFormat { Xlsx, Csv }
