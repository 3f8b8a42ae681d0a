using System.Text;
using System.Text.RegularExpressions;

namespace Mamori.Features.Assets.Import;

/// <summary>
/// Cell values for the choice columns (種別, 状態, セキュリティ更新の実施者) as people write them.
/// 種別 is matched inside longer text too (「電子カルテサーバ」, 「ノートPC」, 「L3スイッチ」), the longest name winning;
/// 状態 and the updater only match whole words, so 「廃棄予定」 is not taken for 廃棄.
/// </summary>
public static partial class AssetValues
{
    static readonly Dictionary<string, AssetCategory> Categories = Keys<AssetCategory>(
        (AssetCategory.Server, ["サーバ", "サーバー", "server"]),
        (AssetCategory.TerminalPc, ["PC", "パソコン", "端末", "端末PC", "クライアント", "クライアントPC", "デスクトップ", "ノートパソコン", "desktop", "laptop", "notebook", "ワークステーション", "workstation"]),
        (AssetCategory.Router, ["ルータ", "ルーター", "router"]),
        (AssetCategory.Switch, ["スイッチ", "スイッチングハブ", "ハブ", "hub", "switch", "L2", "L3", "L2SW", "L3SW"]),
        (AssetCategory.Firewall, ["UTM", "ファイアウォール", "ファイヤーウォール", "ファイアーウォール", "firewall", "FW"]),
        (AssetCategory.VpnAppliance, ["VPN", "VPN装置", "VPN機器", "VPNルータ", "VPNルーター", "VPNゲートウェイ", "SSLVPN", "IPsecVPN"]),
        (AssetCategory.WirelessAp, ["無線AP", "AP", "アクセスポイント", "無線LAN", "無線", "Wi-Fi", "WiFi"]),
        (AssetCategory.MobileRouter, ["モバイルルータ", "モバイルルーター", "LTEルータ", "LTEルーター", "5Gルータ", "5Gルーター", "LTE", "SIMルータ", "SIMルーター"]),
        (AssetCategory.Storage, ["NAS", "ストレージ", "storage", "外付けHDD", "外部ディスク", "テープ装置", "HDD"]),
        (AssetCategory.Tablet, ["タブレット", "iPad", "tablet", "スマートフォン", "スマホ", "携帯端末", "iPhone"]),
        (AssetCategory.MedicalDevice, ["医療機器", "モダリティ", "生体モニタ", "生体モニター", "ナースコール", "検査装置", "撮影装置", "心電計", "超音波", "内視鏡", "CT", "MRI", "X線"]),
        (AssetCategory.OnlineEligibilityTerminal, ["オンライン資格確認", "オンライン資格確認端末", "オン資", "オン資端末", "資格確認端末", "顔認証付きカードリーダー", "顔認証カードリーダー"]),
        (AssetCategory.ReceptionOrPaymentMachine, ["受付機", "精算機", "自動精算機", "自動受付機", "再来受付機", "受付機・精算機"]),
        (AssetCategory.Printer, ["プリンタ", "プリンター", "複合機", "コピー機", "printer", "MFP"]),
        (AssetCategory.Other, ["その他", "other"]));

    /// <summary>Names that mean "a medical device" without saying which kind.</summary>
    static readonly HashSet<string> GenericMedical = [LooseText.Key("医療機器")];

    static readonly Dictionary<string, AssetStatus> Statuses = Keys<AssetStatus>(
        (AssetStatus.InUse, ["稼働", "稼働中", "稼動", "稼動中", "使用", "使用中", "利用", "利用中", "運用中", "in use", "active"]),
        (AssetStatus.Stopped, ["停止", "停止中", "休止", "休止中", "故障", "故障中", "修理中", "メンテナンス中", "stopped"]),
        (AssetStatus.Stored, ["保管", "保管中", "予備", "予備機", "在庫", "未使用", "stored", "spare"]),
        (AssetStatus.Retired, ["廃棄", "廃棄済", "廃棄済み", "除却", "撤去", "撤去済", "返却済", "retired", "disposed"]),
        (AssetStatus.Other, ["その他", "other"]));

    static readonly Dictionary<string, SecurityUpdateResponsibility> Updaters = Keys<SecurityUpdateResponsibility>(
        (SecurityUpdateResponsibility.Site, ["自院", "当院", "院内", "自施設", "医療機関", "site"]),
        (SecurityUpdateResponsibility.Vendor, ["保守事業者", "保守業者", "事業者", "業者", "ベンダー", "ベンダ", "保守", "保守委託", "メーカー", "vendor"]),
        (SecurityUpdateResponsibility.Unknown, ["不明", "未確認", "unknown"]));

    [GeneratedRegex(@"[\s/、,・･()\[\]【】「」]+")]
    private static partial Regex Separators();

    /// <summary>種別; for medical devices also the kind as written (「生体モニタ」), unless it is just 「医療機器」.</summary>
    public static bool TryCategory(string text, out AssetCategory category, out string? medicalDeviceType)
    {
        medicalDeviceType = null;
        category = AssetCategory.Other;
        var best = "";
        foreach (var part in Parts(text))
            foreach (var (key, value) in Categories)
                if (key.Length > best.Length && ContainsWord(part, key)) (best, category) = (key, value);
        if (best.Length == 0) return false;
        if (category == AssetCategory.MedicalDevice && !GenericMedical.Contains(best)) medicalDeviceType = text.Trim();
        return true;
    }

    public static bool TryStatus(string text, out AssetStatus status) => TryWhole(Statuses, text, out status);

    public static bool TryUpdater(string text, out SecurityUpdateResponsibility by) => TryWhole(Updaters, text, out by);

    /// <summary>The whole text, or one of its parts (「稼働（外来）」), is a known name; parts must agree.</summary>
    static bool TryWhole<T>(Dictionary<string, T> table, string text, out T value) where T : struct, Enum
    {
        if (table.TryGetValue(LooseText.Key(text), out value)) return true;
        var found = Parts(text).Where(table.ContainsKey).Select(p => table[p]).Distinct().ToList();
        value = found.Count == 1 ? found[0] : default;
        return found.Count == 1;
    }

    /// <summary>The whole text and its parts between separators, each as a <see cref="LooseText"/> key.</summary>
    static IEnumerable<string> Parts(string text) =>
        Separators().Split(text.Normalize(NormalizationForm.FormKC)).Append(text).Select(LooseText.Key).Where(p => p.Length > 0).Distinct();

    /// <summary>Substring match; an ASCII key must not touch other ASCII letters or digits ("ap" is not in "laptop").</summary>
    static bool ContainsWord(string text, string key)
    {
        for (var i = text.IndexOf(key, StringComparison.Ordinal); i >= 0; i = text.IndexOf(key, i + 1, StringComparison.Ordinal))
        {
            var end = i + key.Length;
            var leftOk = i == 0 || !char.IsAsciiLetterOrDigit(key[0]) || !char.IsAsciiLetterOrDigit(text[i - 1]);
            var rightOk = end == text.Length || !char.IsAsciiLetterOrDigit(key[^1]) || !char.IsAsciiLetterOrDigit(text[end]);
            if (leftOk && rightOk) return true;
        }
        return false;
    }

    static Dictionary<string, T> Keys<T>(params (T Value, string[] Names)[] table) where T : notnull
    {
        var map = new Dictionary<string, T>();
        foreach (var (value, names) in table)
            foreach (var name in names) map.Add(LooseText.Key(name), value);
        return map;
    }
}
