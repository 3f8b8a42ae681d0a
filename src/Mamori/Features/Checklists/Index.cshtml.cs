using Mamori.Catalog;
using Mamori.Checklists;
using Mamori.Data;
using Mamori.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>The organisation's checklists by fiscal year, and the sheets it can start (from its kind: 病院・診療所 or 薬局).</summary>
[OrgAccess]
public sealed class IndexModel(MamoriDb db, TenantContext tenant, Mamori.Web.Text t) : PageModel
{
    public List<ChecklistProgress> Assessments { get; } = [];
    public List<(IndexedEdition Edition, IndexedNode Sheet)> Startable { get; private set; } = [];
    public List<(IndexedEdition Edition, IndexedNode Sheet)> VendorSheets { get; private set; } = [];
    public string? Error { get; private set; }
    public bool CanEdit => tenant.Has(Roles.Editors);

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        foreach (var a in await db.ChecklistAssessments.AsNoTracking().OrderByDescending(a => a.FiscalYear).ToListAsync(ct))
            if (await ChecklistProgress.LoadAsync(db, a, today, ct) is { } progress) Assessments.Add(progress);
        var index = await CatalogIndex.GetAsync(db, ct);
        Startable = ChecklistSheets.Available(index, tenant.Organization!.Kind)
            .Where(s => !Assessments.Any(a => a.Assessment.EditionFileId == s.Edition.FileId && a.Assessment.SheetNodeId == s.Sheet.NodeId)).ToList();
        VendorSheets = tenant.Organization.Kind == Mamori.Organizations.OrganizationKind.Vendor ? [] : ChecklistSheets.VendorSheets(index);
    }

    /// <summary>事業者確認用 entered by the site from the vendor's returned file (one per vendor and system).</summary>
    public async Task<IActionResult> OnPostStartVendorAsync(string file, string? system)
    {
        if (!CanEdit) return StatusCode(StatusCodes.Status403Forbidden);
        var index = await CatalogIndex.GetAsync(db, HttpContext.RequestAborted);
        var choice = ChecklistSheets.VendorSheets(index).FirstOrDefault(s => s.Edition.FileId == file);
        if (choice.Edition is null) return NotFound();
        system = system?.Trim();
        if (string.IsNullOrEmpty(system) || system.Length > 200)
        {
            Error = t["事業者名とシステム名を入力してください（200文字まで）。例: 電子カルテ（○○システム株式会社）", "Enter the vendor and system (up to 200 characters)."];
            await OnGetAsync();
            return Page();
        }
        var actor = User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "";
        var assessment = await ChecklistService.StartAsync(db, tenant.OrganizationId!.Value, choice.Edition, choice.Sheet.NodeId, actor, HttpContext.RequestAborted, system);
        return Redirect($"/o/{tenant.Organization!.Code}/checklists/{assessment.Id}");
    }

    public async Task<IActionResult> OnPostStartAsync(string file, string sheet)
    {
        if (!CanEdit) return StatusCode(StatusCodes.Status403Forbidden);
        var index = await CatalogIndex.GetAsync(db, HttpContext.RequestAborted);
        var choice = ChecklistSheets.Available(index, tenant.Organization!.Kind).FirstOrDefault(s => s.Edition.FileId == file && s.Sheet.NodeId == sheet);
        if (choice.Edition is null) return NotFound();
        var actor = User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "";
        var assessment = await ChecklistService.StartAsync(db, tenant.OrganizationId!.Value, choice.Edition, sheet, actor, HttpContext.RequestAborted);
        return Redirect($"/o/{tenant.Organization.Code}/checklists/{assessment.Id}");
    }
}
