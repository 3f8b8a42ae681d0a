using System.Security.Claims;
using Mamori.Features.Audit;
using Mamori.Features.Identity;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Organizations;

[SignedIn]
public sealed class NewModel(MamoriDb db, UserManager<User> users, SignInManager<User> signIn) : PageModel
{
    [BindProperty] public OrganizationInput Org { get; set; } = new();
    public FieldErrors Errors { get; private set; } = new();

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        Errors = await Org.ValidateAsync(db);
        if (Errors.Count > 0) return Page();
        var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var organization = Org.ToOrganization();
        db.Organizations.Add(organization);
        db.Memberships.Add(new Membership { OrganizationId = organization.Id, UserId = userId, Role = OrganizationRole.Administrator });
        db.Audit(AuditActions.Setup, "Organization", organization.Id.ToString(), new { organization.Code }, organization.Id);
        await db.SaveChangesAsync();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is not null) await signIn.RefreshSignInAsync(user); // administrators need a second factor
        return Redirect("/o/" + organization.Code);
    }
}
