using Mamori.Features.Assets;
using Mamori.Features.Assets.Import;
using Mamori.Features.Audit;
using Mamori.Features.Catalog;
using Mamori.Features.Organizations;
using Mamori.Features.Vendors;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Mail;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>
/// Answering one sheet: every item saves on its own (a stale form is refused, never overwrites), with help, guideline
/// references, evidence, progress, the 管理者's seal and the 経営層's review.
/// </summary>
[Requires(Permission.View)]
[RequestSizeLimit(200L * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 200L * 1024 * 1024)]
public sealed class SheetModel(MamoriDb db, TenantContext tenant, Text t) : PageModel
{
    public ChecklistAssessment Assessment { get; private set; } = null!;
    public ChecklistSheet Sheet { get; private set; } = null!;
    public CatalogIndex Index { get; private set; } = null!;
    public Dictionary<string, ChecklistAnswer> Answers { get; private set; } = [];
    public ILookup<string, ChecklistEvidence> Evidence { get; private set; } = Array.Empty<ChecklistEvidence>().ToLookup(e => e.NodeId);
    public List<ChecklistSeal> Seals { get; private set; } = [];
    public Dictionary<string, List<string>> ItemErrors { get; } = [];
    public Dictionary<string, string> ItemNotices { get; } = [];
    /// <summary>What the user typed, shown again when it could not be saved.</summary>
    public Dictionary<string, AnswerInput> Posted { get; } = [];
    public List<ItemSpec> Missing { get; private set; } = [];
    /// <summary>Ledger findings by the sheet item (node id) they concern.</summary>
    public ILookup<string, Finding> Suggestions { get; private set; } = Array.Empty<Finding>().ToLookup(f => "");
    public string? Message { get; private set; }
    /// <summary>
    /// 要確認: an answer kept from an earlier revision whose item the newly imported official form removed or gave another
    /// number (<see cref="ChecklistAnswer.NeedsReview"/>), with the item's old number and wording and, when renumbered,
    /// the item of the new form that has the same wording.
    /// </summary>
    public sealed record OutdatedAnswer(ChecklistAnswer Answer, string? OldRef, string? OldLabel, IndexedNode? NewItem);
    public List<OutdatedAnswer> Outdated { get; private set; } = [];
    public DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
    public bool CanEdit => tenant.Can(Permission.ChecklistAnswer) && !Assessment.IsClosed && Lock is null;
    public bool CanSeal => tenant.Can(Permission.ChecklistSeal) && VendorRequest is null;
    /// <summary>The 事業者確認用 request behind this sheet (site copy or the vendor's own), and why answers cannot change now.</summary>
    public VendorRequest? VendorRequest { get; private set; }
    public (string Ja, string En)? Lock { get; private set; }
    public bool IsVendorSide => VendorRequest is not null && VendorRequest.VendorAssessmentId == Assessment.Id;
    public bool CanSubmit => IsVendorSide && tenant.Can(Permission.VendorRespond) && VendorRequest!.Status != VendorRequestStatus.Answered;
    public bool CanReturn => VendorRequest is not null && !IsVendorSide && tenant.Can(Permission.VendorRequestManage) && VendorRequest.Status == VendorRequestStatus.Answered;
    /// <summary>Sheet-level documents of a 事業者確認用 (MDS/SDS, the vendor's filled-in official form).</summary>
    public bool HasDocuments => Assessment.SheetNodeId == "vendor";
    public bool CanReview => tenant.Can(Permission.ChecklistReview);
    public string OrgCode => tenant.Organization!.Code;
    public string OrgName => tenant.Organization!.Name;
    string Actor => User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "";

    async Task<bool> LoadAsync(Guid id)
    {
        var ct = HttpContext.RequestAborted;
        var assessment = await db.ChecklistAssessments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (assessment is null || await ChecklistRecord.LoadAsync(db, assessment, OrgName, ct) is not { } record) return false;
        (Assessment, Sheet, Answers, Seals) = (assessment, record.Sheet, record.Answers, record.Seals);
        Evidence = record.Evidence.ToLookup(e => e.NodeId);
        Index = await CatalogIndex.GetAsync(db, ct);
        Missing = ChecklistService.Missing(Sheet, Assessment, Answers);
        VendorRequest = await VendorRequests.ForSheetAsync(db, assessment, ct);
        Outdated = await OutdatedAsync(ct);
        Lock = VendorRequests.LockReason(VendorRequest, assessment);
        return true;
    }

