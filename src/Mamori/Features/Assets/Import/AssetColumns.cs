namespace Mamori.Features.Assets.Import;

/// <summary>
/// Column names found in real ledgers (MHLW training example, vendor templates, English sheets), compared by
/// <see cref="LooseText.Key"/>. ホスト名/PC名 are the computer name, not the device name.
/// </summary>
public static class AssetColumns
{
    static readonly (AssetField Field, string[] Names)[] Table =
    [
        (AssetField.ControlNumber, ["管理番号", "資産番号", "機器番号", "資産管理番号", "管理No", "No", "No.", "番号", "資産ID", "機器ID", "control number", "asset number", "asset no", "asset id", "asset tag"]),
        (AssetField.Category, ["種別", "機器種別", "分類", "機器分類", "種類", "機器の種類", "category", "type", "device type"]),
        (AssetField.MedicalDeviceType, ["医療機器種別", "医療機器の種類", "medical device type"]),
        (AssetField.Name, ["機器名", "名称", "機器名称", "製品名", "品名", "name", "device name", "product"]),
        (AssetField.Manufacturer, ["メーカー", "メーカ", "製造元", "製造者", "製造メーカー", "manufacturer", "maker"]),
        (AssetField.Model, ["型番", "型式", "モデル", "モデル名", "機種", "機種名", "model"]),
        (AssetField.OperatingSystem, ["OS", "オペレーティングシステム", "OS名", "operating system"]),
        (AssetField.OsVersion, ["OSバージョン", "OSのバージョン", "OS版", "OSver", "OS version"]),
        (AssetField.Software, ["ソフトウェア", "ソフト", "ソフトウェア名", "アプリケーション", "アプリ", "システム", "システム名", "software", "application"]),
        (AssetField.SoftwareVersion, ["バージョン", "ソフトウェアバージョン", "ソフトウェアのバージョン", "ソフトバージョン", "版数", "ver", "version", "software version"]),
        (AssetField.Firmware, ["ファームウェア", "ファームウェアバージョン", "ファームウェアのバージョン", "ファーム", "FW版", "FWバージョン", "firmware", "firmware version"]),
        (AssetField.IpAddress, ["IPアドレス", "IP", "IPv4", "IPv4アドレス", "ip address"]),
        (AssetField.MacAddress, ["MACアドレス", "MAC", "物理アドレス", "mac address"]),
        (AssetField.NetworkSegment, ["ネットワーク区分", "ネットワーク", "NW区分", "セグメント", "ネットワークセグメント", "接続ネットワーク", "VLAN", "network", "segment"]),
        (AssetField.ComputerName, ["コンピュータ名", "コンピューター名", "ホスト名", "PC名", "端末名", "hostname", "computer name"]),
        (AssetField.Location, ["設置場所", "場所", "部署", "設置部署", "設置先", "所在", "所在地", "location"]),
        (AssetField.UserName, ["利用者", "使用者", "担当者", "利用者名", "使用者名", "user", "assigned to"]),
        (AssetField.RegisteredOn, ["登録日", "導入日", "購入日", "設置日", "導入年月日", "購入年月日", "registered", "registered on", "purchase date"]),
        (AssetField.Status, ["状態", "ステータス", "稼働状況", "稼働状態", "使用状況", "status"]),
        (AssetField.Description, ["説明", "備考", "メモ", "摘要", "用途", "description", "notes", "note", "remarks"]),
        (AssetField.MaintenanceVendor, ["保守業者", "保守ベンダー", "保守ベンダ", "保守会社", "保守事業者", "保守契約先", "maintenance vendor"]),
        (AssetField.SecurityUpdatesBy, ["セキュリティ更新", "セキュリティ更新の実施者", "更新プログラム適用", "パッチ適用", "パッチ適用者", "更新担当", "security updates by"]),
        (AssetField.SupportEndsOn, ["サポート終了日", "サポート終了", "サポート期限", "EOS", "EOL", "EOSL", "end of support"]),
        (AssetField.AntiMalware, ["ウイルス対策", "ウイルス対策ソフト", "ウィルス対策", "セキュリティソフト", "アンチウイルス", "マルウェア対策", "EDR", "antivirus", "anti-malware"]),
        (AssetField.Authentication, ["認証", "認証方式", "認証方法", "ログイン方式", "authentication"]),
        (AssetField.LastStocktakeOn, ["棚卸日", "最終棚卸日", "棚卸し日", "棚卸実施日", "last stocktake", "stocktake"]),
    ];

    /// <summary>Ledger header fields (written above the table in the training example); never data columns.</summary>
    static readonly HashSet<string> Ignored = new[] { "最終更新日", "最終更新者", "更新日", "更新者", "last updated", "updated by" }
        .Select(LooseText.Key).ToHashSet();

    static readonly Dictionary<string, AssetField> ByKey = Build();

    /// <summary>
    /// Each importable field's own name (the ledger's column label, Japanese and English, as Mamori exports it), by key:
    /// such a header is that field for certain, where a synonym is a guess (「No.」 is often a row number).
    /// </summary>
    static readonly Dictionary<string, AssetField> ByName = Enum.GetValues<AssetField>()
        .Where(f => f is not (AssetField.UpdatedAt or AssetField.UpdatedBy))
        .SelectMany(f => new[] { AssetLabels.Of(f).Ja, AssetLabels.Of(f).En }.Select(name => (Key: LooseText.Key(name), Field: f)))
        .DistinctBy(n => n.Key)
        .ToDictionary(n => n.Key, n => n.Field);

    static Dictionary<string, AssetField> Build()
    {
        var map = new Dictionary<string, AssetField>();
        foreach (var (field, names) in Table)
            foreach (var name in names) map.Add(LooseText.Key(name), field); // Add: a name may mean one field only
        return map;
    }

    /// <summary>The field a header means: its own name (<see cref="Exact"/>) or a known synonym.</summary>
    public static AssetField? Recognize(string? header)
    {
        var key = LooseText.Key(header);
        return ByName.TryGetValue(key, out var field) || ByKey.TryGetValue(key, out field) ? field : null;
    }

    /// <summary>The field whose own name the header is (after NFKC, without spaces), e.g. 「管理番号」 but not 「No.」.</summary>
    public static AssetField? Exact(string? header) => ByName.TryGetValue(LooseText.Key(header), out var field) ? field : null;

    public static bool IsIgnored(string? header) => Ignored.Contains(LooseText.Key(header));

    /// <summary>All names per field, for the mapping help text.</summary>
    public static IEnumerable<(AssetField Field, IReadOnlyList<string> Names)> Synonyms => Table.Select(t => (t.Field, (IReadOnlyList<string>)t.Names));
}
