using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mamori.Platform.Audit;

/// <summary>
/// One row of the append-only, hash-chained audit trail (シス17 applied to Mamori itself).
/// The database refuses UPDATE, DELETE and TRUNCATE on the table (see migration AuditTrailIsAppendOnly), and the
/// application's database role may not change it either. There is one chain per organisation and one installation-wide
/// chain (<see cref="InstallationChain"/>, for events without an organisation), so organisations never wait on each other.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>The chain this entry belongs to: its organisation, or <see cref="InstallationChain"/>.</summary>
    public Guid ChainId { get; set; }
    /// <summary>Gapless position in its chain, starting at 1.</summary>
    public long Seq { get; set; }
    /// <summary>
    /// How <see cref="Hash"/> was computed: 1 = SHA-256 (entries written before the keyed chain; all in the
    /// installation chain, which once held every organisation), 2 = HMAC-SHA256 with the audit key (<see cref="AuditKey"/>).
    /// </summary>
    public short HashVersion { get; set; } = Keyed;
    /// <summary>Server time, UTC, truncated to microseconds (PostgreSQL's precision) so the hash survives a round trip.</summary>
    public DateTime OccurredAt { get; set; }
    public Guid? ActorUserId { get; set; }
    public required string ActorName { get; set; }
    public Guid? OrganizationId { get; set; }
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    /// <summary>JSON text (not jsonb: the exact bytes are hashed).</summary>
    public string? Details { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public required string PrevHash { get; set; }
    public required string Hash { get; set; }

    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
    /// <summary>The chain of events that belong to no organisation (catalogue imports, backups, first-run setup).</summary>
    public static readonly Guid InstallationChain = Guid.Empty;
    public const short Unkeyed = 1, Keyed = 2;

    public static Guid ChainOf(Guid? organizationId) => organizationId ?? InstallationChain;

    public static DateTime Truncate(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    /// <summary>The hash this entry must carry, by its <see cref="HashVersion"/>.</summary>
    public string ComputeHash(AuditKey key)
    {
        // A JSON array is an unambiguous encoding of the fields, whatever characters they contain.
        var occurred = OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
        if (HashVersion == Unkeyed)
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new object?[]
            {
                Seq, occurred, ActorUserId, ActorName, OrganizationId, Action, EntityType, EntityId, Details, IpAddress, UserAgent, PrevHash,
            }))));
        return key.MacEntry(JsonSerializer.Serialize(new object?[]
        {
            HashVersion, ChainId, Seq, occurred, ActorUserId, ActorName, OrganizationId, Action, EntityType, EntityId, Details,
            IpAddress, UserAgent, PrevHash,
        }));
    }
}

/// <summary>Stable action names. Never rename one that has been written.</summary>
public static class AuditActions
{
    public const string Create = "record.create";
    public const string Update = "record.update";
    public const string Delete = "record.delete";
    public const string View = "record.view";
    public const string Export = "record.export";
    public const string SignIn = "auth.sign_in";
    public const string SignInFailed = "auth.sign_in_failed";
    public const string SecondFactorFailed = "auth.second_factor_failed";
    public const string LockedOut = "auth.locked_out";
    public const string SignOut = "auth.sign_out";
    public const string TwoFactorEnabled = "auth.two_factor_enabled";
    public const string TwoFactorDisabled = "auth.two_factor_disabled";
    public const string RecoveryCodesGenerated = "auth.recovery_codes_generated";
    public const string PasskeyAdded = "auth.passkey_added";
    public const string PasswordChanged = "auth.password_changed";
    public const string Setup = "admin.setup";
    public const string InvitationCreated = "admin.invitation_created";
    public const string InvitationAccepted = "admin.invitation_accepted";
    public const string MemberRemoved = "admin.member_removed";
    public const string MemberRolesChanged = "admin.member_roles_changed";
    public const string SettingsChanged = "admin.settings_changed";
    public const string AccessDenied = "security.access_denied";
    public const string DemoLoaded = "admin.demo_loaded";
    public const string Backup = "admin.db_backup";
    public const string Restore = "admin.db_restore";
    public const string CatalogImported = "catalog.imported";
    public const string CatalogPublished = "catalog.published";
    public const string CatalogDraftDiscarded = "catalog.draft_discarded";
    public const string AssetsImported = "assets.imported";
    public const string ScanImported = "assets.scan_imported";
    public const string ChecklistSealed = "checklist.sealed";
    public const string ChecklistReviewed = "checklist.reviewed";
    public const string VendorRequestCreated = "vendor_request.created";
    public const string VendorRequestAccepted = "vendor_request.invitation_accepted";
    public const string VendorRequestSubmitted = "vendor_request.submitted";
    public const string VendorRequestReturned = "vendor_request.returned";
    public const string MailRetried = "mail.retried";
}
