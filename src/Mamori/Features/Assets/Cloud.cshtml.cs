using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>クラウドサービス台帳 with the fields of the MHLW training example (seed 002).</summary>
[Requires(Permission.View)]
public sealed class CloudModel(MamoriDb db, TenantContext tenant, Text t) : PageModel
{
    public List<CloudService> Services { get; private set; } = [];
    [BindProperty] public CloudService Input { get; set; } = new() { Provider = "", NameAndPurpose = "" };
    public string? Error { get; private set; }
    public bool CanEdit => tenant.Can(Permission.LedgerEdit);

    public Guid? Editing { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? edit)
    {
        Services = await db.CloudServices.AsNoTracking().OrderBy(c => c.Provider).ToListAsync();
        if (edit is { } id)
        {
            if (Services.FirstOrDefault(c => c.Id == id) is not { } service) return NotFound();
            (Input, Editing) = (service, id);
        }
        return Page();
    }

    [Requires(Permission.LedgerEdit)]
    public async Task<IActionResult> OnPostAddAsync()
    {
        if (!Valid()) return await OnGetAsync(null);
        Apply(db.CloudServices.Add(new CloudService { OrganizationId = tenant.OrganizationId!.Value, Provider = "", NameAndPurpose = "" }).Entity);
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets/cloud");
    }

    [Requires(Permission.LedgerEdit)]
    public async Task<IActionResult> OnPostUpdateAsync(Guid id)
    {
        var service = await db.CloudServices.FirstOrDefaultAsync(c => c.Id == id);
        if (service is null) return NotFound();
        if (!Valid())
        {
            var page = await OnGetAsync(null);
            Editing = id;
            return page;
        }
        Apply(service);
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets/cloud");
    }

    bool Valid()
    {
        if (!string.IsNullOrWhiteSpace(Input.Provider) && !string.IsNullOrWhiteSpace(Input.NameAndPurpose)) return true;
        Error = t["提供事業者とサービス名称・用途を入力してください。", "Enter the provider and the service."];
        return false;
    }

    void Apply(CloudService c)
    {
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        (c.Provider, c.NameAndPurpose) = (Input.Provider.Trim(), Input.NameAndPurpose.Trim());
        (c.DomainOrAddress, c.AccessLocationAndRoute, c.UsersOrGroups) = (Clean(Input.DomainOrAddress), Clean(Input.AccessLocationAndRoute), Clean(Input.UsersOrGroups));
        (c.AuthenticationMethod, c.StartedOn, c.UsageStatus) = (Clean(Input.AuthenticationMethod), Input.StartedOn, Clean(Input.UsageStatus));
    }

    [Requires(Permission.LedgerEdit)]
    public async Task<IActionResult> OnPostDeleteAsync(Guid id)
    {
        var service = await db.CloudServices.FirstOrDefaultAsync(c => c.Id == id);
        if (service is null) return NotFound();
        db.CloudServices.Remove(service);
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets/cloud");
    }
}
