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

[SignedIn]
public sealed class SecurityModel(UserManager<User> users, SignInManager<User> signIn, MamoriDb db, Text t, TimeProvider time,
    Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> cookies) : PageModel
{
    public bool TwoFactorEnabled { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public IList<UserPasskeyInfo> Passkeys { get; private set; } = [];
    public IEnumerable<string>? NewRecoveryCodes { get; private set; }
    public List<UserSession> Sessions { get; private set; } = [];
    public Guid? CurrentSession => UserSessions.IdOf(User);
    public string? Message { get; private set; }
    public bool Ok { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? Challenge() : Page();

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await LoadAsync();
        if (user is null) return Challenge();
        if (!user.TwoFactorEnabled) return Page();
        NewRecoveryCodes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
        await db.RecordAsync(AuditActions.RecoveryCodesGenerated, "User", user.Id.ToString(), organizationId: await SignInAudit.OrganizationOfAsync(db, user));
        (Message, Ok) = (t["新しいリカバリーコードを作成しました。以前のコードは使えなくなりました。", "New recovery codes created; the old ones no longer work."], true);
        RecoveryCodesLeft = 10;
        return Page();
    }

    public async Task<IActionResult> OnPostRemovePasskeyAsync(string credentialId)
    {
        var user = await LoadAsync();
        if (user is null) return Challenge();
        byte[] id;
        try { id = Convert.FromBase64String(credentialId); } catch (FormatException) { return BadRequest(); }
        if (!user.TwoFactorEnabled && Passkeys.Count == 1 && await SecondFactor.IsRequiredAsync(db, user.Id))
        {
            Message = t["最後の二要素認証手段は削除できません。先に認証アプリを設定してください。", "You cannot remove your last second factor; set up an authenticator app first."];
            return Page();
        }
        await users.RemovePasskeyAsync(user, id);
        await signIn.RefreshSignInAsync(user);
        await LoadAsync();
        (Message, Ok) = (t["パスキーを削除しました。", "Passkey removed."], true);
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync(string currentPassword, string newPassword)
    {
        var user = await LoadAsync();
        if (user is null) return Challenge();
        var result = await users.ChangePasswordAsync(user, currentPassword ?? "", newPassword ?? "");
        if (!result.Succeeded)
        {
            Message = string.Join(" ", result.Errors.Select(e => e.Code == "PasswordMismatch" ? t["現在のパスワードが違います。", "The current password is wrong."] : e.Description));
            return Page();
        }
        // Every other browser signed in with the old password is signed out at its next request.
        var ended = await UserSessions.RevokeAllAsync(db, user.Id, time, keep: CurrentSession);
        await db.RecordAsync(AuditActions.PasswordChanged, "User", user.Id.ToString(), new { otherSessionsEnded = ended },
            await SignInAudit.OrganizationOfAsync(db, user));
        await signIn.RefreshSignInAsync(user);
        await LoadAsync();
        (Message, Ok) = (t["パスワードを変更しました。ほかの端末のサインインは終了しました。", "Password changed; you were signed out on every other device."], true);
        return Page();
    }

    /// <summary>Signs this user out on every browser, this one included (a lost phone, a shared PC left signed in).</summary>
    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var user = await LoadAsync();
        if (user is null) return Challenge();
        var ended = await UserSessions.RevokeAllAsync(db, user.Id, time);
        await db.RecordAsync(AuditActions.SignOut, "User", user.Id.ToString(), new { everywhere = true, sessions = ended },
            await SignInAudit.OrganizationOfAsync(db, user));
        await signIn.SignOutAsync();
        return Redirect("/account/login");
    }

    async Task<User?> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return null;
        TwoFactorEnabled = user.TwoFactorEnabled;
        RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
        Passkeys = await users.GetPasskeysAsync(user);
        Sessions = await UserSessions.OpenAsync(db, user.Id, cookies.Get(IdentityConstants.ApplicationScheme).ExpireTimeSpan, time);
        return user;
    }
}
