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

    public int Devices { get; private set; }
    public int Connections { get; private set; }
    /// <summary>Null when the ledger is too large to evaluate on every dashboard view (see the findings page).</summary>
    public List<Mamori.Assets.Finding>? Findings { get; private set; }
    const int FindingsOnDashboardUpTo = 20_000;

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Summary = await DashboardSummary.LoadAsync(db, ct);
        Devices = await db.Assets.CountAsync(ct);
        Connections = await db.Connections.CountAsync(ct);
        if (Devices <= FindingsOnDashboardUpTo) Findings = await Mamori.Features.Assets.AssetFindings.EvaluateAsync(db, ct);
    }
}
