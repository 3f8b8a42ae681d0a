using Mamori.Features.Organizations;
using Mamori.Features.Vendors;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Platform.Mail;

/// <summary>
/// Queues the mails an action causes: each call adds outbox rows to the caller's unit of work, so they are written by
/// the same SaveChanges (one transaction) as the action, and <see cref="MailSender"/> sends them afterwards. Nothing
/// here talks to the SMTP server, so an action never fails because mail did. With no SMTP configured nothing is queued.
/// </summary>
public sealed class MailOutbox(SmtpSettings settings, TimeProvider time, MailSignal signal, IHttpContextAccessor http)
{
    public bool Enabled => settings.Enabled;

    /// <summary>Invitation to join an organisation: to the invited address, with the link (the token exists only here).</summary>
    public async Task InvitationAsync(MamoriDb db, Invitation invitation, string organizationName, string token, CancellationToken ct)
    {
        if (BaseUrl() is not { } baseUrl) return;
        var role = Labels.Of(invitation.Role);
        var until = Text.Jst(invitation.ExpiresAt);
        var content = new MailContent($"{organizationName} への招待", $"Invitation to {organizationName}")
            .Paragraph($"{organizationName} から、Mamori（医療情報システムの安全管理の記録）への招待が届きました。役割は「{role.Ja}」です。",
                $"{organizationName} invites you to Mamori (records of medical information system security) as {role.En}.")
            .Paragraph($"次のリンクを開いて、アカウントを作るか、お持ちのアカウントでサインインしてください。リンクは {until} まで使えます。",
                $"Open the link below to create an account or sign in. It can be used until {until}.")
            .Link($"{baseUrl}/invite/{token}")
            .Paragraph("心当たりがない場合は、このメールを削除してください。リンクは期限が来ると使えなくなります。",
                "If you did not expect this, delete this mail; the link stops working when it expires.");
        Add(db, invitation.OrganizationId, "invitation", invitation.Email, await LanguageOfAddressAsync(db, invitation.Email, ct), content);
    }

    /// <summary>Password reset: the link (one hour, works once) to the account's address, filed under its organisation.</summary>
    public void PasswordReset(MamoriDb db, Guid organizationId, string to, string? language, string pathAndQuery)
    {
        if (BaseUrl() is not { } baseUrl) return;
        var content = new MailContent("パスワードの再設定", "Resetting your password")
            .Paragraph("Mamori のパスワードの再設定が依頼されました。次のリンクを開いて、新しいパスワードを決めてください。リンクは 1 時間、1 回だけ使えます。",
                "Someone asked to reset your Mamori password. Open the link below to choose a new one; it works once, for one hour.")
            .Link(baseUrl + pathAndQuery)
            .Paragraph("心当たりがない場合は、このメールを削除してください。パスワードは変わりません。",
                "If you did not ask for this, delete this mail; your password stays as it is.");
        Add(db, organizationId, "password_reset", to, language ?? "ja", content);
    }

    /// <summary>A site's 事業者確認用 request: to the vendor organisation's administrators, or to the invited address with the link.</summary>
    public async Task VendorRequestedAsync(MamoriDb db, VendorRequest request, string? inviteToken, string editionTitle, CancellationToken ct)
    {
        if (BaseUrl() is not { } baseUrl) return;
        var content = new MailContent($"{request.SiteName} から事業者確認用の依頼（{request.SystemName}）",
                $"Vendor sheet requested by {request.SiteName} ({request.SystemName})")
            .Paragraph($"{request.SiteName} から、{request.SystemName} についての事業者確認用（{editionTitle}）の回答の依頼が届きました。",
                $"{request.SiteName} asks {request.VendorName} to answer the vendor sheet ({editionTitle}) about {request.SystemName}.");
        if (request.Message is { } message)
            content.Paragraph("依頼元からのメッセージ:", "Message from the site:").Quote(message);
        if (inviteToken is not null)
        {
            var until = Text.Jst(request.InviteExpiresAt!.Value);
            content.Paragraph($"次のリンクから Mamori に登録（または サインイン）して回答してください。リンクは {until} まで使えます。",
                    $"Register with (or sign in to) Mamori through the link below to answer. It can be used until {until}.")
                .Link($"{baseUrl}/vendor-invite/{inviteToken}");
            Add(db, request.OrganizationId, "vendor_request", request.InviteEmail!, await LanguageOfAddressAsync(db, request.InviteEmail!, ct), content);
            return;
        }
        var vendor = await OrganizationAsync(db, request.VendorOrganizationId!.Value, ct);
        content.Paragraph("Mamori にサインインし、依頼の一覧から回答してください。", "Sign in to Mamori and answer it from the list of requests.")
            .Link($"{baseUrl}/o/{vendor.Code}/checklists#vendor-inbox");
        // To the vendor's administrators (they decide who in the vendor answers).
        foreach (var (email, language) in await RecipientsAsync(db, vendor.Id, Permissions.Holding(Permission.MembersManage), ct))
            Add(db, vendor.Id, "vendor_request", email, language, content);
    }

