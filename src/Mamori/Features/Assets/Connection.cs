using Mamori.Features.Organizations;

namespace Mamori.Features.Assets;

/// <summary>
/// One external or remote-maintenance connection (外部接続・リモートメンテナンス接続台帳): who connects, how, through
/// which device, and when the site last confirmed it with the vendor (checklist 2-②).
/// </summary>
public sealed class Connection : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>事業者名.</summary>
    public required string VendorName { get; set; }
    public ConnectionPurpose Purpose { get; set; } = ConnectionPurpose.Other;
    /// <summary>用途の詳細 (free text, required in practice when Purpose is Other).</summary>
    public string? PurposeDetail { get; set; }
    public ConnectionMethod Method { get; set; } = ConnectionMethod.Other;
    /// <summary>The device the connection terminates on (VPN router, LTE router …), if it is in the ledger.</summary>
    public Guid? ApplianceAssetId { get; set; }
    /// <summary>接続元制限 (e.g. 事業者センターの固定IPのみ).</summary>
    public string? SourceRestriction { get; set; }
    public ConnectionAccountType AccountType { get; set; } = ConnectionAccountType.Unknown;
    /// <summary>二要素認証: true, false, or null when not yet confirmed.</summary>
    public bool? SecondFactor { get; set; }
    /// <summary>接続のタイミング (常時 / 障害時のみ / 月1回の定期保守 …).</summary>
    public string? Schedule { get; set; }
    /// <summary>接続時の連絡方法 (電話連絡のうえ接続 …).</summary>
    public string? NotificationToSite { get; set; }
    /// <summary>事業者と最後に確認した日.</summary>
    public DateOnly? LastConfirmedOn { get; set; }
    public string? ConfirmationNote { get; set; }
    public ConnectionStatus Status { get; set; } = ConnectionStatus.Active;
}

public enum ConnectionPurpose
{
    Ehr,           // 電子カルテ
    Pacs,          // PACS
    LabTest,       // 検査
    FoodService,   // 給食
    NurseCall,     // ナースコール
    VitalMonitor,  // 生体モニタ
    UtmMonitoring, // UTM監視
    Other,         // その他
}

public enum ConnectionMethod
{
    IpVpn,             // IP-VPN (closed network service)
    IpsecVpn,          // IPsec-VPN
    SslVpn,            // SSL-VPN
    LteRouter,         // LTE/5G ルータ
    RemoteDesktopTool, // リモートデスクトップツール (TeamViewer 等)
    DedicatedLine,     // 専用線
    Other,             // その他
}

/// <summary>アクセスするユーザーIDの付与先.</summary>
public enum ConnectionAccountType
{
    Personal, // 個人ごと
    Shared,   // 共用
    Unknown,  // 不明
}

public enum ConnectionStatus
{
    Active,    // 利用中
    Suspended, // 停止中
    Ended,     // 廃止
}

/// <summary>
/// A document behind a connection's 事業者との確認 (the vendor's reply, a signed confirmation sheet): kept in PostgreSQL
/// with its SHA-256, like checklist evidence. Lists never load <see cref="Content"/>.
/// </summary>
public sealed class ConnectionEvidence : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ConnectionId { get; set; }
    public required string Title { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required byte[] Content { get; set; }
    public DateTime AddedAt { get; set; }
    public required string AddedBy { get; set; }
}
