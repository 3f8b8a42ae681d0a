using System.Globalization;
using Mamori.Platform.Time;

namespace Mamori.Features.Assets;

public enum FindingCode
{
    UnsupportedOs,          // サポートが終了した OS
    DualHomed,              // 2枚挿し
    ConnectionNotConfirmed, // 今年度、事業者と確認していない接続
    SharedAccount,          // 共用アカウント（または不明）の接続
    NoSecondFactor,         // 二要素認証のない（または不明な）接続
    RemoteAccessPortOpen,   // 保守回線から届く機器で遠隔操作・共有のポートが開いている
    VpnFirmwareUnknown,     // VPN 装置のファームウェアが不明
    StocktakeOverdue,       // 1年以上棚卸していない
}

public enum FindingSeverity { High, Medium, Low }

/// <param name="ChecklistRef">
/// 項番 of the 令和7年度版 checklist, only where the reference files confirm the number (2-①, 2-②, 2-⑫);
/// null where the matching item's number is only estimated (e.g. パッチ適用).
/// </param>
public sealed record Finding(
    FindingCode Code, FindingSeverity Severity, Guid? AssetId, Guid? ConnectionId,
    string TitleJa, string TitleEn, string ExplanationJa, string? ChecklistRef);

/// <summary>
/// Problems a clinic director should know about, derived from the ledgers alone (no scanning, no database).
/// Each rule is one method below; explanations are plain Japanese and say what to do next.
/// </summary>
public static class Findings
{
    /// <summary>The checklist edition whose 項番 ChecklistRef uses (the numbering differs between editions).</summary>
    public const string ChecklistEdition = "checklist-r7";

    const string Ledger = "2-①";             // 台帳管理
    const string RemoteMaintenance = "2-②";  // リモートメンテナンスの有無を事業者に確認
    const string UnneededServices = "2-⑫";   // 不要なソフトウェア・サービスの停止

    /// <summary>Remote-control and file-sharing ports: Telnet, NetBIOS, SMB, RDP, VNC.</summary>
    static readonly Dictionary<int, string> RiskyPorts = new()
    {
        [23] = "Telnet", [139] = "NetBIOS（ファイル共有）", [445] = "SMB（ファイル共有）", [3389] = "リモートデスクトップ",
        [5900] = "VNC", [5901] = "VNC", [5902] = "VNC", [5903] = "VNC",
    };

    /// <summary>Devices that route between networks by design; two networks on them is not 2枚挿し.</summary>
    /// <summary>The port numbers the remote-access rule looks at (loaders need not read any other open port).</summary>
    public static int[] RiskyPortNumbers => [.. RiskyPorts.Keys];

    static readonly HashSet<AssetCategory> NetworkDevices =
    [
        AssetCategory.Router, AssetCategory.Switch, AssetCategory.Firewall, AssetCategory.VpnAppliance,
        AssetCategory.WirelessAp, AssetCategory.MobileRouter,
    ];

    static readonly HashSet<ConnectionMethod> VpnMethods = [ConnectionMethod.IpVpn, ConnectionMethod.IpsecVpn, ConnectionMethod.SslVpn];

    /// <summary>1 April of the Japanese fiscal year (年度) that contains <paramref name="day"/>.</summary>
    public static DateOnly FiscalYearStart(DateOnly day) => JapanTime.FiscalYearStart(JapanTime.FiscalYearOf(day));

    public static List<Finding> Evaluate(IReadOnlyCollection<Asset> assets, IReadOnlyCollection<Connection> connections,
        OsSupportCatalog osSupport, DateOnly today)
    {
        var live = connections.Where(c => c.Status != ConnectionStatus.Ended).ToList();
        var inService = assets.Where(a => a.Status is not (AssetStatus.Retired or AssetStatus.Stored)).ToList();
        var findings = new List<Finding>();
        findings.AddRange(inService.Select(a => UnsupportedOs(a, osSupport, today)).OfType<Finding>());
        findings.AddRange(inService.Select(DualHomed).OfType<Finding>());
        findings.AddRange(live.Select(c => NotConfirmed(c, today)).OfType<Finding>());
        findings.AddRange(live.Select(SharedAccount).OfType<Finding>());
        findings.AddRange(live.Select(NoSecondFactor).OfType<Finding>());
        findings.AddRange(RemoteAccessPorts(inService, live));
        findings.AddRange(VpnFirmwareUnknown(inService, live));
        findings.AddRange(assets.Where(a => a.Status != AssetStatus.Retired).Select(a => StocktakeOverdue(a, today)).OfType<Finding>());
        return findings.OrderBy(f => f.Severity).ThenBy(f => f.Code).ToList();
    }

