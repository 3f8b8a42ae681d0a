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

/// <summary>An invitation link: joins the signed-in user, or creates the invited person's account.</summary>
[Public, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RateLimits.SignIn)]
public sealed class AcceptModel(MamoriDb db, UserManager<User> users, SignInManager<User> signIn, Text t, CommonPasswords common, TimeProvider time) : PageModel
{
    [BindProperty] public AccountInput Account { get; set; } = new();
    public string? Problem { get; private set; }
    public string OrganizationName { get; private set; } = "";
    string organizationCode = "";
    public string Email { get; private set; } = "";
    public OrganizationRole Role { get; private set; }
    public bool SignedIn { get; private set; }
    public bool AccountExists { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token)
    {
        await LoadAsync(token);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token)
    {
        var invitation = await LoadAsync(token);
        if (invitation is null || AccountExists && !SignedIn) return Page();

        User? user;
        await using var tx = await db.Database.BeginTransactionAsync();
        // Two accepts of one link at once: the second waits here for the first and then finds the invitation used.
        var state = await db.Database.SqlQuery<DateTime?>(
            $"""SELECT "AcceptedAt" AS "Value" FROM invitations WHERE "Id" = {invitation.Id} FOR UPDATE""").ToListAsync();
        if (state is not [null])
        {
            Problem = t["この招待は既に使われています。サインインしてご利用ください。", "This invitation has already been used. Please sign in."];
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        if (SignedIn)
        {
            user = await users.GetUserAsync(User);
            if (user is null) return Challenge();
        }
        else
        {
            Account.Email = invitation.Email;
            Account.EmailFixed = true;
            var valid = await Account.ValidateAsync(users);
            var ownWords = PasswordPolicy.CheckWords(Account.Password, common, [OrganizationName, organizationCode, invitation.Email]).ToList();
            foreach (var word in ownWords) Account.Errors.Add("Password", (word, word));
            if (!valid || ownWords.Count > 0) return Page();
            user = Account.ToUser();
            var created = await users.CreateAsync(user, Account.Password);
            if (!created.Succeeded)
            {
                foreach (var e in created.Errors) Account.Errors.Add("Password", (e.Description, e.Description));
                return Page();
            }
        }
        var alreadyMember = await db.Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .AnyAsync(m => m.OrganizationId == invitation.OrganizationId && m.UserId == user.Id);
        if (!alreadyMember)
            db.Memberships.Add(new Membership { OrganizationId = invitation.OrganizationId, UserId = user.Id, Role = invitation.Role });
        invitation.AcceptedAt = time.GetUtcNow().UtcDateTime;
        user.LastOrganizationId = invitation.OrganizationId;
        db.Audit(AuditActions.InvitationAccepted, "Invitation", invitation.Id.ToString(), new { user = user.Email, role = invitation.Role.ToString() }, invitation.OrganizationId);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        if (SignedIn) await signIn.RefreshSignInAsync(user);
        else await signIn.SignInAsync(user, isPersistent: false);
        return Redirect("/");
    }

    async Task<Invitation?> LoadAsync(string token)
    {
        var invitation = await Invitations.FindAsync(db, token);
        if (invitation is null || !invitation.IsOpen(time.GetUtcNow().UtcDateTime))
        {
            Problem = invitation is null
                ? t["この招待リンクは無効です。リンクを最後まで正しくコピーしたか確認してください。", "This invitation link is not valid."]
                : invitation.AcceptedAt is not null
                    ? t["この招待は既に使われています。サインインしてご利用ください。", "This invitation has already been used. Please sign in."]
                    : t["この招待リンクは期限切れか取り消されています。組織の管理者に新しい招待を依頼してください。", "This invitation has expired or was revoked. Ask the administrator for a new one."];
            Response.StatusCode = invitation is null ? 404 : 410;
            return null;
        }
        (OrganizationName, organizationCode) = await db.Organizations.Where(o => o.Id == invitation.OrganizationId)
            .Select(o => new ValueTuple<string, string>(o.Name, o.Code)).FirstAsync();
        Email = invitation.Email;
        Role = invitation.Role;
        SignedIn = User.Identity?.IsAuthenticated == true;
        if (SignedIn)
        {
            (_, Problem) = await InvitedAddress.CheckAsync(users, User, invitation.Email, t);
            if (Problem is not null)
            {
                Response.StatusCode = 403;
                return null;
            }
        }
        else
        {
            AccountExists = await users.FindByEmailAsync(invitation.Email) is not null;
            Account.EmailFixed = true;
        }
        return invitation;
    }
}