    /// <summary>
    /// What the ledgers say about the sheet's items (followed to this edition through the catalogue): suggestions, never
    /// answers. Only when the page is shown: a save that redirects does not evaluate the ledger.
    /// </summary>
    public override async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context,
        Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Result is PageResult && Sheet is not null && Assessment.SheetNodeId != "vendor")
            Suggestions = ChecklistSheets.FindingsByItem(Sheet, Index,
                await AssetFindings.EvaluateCachedAsync(db, Assessment.OrganizationId, HttpContext.RequestAborted));
    }

    /// <summary>Answers flagged 要確認 whose item is not on the current sheet, found by their node id in the edition's earlier revisions.</summary>
    async Task<List<OutdatedAnswer>> OutdatedAsync(CancellationToken ct)
    {
        var onSheet = Sheet.Items.Select(n => n.NodeId).ToHashSet();
        var flagged = Answers.Values.Where(x => x.NeedsReview is not null && !onSheet.Contains(x.NodeId)).ToList();
        if (flagged.Count == 0) return [];
        var ids = flagged.Select(x => x.NodeId).ToList();
        var before = (await db.CatalogNodes.AsNoTracking()
                .Join(db.CatalogEditions.Where(e => e.FileId == Assessment.EditionFileId), n => n.EditionId, e => e.Id, (n, e) => new { n.NodeId, n.Ref, n.Label, e.Revision })
                .Where(x => ids.Contains(x.NodeId)).ToListAsync(ct))
            .GroupBy(x => x.NodeId).ToDictionary(g => g.Key, g => g.MaxBy(x => x.Revision)!);
        var byWording = Sheet.Items.Where(n => n.Row.Label is not null).GroupBy(n => CatalogIndex.Normalize(n.Row.Label)).ToDictionary(g => g.Key, g => g.First());
        return flagged.Select(x =>
        {
            var old = before.GetValueOrDefault(x.NodeId);
            var next = x.NeedsReview == ReviewReason.Renumbered && old?.Label is { } label ? byWording.GetValueOrDefault(CatalogIndex.Normalize(label)) : null;
            return new OutdatedAnswer(x, old?.Ref, old?.Label, next);
        }).OrderBy(o => o.OldRef, StringComparer.Ordinal).ToList();
    }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (Request.Query["saved"].FirstOrDefault() is { } saved) ItemNotices[saved] = t["保存しました。", "Saved."];
        if (Request.Query.ContainsKey("submitted")) Message = t["提出しました。依頼元の Mamori に届いています。", "Submitted; the site can see it now."];
        return Page();
    }

    [Requires(Permission.ChecklistAnswer)]
    public async Task<IActionResult> OnPostSaveAsync(Guid id, string node, uint version)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (Sheet.Items.FirstOrDefault(n => n.NodeId == node) is not { } item) return NotFound();
        if (Locked(node)) return Page();
        var spec = ItemSpec.From(item);
        var input = new AnswerInput(
            spec.Columns.ToDictionary(c => c, c => Request.Form[$"a.{c}"].FirstOrDefault() is { Length: > 0 } v ? v : null),
            Date("checkedOn1"), Date("checkedOn2"), Date("targetDate"), Request.Form["note"], Request.Form["responsible"]);
        var result = await ChecklistService.SaveAnswerAsync(db, Assessment, spec, input, version, Actor, Today, HttpContext.RequestAborted);
        // The item's wording had another number before the new form: saving it under its new number settles the old answer's 要確認.
        if (result.Ok && Outdated.Where(o => o.NewItem?.NodeId == node).Select(o => o.Answer.Id).ToList() is { Count: > 0 } settled)
        {
            foreach (var old in await db.ChecklistAnswers.Where(x => settled.Contains(x.Id)).ToListAsync(HttpContext.RequestAborted)) old.NeedsReview = null;
            await db.SaveChangesAsync(HttpContext.RequestAborted);
        }
        if (result.Ok) return Redirect($"/o/{OrgCode}/checklists/{id}?saved={Uri.EscapeDataString(node)}#item-{node}");
        await LoadAsync(id);
        Posted[node] = input;
        ItemErrors[node] = result.Conflict
            ? [t[$"保存できませんでした: この項目は {result.Answer?.UpdatedBy} さんが {(result.Answer is null ? "" : Text.Jst(result.Answer.UpdatedAt))} に変更しています。下の入力はそのまま残しています。最新の内容を確かめてから、もう一度保存してください。",
                $"Not saved: {result.Answer?.UpdatedBy} changed this item meanwhile. Your entries are kept below; check the latest and save again."]]
            : result.Errors.Select(e => t[e.Ja, e.En]).ToList();
        return Page();
    }

    [Requires(Permission.ChecklistAnswer)]
    public async Task<IActionResult> OnPostEvidenceAsync(Guid id, string node, IFormFile? file, string? link, DateOnly? expiresOn)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (Sheet.Items.All(n => n.NodeId != node) && !(HasDocuments && node == Sheet.Sheet.NodeId)) return NotFound();
        if (Locked(node)) return Page();
        if (link is "assets" or "connections")
        {
            var title = link == "assets" ? t["機器台帳（Mamori）", "Asset ledger (Mamori)"] : t["外部接続の一覧（Mamori）", "Connection register (Mamori)"];
            await ChecklistService.AddLinkAsync(db, Assessment, node, link, title, expiresOn, Actor, HttpContext.RequestAborted);
            return Redirect($"/o/{OrgCode}/checklists/{id}?saved={Uri.EscapeDataString(node)}#item-{node}");
        }
        if (file is null)
        {
            ItemErrors[node] = [t["添付するファイルを選んでください。", "Choose a file."]];
            return Page();
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        var errors = await ChecklistService.AddFileAsync(db, Assessment, node, file.FileName, buffer.ToArray(), expiresOn,
            AssetImporter.MaxUploadBytes, Actor, HttpContext.RequestAborted);
        if (errors.Count == 0) return Redirect($"/o/{OrgCode}/checklists/{id}?saved={Uri.EscapeDataString(node)}#item-{node}");
        await LoadAsync(id);
        ItemErrors[node] = errors.Select(e => t[e.Ja, e.En]).ToList();
        return Page();
    }

    /// <summary>A sealed year or a vendor-request sheet that is not open to this side: the reason, and nothing saved (409).</summary>
    bool Locked(string node)
    {
        var reason = Assessment.IsClosed ? ChecklistService.Sealed : Lock;
        if (reason is not { } r) return false;
        ItemErrors[node] = [t[r.Ja, r.En]];
        Response.StatusCode = StatusCodes.Status409Conflict;
        return true;
    }

    /// <summary>提出 (vendor): the answers and documents go to the requesting site; refused when incomplete or already submitted.</summary>
    [Requires(Permission.VendorRespond)]
    public async Task<IActionResult> OnPostSubmitAsync(Guid id, [FromServices] MailOutbox mail)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (!IsVendorSide) return StatusCode(StatusCodes.Status403Forbidden);
        var errors = await VendorRequests.SubmitAsync(db, tenant.OrganizationId!.Value, VendorRequest!.Id, Sheet, Actor, HttpContext.RequestAborted, mail);
        if (errors.Count == 0) return Redirect($"/o/{OrgCode}/checklists/{id}?submitted=1#vendor-request");
        await LoadAsync(id);
        Message = string.Join(" ", errors.Select(e => t[e.Ja, e.En]));
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    /// <summary>差戻し (site): sends the submitted sheet back to the vendor with a comment.</summary>
    [Requires(Permission.VendorRequestManage)]
    public async Task<IActionResult> OnPostReturnAsync(Guid id, string? comment, [FromServices] MailOutbox mail)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (VendorRequest is null || IsVendorSide) return StatusCode(StatusCodes.Status403Forbidden);
        var errors = await VendorRequests.ReturnAsync(db, VendorRequest.Id, comment, Actor, HttpContext.RequestAborted, mail);
        if (errors.Count == 0) return Redirect($"/o/{OrgCode}/checklists/{id}#vendor-request");
        await LoadAsync(id);
        Message = string.Join(" ", errors.Select(e => t[e.Ja, e.En]));
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    public async Task<IActionResult> OnGetFileAsync(Guid id, Guid evidence)
    {
        var row = await db.ChecklistEvidence.AsNoTracking().FirstOrDefaultAsync(e => e.Id == evidence && e.AssessmentId == id && e.Kind == "file");
        if (row is null) return NotFound();
        var content = await db.ChecklistEvidenceContents.AsNoTracking().Where(c => c.EvidenceId == row.Id).Select(c => c.Content).SingleAsync();
        await db.RecordAsync(AuditActions.View, "ChecklistEvidence", row.Id.ToString(), new { row.Title, row.Sha256 });
        return File(content, row.ContentType ?? "application/octet-stream", row.Title);
    }

    /// <summary>A sealed round as it was frozen (every revision stays viewable).</summary>
    public (ChecklistSeal Seal, System.Text.Json.JsonElement Snapshot)? Sealed { get; private set; }

    public async Task<IActionResult> OnGetSealedAsync(Guid id, int round)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (Seals.FirstOrDefault(s => s.Round == round) is not { } seal) return NotFound();
        Sealed = (seal, System.Text.Json.JsonDocument.Parse(seal.Snapshot).RootElement.Clone());
        await db.RecordAsync(AuditActions.View, "ChecklistSeal", seal.Id.ToString(), new { round });
        return Page();
    }

    [Requires(Permission.ChecklistSeal)]
    public async Task<IActionResult> OnPostSealAsync(Guid id)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (VendorRequest is not null) return StatusCode(StatusCodes.Status403Forbidden);
        var (seal, missing) = await ChecklistService.SealAsync(db, Assessment, Sheet, Actor, HttpContext.RequestAborted);
        await LoadAsync(id);
        Message = seal is not null
            ? t[$"{seal.Round}回目の確認に署名しました（記録のハッシュ {seal.Sha256[..16]}… を監査ログに記録）。", $"Round {seal.Round} signed (hash {seal.Sha256[..16]}… recorded in the audit log)."]
            : t[$"まだ署名できません: 回答や確認日のない項目が {missing.Count} 件あります。", $"Cannot sign yet: {missing.Count} items are incomplete."];
        return Page();
    }

    [Requires(Permission.ChecklistReview)]
    public async Task<IActionResult> OnPostReviewAsync(Guid id, int round, DateOnly? reviewedOn, string? comment)
    {
        if (!await LoadAsync(id)) return NotFound();
        var seal = await db.ChecklistSeals.FirstOrDefaultAsync(s => s.AssessmentId == id && s.Round == round);
        if (seal is null) return NotFound();
        var reviewer = Guid.TryParse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var u) ? u : (Guid?)null;
        if (await ChecklistService.ReviewAsync(db, seal, reviewedOn, comment, Actor, reviewer, Today, HttpContext.RequestAborted) is { } error)
        {
            Message = t[error.Ja, error.En];
            return Page();
        }
        return Redirect($"/o/{OrgCode}/checklists/{id}#seals");
    }

    async Task<ChecklistRecord?> RecordAsync(Guid id, string format)
    {
        var assessment = await db.ChecklistAssessments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id);
        if (assessment is null) return null;
        var record = await ChecklistRecord.LoadAsync(db, assessment, tenant.Organization!.Name, HttpContext.RequestAborted);
        if (record is not null)
            await db.RecordAsync(AuditActions.Export, "ChecklistAssessment", id.ToString(), new { format, assessment.EditionFileId, assessment.FiscalYear });
        return record;
    }

    [Requires(Permission.Export)]
    public async Task<IActionResult> OnGetXlsxAsync(Guid id) => await RecordAsync(id, "xlsx") is { } r
        ? File(ChecklistExport.Xlsx(r), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{r.FileStem}.xlsx")
        : NotFound();

    [Requires(Permission.Export)]
    public async Task<IActionResult> OnGetPrintAsync(Guid id) => await RecordAsync(id, "print") is { } r
        ? Content(ChecklistExport.PrintHtml(r, inlineCss: false), "text/html; charset=utf-8")
        : NotFound();

    [Requires(Permission.Export)]
    public async Task<IActionResult> OnGetPdfAsync(Guid id)
    {
        if (await RecordAsync(id, "pdf") is not { } r) return NotFound();
        var (pdf, problem) = await ChecklistExport.RenderPdfAsync(ChecklistExport.PrintHtml(r, inlineCss: true), HttpContext.RequestAborted);
        return pdf is not null
            ? File(pdf, "application/pdf", $"{r.FileStem}.pdf")
            : Content(t[$"{problem} それまでは、印刷画面からブラウザで PDF に保存してください。",
                "This server cannot make the PDF (chromium or the Japanese font is missing, or chromium failed); print the print view to PDF from your browser instead."],
                "text/plain; charset=utf-8");
    }

    [Requires(Permission.Export)]
    public async Task<IActionResult> OnGetPackAsync(Guid id)
    {
        if (await RecordAsync(id, "pack") is not { } r) return NotFound();
        // Built in a temporary file (deleted when sent): the pack can be hundreds of MB of evidence, so not in memory.
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var clock = HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            var pack = await ChecklistExport.WritePackAsync(db, r, file, clock.GetUtcNow().UtcDateTime, HttpContext.RequestAborted);
            if (pack.PdfProblem is { } problem) // the pack itself says so too (PDF-なし.txt, the cover)
                HttpContext.RequestServices.GetRequiredService<ILogger<SheetModel>>().LogWarning("Inspection pack without PDFs: {Problem}", problem);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        file.Position = 0;
        return File(file, "application/zip", $"立入検査用_{r.FileStem}.zip");
    }

    DateOnly? Date(string key) => DateOnly.TryParse(Request.Form[key], System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>Guideline parts the manual points to for this item (the catalogue's reference mappings).</summary>
    public IEnumerable<IndexedNode> References(IndexedNode item) =>
        Index.MappingsFrom(item).Where(m => m.Kind == "reference").Select(m => Index.Node(m.ToFile, m.ToNode)).OfType<IndexedNode>();
}
