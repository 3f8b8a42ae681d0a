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
public sealed class IndexModel(MamoriDb db, TenantContext tenant) : PageModel
{
    public List<ChecklistProgress> Assessments { get; } = [];
    public List<(IndexedEdition Edition, IndexedNode Sheet)> Startable { get; private set; } = [];
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
