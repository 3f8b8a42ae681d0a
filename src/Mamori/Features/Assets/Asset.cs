using Mamori.Features.Organizations;

namespace Mamori.Features.Assets;

/// <summary>
/// One row of the 機器台帳 (asset ledger): a server, PC, network or medical device that handles or reaches medical
/// information. Columns follow the MHLW training example (管理番号 … 説明) plus what the checklist asks to know
/// about remote maintenance, updates and support.
/// </summary>
public sealed class Asset : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>
    /// 管理番号: required, unique within the organisation; stored as <see cref="NormalizeControlNumber"/> makes it, so
    /// 「PC-０１２」 typed in a form and 「PC-012」 in a file are one device. (The importer writes by COPY and
    /// normalises in <c>AssetImportReader</c>.)
    /// </summary>
    public required string ControlNumber { get; set => field = NormalizeControlNumber(value); }
    public AssetCategory Category { get; set; } = AssetCategory.Other;
    /// <summary>医療機器の種類 (モダリティ, 生体モニタ, ナースコール …) when <see cref="Category"/> is MedicalDevice.</summary>
    public string? MedicalDeviceType { get; set; }
    /// <summary>機器名.</summary>
    public string? Name { get; set; }
    /// <summary>メーカー.</summary>
    public string? Manufacturer { get; set; }
    /// <summary>型番.</summary>
    public string? Model { get; set; }
    /// <summary>OS.</summary>
    public string? OperatingSystem { get; set; }
    /// <summary>OS バージョン (e.g. 22H2, LTSC 2021).</summary>
    public string? OsVersion { get; set; }
    /// <summary>ソフトウェア (e.g. ○○電子カルテ).</summary>
    public string? Software { get; set; }
    public string? SoftwareVersion { get; set; }
    /// <summary>ファームウェアのバージョン (network appliances).</summary>
    public string? Firmware { get; set; }
    /// <summary>Primary IP address, normalised by <see cref="IpAddressText"/>. Further addresses are in <see cref="Interfaces"/>.</summary>
    public string? IpAddress { get; set; }
    /// <summary>MAC address of the primary interface (AA:BB:CC:DD:EE:FF).</summary>
    public string? MacAddress { get; set; }
    /// <summary>コンピュータ名 / ホスト名.</summary>
    public string? ComputerName { get; set; }
    /// <summary>設置場所.</summary>
    public string? Location { get; set; }
    /// <summary>利用者 (person or department).</summary>
    public string? UserName { get; set; }
    /// <summary>登録日 (導入日).</summary>
    public DateOnly? RegisteredOn { get; set; }
    public AssetStatus Status { get; set; } = AssetStatus.InUse;
    /// <summary>説明 / 備考.</summary>
    public string? Description { get; set; }
    /// <summary>保守業者.</summary>
    public string? MaintenanceVendor { get; set; }
    /// <summary>
    /// Who applies security updates. When the vendor does it for every server, 第7.0版 保守委託機関編 applies
    /// (みなし遵守, <c>MaintenanceOutsourcingPath</c>); otherwise the site follows システム運用編 itself.
    /// </summary>
    public SecurityUpdateResponsibility SecurityUpdatesBy { get; set; } = SecurityUpdateResponsibility.Unknown;
    /// <summary>サポート終了日 recorded for this device (ESU, vendor support); when set it is used instead of the OS table.</summary>
    public DateOnly? SupportEndsOn { get; set; }
    /// <summary>ウイルス対策 / EDR (product name, or なし).</summary>
    public string? AntiMalware { get; set; }
    /// <summary>認証方式 (ID・パスワード, ICカード, 生体認証 …).</summary>
    public string? Authentication { get; set; }
    /// <summary>棚卸日: the last time someone checked the device against this row.</summary>
    public DateOnly? LastStocktakeOn { get; set; }
    /// <summary>最終更新日 (UTC), shown; set by whoever writes the row.</summary>
    public DateTime UpdatedAt { get; set; }
    /// <summary>最終更新者 (display name).</summary>
    public string? UpdatedBy { get; set; }
    /// <summary>
    /// The row's version: PostgreSQL's <c>xmin</c>, changed by every write of the row (form, import, SQL), as for
    /// checklist answers. A form carries it; a save based on an older version is refused.
    /// </summary>
    public uint Version { get; set; }
    public List<AssetInterface> Interfaces { get; set; } = [];
    public List<OpenPort> OpenPorts { get; set; } = [];

    /// <summary>Database-computed search text (shadow property; see MamoriDb).</summary>
    public const string SearchTextColumn = "SearchText";

    /// <summary>管理番号 as stored: NFKC (全角の英数字・記号 → 半角, 「PC-０１２」 → 「PC-012」) and trimmed.</summary>
    public static string NormalizeControlNumber(string? text) => string.IsNullOrEmpty(text) ? "" : LooseText.Nfkc(text).Trim();
}

/// <summary>A network interface of an asset; two interfaces on different networks make it 2枚挿し.</summary>
public sealed class AssetInterface
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AssetId { get; set; }
    /// <summary>Interface name (e.g. LAN1, Wi-Fi).</summary>
    public string? Name { get; set; }
    public string? IpAddress { get; set; }
    public string? MacAddress { get; set; }
    /// <summary>ネットワーク区分 (e.g. 電子カルテ系, インターネット系, 保守回線).</summary>
    public string? Segment { get; set; }
}

/// <summary>A port seen open on an asset, typically from an nmap scan.</summary>
public sealed class OpenPort
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AssetId { get; set; }
    public int Port { get; set; }
    /// <summary>tcp or udp.</summary>
    public required string Protocol { get; set; }
    /// <summary>Service name as reported by the scanner (e.g. ms-wbt-server).</summary>
    public string? Service { get; set; }
    public DateTime SeenAt { get; set; }
    /// <summary>Where the observation came from ("nmap", or a person's note).</summary>
    public required string Source { get; set; }
}

public enum AssetCategory
{
    Server,                    // サーバ
    TerminalPc,                // 端末PC
    Router,                    // ルータ
    Switch,                    // スイッチ
    Firewall,                  // ファイアウォール・UTM
    VpnAppliance,              // VPN装置
    WirelessAp,                // 無線アクセスポイント
    MobileRouter,              // モバイルルータ (LTE/5G)
    Storage,                   // ストレージ・NAS
    Tablet,                    // タブレット・携帯端末
    MedicalDevice,             // 医療機器 (モダリティ, 生体モニタ, ナースコール …)
    OnlineEligibilityTerminal, // オンライン資格確認端末
    ReceptionOrPaymentMachine, // 受付機・精算機
    Printer,                   // プリンタ・複合機
    Other,                     // その他
}

public enum AssetStatus
{
    InUse,   // 稼働中
    Stopped, // 停止中 (the training ledger's 停止, e.g. under maintenance)
    Stored,  // 保管中
    Retired, // 廃棄
    Other,   // その他
}

/// <summary>Who applies security updates (OS, firmware) to the device.</summary>
public enum SecurityUpdateResponsibility
{
    Site,    // 自院
    Vendor,  // 保守事業者
    Unknown, // 不明
}
