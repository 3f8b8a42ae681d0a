using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>A sheet's record as files (each export audited): .xlsx in the official layout, the A4 print view, its PDF, and the inspection pack.</summary>
[Requires(Permission.Export)]
public sealed class ExportModel(MamoriDb db, TenantContext tenant, TimeProvider clock, Text t, ILogger<ExportModel> log) : PageModel
{
    async Task<ChecklistRecord?> RecordAsync(Guid id, string format)
    {
        var assessment = await db.ChecklistAssessments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id);
        if (assessment is null) return null;
        var record = await ChecklistRecord.LoadAsync(db, assessment, tenant.Organization!.Name, HttpContext.RequestAborted);
        if (record is not null)
            await db.RecordAsync(AuditActions.Export, "ChecklistAssessment", id.ToString(), new { format, assessment.EditionFileId, assessment.FiscalYear });
        return record;
    }

    public async Task<IActionResult> OnGetXlsxAsync(Guid id) => await RecordAsync(id, "xlsx") is { } r
        ? File(ChecklistExport.Xlsx(r, clock.GetUtcNow().UtcDateTime), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{r.FileStem}.xlsx")
        : NotFound();

    public async Task<IActionResult> OnGetPrintAsync(Guid id) => await RecordAsync(id, "print") is { } r
        ? Content(ChecklistExport.PrintHtml(r, clock.GetUtcNow().UtcDateTime, inlineCss: false), "text/html; charset=utf-8")
        : NotFound();

    public async Task<IActionResult> OnGetPdfAsync(Guid id)
    {
        if (await RecordAsync(id, "pdf") is not { } r) return NotFound();
        var (pdf, problem) = await ChecklistExport.RenderPdfAsync(ChecklistExport.PrintHtml(r, clock.GetUtcNow().UtcDateTime, inlineCss: true), HttpContext.RequestAborted);
        return pdf is not null
            ? File(pdf, "application/pdf", $"{r.FileStem}.pdf")
            : Content(t[$"{problem} それまでは、印刷画面からブラウザで PDF に保存してください。",
                "This server cannot make the PDF (chromium or the Japanese font is missing, or chromium failed); print the print view to PDF from your browser instead."],
                "text/plain; charset=utf-8");
    }

    public async Task<IActionResult> OnGetPackAsync(Guid id)
    {
        if (await RecordAsync(id, "pack") is not { } r) return NotFound();
        // Built in a temporary file (deleted when sent): the pack can be hundreds of MB of evidence, so not in memory.
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var pack = await ChecklistExport.WritePackAsync(db, r, file, clock.GetUtcNow().UtcDateTime, HttpContext.RequestAborted);
            if (pack.PdfProblem is { } problem) // the pack itself says so too (PDF-なし.txt, the cover)
                log.LogWarning("Inspection pack without PDFs: {Problem}", problem);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        file.Position = 0;
        return File(file, "application/zip", $"立入検査用_{r.FileStem}.zip");
    }

    /// <summary>Only the four exports: the page itself has nothing to show.</summary>
    public override Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerMethod is not null) return next();
        context.Result = NotFound();
        return Task.CompletedTask;
    }
}
