using Mamori.Features.Assets.Import;
using Mamori.Platform.Reports;

namespace Mamori.Tests.Unit;

/// <summary>The shared .xlsx writer: what it writes reads back as Mamori's own import reads Excel (dates as dates, formulas escaped).</summary>
public sealed class XlsxSheetTests
{
    [Fact]
    public void Dates_are_dates_numbers_are_numbers_and_formulas_stay_text_when_read_back()
    {
        var xlsx = XlsxSheet.Build("台帳", [10, 10, 10, 10],
        [
            new(["見出し"], Bold: true),
            new(["管理番号", "導入日", "台数", "更新日時"], Bold: true),
            new(["=1+1", new DateOnly(2019, 9, 14), 3, new DateTime(2026, 3, 31, 15, 30, 0, DateTimeKind.Utc)]),
        ], new XlsxLayout(HeaderRow: 2, Ledger: true));
        var rows = XlsxReader.Read(new MemoryStream(xlsx), null, null).ToList();
        var row = rows.Single(r => r.Number == 3);
        Assert.Equal(new SourceCell("'=1+1"), row[0]);
        Assert.Equal(new SourceCell("2019-09-14", CellKind.Date), row[1]);
        Assert.Equal(new SourceCell("3", CellKind.Number), row[2]);
        Assert.Equal(new SourceCell("2026-04-01", CellKind.Date), row[3]); // 15:30 UTC is the next day in 日本時間
    }
}
