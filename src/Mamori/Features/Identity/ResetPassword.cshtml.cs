using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Mamori.Features.Identity;

/// <summary>The reset link: a new password, once, within the hour; every session of the account ends.</summary>
[Public, EnableRateLimiting(RateLimits.SignIn)]
public sealed class ResetPasswordModel(UserManager<User> users, MamoriDb db, Text t, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")] public Guid UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    public string? Problem { get; private set; }
    public bool Done { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(string newPassword)
    {
        var account = UserId == Guid.Empty ? null : await users.FindByIdAsync(UserId.ToString());
        var invalid = t["このリンクは無効か、期限切れか、既に使われています。もう一度「パスワードを忘れたとき」から依頼してください。",
            "This link is not valid, has expired or was already used. Please ask for a new one."];
        if (account is null || string.IsNullOrEmpty(Token))
        {
            Problem = invalid;
            return Page();
        }
        var result = await users.ResetPasswordAsync(account, Token, newPassword ?? "");
        if (!result.Succeeded)
        {
            Problem = result.Errors.Any(e => e.Code == "InvalidToken") ? invalid : string.Join(" ", result.Errors.Select(e => e.Description));
            return Page();
        }
        await users.SetLockoutEndDateAsync(account, null);
        var ended = await UserSessions.RevokeAllAsync(db, account.Id, time);
        await db.RecordAsync(AuditActions.PasswordChanged, "User", account.Id.ToString(), new { method = "reset-link", sessionsEnded = ended },
            await SignInAudit.OrganizationOfAsync(db, account));
        Done = true;
        return Page();
    }
}
