using Mamori.Features.Assets.Import;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>A sheet's evidence: attaching a file or a link to Mamori's own ledgers to an item (or, on a 事業者確認用, to the sheet), and opening a file.</summary>
[Requires(Permission.View)]
[RequestSizeLimit(200L * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 200L * 1024 * 1024)]
public sealed class EvidenceModel(MamoriDb db, TenantContext tenant, TimeProvider clock, Text t) : SheetPageModel(db, tenant, clock)
{
    [Requires(Permission.ChecklistAnswer)]
    public async Task<IActionResult> OnPostAttachAsync(Guid id, string node, IFormFile? file, string? link, DateOnly? expiresOn)
    {
        if (!await LoadAsync(id)) return NotFound();
        var (assessment, sheet) = (View.Assessment, View.Sheet);
        if (sheet.Items.All(n => n.NodeId != node) && !(View.HasDocuments && node == sheet.Sheet.NodeId)) return NotFound();
        if (Locked(node)) return Page();
        var saved = Redirect($"{View.Url}?saved={Uri.EscapeDataString(node)}#item-{node}");
        if (link is "assets" or "connections")
        {
            var title = link == "assets" ? t["機器台帳（Mamori）", "Asset ledger (Mamori)"] : t["外部接続の一覧（Mamori）", "Connection register (Mamori)"];
            await ChecklistService.AddLinkAsync(Db, assessment, node, link, title, expiresOn, Actor, HttpContext.RequestAborted);
            return saved;
        }
        if (file is null)
        {
            View.ItemErrors[node] = [new("添付するファイルを選んでください。", "Choose a file.")];
            return Page();
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, HttpContext.RequestAborted);
        var errors = await ChecklistService.AddFileAsync(Db, assessment, node, file.FileName, buffer.ToArray(), expiresOn,
            AssetImporter.MaxUploadBytes, Actor, HttpContext.RequestAborted);
        if (errors.Count == 0) return saved;
        await LoadAsync(id);
        View.ItemErrors[node] = errors;
        return Page();
    }

    /// <summary>One evidence file of this sheet, as attached (the view is audited).</summary>
    public async Task<IActionResult> OnGetFileAsync(Guid id, Guid evidence)
    {
        var row = await Db.ChecklistEvidence.AsNoTracking().FirstOrDefaultAsync(e => e.Id == evidence && e.AssessmentId == id && e.Kind == "file");
        if (row is null) return NotFound();
        var content = await Db.ChecklistEvidenceContents.AsNoTracking().Where(c => c.EvidenceId == row.Id).Select(c => c.Content).SingleAsync();
        await Db.RecordAsync(AuditActions.View, "ChecklistEvidence", row.Id.ToString(), new { row.Title, row.Sha256 });
        return File(content, row.ContentType ?? "application/octet-stream", row.Title);
    }
}
