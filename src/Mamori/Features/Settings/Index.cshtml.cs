using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mamori.Audit;
using Mamori.Data;
using Mamori.Organizations;
using Mamori.Tenancy;
using Mamori.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Settings;

/// <summary>Organisation profile, 2FA requirement, members and invitations (administrators only).</summary>
[OrgAccess(OrganizationRole.Administrator)]
public sealed class IndexModel(MamoriDb db, TenantContext tenant, Text t, Mail.MailOutbox mail) : PageModel
{
    public sealed record MemberRow(Guid Id, string Name, string Email, OrganizationRole Role, bool TwoFactor);

    public Organization Organization => tenant.Organization!;
    public List<MemberRow> Members { get; private set; } = [];
    public List<Invitation> OpenInvitations { get; private set; } = [];
    public string? NewInvitationLink { get; private set; }
    public string? Message { get; private set; }
    public bool Ok { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostProfileAsync(string name, string prefecture, string? medicalInstitutionCode, bool requireTwoFactor)
    {
        var org = await db.Organizations.FirstAsync(o => o.Id == tenant.OrganizationId);
        var code = string.IsNullOrWhiteSpace(medicalInstitutionCode) ? null : OrganizationInput.ToHalfWidthDigits(medicalInstitutionCode.Trim());
        name = (name ?? "").Trim();
        if (name.Length is 0 or > 200 || !Labels.Prefectures.Contains(prefecture) || code is not null && (code.Length != 10 || !code.All(char.IsAsciiDigit)))
            return await Done(t["入力に誤りがあります: 名称（1〜200文字）、都道府県、医療機関コード（数字10桁）を確認してください。", "Check the name, prefecture and the 10-digit code."], false);
        (org.Name, org.Prefecture, org.MedicalInstitutionCode, org.RequireTwoFactor) = (name, prefecture, code, requireTwoFactor);
        await db.SaveChangesAsync(); // the change and its audit row are written together
        return await Done(t["保存しました。", "Saved."], true);
    }

    public async Task<IActionResult> OnPostInviteAsync(string inviteEmail, OrganizationRole inviteRole, int inviteDays = 7)
    {
        inviteEmail = (inviteEmail ?? "").Trim();
        if (!new EmailAddressAttribute().IsValid(inviteEmail) || !Enum.IsDefined(inviteRole) || inviteDays is < 1 or > 30)
            return await Done(t["メールアドレス・役割・有効期間（1〜30日）を確認してください。", "Check the e-mail, role and validity (1–30 days)."], false);
        var (token, hash) = Invitations.NewToken();
        var invitation = new Invitation
        {
            OrganizationId = tenant.OrganizationId!.Value, Email = inviteEmail, Role = inviteRole, TokenHash = hash,
            ExpiresAt = DateTime.UtcNow.AddDays(inviteDays), CreatedByUserId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!),
        };
        db.Invitations.Add(invitation);
        db.Audit(AuditActions.InvitationCreated, "Invitation", invitation.Id.ToString(), new { email = inviteEmail, role = inviteRole.ToString(), days = inviteDays });
        await mail.InvitationAsync(db, invitation, tenant.Organization!.Name, token, HttpContext.RequestAborted);
        await db.SaveChangesAsync();
        NewInvitationLink = $"{Request.Scheme}://{Request.Host}/invite/{token}";
        return await Done(t[$"{inviteEmail} への招待リンクを作成しました（{inviteDays}日間有効）。", $"Invitation link for {inviteEmail} created (valid {inviteDays} days)."]
            + (mail.Enabled ? t[" 招待メールも送ります。", " An invitation e-mail is being sent too."] : ""), true);
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid invitationId)
    {
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId); // tenant filter: a foreign id is simply not found
        if (invitation is null) return NotFound();
        invitation.RevokedAt = DateTime.UtcNow;
        await db.SaveChangesAsync();
        return await Done(t["招待を取り消しました。", "Invitation revoked."], true);
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid membershipId)
    {
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.Id == membershipId);
        if (membership is null) return NotFound();
        if (membership.Role == OrganizationRole.Administrator
            && await db.Memberships.CountAsync(m => m.Role == OrganizationRole.Administrator) == 1)
            return await Done(t["最後の管理者は外せません。先に別のメンバーを管理者として招待してください。", "The last administrator cannot be removed."], false);
        db.Memberships.Remove(membership);
        db.Audit(AuditActions.MemberRemoved, "Membership", membership.Id.ToString(), new { membership.UserId, role = membership.Role.ToString() });
        await db.SaveChangesAsync();
        var self = membership.UserId == Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        if (self) return Redirect("/");
        return await Done(t["メンバーを外しました。", "Member removed."], true);
    }

    async Task<IActionResult> Done(string message, bool ok)
    {
        (Message, Ok) = (message, ok);
        if (!ok) Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync()
    {
        Members = await db.Memberships.AsNoTracking().OrderBy(m => m.Role).ThenBy(m => m.User!.DisplayName)
            .Select(m => new MemberRow(m.Id, m.User!.DisplayName, m.User.Email!, m.Role, m.User.TwoFactorEnabled)).ToListAsync();
        var now = DateTime.UtcNow;
        OpenInvitations = await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now).OrderBy(i => i.ExpiresAt).ToListAsync();
        // The member list names people and e-mail addresses: viewing it is recorded.
        await db.RecordAsync(AuditActions.View, "Members", tenant.Organization!.Code);
    }
}
