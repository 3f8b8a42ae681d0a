using Mamori.Features.Assets;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Organizations;
using Mamori.Features.Vendors;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Dashboard;

/// <summary>
/// The home page says what to do next. A site (病院・診療所・薬局): this year's sheet with its progress and the next
/// item to answer, 目標日 coming due, vendor requests waiting, then the ledgers' findings. A vendor: the requests
/// addressed to it first. Administrative counts live on the settings page and the audit log.
/// </summary>
[Requires(Permission.View)]
public sealed class IndexModel(MamoriDb db, TenantContext tenant, TimeProvider clock) : PageModel
{
    /// <summary>いいえ answers whose 目標日 is this close (or past) are listed as coming due.</summary>
    public const int DueWithinDays = 30;

    /// <param name="Renumbered">要確認: answers whose item a newly imported official form gave another number (save again to settle).</param>
    public sealed record SheetStatus(ChecklistProgress Progress, ItemSpec? NextItem, int Missing, int Renumbered);
    public sealed record DueItem(Guid AssessmentId, ItemSpec Item, DateOnly TargetDate, bool Overdue);

    public Organization Organization => tenant.Organization!;
    public IReadOnlyList<OrganizationRole> Roles => tenant.Roles;
    public bool IsVendor => Organization.Kind == OrganizationKind.Vendor;
    public DateOnly Today { get; private set; }
    public int FiscalYear => AnswerRules.FiscalYearOf(Today);

    public List<SheetStatus> Sheets { get; } = [];
    public List<DueItem> ComingDue { get; } = [];
    /// <summary>A site's own requests to its vendors, or (for a vendor) those addressed to it; newest first.</summary>
    public List<VendorRequest> Requests { get; private set; } = [];

    public int Devices => Findings.DeviceCount;
    public int Connections { get; private set; }
    /// <summary>The ledgers' findings, cached until the ledger changes (AssetFindings.EvaluateCachedAsync).</summary>
    public LedgerFindings Findings { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9)).DateTime); // JST (no summer time)
        if (IsVendor)
        {
            // A vendor's home: what sites asked of it. Its own sheets are reached from each request.
            Requests = await VendorRequests.AddressedTo(db, Organization.Id).AsNoTracking()
                .OrderBy(r => r.Status == VendorRequestStatus.Answered).ThenByDescending(r => r.RequestedAt).Take(50).ToListAsync(ct);
            return;
        }

        // The site's own sheets of the latest fiscal year started (the 事業者確認用 copies are the vendors' to answer).
        var assessments = await db.ChecklistAssessments.AsNoTracking().Where(a => a.SheetNodeId != "vendor")
            .OrderByDescending(a => a.FiscalYear).ThenBy(a => a.CreatedAt).ToListAsync(ct);
        foreach (var a in assessments.Where(a => a.FiscalYear == assessments[0].FiscalYear))
        {
            if (await ChecklistRecord.LoadAsync(db, a, Organization.Name, ct) is not { } record) continue;
            var progress = ChecklistProgress.From(record, Today);
            var missing = a.IsClosed ? [] : ChecklistService.Missing(record.Sheet, a, record.Answers);
            Sheets.Add(new SheetStatus(progress, missing.FirstOrDefault(), missing.Count,
                a.IsClosed ? 0 : record.Answers.Values.Count(x => x.NeedsReview == ReviewReason.Renumbered)));
            ComingDue.AddRange(progress.NoItems
                .Where(n => n.TargetDate is { } t && t <= Today.AddDays(DueWithinDays))
                .Select(n => new DueItem(a.Id, n.Item, n.TargetDate!.Value, n.Overdue)));
        }
        ComingDue.Sort((x, y) => x.TargetDate.CompareTo(y.TargetDate));
        Requests = await db.VendorRequests.AsNoTracking()
            .OrderBy(r => r.Status == VendorRequestStatus.Answered ? 0 : r.Status == VendorRequestStatus.Returned ? 1 : 2)
            .ThenByDescending(r => r.RequestedAt).Take(50).ToListAsync(ct);
        Findings = await AssetFindings.EvaluateCachedAsync(db, tenant.OrganizationId!.Value, ct);
        Connections = await db.Connections.CountAsync(ct);
    }
}
