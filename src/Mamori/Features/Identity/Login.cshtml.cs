using Mamori.Features.Audit;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Mamori.Features.Identity;

/// <summary>
/// Password sign-in. Unknown and real accounts get the same answer and about the same work (a dummy hash is checked for
/// unknown ones); failures are counted per address and typed e-mail (<see cref="SignInThrottle"/>), so a stranger cannot
/// lock someone else's account; what is written to the audit log is capped (<see cref="InputLimits"/>).
/// </summary>
[Public, EnableRateLimiting(RateLimits.SignIn)]
public sealed class LoginModel(SignInManager<User> signIn, UserManager<User> users, MamoriDb db, Text t,
    SignInThrottle throttle, DummyPassword dummy, TimeProvider time) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Message { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var email = InputLimits.Cap((Email ?? "").Trim(), InputLimits.Email)!;
        Email = email;
        var password = Password ?? "";
        var address = HttpContext.Connection.RemoteIpAddress?.ToString();
        var wrong = t["メールアドレスまたはパスワードが違います。", "Wrong e-mail address or password."];
        if (throttle.IsBlocked(address, email))
        {
            await db.RecordAsync(AuditActions.SignInFailed, details: new { email, reason = "throttled" });
            Message = t[$"このメールアドレスでのサインインの失敗が続いたため、この端末からの受付を一時的に止めています。{(int)throttle.Window.TotalMinutes} 分ほどしてから再度お試しください。",
                        $"Too many failed sign-ins for this address from here: please try again in about {(int)throttle.Window.TotalMinutes} minutes."];
            return Page();
        }
        if (throttle.DelayFor(email) is { } delay && delay > TimeSpan.Zero)
            await Task.Delay(delay, time, HttpContext.RequestAborted);

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            dummy.Verify(password); // the same work as for a real account
            throttle.Failed(address, email);
            await db.RecordAsync(AuditActions.SignInFailed, details: new { email, reason = "unknown-user" });
            Message = wrong;
            return Page();
        }
        var org = await SignInAudit.OrganizationOfAsync(db, user);
        // Failures are counted by SignInThrottle per address, not on the account: nobody can lock another person out.
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        if (result.RequiresTwoFactor)
            return RedirectToPage("/Identity/LoginTwoFactor", new { ReturnUrl = SafeReturn(ReturnUrl) });
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
            // Only wrong second-factor codes (after the right password) lock an account.
            await db.RecordAsync(AuditActions.LockedOut, "User", user.Id.ToString(), new { email = user.Email }, org);
            var until = await users.GetLockoutEndDateAsync(user);
            Message = t[$"確認コードの誤りが続いたため、アカウントを一時的にロックしました。{Text.Jst(until?.UtcDateTime ?? time.GetUtcNow().UtcDateTime)} 以降に再度お試しください。",
                        $"Too many wrong codes: the account is locked until {Text.Jst(until?.UtcDateTime ?? time.GetUtcNow().UtcDateTime)}."];
            return Page();
        }
        throttle.Failed(address, email);
        await db.RecordAsync(AuditActions.SignInFailed, "User", user.Id.ToString(), new { email = user.Email, reason = "wrong-password" }, org);
        Message = wrong;
        return Page();
    }

    /// <summary>
    /// A local path to go to after signing in, else "/": only "/…" (not "//" or "/\"), without control characters or
    /// spaces (a tab, U+3000 or CR/LF would not survive in a Location header); other non-ASCII characters are percent-encoded.
    /// </summary>
    public static string SafeReturn(string? url)
    {
        if (url is not { Length: > 1 } u || !u.StartsWith('/') || u.StartsWith("//") || u.StartsWith("/\\")) return "/";
        if (u.Length > 2048 || u.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))) return "/";
        if (u.All(char.IsAscii)) return u;
        var encoded = new System.Text.StringBuilder();
        foreach (var rune in u.EnumerateRunes())
            encoded.Append(rune.IsAscii ? rune.ToString() : Uri.EscapeDataString(rune.ToString()));
        return encoded.ToString();
    }
}
