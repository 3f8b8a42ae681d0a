using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Identity;

[SignedIn]
public sealed class LogoutModel(SignInManager<User> signIn, UserManager<User> users, MamoriDb db) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        await db.RecordAsync(AuditActions.SignOut, "User", user?.Id.ToString(), organizationId: await SignInAudit.OrganizationOfAsync(db, user));
        await signIn.SignOutAsync();
        return Redirect("/account/login");
    }
}
