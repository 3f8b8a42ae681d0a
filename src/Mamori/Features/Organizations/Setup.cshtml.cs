using Mamori.Features.Audit;
using Mamori.Features.Identity;
using Mamori.Features.Shared;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Organizations;

/// <summary>First run: the one-time URL creates the first organisation and its administrator.</summary>
[Public, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RateLimits.SignIn)]
public sealed class SetupModel(MamoriDb db, SetupTokens tokens, UserManager<User> users, SignInManager<User> signIn, Text t, CommonPasswords common) : PageModel
{
    [BindProperty] public OrganizationInput Org { get; set; } = new();
    [BindProperty] public AccountInput Account { get; set; } = new();
    public FieldErrors Errors { get; private set; } = new();
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token)
    {
        await CheckAsync(token);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token)
    {
        if (!await CheckAsync(token)) return Page();
        Errors = await Org.ValidateAsync(db);
        var accountOk = await Account.ValidateAsync(users);
        var ownWords = PasswordPolicy.CheckWords(Account.Password, common, [Org.Name, Org.Code, Account.Email]).ToList();
        if (ownWords.Count > 0)
            foreach (var word in ownWords) Account.Errors.Add("Password", (word, word));
        if (Errors.Count > 0 || !accountOk || ownWords.Count > 0) return Page();

        var organization = Org.ToOrganization();
        var user = Account.ToUser();
        user.IsSystemAdmin = true; // the first-run administrator also administers the shared catalogue
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.Organizations.Add(organization);
            var created = await users.CreateAsync(user, Account.Password);
            if (!created.Succeeded)
            {
                foreach (var e in created.Errors) Account.Errors.Add("Password", (e.Description, e.Description));
                return Page(); // the transaction is rolled back on dispose: nothing half-done
            }
            user.LastOrganizationId = organization.Id;
            db.Memberships.Add(new Membership { OrganizationId = organization.Id, UserId = user.Id, Role = OrganizationRole.Administrator });
            db.Audit(AuditActions.Setup, "Organization", organization.Id.ToString(), new { organization.Code, administrator = user.Email }, organization.Id);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        tokens.Consume();
        await signIn.SignInAsync(user, isPersistent: false);
        return Redirect(SecondFactorGate.EnrolPath);
    }

    async Task<bool> CheckAsync(string token)
    {
        if (await db.Organizations.AnyAsync())
            Problem = t["セットアップは既に完了しています。サインインしてください。", "Setup has already been completed. Please sign in."];
        else if (!tokens.IsValid(token))
            Problem = t["このセットアップ用 URL は無効か期限切れです。サーバーを再起動すると、コンソールに新しい URL が表示されます。",
                        "This setup URL is invalid or expired. Restart the server to print a new one."];
        if (Problem is not null) Response.StatusCode = StatusCodes.Status404NotFound;
        return Problem is null;
    }
}
