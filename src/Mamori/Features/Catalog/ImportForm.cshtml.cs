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
/// The official checklist Excel (公式様式) uploaded by a system administrator: read, compared with the current revision,
/// kept as a draft, then published (a file not on the known-file list only after an explicit confirmation).
/// </summary>
[Requires(Permission.CatalogAdminister)]
public sealed class ImportFormModel(MamoriDb db, UserManager<User> users, Text t, IConfiguration configuration, TimeProvider clock) : PageModel
{
    public List<CatalogProblem> Problems { get; private set; } = [];
    public string? Message { get; private set; }
    public OfficialFormResult? Result { get; private set; }
    public List<(IndexedEdition Edition, IndexedNode Sheet)> Targets { get; private set; } = [];
    public List<CatalogEdition> Drafts { get; private set; } = [];
    public string Org => (string)RouteData.Values["org"]!;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task OnPostUploadAsync(IFormFile? file, string? target)
    {
        var ct = HttpContext.RequestAborted;
        var (edition, sheet) = target?.Split('|') is [var e, var s] ? (e, s) : ("", "");
        if (file is null || file.Length == 0)
            Problems.Add(new("", 0, "ファイルを選んでください。", "Choose a file."));
        else if (file.Length > CatalogImport.MaxFileBytes)
            Problems.Add(new(file.FileName, 0, $"ファイルが大きすぎます（上限 {CatalogImport.MaxFileBytes / 1024 / 1024} MB）。", "The file is too large."));
        else if (!file.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
            Problems.Add(new(file.FileName, 0, "Excel ファイル（.xlsx）を選んでください。", "Choose an Excel (.xlsx) file."));
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            var user = (await users.GetUserAsync(User))!;
            Result = await OfficialFormImport.ImportAsync(db, clock,
                new OfficialFormRequest(buffer.ToArray(), file.FileName, edition, sheet, "upload", $"{user.DisplayName} <{user.Email}>", DraftOnly: true),
                Known(), ct);
            Problems = Result.Problems;
            if (Result.Ok)
                Message = t[$"{Result.Edition!.FileId} リビジョン {Result.Edition.Revision} を下書きとして取り込みました。差分を確かめてから公開してください。",
                    $"Imported {Result.Edition!.FileId} revision {Result.Edition.Revision} as a draft. Review the differences, then publish."];
        }
        await LoadAsync();
    }

    public async Task OnPostPublishAsync(Guid id, bool confirmUnofficial)
    {
        var result = await OfficialFormImport.PublishDraftAsync(db, clock, id, confirmUnofficial, HttpContext.RequestAborted);
        Problems = result.Problems;
        if (result.Ok)
            Message = t[$"{result.Edition!.FileId} リビジョン {result.Edition.Revision} を公開しました。記入中のチェックリスト {result.MovedAssessments} 件を新しいリビジョンに移し、回答 {result.FlaggedAnswers} 件に「要確認」を付けました（回答は消えていません）。",
                $"Published {result.Edition!.FileId} revision {result.Edition.Revision}: {result.MovedAssessments} open checklist(s) moved, {result.FlaggedAnswers} answer(s) flagged for review."];
        await LoadAsync();
    }

    public async Task OnPostDiscardAsync(Guid id)
    {
        var isFormDraft = await db.CatalogEditions.AnyAsync(e => e.Id == id && e.Origin == OfficialFormImport.Origin, HttpContext.RequestAborted);
        Message = isFormDraft && await CatalogImport.DiscardDraftAsync(db, id, HttpContext.RequestAborted)
            ? t["下書きを破棄しました。", "Draft discarded."]
            : t["破棄できる下書きが見つかりません。", "No such draft."];
        await LoadAsync();
    }

    /// <summary>The known-file list: the shipped one, or the file the MAMORI_OFFICIAL_FILES setting names.</summary>
    OfficialFiles Known() => OfficialFiles.Load(configuration[OfficialFiles.Setting]);

    /// <summary>Whether a draft was read from a file on the known-file list (its header records the match).</summary>
    public static bool IsOfficial(CatalogEdition draft) =>
        System.Text.Json.Nodes.JsonNode.Parse(draft.Header)?[OfficialFormImport.HeaderKey]?["official"] is not null;

    async Task LoadAsync()
    {
        var index = await CatalogIndex.GetAsync(db, HttpContext.RequestAborted);
        Targets = index.Editions.Where(e => e.Row.Kind == "checklist")
            .OrderByDescending(e => e.Row.FiscalYear)
            .SelectMany(e => e.Nodes.Where(n => n.Row.Kind == "sheet").Select(s => (e, s))).ToList();
        Drafts = await db.CatalogEditions.AsNoTracking().Where(e => e.PublishedAt == null && e.Origin == OfficialFormImport.Origin)
            .OrderByDescending(e => e.ImportedAt).ToListAsync(HttpContext.RequestAborted);
    }
}
