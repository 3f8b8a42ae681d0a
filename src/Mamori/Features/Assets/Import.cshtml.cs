using Mamori.Features.Assets.Import;
using Mamori.Features.Identity;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>
/// Import a ledger from Excel or CSV in three steps: upload → preview (dry run: header row, column mapping, row-numbered
/// errors, how many rows would be created or updated) → import all rows or none. The file waits in PostgreSQL meanwhile.
/// </summary>
[Requires(Permission.LedgerImport)]
[RequestSizeLimit(200L * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 200L * 1024 * 1024)]
public sealed class ImportModel(MamoriDb db, TenantContext tenant, UserManager<User> users, Text t, TimeProvider clock) : PageModel
{
    public AssetImportReport? Report { get; private set; }
    public Guid? UploadId { get; private set; }
    public string? Problem { get; private set; }

    /// <summary>Fields a column can be imported into (最終更新日/者 are the ledger's header, not columns).</summary>
    public static readonly AssetField[] Importable = LedgerFields.Importable.Select(f => f.Field).ToArray();

    public void OnGet() { }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file)
    {
        if (file is null || file.Length == 0)
        {
            Problem = t["ファイルを選んでください（空のファイルは取り込めません）。", "Choose a (non-empty) file."];
            return Page();
        }
        if (file.Length > AssetImporter.MaxUploadBytes)
        {
            Problem = t[$"ファイルが大きすぎます（{file.Length / 1024 / 1024} MB。上限は {AssetImporter.MaxUploadBytes / 1024 / 1024} MB）。",
                $"The file is too large (limit {AssetImporter.MaxUploadBytes / 1024 / 1024} MB)."];
            return Page();
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        var content = buffer.ToArray();
        var upload = await ImportUploads.KeepAsync(db, clock, tenant.OrganizationId!.Value, (await users.GetUserAsync(User))!.Id, file.FileName, "assets",
            content, HttpContext.RequestAborted);
        UploadId = upload.Id;
        Report = await AssetImporter.DryRunAsync(db, upload.OrganizationId, content, upload.FileName, null, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(Guid upload, int? headerRow)
    {
        var stored = await db.ImportUploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == upload);
        if (stored is null) return Gone();
        UploadId = upload;
        Report = await AssetImporter.DryRunAsync(db, stored.OrganizationId, stored.Content, stored.FileName, Options(headerRow), HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostCommitAsync(Guid upload, int? headerRow, int rows)
    {
        var stored = await db.ImportUploads.FirstOrDefaultAsync(u => u.Id == upload);
        if (stored is null) return Gone();
        var name = User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "";
        var (progress, running) = ImportProgress.Start(stored.OrganizationId, upload, rows);
        AssetImportReport report;
        using (running)
            report = await AssetImporter.ImportAsync(db, stored.OrganizationId, stored.Content, stored.FileName, Options(headerRow), name, HttpContext.RequestAborted, progress, clock);
        if (!report.Committed)
        {
            (UploadId, Report) = (upload, report);
            return Page();
        }
        db.ImportUploads.Remove(stored);
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets?imported={report.ToCreate}&updated={report.ToUpdate}");
    }

    /// <summary>Polled by the page while the import of an upload runs (rows read of the expected, then writing).</summary>
    public IActionResult OnGetProgress(Guid upload) => ImportProgress.Of(tenant.OrganizationId!.Value, upload) is { } p
        ? new JsonResult(new { running = true, read = p.RowsRead, expected = p.RowsExpected, writing = p.Writing })
        : new JsonResult(new { running = false });

    IActionResult Gone()
    {
        Problem = t["取り込み途中のファイルが見つかりません（取り込み済みか、1日以上たって削除されました）。もう一度選んでください。",
            "The uploaded file is gone (already imported or older than a day). Upload it again."];
        return Page();
    }

    /// <summary>The mapping the user confirmed in the preview: Map[column index] = field name, empty = not imported.</summary>
    [BindProperty] public Dictionary<int, string?> Map { get; set; } = [];

    AssetImportOptions? Options(int? headerRow)
    {
        if (Map.Count == 0) return headerRow is null ? null : new AssetImportOptions { HeaderRowNumber = headerRow };
        var mapping = new ColumnMapping();
        foreach (var (index, value) in Map)
            if (Enum.TryParse<AssetField>(value, out var field) && Importable.Contains(field))
                mapping[index] = field;
        return new AssetImportOptions { Mapping = mapping, HeaderRowNumber = headerRow };
    }
}
