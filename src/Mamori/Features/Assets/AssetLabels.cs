namespace Mamori.Features.Assets;

/// <summary>Japanese and English names of ledger fields and choices, for pages and exports.</summary>
public static class AssetLabels
{
    /// <summary>A 機器台帳 field's label, as <see cref="LedgerFields"/> declares it.</summary>
    public static (string Ja, string En) Of(AssetField field) => LedgerFields.Of(field) is var f ? (f.Ja, f.En) : default;

    public static (string Ja, string En) Of(CloudServiceField field) => field switch
    {
        CloudServiceField.Provider => ("サービス提供事業者", "Provider"),
        CloudServiceField.NameAndPurpose => ("サービス名称・用途", "Service and purpose"),
        CloudServiceField.DomainOrAddress => ("ドメイン・アドレス", "Domain or address"),
        CloudServiceField.AccessLocationAndRoute => ("利用場所・アクセス経路", "Where and how it is accessed"),
        CloudServiceField.UsersOrGroups => ("利用者・グループ", "Users or groups"),
        CloudServiceField.AuthenticationMethod => ("利用者認証方法", "User authentication"),
        CloudServiceField.StartedOn => ("利用開始日", "In use since"),
        CloudServiceField.UsageStatus => ("利用状況", "Usage status"),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static (string Ja, string En) Of(ConnectionField field) => field switch
    {
        ConnectionField.VendorName => ("事業者名", "Vendor"),
        ConnectionField.Purpose => ("用途", "Purpose"),
        ConnectionField.PurposeDetail => ("用途の詳細", "Purpose details"),
        ConnectionField.Method => ("接続方法", "Connection method"),
        ConnectionField.ApplianceAsset => ("接続機器", "Connection device"),
        ConnectionField.SourceRestriction => ("接続元制限", "Source restriction"),
        ConnectionField.AccountType => ("アカウント", "Account"),
        ConnectionField.SecondFactor => ("二要素認証", "Two-factor authentication"),
        ConnectionField.Schedule => ("接続のタイミング", "When it connects"),
        ConnectionField.NotificationToSite => ("接続時の連絡方法", "How the site is notified"),
        ConnectionField.LastConfirmedOn => ("事業者と最後に確認した日", "Last confirmed with the vendor"),
        ConnectionField.ConfirmationNote => ("確認内容", "Confirmation note"),
        ConnectionField.Status => ("状態", "Status"),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static (string Ja, string En) Of(AssetCategory category) => category switch
    {
        AssetCategory.Server => ("サーバ", "Server"),
        AssetCategory.TerminalPc => ("端末PC", "Terminal PC"),
        AssetCategory.Router => ("ルータ", "Router"),
        AssetCategory.Switch => ("スイッチ", "Switch"),
        AssetCategory.Firewall => ("ファイアウォール・UTM", "Firewall / UTM"),
        AssetCategory.VpnAppliance => ("VPN装置", "VPN appliance"),
        AssetCategory.WirelessAp => ("無線アクセスポイント", "Wireless access point"),
        AssetCategory.MobileRouter => ("モバイルルータ（LTE/5G）", "Mobile router (LTE/5G)"),
        AssetCategory.Storage => ("ストレージ・NAS", "Storage / NAS"),
        AssetCategory.Tablet => ("タブレット・携帯端末", "Tablet / mobile device"),
        AssetCategory.MedicalDevice => ("医療機器", "Medical device"),
        AssetCategory.OnlineEligibilityTerminal => ("オンライン資格確認端末", "Online eligibility terminal"),
        AssetCategory.ReceptionOrPaymentMachine => ("受付機・精算機", "Reception / payment machine"),
        AssetCategory.Printer => ("プリンタ・複合機", "Printer / MFP"),
        AssetCategory.Other => ("その他", "Other"),
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    public static (string Ja, string En) Of(AssetStatus status) => status switch
    {
        AssetStatus.InUse => ("稼働中", "In use"),
        AssetStatus.Stopped => ("停止中", "Stopped"),
        AssetStatus.Stored => ("保管中", "Stored"),
        AssetStatus.Retired => ("廃棄", "Retired"),
        AssetStatus.Other => ("その他", "Other"),
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static (string Ja, string En) Of(SecurityUpdateResponsibility by) => by switch
    {
        SecurityUpdateResponsibility.Site => ("自院", "Our staff"),
        SecurityUpdateResponsibility.Vendor => ("保守事業者", "Maintenance vendor"),
        SecurityUpdateResponsibility.Unknown => ("不明", "Unknown"),
        _ => throw new ArgumentOutOfRangeException(nameof(by)),
    };

    public static (string Ja, string En) Of(ConnectionPurpose purpose) => purpose switch
    {
        ConnectionPurpose.Ehr => ("電子カルテ", "Electronic health records"),
        ConnectionPurpose.Pacs => ("PACS", "PACS"),
        ConnectionPurpose.LabTest => ("検査", "Laboratory"),
        ConnectionPurpose.FoodService => ("給食", "Food service"),
        ConnectionPurpose.NurseCall => ("ナースコール", "Nurse call"),
        ConnectionPurpose.VitalMonitor => ("生体モニタ", "Vital-signs monitor"),
        ConnectionPurpose.UtmMonitoring => ("UTM監視", "UTM monitoring"),
        ConnectionPurpose.Other => ("その他", "Other"),
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };

    public static (string Ja, string En) Of(ConnectionMethod method) => method switch
    {
        ConnectionMethod.IpVpn => ("IP-VPN（閉域網）", "IP-VPN (closed network)"),
        ConnectionMethod.IpsecVpn => ("IPsec-VPN", "IPsec VPN"),
        ConnectionMethod.SslVpn => ("SSL-VPN", "SSL VPN"),
        ConnectionMethod.LteRouter => ("LTE/5Gルータ", "LTE/5G router"),
        ConnectionMethod.RemoteDesktopTool => ("リモートデスクトップツール", "Remote desktop tool"),
        ConnectionMethod.DedicatedLine => ("専用線", "Dedicated line"),
        ConnectionMethod.Other => ("その他", "Other"),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static (string Ja, string En) Of(ConnectionAccountType account) => account switch
    {
        ConnectionAccountType.Personal => ("個人ごと", "One per person"),
        ConnectionAccountType.Shared => ("共用", "Shared"),
        ConnectionAccountType.Unknown => ("不明", "Unknown"),
        _ => throw new ArgumentOutOfRangeException(nameof(account)),
    };

    public static (string Ja, string En) Of(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Active => ("利用中", "Active"),
        ConnectionStatus.Suspended => ("停止中", "Suspended"),
        ConnectionStatus.Ended => ("廃止", "Ended"),
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static (string Ja, string En) Of(FindingSeverity severity) => severity switch
    {
        FindingSeverity.High => ("高", "High"),
        FindingSeverity.Medium => ("中", "Medium"),
        FindingSeverity.Low => ("低", "Low"),
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };
}
