using Mamori.Platform.Data;
using Mamori.Platform.Mail;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Mamori.Features.Identity;

/// <summary>Asks for a password reset link; the answer is the same whether or not the address has an account.</summary>
[Public, EnableRateLimiting(RateLimits.SignIn)]
public sealed class ForgotPasswordModel(UserManager<User> users, MamoriDb db, MailOutbox mail) : PageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty] public string Email { get; set; } = "";
    public bool Sent { get; private set; }
    public bool MailEnabled => mail.Enabled;

    public void OnGet() { }

    public async Task OnPostAsync()
    {
        var email = InputLimits.Cap((Email ?? "").Trim(), InputLimits.Email)!;
        Email = email;
        Sent = true;
        if (!mail.Enabled || email.Length == 0) return;
        var user = await users.FindByEmailAsync(email);
        if (user?.Email is null || await SignInAudit.OrganizationOfAsync(db, user) is not { } org) return;
        var token = await users.GeneratePasswordResetTokenAsync(user);
        mail.PasswordReset(db, org, user.Email, user.Language, PasswordReset.Link(user.Id, token));
        await db.SaveChangesAsync();
    }
}
