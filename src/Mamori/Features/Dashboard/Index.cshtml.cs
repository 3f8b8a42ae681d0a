using Mamori.Data;
using Mamori.Organizations;
using Mamori.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Dashboard;

[OrgAccess]
public sealed class IndexModel(MamoriDb db, TenantContext tenant) : PageModel
{
    public Organization Organization => tenant.Organization!;
    public OrganizationRole Role => tenant.Role!.Value;
    public DashboardSummary Summary { get; private set; } = null!;

    public int Devices => Findings.DeviceCount;
    public int Connections { get; private set; }
    /// <summary>The ledgers' findings, cached until the ledger changes (AssetFindings.EvaluateCachedAsync).</summary>
    public Mamori.Assets.LedgerFindings Findings { get; private set; } = null!;

    public List<Mamori.Checklists.ChecklistProgress> Checklists { get; } = [];
    /// <summary>事業者確認用の依頼 by status: the site's own requests, or (for a vendor) those addressed to it.</summary>
    public Dictionary<Mamori.Vendors.VendorRequestStatus, int> VendorRequests { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        // The sheets of the latest fiscal year started.
        var assessments = await db.ChecklistAssessments.AsNoTracking().OrderByDescending(a => a.FiscalYear).ToListAsync(ct);
        foreach (var a in assessments.Where(a => a.FiscalYear == assessments[0].FiscalYear))
            if (await Mamori.Checklists.ChecklistProgress.LoadAsync(db, a, today, ct) is { } progress) Checklists.Add(progress);
        var requests = Organization.Kind == OrganizationKind.Vendor
            ? Mamori.Vendors.VendorRequests.AddressedTo(db, Organization.Id)
            : db.VendorRequests;
        VendorRequests = await requests.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        Summary = await DashboardSummary.LoadAsync(db, ct);
        Findings = await Mamori.Assets.AssetFindings.EvaluateCachedAsync(db, tenant.OrganizationId!.Value, ct);
        Connections = await db.Connections.CountAsync(ct);
    }
}
