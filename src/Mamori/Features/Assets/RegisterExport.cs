using System.Globalization;
using Mamori.Platform.Reports;

namespace Mamori.Features.Assets;

/// <summary>
/// クラウドサービス台帳 and 外部接続・リモートメンテナンス接続台帳 as .xlsx, laid out like <see cref="AssetLedgerExport"/>:
/// title, 出力日, then the table in the columns of <see cref="CloudServiceField"/> / <see cref="ConnectionField"/>.
/// </summary>
public static class RegisterExport
{
    public static byte[] CloudServicesXlsx(IReadOnlyList<CloudService> services, string organizationName, DateOnly exportedOn)
    {
        var fields = Enum.GetValues<CloudServiceField>();
        var rows = services.Select(s => new XlsxRow(fields.Select(f => f switch
        {
            CloudServiceField.Provider => s.Provider,
            CloudServiceField.NameAndPurpose => s.NameAndPurpose,
            CloudServiceField.DomainOrAddress => s.DomainOrAddress,
            CloudServiceField.AccessLocationAndRoute => s.AccessLocationAndRoute,
            CloudServiceField.UsersOrGroups => s.UsersOrGroups,
            CloudServiceField.AuthenticationMethod => s.AuthenticationMethod,
            CloudServiceField.StartedOn => s.StartedOn,
            CloudServiceField.UsageStatus => s.UsageStatus,
            _ => (object?)null,
        }).ToList()));
        return Build("クラウドサービス台帳", organizationName, exportedOn, fields.Select(f => AssetLabels.Of(f).Ja).ToList(), rows, 20);
    }

    /// <param name="controlNumbers">管理番号 of the ledger's devices, for the 接続機器 column.</param>
    public static byte[] ConnectionsXlsx(IReadOnlyList<Connection> connections, IReadOnlyDictionary<Guid, string> controlNumbers,
        string organizationName, DateOnly exportedOn)
    {
        var fields = Enum.GetValues<ConnectionField>();
        var rows = connections.Select(c => new XlsxRow(fields.Select(f => f switch
        {
            ConnectionField.VendorName => c.VendorName,
            ConnectionField.Purpose => AssetLabels.Of(c.Purpose).Ja,
            ConnectionField.PurposeDetail => c.PurposeDetail,
            ConnectionField.Method => AssetLabels.Of(c.Method).Ja,
            ConnectionField.ApplianceAsset => c.ApplianceAssetId is { } id ? controlNumbers.GetValueOrDefault(id) : "未登録",
            ConnectionField.SourceRestriction => c.SourceRestriction,
            ConnectionField.AccountType => AssetLabels.Of(c.AccountType).Ja,
            ConnectionField.SecondFactor => c.SecondFactor switch { true => "あり", false => "なし", null => "不明" },
            ConnectionField.Schedule => c.Schedule,
            ConnectionField.NotificationToSite => c.NotificationToSite,
            ConnectionField.LastConfirmedOn => c.LastConfirmedOn is { } on ? on : "未確認",
            ConnectionField.ConfirmationNote => c.ConfirmationNote,
            ConnectionField.Status => AssetLabels.Of(c.Status).Ja,
            _ => (object?)null,
        }).ToList()));
        return Build("外部接続一覧", organizationName, exportedOn, fields.Select(f => AssetLabels.Of(f).Ja).ToList(), rows, 16);
    }

    static byte[] Build(string title, string organizationName, DateOnly exportedOn, IReadOnlyList<string> header, IEnumerable<XlsxRow> rows, double width)
    {
        XlsxRow[] top =
        [
            new([$"{title}（{organizationName}）"], Bold: true),
            new(["出力日： " + exportedOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)]),
            new([]),
            new(header, Bold: true),
        ];
        return XlsxSheet.Build(title, header.Select(_ => width).ToList(), top.Concat(rows), new XlsxLayout(HeaderRow: top.Length, Ledger: true));
    }
}
