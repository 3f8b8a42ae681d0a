using Mamori.Features.Identity;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Catalog;

/// <summary>Every framework edition in the catalogue, with what applies to this organisation.</summary>
[Requires(Permission.View)]
public sealed class IndexModel(MamoriDb db, TenantContext tenant, UserManager<User> users) : PageModel
{
    public CatalogIndex Index { get; private set; } = null!;
    public string? OwnKind { get; private set; }
    public bool CanAdminister { get; private set; }

    public async Task OnGetAsync()
    {
        Index = await CatalogIndex.GetAsync(db, HttpContext.RequestAborted);
        OwnKind = CatalogLabels.AppliesToValue(tenant.Organization!.Kind);
        CanAdminister = (await users.GetUserAsync(User))?.IsSystemAdmin == true;
    }

    public bool AppliesToUs(IndexedEdition e) =>
        OwnKind is not null && e.Header["applies_to"] is System.Text.Json.Nodes.JsonArray a && a.Any(x => (string?)x == OwnKind);
}
