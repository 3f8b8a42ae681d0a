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

/// <summary>Second step of a password sign-in: TOTP code (never accepted twice) or a one-time recovery code.</summary>
[Public, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RateLimits.SignIn)]
public sealed class LoginTwoFactorModel(SignInManager<User> signIn, MamoriDb db, Text t) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";
    [BindProperty(SupportsGet = true)] public bool UseRecoveryCode { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/account/login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            Message = t["サインインの有効期限が切れました。もう一度メールアドレスとパスワードを入力してください。", "Your sign-in expired. Please start again."];
            return Page();
        }
        var code = (Code ?? "").Replace(" ", "").Replace("-", "");
        if (code.Length > 32) code = code[..32];
        var result = UseRecoveryCode
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(code)
            : await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        var org = await SignInAudit.OrganizationOfAsync(db, user);
        if (result.Succeeded)
        {
            await db.RecordAsync(AuditActions.SignIn, "User", user.Id.ToString(), new { method = UseRecoveryCode ? "password+recovery-code" : "password+totp" }, org);
            return LocalRedirect(LoginModel.SafeReturn(ReturnUrl));
        }
        if (result.IsLockedOut)
        {
            await db.RecordAsync(AuditActions.LockedOut, "User", user.Id.ToString(), new { email = user.Email }, org);
            Message = t["確認コードの誤りが続いたため、アカウントを一時的にロックしました。しばらくしてから再度お試しください。",
                        "Too many wrong codes: the account is temporarily locked."];
            return Page();
        }
        await db.RecordAsync(AuditActions.SecondFactorFailed, "User", user.Id.ToString(), new { method = UseRecoveryCode ? "recovery-code" : "totp" }, org);
        Message = t["コードが正しくないか、既に使われたコードです。次に表示されるコードを入力してください。", "The code is wrong or was already used. Enter the next code."];
        return Page();
    }
}
