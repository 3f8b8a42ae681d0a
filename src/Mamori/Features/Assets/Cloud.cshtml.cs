using Mamori.Assets;
using Mamori.Data;
using Mamori.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>クラウドサービス台帳 with the fields of the MHLW training example (seed 002).</summary>
[OrgAccess]
public sealed class CloudModel(MamoriDb db, TenantContext tenant, Mamori.Web.Text t) : PageModel
{
    public List<CloudService> Services { get; private set; } = [];
    [BindProperty] public CloudService Input { get; set; } = new() { Provider = "", NameAndPurpose = "" };
    public string? Error { get; private set; }
    public bool CanEdit => tenant.Has(Roles.Editors);

    public async Task OnGetAsync() => Services = await db.CloudServices.AsNoTracking().OrderBy(c => c.Provider).ToListAsync();

    public async Task<IActionResult> OnPostAddAsync()
    {
        if (!CanEdit) return StatusCode(StatusCodes.Status403Forbidden);
        if (string.IsNullOrWhiteSpace(Input.Provider) || string.IsNullOrWhiteSpace(Input.NameAndPurpose))
        {
            Error = t["提供事業者とサービス名称・用途を入力してください。", "Enter the provider and the service."];
            await OnGetAsync();
            return Page();
        }
        db.CloudServices.Add(new CloudService
        {
            OrganizationId = tenant.OrganizationId!.Value, Provider = Input.Provider.Trim(), NameAndPurpose = Input.NameAndPurpose.Trim(),
            DomainOrAddress = Input.DomainOrAddress, AccessLocationAndRoute = Input.AccessLocationAndRoute, UsersOrGroups = Input.UsersOrGroups,
            AuthenticationMethod = Input.AuthenticationMethod, StartedOn = Input.StartedOn, UsageStatus = Input.UsageStatus,
        });
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets/cloud");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id)
    {
        if (!CanEdit) return StatusCode(StatusCodes.Status403Forbidden);
        var service = await db.CloudServices.FirstOrDefaultAsync(c => c.Id == id);
        if (service is null) return NotFound();
        db.CloudServices.Remove(service);
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets/cloud");
    }
}
