using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mamori.Features.Audit;
using Mamori.Features.Dashboard;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Mail;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Organizations;

/// <summary>Organisation profile, 2FA requirement, members and invitations (administrators only).</summary>
[Requires(Permission.SettingsManage)]
public sealed class SettingsModel(MamoriDb db, TenantContext tenant, Text t, MailOutbox mail, TimeProvider clock) : PageModel
{
    /// <summary>One person and every role they hold here (one membership row per role).</summary>
    public sealed record MemberRow(Guid UserId, string Name, string Email, IReadOnlyList<OrganizationRole> Roles, bool TwoFactor);

    public Organization Organization => tenant.Organization!;
    public List<MemberRow> Members { get; private set; } = [];
    /// <summary>Members, open invitations, administrators without a second factor (moved here from the home page).</summary>
    public DashboardSummary Summary { get; private set; } = null!;
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

    [Requires(Permission.MembersManage)]
    public async Task<IActionResult> OnPostInviteAsync(string inviteEmail, OrganizationRole inviteRole, int inviteDays = 7)
    {
        inviteEmail = (inviteEmail ?? "").Trim();
        if (!new EmailAddressAttribute().IsValid(inviteEmail) || !Enum.IsDefined(inviteRole) || inviteDays is < 1 or > 30)
            return await Done(t["メールアドレス・役割・有効期間（1〜30日）を確認してください。", "Check the e-mail, role and validity (1–30 days)."], false);
        var (token, hash) = Invitations.NewToken();
        var invitation = new Invitation
        {
            OrganizationId = tenant.OrganizationId!.Value, Email = inviteEmail, Role = inviteRole, TokenHash = hash,
            ExpiresAt = clock.GetUtcNow().UtcDateTime.AddDays(inviteDays), CreatedByUserId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!),
        };
        db.Invitations.Add(invitation);
        db.Audit(AuditActions.InvitationCreated, "Invitation", invitation.Id.ToString(), new { email = inviteEmail, role = inviteRole.ToString(), days = inviteDays });
        await mail.InvitationAsync(db, invitation, tenant.Organization!.Name, token, HttpContext.RequestAborted);
        await db.SaveChangesAsync();
        NewInvitationLink = $"{Request.Scheme}://{Request.Host}/invite/{token}";
        return await Done(t[$"{inviteEmail} への招待リンクを作成しました（{inviteDays}日間有効）。", $"Invitation link for {inviteEmail} created (valid {inviteDays} days)."]
            + (mail.Enabled ? t[" 招待メールも送ります。", " An invitation e-mail is being sent too."] : ""), true);
    }

    [Requires(Permission.MembersManage)]
    public async Task<IActionResult> OnPostRevokeAsync(Guid invitationId)
    {
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId); // tenant filter: a foreign id is simply not found
        if (invitation is null) return NotFound();
        invitation.RevokedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync();
        return await Done(t["招待を取り消しました。", "Invitation revoked."], true);
    }

    /// <summary>
    /// The roles a member holds, as ticked: rows are added and removed to match. Nobody is left without a role (外す
    /// removes a member) and the organisation always keeps an administrator.
    /// </summary>
    [Requires(Permission.MembersManage)]
    public async Task<IActionResult> OnPostRolesAsync(Guid userId, List<OrganizationRole> roles)
    {
        var rows = await db.Memberships.Where(m => m.UserId == userId).ToListAsync(); // tenant filter: a foreign member is not found
        if (rows.Count == 0) return NotFound();
        var wanted = roles.Where(Enum.IsDefined).Distinct().Order().ToList();
        if (wanted.Count == 0)
            return await Done(t["役割を1つ以上選んでください。組織から外す場合は「外す」を使ってください。", "Choose at least one role; use Remove to take the member out."], false);
        var before = rows.Select(m => m.Role).Order().ToList();
        if (before.SequenceEqual(wanted)) return await Done(t["役割は変わっていません。", "The roles are unchanged."], true);
        if (before.Contains(OrganizationRole.Administrator) && !wanted.Contains(OrganizationRole.Administrator) && await IsLastAdministratorAsync(userId))
            return await Done(t["最後の管理者から管理者の役割は外せません。先に別のメンバーを管理者にしてください。",
                "The last administrator must stay an administrator; make another member an administrator first."], false);
        db.Memberships.RemoveRange(rows.Where(m => !wanted.Contains(m.Role)));
        db.Memberships.AddRange(wanted.Except(before).Select(r => new Membership { OrganizationId = tenant.OrganizationId!.Value, UserId = userId, Role = r }));
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstAsync();
        db.Audit(AuditActions.MemberRolesChanged, "Membership", userId.ToString(),
            new { member = name, before = before.Select(r => r.ToString()), after = wanted.Select(r => r.ToString()) });
        await db.SaveChangesAsync();
        // Someone who gave up their own 管理者 role can no longer open this page: back to the home page.
        if (userId == Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!) && !wanted.Contains(OrganizationRole.Administrator))
            return Redirect($"/o/{tenant.Organization!.Code}");
        return await Done(t[$"{name} さんの役割を「{Labels.Of(wanted).Ja}」にしました。", $"{name} now holds: {Labels.Of(wanted).En}."], true);
    }

    [Requires(Permission.MembersManage)]
    public async Task<IActionResult> OnPostRemoveAsync(Guid userId)
    {
        var rows = await db.Memberships.Where(m => m.UserId == userId).ToListAsync(); // tenant filter: a foreign member is not found
        if (rows.Count == 0) return NotFound();
        if (rows.Any(m => m.Role == OrganizationRole.Administrator) && await IsLastAdministratorAsync(userId))
            return await Done(t["最後の管理者は外せません。先に別のメンバーを管理者として招待してください。", "The last administrator cannot be removed."], false);
        db.Memberships.RemoveRange(rows);
        db.Audit(AuditActions.MemberRemoved, "Membership", userId.ToString(), new { UserId = userId, role = string.Join(",", rows.Select(m => m.Role.ToString())) });
        await db.SaveChangesAsync();
        await Identity.UserSessions.RevokeAllAsync(db, userId, clock); // their open sessions end at the next request
        var self = userId == Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        if (self) return Redirect("/");
        return await Done(t["メンバーを外しました。", "Member removed."], true);
    }

    /// <summary>An administrator signs a member out on every browser (a lost device, a member who left).</summary>
    [Requires(Permission.MembersManage)]
    public async Task<IActionResult> OnPostSignOutMemberAsync(Guid userId)
    {
        if (!await db.Memberships.AnyAsync(m => m.UserId == userId)) return NotFound(); // tenant filter: only this organisation's members
        var ended = await Identity.UserSessions.RevokeAllAsync(db, userId, clock);
        await db.RecordAsync(AuditActions.SignOut, "User", userId.ToString(), new { everywhere = true, sessions = ended, by = User.Identity?.Name });
        return await Done(t[$"すべての端末でサインアウトさせました（{ended} 件）。", $"Signed out everywhere ({ended} sessions)."], true);
    }

    Task<bool> IsLastAdministratorAsync(Guid userId) =>
        db.Memberships.AllAsync(m => m.Role != OrganizationRole.Administrator || m.UserId == userId);

    async Task<IActionResult> Done(string message, bool ok)
    {
        (Message, Ok) = (message, ok);
        if (!ok) Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync()
    {
        var rows = await db.Memberships.AsNoTracking()
            .Select(m => new { m.UserId, m.User!.DisplayName, m.User.Email, m.Role, m.User.TwoFactorEnabled }).ToListAsync();
        Members = rows.GroupBy(r => r.UserId)
            .Select(g => new MemberRow(g.Key, g.First().DisplayName, g.First().Email!, g.Select(r => r.Role).Order().ToList(), g.First().TwoFactorEnabled))
            .OrderBy(m => m.Roles[0]).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
        Summary = await DashboardSummary.LoadAsync(db, clock);
        var now = clock.GetUtcNow().UtcDateTime;
        OpenInvitations = await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now).OrderBy(i => i.ExpiresAt).ToListAsync();
        // The member list names people and e-mail addresses: viewing it is recorded.
        await db.RecordAsync(AuditActions.View, "Members", tenant.Organization!.Code);
    }
}
