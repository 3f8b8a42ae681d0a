using Mamori.Features.Audit;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Mamori.Features.Identity;

/// <summary>TOTP enrolment with QR code; ends with one-time recovery codes.</summary>
[SignedIn]
public sealed class TwoFactorModel(UserManager<User> users, SignInManager<User> signIn, MamoriDb db, Text t) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";
    public string FormattedKey { get; private set; } = "";
    public string QrDataUri { get; private set; } = "";
    public bool AlreadyEnabled { get; private set; }
    public bool Required { get; private set; }
    public string? Message { get; private set; }
    public IEnumerable<string>? RecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        var valid = await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Code);
        if (!valid)
        {
            Message = t["コードが正しくありません。スマートフォンの時刻が正しいか確認し、新しいコードを入力してください。", "The code is not correct. Check the phone's clock and enter a new code."];
            await LoadAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
        await db.RecordAsync(AuditActions.TwoFactorEnabled, "User", user.Id.ToString(), new { method = "totp" }, await SignInAudit.OrganizationOfAsync(db, user));
        await signIn.RefreshSignInAsync(user);
        return Page();
    }

    async Task LoadAsync(User user)
    {
        AlreadyEnabled = user.TwoFactorEnabled;
        Required = await SecondFactor.IsRequiredAsync(db, user.Id);
        if (AlreadyEnabled) return;
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
        }
        FormattedKey = string.Join(" ", key.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
        var uri = $"otpauth://totp/Mamori:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer=Mamori&digits=6";
        using var qr = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        QrDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(qr).GetGraphic(5));
    }
}