    /// <summary>回答済: the vendor submitted; to the requesting site's members who manage the checklist.</summary>
    public async Task VendorAnsweredAsync(MamoriDb db, VendorRequest request, CancellationToken ct)
    {
        if (BaseUrl() is not { } baseUrl) return;
        var site = await OrganizationAsync(db, request.OrganizationId, ct);
        var content = new MailContent($"{request.VendorName} が事業者確認用に回答しました（{request.SystemName}）",
                $"{request.VendorName} answered the vendor sheet ({request.SystemName})")
            .Paragraph($"{request.VendorName} が {request.SystemName} の事業者確認用に回答し、提出しました（回答済）。内容を確かめ、直してほしい点があれば「差し戻す」でコメントを送ってください。",
                $"{request.VendorName} submitted its answers about {request.SystemName}. Check them; to ask for changes, return the sheet with a comment.")
            .Link($"{baseUrl}/o/{site.Code}/checklists/{request.SiteAssessmentId}");
        foreach (var (email, language) in await RecipientsAsync(db, site.Id, Permissions.Holding(Permission.VendorRequestManage), ct))
            Add(db, site.Id, "vendor_answered", email, language, content);
    }

    /// <summary>差戻し: the site returned the sheet with a comment; to the vendor's members who answer it.</summary>
    public async Task VendorReturnedAsync(MamoriDb db, VendorRequest request, CancellationToken ct)
    {
        if (BaseUrl() is not { } baseUrl || request.VendorOrganizationId is not { } vendorId) return;
        var vendor = await OrganizationAsync(db, vendorId, ct);
        var content = new MailContent($"{request.SiteName} から事業者確認用が差し戻されました（{request.SystemName}）",
                $"{request.SiteName} returned the vendor sheet ({request.SystemName})")
            .Paragraph($"{request.SiteName} が、{request.SystemName} の事業者確認用を次のコメントとともに差し戻しました。直してから、もう一度提出してください。",
                $"{request.SiteName} returned the vendor sheet about {request.SystemName} with this comment. Please correct it and submit again.")
            .Quote(request.ReturnComment ?? "")
            .Link(request.VendorAssessmentId is { } sheet ? $"{baseUrl}/o/{vendor.Code}/checklists/{sheet}" : $"{baseUrl}/o/{vendor.Code}/checklists#vendor-inbox");
        foreach (var (email, language) in await RecipientsAsync(db, vendorId, Permissions.Holding(Permission.VendorRespond), ct))
            Add(db, vendorId, "vendor_returned", email, language, content);
    }

    /// <summary>Members of an organisation in some roles: their addresses and the language each chose.</summary>
    internal static async Task<List<(string Email, string? Language)>> RecipientsAsync(MamoriDb db, Guid organizationId, OrganizationRole[] roles, CancellationToken ct)
    {
        var rows = await db.Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && roles.Contains(m.Role) && m.User!.Email != null)
            .Select(m => new { m.User!.Email, m.User.Language }).Distinct().ToListAsync(ct);
        return rows.Select(r => (r.Email!, (string?)(r.Language ?? "ja"))).ToList(); // never switched: they read Mamori in Japanese
    }

    /// <summary>The language of the account with this address, if there is one ("ja" if never switched); null for an unknown address.</summary>
    static async Task<string?> LanguageOfAddressAsync(MamoriDb db, string email, CancellationToken ct)
    {
        var normalized = email.ToUpperInvariant(); // as Identity normalises addresses
        var user = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => new { u.Language }).FirstOrDefaultAsync(ct);
        return user is null ? null : user.Language ?? "ja";
    }

    static Task<Organization> OrganizationAsync(MamoriDb db, Guid id, CancellationToken ct) =>
        db.Organizations.AsNoTracking().FirstAsync(o => o.Id == id, ct);

    /// <summary>MAMORI_PUBLIC_URL, else the address this request came in on; null when mail is off.</summary>
    string? BaseUrl()
    {
        if (!settings.Enabled) return null;
        if (settings.PublicUrl is { } configured) return configured;
        return http.HttpContext?.Request is { } r ? $"{r.Scheme}://{r.Host}" : null;
    }

    void Add(MamoriDb db, Guid organizationId, string kind, string to, string? language, MailContent content) =>
        Queue(db, time, signal, organizationId, kind, to, language, content, null);

    /// <summary>Adds one outbox row (sent after the caller's SaveChanges commits); the sender is woken when that save is done.</summary>
    internal static OutboxMail Queue(MamoriDb db, TimeProvider time, MailSignal signal, Guid organizationId, string kind, string to,
        string? language, MailContent content, string? key)
    {
        var (subject, text, html) = content.Render(MailContent.LanguageOf(language));
        var now = time.GetUtcNow().UtcDateTime;
        var mail = new OutboxMail
        {
            OrganizationId = organizationId, Kind = kind, To = to, Subject = subject, TextBody = text, HtmlBody = html,
            CreatedAt = now, NextAttemptAt = now, Key = key,
        };
        db.Set<OutboxMail>().Add(mail);
        signal.WakeAfterSave(db);
        return mail;
    }
}

/// <summary>Wakes <see cref="MailSender"/> when a mail was queued, so it does not wait for its next round.</summary>
public sealed class MailSignal
{
    readonly SemaphoreSlim wake = new(0, 1);

    public void Wake()
    {
        if (wake.CurrentCount == 0) try { wake.Release(); } catch (SemaphoreFullException) { }
    }

    internal void WakeAfterSave(MamoriDb db)
    {
        EventHandler<SavedChangesEventArgs>? saved = null;
        saved = (_, _) => { db.SavedChanges -= saved; Wake(); };
        db.SavedChanges += saved;
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => wake.WaitAsync(timeout, ct);
}
