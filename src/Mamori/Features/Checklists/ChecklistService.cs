using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mamori.Features.Audit;
using Mamori.Features.Catalog;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mamori.Features.Checklists;

public sealed record SaveResult(List<UserError> Errors, ChecklistAnswer? Answer, bool Conflict)
{
    public bool Ok => Errors.Count == 0 && !Conflict;
}

/// <summary>Writes of the checklist: one transaction per write, the audit row inside (MamoriDb.SaveChanges).</summary>
public static class ChecklistService
{
    public static readonly UserError Sealed =
        new("この年度のチェックリストは2回目まで封印済みのため変更できません。", "This checklist is sealed; it cannot be changed.");

    public static async Task<ChecklistAssessment> StartAsync(MamoriDb db, Guid organizationId, IndexedEdition edition, string sheetNodeId,
        string actor, TimeProvider clock, CancellationToken ct, string? systemName = null)
    {
        var existing = await db.ChecklistAssessments.FirstOrDefaultAsync(a => a.EditionFileId == edition.FileId && a.SheetNodeId == sheetNodeId && a.SystemName == systemName, ct);
        if (existing is not null) return existing;
        var assessment = new ChecklistAssessment
        {
            OrganizationId = organizationId, EditionFileId = edition.FileId, EditionRevision = edition.Row.Revision, SheetNodeId = sheetNodeId,
            SystemName = systemName, FiscalYear = edition.Row.FiscalYear!.Value, CreatedBy = actor,
        };
        db.ChecklistAssessments.Add(assessment);
        await CarryOverAsync(db, assessment, edition, actor, clock, ct);
        await db.SaveChangesAsync(ct);
        return assessment;
    }

