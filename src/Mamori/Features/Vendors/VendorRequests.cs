using System.Net.Mail;
using Mamori.Features.Audit;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Mail;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Vendors;

/// <summary>What a site asks for: the edition's 事業者確認用, the system, and either a vendor organisation or an address to invite.</summary>
public sealed record VendorRequestInput(string EditionFileId, string? SystemName, string? VendorName, Guid? VendorOrganizationId, string? InviteEmail, string? Message,
    DateOnly? DueOn = null);

/// <summary>
/// 事業者確認用 requested inside Mamori. The site asks; the vendor answers on its own copy of the sheet, attaches its
/// MDS/SDS and submits; the submission is copied into the site's sheet (what the inspection pack contains); the site
/// may return it with a comment. Every write is one transaction with its audit rows, in both organisations' chains.
/// </summary>
public static class VendorRequests
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(14);

    /// <summary>
    /// The one way a vendor reaches a site's requests: past the tenant filter, but only those addressed to
    /// <paramref name="vendorOrganizationId"/> (which the caller takes from the route's tenant, never from input).
    /// </summary>
    public static IQueryable<VendorRequest> AddressedTo(MamoriDb db, Guid vendorOrganizationId) =>
        db.VendorRequests.IgnoreQueryFilters([MamoriDb.TenantFilter]).Where(r => r.VendorOrganizationId == vendorOrganizationId);

    /// <summary>Vendor organisations a site can address directly (demo sites see only demo vendors, and the reverse).</summary>
    public static Task<List<Organization>> DirectoryAsync(MamoriDb db, bool demo, CancellationToken ct) =>
        db.Organizations.AsNoTracking().Where(o => o.Kind == OrganizationKind.Vendor && o.IsDemo == demo).OrderBy(o => o.Name).ToListAsync(ct);

    /// <summary>The request behind a sheet, seen from the organisation that owns the sheet (site copy or vendor's own), or null.</summary>
    public static async Task<VendorRequest?> ForSheetAsync(MamoriDb db, ChecklistAssessment sheet, CancellationToken ct)
    {
        if (sheet.VendorRequestId is not { } id) return null;
        return await db.VendorRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.SiteAssessmentId == sheet.Id, ct)
               ?? await AddressedTo(db, sheet.OrganizationId).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.VendorAssessmentId == sheet.Id, ct);
    }

    /// <summary>Why answers on this sheet cannot change now (null: they can).</summary>
    public static UserError? LockReason(VendorRequest? request, ChecklistAssessment sheet)
    {
        if (request is null) return null;
        if (sheet.Id == request.SiteAssessmentId)
            return new UserError("この事業者確認用は事業者が Mamori 上で回答します。直してほしい点があれば「差し戻す」でコメントを送ってください。",
                "The vendor answers this sheet in Mamori; to ask for changes, return it with a comment.");
        if (request.Status == VendorRequestStatus.Answered)
            return new UserError("提出済みのため変更できません。依頼元が差し戻すと、もう一度変更できます。", "Submitted; it can change again only if the site returns it.");
        return null;
    }

    public static async Task<(VendorRequest? Request, string? InviteToken, List<UserError> Errors)> CreateAsync(
        MamoriDb db, Organization site, IndexedEdition edition, VendorRequestInput input, string actor, TimeProvider clock, CancellationToken ct, MailOutbox? mail = null)
    {
        var errors = new List<UserError>();
        var system = input.SystemName?.Trim() ?? "";
        var email = input.InviteEmail?.Trim();
        Organization? vendor = null;
        if (input.VendorOrganizationId is { } vendorId)
        {
            vendor = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == vendorId && o.Kind == OrganizationKind.Vendor && o.IsDemo == site.IsDemo, ct);
            if (vendor is null) errors.Add(("選んだ事業者が見つかりません。一覧から選び直してください。", "The vendor was not found; choose again."));
        }
        else if (string.IsNullOrEmpty(email) || email.Length > 254 || !MailAddress.TryCreate(email, out _))
            errors.Add(("Mamori を使っている事業者を選ぶか、招待を送る事業者の担当者のメールアドレスを入力してください。",
                "Choose a vendor that uses Mamori, or enter the e-mail of the vendor's contact to invite."));
        var vendorName = vendor?.Name ?? input.VendorName?.Trim() ?? "";
        if (vendorName.Length is 0 or > 100) errors.Add(("事業者名を 1〜100 文字で入力してください。", "Enter the vendor's name (1–100 characters)."));
        if (system.Length is 0 or > 90) errors.Add(("システム名を 1〜90 文字で入力してください（例: 電子カルテ）。", "Enter the system (1–90 characters), e.g. EHR."));
        var message = string.IsNullOrWhiteSpace(input.Message) ? null : input.Message.Trim();
        if (message?.Length > 2000) errors.Add(("依頼文は 2000 文字までです。", "The message is limited to 2,000 characters."));
        if (input.DueOn is { } due && due < clock.Today()) errors.Add(new("回答期限は今日以降の日付にしてください。", "The due date must be today or later.", "dueOn"));
        var siteSheetName = $"{system}（{vendorName}）";
        if (errors.Count == 0 && await db.ChecklistAssessments.AnyAsync(a => a.EditionFileId == edition.FileId && a.SheetNodeId == "vendor" && a.SystemName == siteSheetName, ct))
            errors.Add(($"{edition.Row.Title} の「{siteSheetName}」の事業者確認用は既にあります。一覧から開いてください。",
                $"A vendor sheet for {siteSheetName} already exists for this edition."));
        if (errors.Count > 0) return (null, null, errors);

        var now = AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime);
        var siteSheet = new ChecklistAssessment
        {
            OrganizationId = site.Id, EditionFileId = edition.FileId, EditionRevision = edition.Row.Revision, SheetNodeId = "vendor",
            SystemName = siteSheetName, FiscalYear = edition.Row.FiscalYear!.Value, CreatedBy = actor,
        };
        var request = new VendorRequest
        {
            OrganizationId = site.Id, SiteName = site.Name, VendorName = vendorName, VendorOrganizationId = vendor?.Id,
            EditionFileId = edition.FileId, FiscalYear = siteSheet.FiscalYear, SystemName = system, Message = message, DueOn = input.DueOn,
            Status = VendorRequestStatus.Requested, RequestedAt = now, RequestedBy = actor, SiteAssessmentId = siteSheet.Id,
        };
        siteSheet.VendorRequestId = request.Id;
        string? token = null;
        if (vendor is null)
        {
            (token, request.InviteTokenHash) = Invitations.NewToken();
            (request.InviteEmail, request.InviteExpiresAt) = (email, now.Add(InvitationLifetime));
        }
        db.ChecklistAssessments.Add(siteSheet);
        db.VendorRequests.Add(request);
        db.Audit(AuditActions.VendorRequestCreated, "VendorRequest", request.Id.ToString(),
            new { request.EditionFileId, system, vendor = vendorName, invite = email, due = input.DueOn }, site.Id);
        if (vendor is not null)
            db.Audit(AuditActions.VendorRequestCreated, "VendorRequest", request.Id.ToString(), new { request.EditionFileId, system, site = site.Name, due = input.DueOn }, vendor.Id);
        if (mail is not null) await mail.VendorRequestedAsync(db, request, token, edition.Row.Title, ct);
        await db.SaveChangesAsync(ct);
        return (request, token, []);
    }

    /// <summary>An invitation by its secret token (the token is the authority, so this ignores the tenant filter).</summary>
    public static Task<VendorRequest?> FindInvitationAsync(MamoriDb db, string token) =>
        db.VendorRequests.IgnoreQueryFilters([MamoriDb.TenantFilter]).FirstOrDefaultAsync(r => r.InviteTokenHash == Invitations.Hash(token));

    /// <summary>The invited vendor's organisation takes the request; the link stops working.</summary>
    public static void Accept(MamoriDb db, VendorRequest request, Organization vendor)
    {
        request.VendorOrganizationId = vendor.Id;
        request.InviteTokenHash = null;
        db.Audit(AuditActions.VendorRequestAccepted, "VendorRequest", request.Id.ToString(), new { vendor = vendor.Name }, request.OrganizationId);
        db.Audit(AuditActions.VendorRequestAccepted, "VendorRequest", request.Id.ToString(), new { site = request.SiteName }, vendor.Id);
    }

    /// <summary>The vendor's own sheet for a request, created (with last year's answers as proposals) the first time it is opened.</summary>
    public static async Task<ChecklistAssessment?> StartAnswerAsync(MamoriDb db, Guid vendorOrganizationId, Guid requestId, string actor, TimeProvider clock, CancellationToken ct)
    {
        var request = await AddressedTo(db, vendorOrganizationId).FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null) return null;
        if (request.VendorAssessmentId is { } existing) return await db.ChecklistAssessments.FirstOrDefaultAsync(a => a.Id == existing, ct);
        var edition = (await CatalogIndex.GetAsync(db, ct)).Edition(request.EditionFileId);
        if (edition is null) return null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var sheet = await ChecklistService.StartAsync(db, vendorOrganizationId, edition, "vendor", actor, clock, ct, $"{request.SiteName}：{request.SystemName}");
        sheet.VendorRequestId = request.Id;
        request.VendorAssessmentId = sheet.Id;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return sheet;
    }

    /// <summary>
    /// 提出: the vendor's answers and documents are copied into the site's sheet and the request becomes 回答済.
    /// Refused when something is missing or it was already submitted (also when two people submit at once).
    /// </summary>
    public static async Task<List<UserError>> SubmitAsync(MamoriDb db, Guid vendorOrganizationId, Guid requestId, ChecklistSheet sheet,
        string actor, TimeProvider clock, CancellationToken ct, MailOutbox? mail = null)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(db, requestId, ct);
        var request = await AddressedTo(db, vendorOrganizationId).FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request?.VendorAssessmentId is not { } vendorSheetId) return [NotFound];
        if (request.Status == VendorRequestStatus.Answered) return [AlreadySubmitted];
        var vendorSheet = await db.ChecklistAssessments.AsNoTracking().FirstAsync(a => a.Id == vendorSheetId, ct);
        var answers = await db.ChecklistAnswers.AsNoTracking().Where(a => a.AssessmentId == vendorSheetId).ToDictionaryAsync(a => a.NodeId, ct);
        var evidence = await db.ChecklistEvidence.AsNoTracking().Where(e => e.AssessmentId == vendorSheetId).OrderBy(e => e.AddedAt).ToListAsync(ct);
        var missing = ChecklistService.Missing(sheet, vendorSheet, answers);
        if (missing.Count > 0)
            return [($"まだ提出できません: 回答や確認日のない項目が {missing.Count} 件あります（{string.Join("、", missing.Select(m => m.Ref ?? m.Label))}）。",
                $"Cannot submit yet: {missing.Count} items are incomplete.")];
        if (!sheet.Items.Any() && !evidence.Any(e => e.NodeId == sheet.Sheet.NodeId))
            return [("この版の事業者確認用は項目が Mamori にまだ収録されていません。記入済みの事業者確認用（Excel など）を「提出書類」に添付してから提出してください。",
                "This edition's vendor sheet has no items in Mamori yet; attach your filled-in sheet under documents, then submit.")];

        // The site's copy becomes exactly what was submitted: earlier submissions' rows are replaced.
        var siteId = request.OrganizationId;
        var siteSheet = await db.ChecklistAssessments.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .FirstAsync(a => a.Id == request.SiteAssessmentId && a.OrganizationId == siteId, ct);
        db.ChecklistAnswers.RemoveRange(await db.ChecklistAnswers.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(a => a.AssessmentId == siteSheet.Id && a.OrganizationId == siteId).ToListAsync(ct));
        db.ChecklistEvidence.RemoveRange(await db.ChecklistEvidence.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(e => e.AssessmentId == siteSheet.Id && e.OrganizationId == siteId).ToListAsync(ct));
        var now = AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime);
        foreach (var a in answers.Values)
            db.ChecklistAnswers.Add(new ChecklistAnswer
            {
                OrganizationId = siteId, AssessmentId = siteSheet.Id, NodeId = a.NodeId, General = a.General, Server = a.Server,
                Terminal = a.Terminal, Network = a.Network, CheckedOn1 = a.CheckedOn1, CheckedOn2 = a.CheckedOn2, TargetDate = a.TargetDate,
                Note = a.Note, ResponsiblePerson = a.ResponsiblePerson, UpdatedAt = now, UpdatedBy = $"{actor}（{request.VendorName}）",
            });
        foreach (var e in evidence)
        {
            if (e.Kind != "file") continue; // links point into the vendor's own records, which the site cannot open
            var copy = new ChecklistEvidence
            {
                OrganizationId = siteId, AssessmentId = siteSheet.Id, NodeId = e.NodeId, Kind = "file", Title = e.Title,
                ContentType = e.ContentType, Size = e.Size, Sha256 = e.Sha256, ExpiresOn = e.ExpiresOn, AddedBy = $"{e.AddedBy}（{request.VendorName}）",
            };
            db.ChecklistEvidence.Add(copy);
            var content = await db.ChecklistEvidenceContents.AsNoTracking().Where(c => c.EvidenceId == e.Id).Select(c => c.Content).SingleAsync(ct);
            db.ChecklistEvidenceContents.Add(new ChecklistEvidenceContent { EvidenceId = copy.Id, Content = content });
        }
        siteSheet.SystemInUse = vendorSheet.SystemInUse;
        (request.Status, request.SubmittedAt, request.SubmittedBy) = (VendorRequestStatus.Answered, now, actor);
        var details = new { system = request.SystemName, answers = answers.Count, files = evidence.Count(e => e.Kind == "file"), sha256 = evidence.Select(e => e.Sha256).OfType<string>() };
        db.Audit(AuditActions.VendorRequestSubmitted, "VendorRequest", request.Id.ToString(), details, siteId);
        db.Audit(AuditActions.VendorRequestSubmitted, "VendorRequest", request.Id.ToString(), details, vendorOrganizationId);
        if (mail is not null) await mail.VendorAnsweredAsync(db, request, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return [];
    }

    /// <summary>
    /// Holds the request's row until the transaction ends: a second submission (or a return) arriving meanwhile waits,
    /// then reads the new status and is refused, instead of both copying into the site's sheet.
    /// </summary>
    static Task LockAsync(MamoriDb db, Guid requestId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM vendor_requests WHERE \"Id\" = {requestId} FOR UPDATE", ct);

    static readonly UserError NotFound = new("依頼が見つかりません。", "Request not found.");

    static readonly UserError AlreadySubmitted =
        new("この依頼は既に提出済みです。依頼元が差し戻した場合だけ、もう一度提出できます。", "Already submitted; it can be submitted again only after the site returns it.");

    /// <summary>差戻し: the site sends a submitted sheet back with a comment; the vendor can change and submit again.</summary>
    public static async Task<List<UserError>> ReturnAsync(MamoriDb db, Guid requestId, string? comment, string actor, TimeProvider clock, CancellationToken ct,
        MailOutbox? mail = null)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(db, requestId, ct);
        var request = await db.VendorRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct); // tenant filter: only the site's own
        if (request is null) return [NotFound];
        if (request.Status != VendorRequestStatus.Answered)
            return [("差し戻せるのは「回答済」の依頼だけです。", "Only an answered request can be returned.")];
        comment = comment?.Trim();
        if (string.IsNullOrEmpty(comment) || comment.Length > 2000)
            return [("差し戻す理由を 1〜2000 文字で書いてください（事業者に表示されます）。", "Write why (1–2,000 characters); the vendor sees it.")];
        (request.Status, request.ReturnedAt, request.ReturnedBy, request.ReturnComment) = (VendorRequestStatus.Returned, AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime), actor, comment);
        db.Audit(AuditActions.VendorRequestReturned, "VendorRequest", request.Id.ToString(), new { comment }, request.OrganizationId);
        if (request.VendorOrganizationId is { } vendor)
            db.Audit(AuditActions.VendorRequestReturned, "VendorRequest", request.Id.ToString(), new { comment, site = request.SiteName }, vendor);
        if (mail is not null) await mail.VendorReturnedAsync(db, request, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return [];
    }

    public static (string Ja, string En) StatusLabel(VendorRequestStatus status) => status switch
    {
        VendorRequestStatus.Requested => ("依頼中", "Requested"),
        VendorRequestStatus.Answered => ("回答済", "Answered"),
        _ => ("差戻し", "Returned"),
    };
}
