using Mamori.Features.Identity;

namespace Mamori.Features.Organizations;

/// <summary>医療機関等・事業者・保健所・法人: every tenant in Mamori is an organisation.</summary>
public sealed class Organization
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>Short code used in URLs (/o/{code}) and on the command line (--org CODE).</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public OrganizationKind Kind { get; set; }
    /// <summary>都道府県 (one of the 47 names).</summary>
    public required string Prefecture { get; set; }
    /// <summary>医療機関コード (10 digits: 都道府県2 + 点数表1 + 7), optional.</summary>
    public string? MedicalInstitutionCode { get; set; }
    /// <summary>Require a second factor of every member (on by default; シス14).</summary>
    public bool RequireTwoFactor { get; set; } = true;
    public bool IsDemo { get; set; }
    public DateTime CreatedAt { get; set; }
}

public enum OrganizationKind
{
    Hospital,      // 病院
    Clinic,        // 診療所
    DentalClinic,  // 歯科診療所
    Pharmacy,      // 薬局
    Vendor,        // 事業者
    Inspector,     // 保健所・自治体
    Group,         // 法人
}

/// <summary>
/// Role of a user inside one organisation. A member may hold several (a clinic's 院長 is 管理者 and 経営層): one
/// Membership row per role held. The order is the order roles are listed in (管理者 first).
/// </summary>
public enum OrganizationRole
{
    Administrator, // 管理者 (医療情報システム安全管理責任者)
    Manager,       // 企画管理者
    Operator,      // システム運用担当者
    Executive,     // 経営層 (read and sign-off)
    Viewer,        // 閲覧者
}

/// <summary>One role a user holds in one organisation; a member with several roles has one row per role.</summary>
public sealed class Membership : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public OrganizationRole Role { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class Invitation : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Email { get; set; }
    public OrganizationRole Role { get; set; }
    /// <summary>SHA-256 of the token in the link; the token itself is never stored.</summary>
    public required string TokenHash { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }

    public bool IsOpen(DateTime now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;
}

/// <summary>Marks a row that belongs to one organisation; MamoriDb filters these by the current tenant.</summary>
public interface IOrganizationOwned
{
    Guid OrganizationId { get; }
}