    /// <summary>
    /// 翌年度への引き継ぎ: for each item of the new sheet that last year's sheet had as the *same* item (edition mapping,
    /// followed through the catalogue), last year's answers and evidence are copied as a proposal; the dates stay
    /// last year's history in the note, and the item counts as done only when this year's 確認日 is entered.
    /// Items that are new or changed (narrower/broader/related) get nothing: 要回答.
    /// </summary>
    static async Task CarryOverAsync(MamoriDb db, ChecklistAssessment assessment, IndexedEdition edition, string actor, TimeProvider clock, CancellationToken ct)
    {
        // Last year's sheet of the same kind: the site sheet, or the 事業者確認用 of the same system.
        var isVendor = assessment.SheetNodeId == "vendor";
        var previous = await db.ChecklistAssessments.AsNoTracking()
            .Where(a => a.FiscalYear < assessment.FiscalYear && a.SystemName == assessment.SystemName && (a.SheetNodeId == "vendor") == isVendor)
            .OrderByDescending(a => a.FiscalYear).FirstOrDefaultAsync(ct);
        if (previous is null || await ChecklistSheets.LoadAsync(db, previous, ct) is not { } before) return;
        var index = await CatalogIndex.GetAsync(db, ct);
        var oldAnswers = await db.ChecklistAnswers.AsNoTracking().Where(a => a.AssessmentId == previous.Id).ToDictionaryAsync(a => a.NodeId, ct);
        var oldEvidence = (await db.ChecklistEvidence.AsNoTracking().Where(e => e.AssessmentId == previous.Id).ToListAsync(ct)).ToLookup(e => e.NodeId);
        // Each of last year's items, followed through the catalogue's edition mappings to this year's item that is the same.
        var sameItem = new Dictionary<string, IndexedNode>();
        foreach (var old in before.Items)
            if (index.Node(old.FileId, old.NodeId) is { } current)
                foreach (var (next, relation) in index.EditionsContaining(current))
                    if (relation == "same" && next.FileId == edition.FileId) sameItem.TryAdd(next.NodeId, old);
        foreach (var item in ChecklistSheets.Of(edition, assessment.SheetNodeId)!.Items)
        {
            var source = sameItem.GetValueOrDefault(item.NodeId);
            if (source is null || oldAnswers.GetValueOrDefault(source.NodeId) is not { } old) continue;
            var spec = ItemSpec.From(item);
            string? Keep(string? value) => value == "not-applicable" && !spec.AllowsNotApplicable ? null : value;
            db.ChecklistAnswers.Add(new ChecklistAnswer
            {
                OrganizationId = assessment.OrganizationId, AssessmentId = assessment.Id, NodeId = item.NodeId,
                General = spec.Columns.Contains("general") ? Keep(old.General) : null,
                Server = spec.Columns.Contains("server") ? Keep(old.Server) : null,
                Terminal = spec.Columns.Contains("terminal") ? Keep(old.Terminal) : null,
                Network = spec.Columns.Contains("network") ? Keep(old.Network) : null,
                ResponsiblePerson = old.ResponsiblePerson,
                Note = $"前年度（{AnswerRules.Reiwa(previous.FiscalYear)} {source.Row.Ref}）から引き継ぎ: 確認日 {old.CheckedOn1:yyyy/M/d}"
                       + (old.CheckedOn2 is { } c2 ? $"・{c2:yyyy/M/d}" : "") + (old.TargetDate is { } t ? $"、目標日 {t:yyyy/M/d}" : "")
                       + (old.Note is null ? "" : $"。備考: {old.Note}"),
                CarriedFrom = source.FullId, UpdatedAt = AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime), UpdatedBy = actor,
            });
            foreach (var e in oldEvidence[source.NodeId])
            {
                var copy = new ChecklistEvidence
                {
                    OrganizationId = e.OrganizationId, AssessmentId = assessment.Id, NodeId = item.NodeId, Kind = e.Kind,
                    Title = e.Title, ContentType = e.ContentType, Size = e.Size, Sha256 = e.Sha256, ExpiresOn = e.ExpiresOn, AddedBy = $"{actor}（前年度から引き継ぎ）",
                };
                db.ChecklistEvidence.Add(copy);
                if (e.Kind == "file")
                {
                    var content = await db.ChecklistEvidenceContents.AsNoTracking().Where(c => c.EvidenceId == e.Id).Select(c => c.Content).SingleAsync(ct);
                    db.ChecklistEvidenceContents.Add(new ChecklistEvidenceContent { EvidenceId = copy.Id, Content = content });
                }
            }
        }
    }

    /// <summary>
    /// Saves one item. <paramref name="basedOnVersion"/> is the version the user's form showed (0: no answer yet);
    /// if someone saved the item since, nothing is written and Conflict says so.
    /// </summary>
    public static async Task<SaveResult> SaveAnswerAsync(MamoriDb db, ChecklistAssessment assessment, ItemSpec item, AnswerInput input,
        uint basedOnVersion, string actor, TimeProvider clock, CancellationToken ct)
    {
        if (assessment.IsClosed) return new([Sealed], null, false);
        var errors = AnswerRules.Validate(item, input, assessment.FiscalYear, clock.Today());
        if (errors.Count > 0) return new(errors, null, false);

        var answer = await db.ChecklistAnswers.FirstOrDefaultAsync(a => a.AssessmentId == assessment.Id && a.NodeId == item.NodeId, ct);
        if (answer is null && basedOnVersion != 0 || answer is not null && answer.Version != basedOnVersion)
            return new([], answer, true);
        answer ??= db.ChecklistAnswers.Add(new ChecklistAnswer { OrganizationId = assessment.OrganizationId, AssessmentId = assessment.Id, NodeId = item.NodeId }).Entity;
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        answer.General = input.Columns.GetValueOrDefault("general");
        answer.Server = input.Columns.GetValueOrDefault("server");
        answer.Terminal = input.Columns.GetValueOrDefault("terminal");
        answer.Network = input.Columns.GetValueOrDefault("network");
        answer.CheckedOn1 = input.CheckedOn1;
        answer.CheckedOn2 = input.CheckedOn2;
        answer.TargetDate = AnswerRules.AnyNo(answer) ? input.TargetDate : null;
        answer.Note = Clean(input.Note);
        answer.ResponsiblePerson = Clean(input.ResponsiblePerson);
        answer.UpdatedAt = AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime);
        answer.UpdatedBy = actor;
        answer.CarriedFrom = null; // confirmed for this year by whoever saves it
        answer.NeedsReview = null; // 要確認 after a new revision of the form: saving it again is the check
        // The pre-question decides whether the rest of the sheet is required. Pages load the assessment untracked, so the
        // row is read tracked here and saved in the same transaction as the answer.
        var tracked = item.IsPrerequisite ? await db.ChecklistAssessments.FirstAsync(a => a.Id == assessment.Id, ct) : null;
        if (tracked is not null) tracked.SystemInUse = answer.General switch { "yes" => true, "no" => false, _ => null };
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Saved by someone else between our read and our write.
            db.ChangeTracker.Clear();
            var current = await db.ChecklistAnswers.AsNoTracking().FirstOrDefaultAsync(a => a.AssessmentId == assessment.Id && a.NodeId == item.NodeId, ct);
            return new([], current, true);
        }
        if (tracked is not null) assessment.SystemInUse = tracked.SystemInUse;
        return new([], answer, false);
    }

    /// <summary>Items still to answer before the current round can be sealed (the pre-question いいえ makes the rest not required).</summary>
    public static List<ItemSpec> Missing(ChecklistSheet sheet, ChecklistAssessment assessment, IReadOnlyDictionary<string, ChecklistAnswer> answers)
    {
        var items = sheet.RequiredItems(assessment);
        return items.Where(i => !AnswerRules.IsComplete(i, answers.GetValueOrDefault(i.NodeId))
                                || assessment.Round == 2 && !i.IsPrerequisite && answers[i.NodeId].CheckedOn2 is null).ToList();
    }

    /// <summary>
    /// The 安全管理責任者 signs the current round: answers, dates and evidence hashes are frozen as JSON, and the
    /// SHA-256 of that snapshot is written into the audit chain. The next round (2回目) continues on the same answers.
    /// </summary>
    public static async Task<(ChecklistSeal? Seal, List<ItemSpec> Missing)> SealAsync(MamoriDb db, ChecklistAssessment assessment, ChecklistSheet sheet,
        string actor, TimeProvider clock, CancellationToken ct)
    {
        if (assessment.IsClosed) return (null, []);
        var answers = await db.ChecklistAnswers.AsNoTracking().Where(a => a.AssessmentId == assessment.Id).ToDictionaryAsync(a => a.NodeId, ct);
        var missing = Missing(sheet, assessment, answers);
        if (missing.Count > 0) return (null, missing);
        var evidence = await db.ChecklistEvidence.AsNoTracking().Where(e => e.AssessmentId == assessment.Id).OrderBy(e => e.AddedAt).ToListAsync(ct);
        var snapshot = JsonSerializer.Serialize(new
        {
            edition = assessment.EditionFileId, revision = assessment.EditionRevision, sheet = assessment.SheetNodeId,
            fiscalYear = assessment.FiscalYear, round = assessment.Round, systemInUse = assessment.SystemInUse,
            answers = sheet.Items.Select(n => answers.GetValueOrDefault(n.NodeId) is { } a
                ? new { item = n.NodeId, @ref = n.Row.Ref, a.General, a.Server, a.Terminal, a.Network, a.CheckedOn1, a.CheckedOn2, a.TargetDate, a.Note, a.ResponsiblePerson }
                : null).OfType<object>(),
            evidence = evidence.Select(e => new { item = e.NodeId, e.Kind, e.Title, e.Sha256, e.Size, e.ExpiresOn }),
        }, SnapshotJson);
        var seal = new ChecklistSeal
        {
            OrganizationId = assessment.OrganizationId, AssessmentId = assessment.Id, Round = assessment.Round,
            SealedAt = AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime), SealedBy = actor, Snapshot = snapshot,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(snapshot))),
        };
        db.ChecklistSeals.Add(seal);
        var tracked = await db.ChecklistAssessments.FirstAsync(a => a.Id == assessment.Id, ct);
        tracked.Round++;
        db.Audit(AuditActions.ChecklistSealed, "ChecklistAssessment", assessment.Id.ToString(),
            new { assessment.EditionFileId, round = seal.Round, sha256 = seal.Sha256, items = answers.Count, evidence = evidence.Count });
        await db.SaveChangesAsync(ct);
        assessment.Round = tracked.Round;
        return (seal, []);
    }

    /// <summary>
    /// 経営層の確認: a member of the 経営層 records their review of a sealed round (date between the signature and today,
    /// once per round). Whether the reviewer also signed comes from the audit chain (the seal event carries the snapshot's
    /// hash); a one-person clinic's 院長 may do both, and the record says so. <paramref name="seal"/> must be tracked.
    /// Returns why nothing was recorded, or null.
    /// </summary>
    public static async Task<UserError?> ReviewAsync(MamoriDb db, ChecklistSeal seal, DateOnly? reviewedOn, string? comment,
        string actor, Guid? actorUserId, DateOnly today, CancellationToken ct)
    {
        if (reviewedOn is null || reviewedOn > today || reviewedOn < DateOnly.FromDateTime(JapanTime.ToJst(seal.SealedAt)))
            return new UserError("確認日は署名の日から今日までの日付にしてください。", "The review date must be between the signature and today.");
        if (seal.ReviewedOn is not null) return new UserError("この回の確認は既に記録されています。", "This round has already been reviewed.");
        (seal.ReviewedOn, seal.ReviewedBy, seal.ReviewComment) = (reviewedOn, actor, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim());
        var signer = await db.AuditEntries.Where(a => a.Action == AuditActions.ChecklistSealed && a.EntityId == seal.AssessmentId.ToString() && a.Details!.Contains(seal.Sha256))
            .Select(a => a.ActorUserId).FirstOrDefaultAsync(ct);
        // Signed and reviewed outside a sign-in (./mamori start --demo): the recorded names tell.
        seal.ReviewedBySigner = signer is not null ? signer == actorUserId : actorUserId is null && seal.SealedBy == actor;
        db.Audit(AuditActions.ChecklistReviewed, "ChecklistSeal", seal.Id.ToString(),
            seal.ReviewedBySigner ? (object)new { round = seal.Round, seal.Sha256, reviewedOn, sameAsSigner = ChecklistSeal.SamePersonJa }
                                  : new { round = seal.Round, seal.Sha256, reviewedOn });
        await db.SaveChangesAsync(ct);
        return null;
    }

    static readonly JsonSerializerOptions SnapshotJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, // the inspection pack's JSON is camelCase throughout (rounds sealed before were snake_case)
    };

    public static async Task<List<UserError>> AddFileAsync(MamoriDb db, ChecklistAssessment assessment, string nodeId,
        string fileName, byte[] content, DateOnly? expiresOn, long maxBytes, string actor, CancellationToken ct)
    {
        var (contentType, ja, en) = EvidenceFiles.Check(fileName, content, maxBytes);
        if (contentType is null) return [new(ja!, en!)];
        var evidence = new ChecklistEvidence
        {
            OrganizationId = assessment.OrganizationId, AssessmentId = assessment.Id, NodeId = nodeId, Kind = "file",
            Title = Path.GetFileName(fileName), ContentType = contentType, Size = content.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)), ExpiresOn = expiresOn, AddedBy = actor,
        };
        db.ChecklistEvidence.Add(evidence);
        db.ChecklistEvidenceContents.Add(new ChecklistEvidenceContent { EvidenceId = evidence.Id, Content = content });
        await db.SaveChangesAsync(ct);
        return [];
    }

    public static async Task AddLinkAsync(MamoriDb db, ChecklistAssessment assessment, string nodeId, string area, string title, DateOnly? expiresOn, string actor, CancellationToken ct)
    {
        db.ChecklistEvidence.Add(new ChecklistEvidence
        {
            OrganizationId = assessment.OrganizationId, AssessmentId = assessment.Id, NodeId = nodeId, Kind = area, Title = title,
            ExpiresOn = expiresOn, AddedBy = actor,
        });
        await db.SaveChangesAsync(ct);
    }
}
