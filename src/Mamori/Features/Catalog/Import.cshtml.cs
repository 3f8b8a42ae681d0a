using System.Text;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Catalog;

/// <summary>
/// Catalogue administration without code: upload an edition file → line-numbered problems or a draft
/// revision → preview → publish. Only the installation's system administrators (the catalogue is shared).
/// </summary>
[Requires(Permission.CatalogAdminister)]
public sealed class ImportModel(MamoriDb db, UserManager<User> users, Text t, TimeProvider clock) : PageModel
{
    public List<CatalogProblem> Problems { get; private set; } = [];
    public string? Message { get; private set; }
    public List<CatalogEdition> Drafts { get; private set; } = [];

    public async Task OnGetAsync() => await LoadDraftsAsync();

    public async Task OnPostUploadAsync(IFormFile? file, bool asRevision)
    {
        if (file is null || file.Length == 0)
            Problems.Add(new("", 0, "ファイルを選んでください。", "Choose a file."));
        else if (file.Length > CatalogImport.MaxFileBytes)
            Problems.Add(new(file.FileName, 0, $"ファイルが大きすぎます（上限 {CatalogImport.MaxFileBytes / 1024 / 1024} MB）。", "The file is too large."));
        else if (!file.FileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !file.FileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            Problems.Add(new(file.FileName, 0, "YAML ファイル（.yaml）を選んでください。", "Choose a YAML (.yaml) file."));
        else
        {
            string yaml;
            try
            {
                using var reader = new StreamReader(file.OpenReadStream(), new UTF8Encoding(false, throwOnInvalidBytes: true));
                yaml = await reader.ReadToEndAsync();
            }
            catch (DecoderFallbackException)
            {
                Problems.Add(new(file.FileName, 0, "文字コードが UTF-8 ではありません。UTF-8 で保存し直してください。", "The file is not UTF-8."));
                await LoadDraftsAsync();
                return;
            }
            var user = (await users.GetUserAsync(User))!;
            var result = await CatalogImport.ImportAsync(db, clock,
                new CatalogImportRequest(yaml, file.FileName, "upload", $"{user.DisplayName} <{user.Email}>", asRevision, Publish: false), HttpContext.RequestAborted);
            if (result.Ok)
                Message = t[$"{result.Edition!.FileId} リビジョン {result.Edition.Revision} を下書きとして取り込みました（{result.Edition.NodeCount} 項目）。内容を確かめてから公開してください。",
                    $"Imported {result.Edition!.FileId} revision {result.Edition.Revision} as a draft. Review it, then publish."];
            else Problems = result.Problems;
        }
        await LoadDraftsAsync();
    }

    public async Task<IActionResult> OnPostPublishAsync(Guid id)
    {
        Problems = await CatalogImport.PublishAsync(db, clock, id, HttpContext.RequestAborted);
        if (Problems.Count == 0) Message = t["公開しました。以前のリビジョンは履歴として残ります。", "Published. Earlier revisions remain in the history."];
        await LoadDraftsAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDiscardAsync(Guid id)
    {
        Message = await CatalogImport.DiscardDraftAsync(db, id, HttpContext.RequestAborted)
            ? t["下書きを破棄しました。", "Draft discarded."]
            : t["破棄できる下書きが見つかりません。", "No such draft."];
        await LoadDraftsAsync();
        return Page();
    }

    async Task LoadDraftsAsync() =>
        // Drafts read from an official Excel are reviewed and published on their own page (import-form).
        Drafts = await db.CatalogEditions.AsNoTracking().Where(e => e.PublishedAt == null && e.Origin != OfficialFormImport.Origin)
            .OrderByDescending(e => e.ImportedAt).ToListAsync();
}
