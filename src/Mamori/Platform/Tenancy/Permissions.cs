using Mamori.Features.Organizations;

namespace Mamori.Platform.Tenancy;

/// <summary>What a handler needs. Pages and endpoints declare one with [Requires(...)]; roles grant them through <see cref="Permissions.ByRole"/>.</summary>
public enum Permission
{
    /// <summary>閲覧: the organisation's dashboard, ledgers, checklists, catalogue and evidence (every member).</summary>
    View,
    /// <summary>出力: the ledger export and the checklist record as xlsx / print / PDF / 提出用一式 (every member).</summary>
    Export,
    /// <summary>機器台帳・外部接続・クラウド台帳の登録と変更 (including a connection's evidence files and the network scan).</summary>
    LedgerEdit,
    /// <summary>機器台帳の取込 (spreadsheet import).</summary>
    LedgerImport,
    /// <summary>チェックリストの開始・回答・証跡の添付.</summary>
    ChecklistAnswer,
    /// <summary>チェックリストの署名 (確認の記録を固定する; 医療情報システム安全管理責任者).</summary>
    ChecklistSeal,
    /// <summary>経営層の確認 of a sealed round.</summary>
    ChecklistReview,
    /// <summary>事業者確認用の依頼と差戻し (site side).</summary>
    VendorRequestManage,
    /// <summary>依頼への回答と提出 (vendor side).</summary>
    VendorRespond,
    /// <summary>組織の設定 and the mail outbox.</summary>
    SettingsManage,
    /// <summary>メンバーの招待・役割の変更・削除.</summary>
    MembersManage,
    /// <summary>監査ログの閲覧と出力.</summary>
    AuditRead,
    /// <summary>共有カタログの管理 (import, publish). Granted by no role: only to the installation's system administrators (User.IsSystemAdmin).</summary>
    CatalogAdminister,
}

/// <summary>
/// The one role → permission map. A member holding several roles has every permission of each of them.
/// Every role check of the application reads this table (through <see cref="TenantContext.Can"/> or [Requires]).
/// </summary>
public static class Permissions
{
    static readonly Permission[] Reader = [Permission.View, Permission.Export];
    static readonly Permission[] Editor =
    [
        .. Reader, Permission.LedgerEdit, Permission.LedgerImport, Permission.ChecklistAnswer,
        Permission.VendorRequestManage, Permission.VendorRespond,
    ];

    public static readonly IReadOnlyDictionary<OrganizationRole, IReadOnlySet<Permission>> ByRole = new Dictionary<OrganizationRole, IReadOnlySet<Permission>>
    {
        // 管理者 (医療情報システム安全管理責任者): everything of the organisation.
        [OrganizationRole.Administrator] = new HashSet<Permission>([.. Editor, Permission.ChecklistSeal, Permission.SettingsManage, Permission.MembersManage, Permission.AuditRead]),
        // 企画管理者 and システム運用担当者: keep the records.
        [OrganizationRole.Manager] = new HashSet<Permission>(Editor),
        [OrganizationRole.Operator] = new HashSet<Permission>(Editor),
        // 経営層: reads, and confirms a sealed round.
        [OrganizationRole.Executive] = new HashSet<Permission>([.. Reader, Permission.ChecklistReview]),
        // 閲覧者: reads.
        [OrganizationRole.Viewer] = new HashSet<Permission>(Reader),
    };

    /// <summary>The roles that grant the permission (e.g. who is told by e-mail about work that needs it).</summary>
    public static OrganizationRole[] Holding(Permission permission) =>
        [.. ByRole.Where(r => r.Value.Contains(permission)).Select(r => r.Key)];

    /// <summary>True when any of the roles grants the permission.</summary>
    public static bool Grants(IEnumerable<OrganizationRole> roles, Permission permission) => roles.Any(r => ByRole[r].Contains(permission));
}
