using Mamori.Features.Audit;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Identity;

[Public]
public sealed class LoginModel(SignInManager<User> signIn, UserManager<User> users, MamoriDb db, Text t) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Message { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.FindByEmailAsync(Email.Trim());
        var org = await SignInAudit.OrganizationOfAsync(db, user);
        if (user is null)
        {
            await db.RecordAsync(AuditActions.SignInFailed, details: new { email = Email.Trim(), reason = "unknown-user" });
            Message = t["メールアドレスまたはパスワードが違います。", "Wrong e-mail address or password."];
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
            return RedirectToPage("/Identity/LoginTwoFactor", new { ReturnUrl });
        if (result.Succeeded)
        {
            // A passkey-only account may not skip its second factor by using the password alone.
            if (!user.TwoFactorEnabled && (await users.GetPasskeysAsync(user)).Count > 0 && await SecondFactor.IsRequiredAsync(db, user.Id))
            {
                await signIn.SignOutAsync();
                Message = t["このアカウントはパスキーでサインインしてください（二要素認証が必要です）。", "Sign in to this account with your passkey (a second factor is required)."];
                return Page();
            }
            await db.RecordAsync(AuditActions.SignIn, "User", user.Id.ToString(), new { method = "password" }, org);
            return LocalRedirect(SafeReturn(ReturnUrl));
        }
        if (result.IsLockedOut)
        {
            await db.RecordAsync(AuditActions.LockedOut, "User", user.Id.ToString(), new { email = user.Email }, org);
            var until = await users.GetLockoutEndDateAsync(user);
            Message = t[$"サインインの失敗が続いたため、アカウントを一時的にロックしました。{Text.Jst(until?.UtcDateTime ?? DateTime.UtcNow)} 以降に再度お試しください。",
                        $"Too many failed attempts: the account is locked until {Text.Jst(until?.UtcDateTime ?? DateTime.UtcNow)}."];
            return Page();
        }
        await db.RecordAsync(AuditActions.SignInFailed, "User", user.Id.ToString(), new { email = user.Email, reason = "wrong-password" }, org);
        Message = t["メールアドレスまたはパスワードが違います。", "Wrong e-mail address or password."];
        return Page();
    }

    public static string SafeReturn(string? url) =>
        url is { Length: > 1 } u && u.StartsWith('/') && !u.StartsWith("//") && !u.StartsWith("/\\") ? u : "/";
}