    /// <summary>The device's own サポート終了日 when recorded (ESU, vendor support), otherwise the OS table.</summary>
    static Finding? UnsupportedOs(Asset a, OsSupportCatalog osSupport, DateOnly today)
    {
        string what;
        DateOnly ended;
        if (a.SupportEndsOn is { } recorded)
        {
            if (recorded >= today) return null;
            (what, ended) = ("この機器", recorded);
        }
        else if (osSupport.Find(a.OperatingSystem, a.OsVersion) is { } os && os.EndsOn < today)
            (what, ended) = (os.Name, os.EndsOn);
        else return null;
        return new Finding(FindingCode.UnsupportedOs, FindingSeverity.High, a.Id, null,
            $"{Name(a)}: サポートが終了した OS", $"{Name(a)}: operating system out of support",
            $"{what}は {Day(ended)} にメーカーのサポートが終わり、セキュリティの修正が届きません。新しく見つかった弱点を突かれても直す手段がないため、" +
            "入れ替えの時期を決め、それまではインターネットや保守回線から切り離す・使う機能を絞るなどの代わりの対策を保守業者と決めてください。",
            null);
    }

    /// <summary>
    /// 2枚挿し: an end device on two networks. Two different named segments decide it; when some address has no
    /// segment, addresses in different /24 networks count as different networks.
    /// </summary>
    static Finding? DualHomed(Asset a)
    {
        if (NetworkDevices.Contains(a.Category)) return null;
        var segments = a.Interfaces.Select(i => i.Segment?.Trim()).Where(s => !string.IsNullOrEmpty(s)).Distinct().ToList();
        var addresses = a.Interfaces.Select(i => i.IpAddress).Prepend(a.IpAddress).Where(ip => !string.IsNullOrWhiteSpace(ip)).ToList();
        var unsegmented = a.Interfaces.Count == 0 || a.Interfaces.Any(i => string.IsNullOrWhiteSpace(i.Segment));
        var networks = addresses.Select(IpAddressText.Ipv4Slash24).OfType<string>().Distinct().ToList();
        string detail;
        if (segments.Count >= 2) detail = string.Join("・", segments);
        else if (unsegmented && networks.Count >= 2) detail = string.Join("・", networks.Select(n => n + ".x"));
        else return null;
        return new Finding(FindingCode.DualHomed, FindingSeverity.High, a.Id, null,
            $"{Name(a)}: 2つのネットワークにつながっています（2枚挿し）", $"{Name(a)}: connected to two networks",
            $"この機器は {detail} の両方につながっています。片方のネットワーク（保守回線やインターネット側など）から入り込まれると、" +
            "この機器を踏み台にして電子カルテなどのネットワークまで届いてしまいます。本当に両方が必要かを保守業者に確かめ、必要なら通信できる相手を絞ってください。",
            RemoteMaintenance);
    }

    static Finding? NotConfirmed(Connection c, DateOnly today)
    {
        var fiscalYearStart = FiscalYearStart(today);
        if (c.LastConfirmedOn is { } d && d >= fiscalYearStart) return null;
        var last = c.LastConfirmedOn is { } on ? $"最後に確認したのは {Day(on)} です。" : "事業者と確認した記録がありません。";
        return new Finding(FindingCode.ConnectionNotConfirmed, FindingSeverity.Medium, null, c.Id,
            $"{c.VendorName}の接続: 今年度まだ事業者と確認していません", $"{c.VendorName}: connection not confirmed with the vendor this fiscal year",
            $"{last}保守のための接続は、使われ方が知らないうちに変わっていることがあります。今年度（{fiscalYearStart.Year}年4月から）のうちに、" +
            "接続の方法・接続元・アカウント・接続のタイミングを事業者と確かめ、確認した日を記録してください。",
            RemoteMaintenance);
    }

    static Finding? SharedAccount(Connection c) => c.AccountType switch
    {
        ConnectionAccountType.Personal => null,
        ConnectionAccountType.Shared => new Finding(FindingCode.SharedAccount, FindingSeverity.Medium, null, c.Id,
            $"{c.VendorName}の接続: 共用のアカウントです", $"{c.VendorName}: shared account",
            "事業者の担当者が同じ ID を使い回しているため、誰がいつ接続したのかを後から確かめられません。パスワードが漏れても気づきにくくなります。" +
            "担当者ごとの ID に分けてもらうよう事業者に依頼してください。",
            RemoteMaintenance),
        _ => new Finding(FindingCode.SharedAccount, FindingSeverity.Medium, null, c.Id,
            $"{c.VendorName}の接続: アカウントが個人ごとか分かりません", $"{c.VendorName}: unknown whether the account is personal",
            "接続に使う ID が担当者ごとか共用かが分かっていません。共用だと、誰がいつ接続したのかを後から確かめられません。事業者に確認して記録してください。",
            RemoteMaintenance),
    };

