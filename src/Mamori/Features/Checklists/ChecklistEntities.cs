using Mamori.Features.Catalog;
using Mamori.Features.Organizations;

namespace Mamori.Features.Checklists;

/// <summary>
/// One site's 立入検査 checklist for one fiscal year: the sheet of a catalogue edition it answers, pinned to the
/// catalogue revision it was started on (a later correction of the catalogue never changes what was answered).
/// </summary>
public sealed class ChecklistAssessment : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>Catalogue file id, e.g. checklist-r8.</summary>
    public required string EditionFileId { get; set; }
    public int EditionRevision { get; set; }
    /// <summary>The sheet node answered: site, pharmacy, site-and-pharmacy, or vendor (事業者確認用).</summary>
    public required string SheetNodeId { get; set; }
    /// <summary>事業者確認用 only: the vendor and system the sheet is about (one sheet per contracted vendor and system).</summary>
    public string? SystemName { get; set; }
    /// <summary>Japanese fiscal year (April–March) the edition is for: 令和8年度 = 2026.</summary>
    public int FiscalYear { get; set; }
    /// <summary>The pre-question 「医療情報システムを導入・運用している」; false makes the rest not required.</summary>
    public bool? SystemInUse { get; set; }
    /// <summary>1 until the first check is sealed, then 2 (the 2回目 update); 3 once the 2回目 is sealed too.</summary>
    public int Round { get; set; } = 1;
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    /// <summary>
    /// 事業者確認用 requested from a vendor inside Mamori: set on the vendor's own sheet (where it answers) and on the
    /// site's copy (filled from what the vendor submitted). Neither is sealed; the request's status is their sign-off.
    /// </summary>
    public Guid? VendorRequestId { get; set; }
    public bool IsClosed => Round > 2;
}

/// <summary>The answer to one item. Device columns (サーバ/端末PC/ネットワーク機器) are separate; items without them use General.</summary>
public sealed class ChecklistAnswer : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid AssessmentId { get; set; }
    /// <summary>Catalogue node id within the edition file, e.g. site-and-pharmacy.1.1.</summary>
    public required string NodeId { get; set; }
    /// <summary>"yes", "no", "not-applicable" or null (not answered), as in the catalogue's answers.</summary>
    public string? General { get; set; }
    public string? Server { get; set; }
    public string? Terminal { get; set; }
    public string? Network { get; set; }
    /// <summary>確認日 1回目 / 2回目.</summary>
    public DateOnly? CheckedOn1 { get; set; }
    public DateOnly? CheckedOn2 { get; set; }
    /// <summary>目標日: required for いいえ, within the fiscal year of the check.</summary>
    public DateOnly? TargetDate { get; set; }
    public string? Note { get; set; }
    public string? ResponsiblePerson { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    /// <summary>PostgreSQL xmin: a save based on an older version is refused instead of overwriting.</summary>
    public uint Version { get; set; }
    /// <summary>
    /// Set when the answer was carried over from last fiscal year's item (catalogue full id) through a "same" edition
    /// mapping. The answer is a proposal: it counts as done only once this year's 確認日 is entered.
    /// </summary>
    public string? CarriedFrom { get; set; }
    /// <summary>
    /// 要確認: set when a new revision of the sheet (the official Excel imported) removed this item or gave its wording
    /// another number (ReviewReason). The answer is kept, never dropped; null when nothing needs review.
    /// </summary>
    public string? NeedsReview { get; set; }
}

/// <summary>
/// A sealed check (1回目 or 2回目): the frozen snapshot of answers, dates and evidence hashes, signed by the
/// 安全管理責任者; its SHA-256 is written into the audit chain. A 経営層 member records their review on it.
/// </summary>
public sealed class ChecklistSeal : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid AssessmentId { get; set; }
    public int Round { get; set; }
    public DateTime SealedAt { get; set; }
    public required string SealedBy { get; set; }
    public required string Snapshot { get; set; }
    public required string Sha256 { get; set; }
    public DateOnly? ReviewedOn { get; set; }
    public string? ReviewedBy { get; set; }
    public string? ReviewComment { get; set; }
    /// <summary>The 経営層 review was recorded by the person who signed (one-person clinic: the 院長 holds both roles).</summary>
    public bool ReviewedBySigner { get; set; }

    public const string SamePersonJa = "同一人物（管理者と経営層を兼務）";
    public const string SamePersonEn = "same person (administrator and executive)";
}

/// <summary>Evidence behind an answer: an uploaded file (kept in PostgreSQL) or a link to a Mamori record (e.g. the 機器台帳).</summary>
public sealed class ChecklistEvidence : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid AssessmentId { get; set; }
    public required string NodeId { get; set; }
    /// <summary>file, or the linked area: assets / connections.</summary>
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public string? ContentType { get; set; }
    public long Size { get; set; }
    public string? Sha256 { get; set; }
    public DateOnly? ExpiresOn { get; set; }
    public DateTime AddedAt { get; set; }
    public required string AddedBy { get; set; }
}

/// <summary>The bytes of an evidence file, apart so that lists never load them.</summary>
public sealed class ChecklistEvidenceContent
{
    public Guid EvidenceId { get; set; }
    public required byte[] Content { get; set; }
}
