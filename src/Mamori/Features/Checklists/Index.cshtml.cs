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
    public List<(ChecklistAssessment Assessment, ChecklistSheet? Sheet, int Done, int Total)> Assessments { get; } = [];
    public List<(IndexedEdition Edition, IndexedNode Sheet)> Startable { get; private set; } = [];
    public bool CanEdit => tenant.Has(Roles.Editors);

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        foreach (var a in await db.ChecklistAssessments.AsNoTracking().OrderByDescending(a => a.FiscalYear).ToListAsync(ct))
        {
            var sheet = await ChecklistSheets.LoadAsync(db, a, ct);
            var answers = await db.ChecklistAnswers.AsNoTracking().Where(x => x.AssessmentId == a.Id).ToDictionaryAsync(x => x.NodeId, ct);
            var items = sheet?.Items.Select(ItemSpec.From).ToList() ?? [];
            Assessments.Add((a, sheet, items.Count(i => AnswerRules.IsComplete(i, answers.GetValueOrDefault(i.NodeId))), items.Count));
        }
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
