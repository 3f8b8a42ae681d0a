using Mamori.Features.Organizations;

namespace Mamori.Features.Vendors;

/// <summary>依頼中 → 回答済 (submitted) → 差戻し (returned with a comment) → 回答済 …</summary>
public enum VendorRequestStatus
{
    Requested,
    Answered,
    Returned,
}

/// <summary>
/// A site's request to a vendor for its 事業者確認用 about one system. Owned by the site (the tenant filter shows it to
/// the site); the vendor reaches it only through <see cref="VendorRequests.AddressedTo"/>, which checks
/// <see cref="VendorOrganizationId"/>. A vendor without a Mamori organisation gets an invitation link first.
/// </summary>
public sealed class VendorRequest : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The requesting site (医療機関・薬局).</summary>
    public Guid OrganizationId { get; set; }
    /// <summary>The site's name as the vendor sees it (the vendor cannot read the site's organisation).</summary>
    public required string SiteName { get; set; }
    public required string VendorName { get; set; }
    /// <summary>The vendor's organisation: chosen by the site, or set when the invitation is accepted.</summary>
    public Guid? VendorOrganizationId { get; set; }
    /// <summary>Invitation (vendor not yet in Mamori): the address it is for, SHA-256 of the link's token, expiry.</summary>
    public string? InviteEmail { get; set; }
    public string? InviteTokenHash { get; set; }
    public DateTime? InviteExpiresAt { get; set; }
    /// <summary>Catalogue file of the checklist edition, e.g. checklist-r8.</summary>
    public required string EditionFileId { get; set; }
    public int FiscalYear { get; set; }
    public required string SystemName { get; set; }
    public string? Message { get; set; }
    /// <summary>回答期限: by when the site wants the answer (optional; a JST day).</summary>
    public DateOnly? DueOn { get; set; }
    public VendorRequestStatus Status { get; set; }
    public DateTime RequestedAt { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime? SubmittedAt { get; set; }
    public string? SubmittedBy { get; set; }
    public DateTime? ReturnedAt { get; set; }
    public string? ReturnedBy { get; set; }
    public string? ReturnComment { get; set; }
    /// <summary>The site's copy of the sheet (what the inspection pack contains), filled on each submission.</summary>
    public Guid SiteAssessmentId { get; set; }
    /// <summary>The vendor's own sheet, created when the vendor starts answering.</summary>
    public Guid? VendorAssessmentId { get; set; }
    /// <summary>PostgreSQL xmin: a change based on a stale read is refused (submission and return also lock the row).</summary>
    public uint Version { get; set; }
}
