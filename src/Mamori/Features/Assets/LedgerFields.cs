using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Mamori.Platform.Time;

namespace Mamori.Features.Assets;

/// <summary>How a ledger field is entered, stored and shown.</summary>
public enum LedgerFieldKind
{
    Text,
    /// <summary>Text over several lines (the form's wide box).</summary>
    LongText,
    Date,
    /// <summary>One of an enum's values (a select in the form, the Japanese name in exports).</summary>
    Choice,
    IpAddress,
    MacAddress,
    /// <summary>Written by Mamori on every save (最終更新日/者): shown, never entered or imported.</summary>
    Stamp,
}

/// <summary>One field of the 機器台帳 as <see cref="LedgerFields.All"/> declares it.</summary>
/// <param name="Synonyms">Header names recognised by the import besides the label (compared by <see cref="LooseText.Key"/>).</param>
/// <param name="List">Position in the ledger page's columns (null: not listed).</param>
/// <param name="Search">Position in the search text the list's search box looks in (null: not searched).</param>
/// <param name="Exported">In the .xlsx/CSV export and the device page, in declaration order.</param>
public sealed record LedgerField(AssetField Field, string Ja, string En, LedgerFieldKind Kind, string[] Synonyms,
    int? List = null, int? Search = null, bool Exported = true, string? HintJa = null, string? HintEn = null)
{
    /// <summary>The <see cref="Asset"/> property (and <c>assets</c> column) of the same name; null for 「ネットワーク区分」, kept on the interfaces.</summary>
    public PropertyInfo? Property { get; } = typeof(Asset).GetProperty(Field.ToString());

    /// <summary>The column's value on a device (typed: string, DateOnly?, an enum, DateTime).</summary>
    public Func<Asset, object?> Get { get; } = Getter(Field);

    /// <summary>Columns a ledger file may carry (all but the stamps).</summary>
    public bool Importable => Kind != LedgerFieldKind.Stamp;

    /// <summary>Entered in the device form (the network segment is entered with the interfaces).</summary>
    public bool InForm => Kind != LedgerFieldKind.Stamp && Property is not null;

    /// <summary>
    /// The value as the ledger shows and exports it: text as stored, a choice by its Japanese name, a date as the
    /// training ledger writes it (2020/12/1), 最終更新日 as its JST date.
    /// </summary>
    public string? Display(Asset a) => Get(a) switch
    {
        null => null,
        string s => s,
        DateOnly d => d.ToString("yyyy/M/d", CultureInfo.InvariantCulture),
        DateTime t => JapanTime.ToJst(t).ToString("yyyy/M/d", CultureInfo.InvariantCulture),
        Enum choice => ChoiceLabel(choice).Ja,
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    /// <summary>The name of a choice (an enum value of a <see cref="LedgerFieldKind.Choice"/> field).</summary>
    public static (string Ja, string En) ChoiceLabel(object choice) => choice switch
    {
        AssetCategory c => AssetLabels.Of(c),
        AssetStatus s => AssetLabels.Of(s),
        SecurityUpdateResponsibility u => AssetLabels.Of(u),
        _ => throw new ArgumentOutOfRangeException(nameof(choice)),
    };

    static Func<Asset, object?> Getter(AssetField field)
    {
        if (typeof(Asset).GetProperty(field.ToString()) is not { } property) return _ => null;
        var asset = Expression.Parameter(typeof(Asset));
        return Expression.Lambda<Func<Asset, object?>>(Expression.Convert(Expression.Property(asset, property), typeof(object)), asset).Compile();
    }
}

/// <summary>
/// THE declaration of the 機器台帳's fields: label (ja/en), the header names an import recognises, how the field is
/// entered (form input kind, hint), whether it is exported, listed and searched. Labels (<see cref="AssetLabels"/>),
/// import recognition (<c>Import/AssetColumns</c>), the import's COPY columns (<c>Import/AssetImporter</c>), the export
/// (<see cref="AssetLedgerExport"/>), the list's columns (<c>Index</c>), the device form and page (<c>Edit</c>, <c>Item</c>)
/// and the search text (<see cref="SearchTextSql"/>, a generated column) all derive from it.
/// <para>
/// Rule: adding a ledger field means an <see cref="AssetField"/> member, its row here (in export order), the
/// <see cref="Asset"/> property of the same name and a migration (a searched field also changes
/// <see cref="SearchTextSql"/>: the migration alters the generated column; LedgerFieldsTests fails until it does),
/// plus, for the import to read it, the <c>AssetImportRow</c> property of the same name. Nothing else.
/// </para>
/// </summary>
public static class LedgerFields
{
    /// <summary>In export order: the MHLW training ledger's columns first (管理番号 … 説明), then Mamori's.</summary>
    public static readonly IReadOnlyList<LedgerField> All =
    [
        new(AssetField.ControlNumber, "管理番号", "Control number", LedgerFieldKind.Text,
            ["資産番号", "機器番号", "資産管理番号", "管理No", "No", "No.", "番号", "資産ID", "機器ID", "control number", "asset number", "asset no", "asset id", "asset tag"],
            List: 1, Search: 1),
        new(AssetField.Manufacturer, "メーカー", "Manufacturer", LedgerFieldKind.Text,
            ["メーカ", "製造元", "製造者", "製造メーカー", "manufacturer", "maker"], List: 4, Search: 5),
        new(AssetField.OperatingSystem, "OS", "Operating system", LedgerFieldKind.Text,
            ["オペレーティングシステム", "OS名", "operating system"], List: 6, Search: 7,
            HintJa: "例: Windows 11、Windows Server 2019", HintEn: "e.g. Windows 11"),
        new(AssetField.Software, "ソフトウェア", "Software", LedgerFieldKind.Text,
            ["ソフト", "ソフトウェア名", "アプリケーション", "アプリ", "システム", "システム名", "software", "application"]),
        new(AssetField.SoftwareVersion, "ソフトウェアバージョン", "Software version", LedgerFieldKind.Text,
            ["バージョン", "ソフトウェアのバージョン", "ソフトバージョン", "版数", "ver", "version", "software version"]),
        new(AssetField.IpAddress, "IPアドレス", "IP address", LedgerFieldKind.IpAddress,
            ["IP", "IPv4", "IPv4アドレス", "ip address"], List: 8, Search: 4),
        new(AssetField.ComputerName, "コンピュータ名", "Computer name", LedgerFieldKind.Text,
            ["コンピューター名", "ホスト名", "PC名", "端末名", "hostname", "computer name"], List: 9, Search: 3),
        new(AssetField.Location, "設置場所", "Location", LedgerFieldKind.Text,
            ["場所", "部署", "設置部署", "設置先", "所在", "所在地", "location"], List: 10, Search: 8),
        new(AssetField.UserName, "利用者", "User", LedgerFieldKind.Text,
            ["使用者", "担当者", "利用者名", "使用者名", "user", "assigned to"], List: 11, Search: 9),
        new(AssetField.RegisteredOn, "登録日", "Registered on", LedgerFieldKind.Date,
            ["導入日", "購入日", "設置日", "導入年月日", "購入年月日", "registered", "registered on", "purchase date"]),
        new(AssetField.Status, "状態", "Status", LedgerFieldKind.Choice,
            ["ステータス", "稼働状況", "稼働状態", "使用状況", "status"], List: 12),
        new(AssetField.Description, "説明", "Description", LedgerFieldKind.LongText,
            ["備考", "メモ", "摘要", "用途", "description", "notes", "note", "remarks"]),
        new(AssetField.Category, "種別", "Category", LedgerFieldKind.Choice,
            ["機器種別", "分類", "機器分類", "種類", "機器の種類", "category", "type", "device type"], List: 2),
        new(AssetField.MedicalDeviceType, "医療機器の種類", "Medical device type", LedgerFieldKind.Text,
            ["医療機器種別", "medical device type"], HintJa: "例: CT、生体モニタ、ナースコール", HintEn: "e.g. CT, vital monitor"),
        new(AssetField.Name, "機器名", "Device name", LedgerFieldKind.Text,
            ["名称", "機器名称", "製品名", "品名", "name", "device name", "product"], List: 3, Search: 2),
        new(AssetField.Model, "型番", "Model", LedgerFieldKind.Text,
            ["型式", "モデル", "モデル名", "機種", "機種名", "model"], List: 5, Search: 6),
        new(AssetField.OsVersion, "OSバージョン", "OS version", LedgerFieldKind.Text,
            ["OSのバージョン", "OS版", "OSver", "OS version"], List: 7, HintJa: "例: 23H2、LTSC 2021", HintEn: "e.g. 23H2"),
        new(AssetField.Firmware, "ファームウェア", "Firmware", LedgerFieldKind.Text,
            ["ファームウェアバージョン", "ファームウェアのバージョン", "ファーム", "FW版", "FWバージョン", "firmware", "firmware version"],
            HintJa: "VPN 装置・UTM は必ず記入（脆弱性の確認に使います）", HintEn: "Always record it for VPN appliances and UTMs"),
        new(AssetField.MacAddress, "MACアドレス", "MAC address", LedgerFieldKind.MacAddress,
            ["MAC", "物理アドレス", "mac address"]),
        new(AssetField.MaintenanceVendor, "保守業者", "Maintenance vendor", LedgerFieldKind.Text,
            ["保守ベンダー", "保守ベンダ", "保守会社", "保守事業者", "保守契約先", "maintenance vendor"], List: 13, Search: 10),
        new(AssetField.SecurityUpdatesBy, "セキュリティ更新の実施者", "Security updates applied by", LedgerFieldKind.Choice,
            ["セキュリティ更新", "更新プログラム適用", "パッチ適用", "パッチ適用者", "更新担当", "security updates by"], List: 14,
            HintJa: "保守事業者がすべてのサーバの更新を行う場合、第7.0版では「保守委託機関編」に沿った対応になります。",
            HintEn: "If the vendor patches every server, guideline 7.0's maintenance-outsourcing volume applies."),
        new(AssetField.SupportEndsOn, "サポート終了日", "End of support", LedgerFieldKind.Date,
            ["サポート終了", "サポート期限", "EOS", "EOL", "EOSL", "end of support"], List: 15,
            HintJa: "延長サポート契約などで OS の既定と違う場合に記入", HintEn: "Only if it differs from the OS default (e.g. extended support)"),
        new(AssetField.AntiMalware, "ウイルス対策・EDR", "Anti-malware / EDR", LedgerFieldKind.Text,
            ["ウイルス対策", "ウイルス対策ソフト", "ウィルス対策", "セキュリティソフト", "アンチウイルス", "マルウェア対策", "EDR", "antivirus", "anti-malware"]),
        new(AssetField.Authentication, "認証方式", "Authentication", LedgerFieldKind.Text,
            ["認証", "認証方法", "ログイン方式", "authentication"],
            HintJa: "例: ID・パスワード、ICカード＋PIN、生体認証", HintEn: "e.g. password, smart card + PIN"),
        new(AssetField.LastStocktakeOn, "棚卸日", "Last stocktake", LedgerFieldKind.Date,
            ["最終棚卸日", "棚卸し日", "棚卸実施日", "last stocktake", "stocktake"], List: 16),
        new(AssetField.NetworkSegment, "ネットワーク区分", "Network segment", LedgerFieldKind.Text,
            ["ネットワーク", "NW区分", "セグメント", "ネットワークセグメント", "接続ネットワーク", "VLAN", "network", "segment"], Exported: false),
        new(AssetField.UpdatedAt, "最終更新日", "Last updated", LedgerFieldKind.Stamp, [], List: 17, Exported: false),
        new(AssetField.UpdatedBy, "最終更新者", "Last updated by", LedgerFieldKind.Stamp, [], Exported: false),
    ];

    static readonly Dictionary<AssetField, LedgerField> ByField = All.ToDictionary(f => f.Field);

    public static LedgerField Of(AssetField field) => ByField[field];

    public static IEnumerable<LedgerField> Importable => All.Where(f => f.Importable).OrderBy(f => f.Field);

    /// <summary>The export's and the device page's columns, in declaration order.</summary>
    public static readonly AssetField[] Exported = All.Where(f => f.Exported).Select(f => f.Field).ToArray();

    /// <summary>The ledger page's columns.</summary>
    public static readonly AssetField[] Listed = All.Where(f => f.List is not null).OrderBy(f => f.List).Select(f => f.Field).ToArray();

    /// <summary>The device form's fields, in <see cref="AssetField"/> order (long text last: it takes the whole width).</summary>
    public static readonly LedgerField[] Form = All.Where(f => f.InForm).OrderBy(f => f.Kind == LedgerFieldKind.LongText).ThenBy(f => f.Field).ToArray();

    /// <summary>
    /// The generated column <c>assets."SearchText"</c>: the searched columns, lower-cased, in their search order. The
    /// model (MamoriDb) uses this; the migrations must agree (LedgerFieldsTests compares it with the model snapshot).
    /// </summary>
    public static string SearchTextSql =>
        "lower(" + string.Join(" || ' ' || ", All.Where(f => f.Search is not null).OrderBy(f => f.Search).Select(f => $"coalesce(\"{f.Property!.Name}\", '')")) + ")";
}