    static Finding? NoSecondFactor(Connection c) => c.SecondFactor switch
    {
        true => null,
        false => new Finding(FindingCode.NoSecondFactor, FindingSeverity.Medium, null, c.Id,
            $"{c.VendorName}の接続: 二要素認証がありません", $"{c.VendorName}: no two-factor authentication",
            "ID とパスワードだけで接続できるため、パスワードが盗まれればそのまま院内に入られます。ワンタイムパスワードや証明書などの二つ目の確認を加えるよう、事業者と相談してください。",
            RemoteMaintenance),
        null => new Finding(FindingCode.NoSecondFactor, FindingSeverity.Medium, null, c.Id,
            $"{c.VendorName}の接続: 二要素認証の有無が分かりません", $"{c.VendorName}: two-factor authentication unknown",
            "接続のときにパスワード以外の確認（ワンタイムパスワードなど）があるかが分かっていません。事業者に確認して記録してください。",
            RemoteMaintenance),
    };

    /// <summary>
    /// A device is reachable from a maintenance line when it is a live connection's appliance, or shares a network
    /// with one: the same named segment, or the same IPv4 /24. Telnet, SMB/NetBIOS, RDP or VNC open there is a finding.
    /// </summary>
    static IEnumerable<Finding> RemoteAccessPorts(List<Asset> assets, List<Connection> connections)
    {
        var applianceIds = connections.Select(c => c.ApplianceAssetId).OfType<Guid>().ToHashSet();
        var appliances = assets.Where(a => applianceIds.Contains(a.Id)).ToList();
        var segments = appliances.SelectMany(Segments).ToHashSet();
        var networks = appliances.SelectMany(Networks).ToHashSet();
        foreach (var a in assets)
        {
            var risky = a.OpenPorts
                .Where(p => p.Protocol.Equals("tcp", StringComparison.OrdinalIgnoreCase) && RiskyPorts.ContainsKey(p.Port))
                .Select(p => p.Port).Distinct().Order().ToList();
            if (risky.Count == 0) continue;
            var reachable = applianceIds.Contains(a.Id) || Segments(a).Any(segments.Contains) || Networks(a).Any(networks.Contains);
            if (!reachable) continue;
            var list = string.Join("、", risky.Select(p => $"{p.ToString(CultureInfo.InvariantCulture)}（{RiskyPorts[p]}）"));
            yield return new Finding(FindingCode.RemoteAccessPortOpen, FindingSeverity.High, a.Id, null,
                $"{Name(a)}: 保守回線から届く場所で遠隔操作・共有の入口が開いています", $"{Name(a)}: remote-access ports open near a maintenance line",
                $"この機器では {list} が開いています。保守回線の機器そのもの、または同じネットワークにあるため、回線が悪用されると" +
                "遠隔操作やファイルの暗号化（ランサムウェア）に直接使われるおそれがあります。使っていなければ止め、使うなら接続できる相手を保守業者と絞ってください。",
                UnneededServices);
        }
    }

    /// <summary>Category VPN装置, or the appliance of a VPN connection, with no firmware version in the ledger.</summary>
    static IEnumerable<Finding> VpnFirmwareUnknown(List<Asset> assets, List<Connection> connections)
    {
        var vpnAppliances = connections.Where(c => VpnMethods.Contains(c.Method)).Select(c => c.ApplianceAssetId).OfType<Guid>().ToHashSet();
        return assets
            .Where(a => (a.Category == AssetCategory.VpnAppliance || vpnAppliances.Contains(a.Id)) && string.IsNullOrWhiteSpace(a.Firmware))
            .Select(a => new Finding(FindingCode.VpnFirmwareUnknown, FindingSeverity.High, a.Id, null,
                $"{Name(a)}: VPN 装置のファームウェアの版が分かりません", $"{Name(a)}: VPN appliance firmware version unknown",
                "VPN 装置は外から院内への入口で、古いファームウェアの弱点を突かれて侵入される被害が繰り返し起きています。" +
                "今の版が分からなければ修正が当たっているか判断できません。保守業者に版を確かめて台帳に書き、最新かどうかも確認してください。",
                Ledger));
    }

    static Finding? StocktakeOverdue(Asset a, DateOnly today)
    {
        if (a.LastStocktakeOn is { } d && d >= today.AddYears(-1)) return null;
        var last = a.LastStocktakeOn is { } on ? $"最後の棚卸は {Day(on)} です。" : "棚卸の記録がありません。";
        return new Finding(FindingCode.StocktakeOverdue, FindingSeverity.Low, a.Id, null,
            $"{Name(a)}: 1年以上棚卸していません", $"{Name(a)}: not checked in a stocktake for over a year",
            $"{last}台帳と実際の機器（設置場所・利用者・ソフトのバージョン）がずれていないか、少なくとも年に一度は照らし合わせ、確かめた日を記録してください。",
            Ledger);
    }

    static IEnumerable<string> Segments(Asset a) =>
        a.Interfaces.Select(i => i.Segment?.Trim()).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!);

    static IEnumerable<string> Networks(Asset a) =>
        a.Interfaces.Select(i => i.IpAddress).Prepend(a.IpAddress).Select(IpAddressText.Ipv4Slash24).OfType<string>();

    static string Name(Asset a) => string.IsNullOrWhiteSpace(a.Name) ? $"管理番号 {a.ControlNumber}" : $"{a.Name}（{a.ControlNumber}）";

    static string Day(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";
}
