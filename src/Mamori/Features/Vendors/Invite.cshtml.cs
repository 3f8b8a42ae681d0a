using System.Security.Claims;
using Mamori.Features.Audit;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Features.Shared;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Vendors;

/// <summary>
/// A site's invitation to a vendor not yet in Mamori: the vendor's contact (the invited address) creates an account and
/// the vendor's organisation, or signs in and picks a vendor organisation it already administers; the request then
/// appears there.
/// </summary>
[Public, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RateLimits.SignIn)]
public sealed class InviteModel(MamoriDb db, UserManager<User> users, SignInManager<User> signIn, Text t, TimeProvider clock) : PageModel
{
    [BindProperty] public AccountInput Account { get; set; } = new();
    [BindProperty] public OrganizationInput Org { get; set; } = new();
    public FieldErrors OrgErrors { get; private set; } = new();
    public VendorRequest? Invitation { get; private set; }
    public string? Problem { get; private set; }
    public bool SignedIn { get; private set; }
    public bool AccountExists { get; private set; }
    /// <summary>Vendor organisations the signed-in user administers (the request can go to one of them).</summary>
    public List<MyOrganization> MyVendors { get; private set; } = [];
    /// <summary>The signed-in user, once checked to be the invited address.</summary>
    User? me;

    public async Task<IActionResult> OnGetAsync(string token)
    {
        if (await LoadAsync(token) is { } request && string.IsNullOrEmpty(Org.Name)) Org.Name = request.VendorName;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, Guid? vendorOrganization)
    {
        var request = await LoadAsync(token);
        if (request is null || AccountExists && !SignedIn) return Page();
        var ct = HttpContext.RequestAborted;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = me;
        if (!SignedIn)
        {
            (Account.Email, Account.EmailFixed) = (request.InviteEmail!, true);
            if (!await Account.ValidateAsync(users)) return Page();
        }
        Organization vendor;
        if (vendorOrganization is { } chosen)
        {
            // Only a vendor organisation this user administers; anything else is not offered.
            if (MyVendors.FirstOrDefault(m => m.Id == chosen) is null) return NotFound();
            vendor = (await db.Organizations.FindAsync([chosen], ct))!;
        }
        else
        {
            Org.Kind = OrganizationKind.Vendor;
            Org.MedicalInstitutionCode = null;
            OrgErrors = await Org.ValidateAsync(db, ct);
            if (OrgErrors.Count > 0) return Page();
            vendor = Org.ToOrganization();
            vendor.IsDemo = false;
            db.Organizations.Add(vendor);
        }
        if (user is null)
        {
            user = Account.ToUser();
            var created = await users.CreateAsync(user, Account.Password);
            if (!created.Succeeded)
            {
                foreach (var e in created.Errors) Account.Errors.Add("Password", (e.Description, e.Description));
                return Page();
            }
        }
        if (vendorOrganization is null)
        {
            db.Memberships.Add(new Membership { OrganizationId = vendor.Id, UserId = user.Id, Role = OrganizationRole.Administrator });
            db.Audit(AuditActions.Setup, "Organization", vendor.Id.ToString(), new { vendor.Code, invitedBy = request.SiteName }, vendor.Id);
        }
        VendorRequests.Accept(db, request, vendor);
        user.LastOrganizationId = vendor.Id;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // Signing in again: a new administrator is asked to set up a second factor (シス14) before anything else.
        if (SignedIn) await signIn.RefreshSignInAsync(user);
        else await signIn.SignInAsync(user, isPersistent: false);
        return Redirect($"/o/{vendor.Code}/checklists#vendor-inbox");
    }

    async Task<VendorRequest?> LoadAsync(string token)
    {
        var request = await VendorRequests.FindInvitationAsync(db, token);
        if (request is null || request.InviteExpiresAt is not { } expires || expires <= clock.GetUtcNow().UtcDateTime)
        {
            Problem = request is null
                ? t["この招待リンクは無効です。既に使われたか、リンクが途中で切れています。依頼元の医療機関・薬局に確認してください。", "This invitation link is not valid (used already, or cut off)."]
                : t["この招待リンクは期限切れです。依頼元の医療機関・薬局に新しい依頼を頼んでください。", "This invitation has expired; ask the site for a new request."];
            Response.StatusCode = request is null ? 404 : 410;
            return null;
        }
        Invitation = request;
        SignedIn = User.Identity?.IsAuthenticated == true;
        if (SignedIn)
        {
            (me, Problem) = await InvitedAddress.CheckAsync(users, User, request.InviteEmail!, t);
            if (me is null)
            {
                Response.StatusCode = 403;
                return null;
            }
            MyVendors = (await MyOrganizations.LoadAsync(db, me.Id))
                .Where(m => m.Kind == OrganizationKind.Vendor && m.Role is OrganizationRole.Administrator or OrganizationRole.Manager).ToList();
        }
        else
        {
            AccountExists = await users.FindByEmailAsync(request.InviteEmail!) is not null;
            Account.EmailFixed = true;
            Account.Email = request.InviteEmail!;
        }
        return request;
    }
}
