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

/// <summary>nmap XML → devices matched by IP/MAC (open ports recorded) and unknown hosts proposed as new ledger entries.</summary>
[Requires(Permission.LedgerEdit)]
public sealed class ScanModel(MamoriDb db, TenantContext tenant, UserManager<User> users, Text t, TimeProvider clock) : PageModel
{
    public List<ScanMatch>? Matches { get; private set; }
    public Guid? UploadId { get; private set; }
    public string? Problem { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file)
    {
        if (file is null || file.Length == 0 || file.Length > AssetImporter.MaxUploadBytes)
        {
            Problem = t["nmap の XML ファイル（nmap -oX で保存したもの）を選んでください。", "Choose an nmap XML file (nmap -oX)."];
            return Page();
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        var content = buffer.ToArray();
        if (Parse(content) is not { } scan) return Page();
        var upload = await ImportUploads.KeepAsync(db, clock, tenant.OrganizationId!.Value, (await users.GetUserAsync(User))!.Id, file.FileName, "nmap",
            content, HttpContext.RequestAborted);
        UploadId = upload.Id;
        Matches = await ScanImport.MatchAsync(db, scan, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync(Guid upload, string[] create)
    {
        var stored = await db.ImportUploads.FirstOrDefaultAsync(u => u.Id == upload && u.Kind == "nmap");
        if (stored is null || Parse(stored.Content) is not { } scan)
        {
            Problem ??= t["取り込み途中のファイルが見つかりません。もう一度選んでください。", "The uploaded file is gone; upload it again."];
            return Page();
        }
        var name = User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "";
        var (updated, created) = await ScanImport.ApplyAsync(db, stored.OrganizationId, scan, create.ToHashSet(), stored.FileName, stored.Sha256, name, clock, HttpContext.RequestAborted);
        db.ImportUploads.Remove(stored);
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets?scanned={updated}&created={created}");
    }

    NmapScan? Parse(byte[] content)
    {
        try
        {
            return NmapScan.Parse(new MemoryStream(content, writable: false));
        }
        catch (ImportFileException e)
        {
            Problem = t.Of((e.Error.Ja, e.Error.En));
            return null;
        }
    }
}
