using Mamori.Data;
using Mamori.Organizations;
using Mamori.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Dashboard;

[OrgAccess]
public sealed class IndexModel(MamoriDb db, TenantContext tenant) : PageModel
{
    public Organization Organization => tenant.Organization!;
    public OrganizationRole Role => tenant.Role!.Value;
    public DashboardSummary Summary { get; private set; } = null!;

    public async Task OnGetAsync() => Summary = await DashboardSummary.LoadAsync(db, HttpContext.RequestAborted);
}
