using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>One sheet with its answers, evidence (without file contents) and seals, loaded once: what the sheet page, progress and exports read.</summary>
public sealed record ChecklistRecord(
    ChecklistAssessment Assessment, ChecklistSheet Sheet, string OrganizationName,
    Dictionary<string, ChecklistAnswer> Answers, List<ChecklistEvidence> Evidence, List<ChecklistSeal> Seals)
{
    public static async Task<ChecklistRecord?> LoadAsync(MamoriDb db, ChecklistAssessment assessment, string organizationName, CancellationToken ct)
    {
        if (await ChecklistSheets.LoadAsync(db, assessment, ct) is not { } sheet) return null;
        return new ChecklistRecord(assessment, sheet, organizationName,
            await db.ChecklistAnswers.AsNoTracking().Where(a => a.AssessmentId == assessment.Id).ToDictionaryAsync(a => a.NodeId, ct),
            await db.ChecklistEvidence.AsNoTracking().Where(e => e.AssessmentId == assessment.Id).OrderBy(e => e.AddedAt).ToListAsync(ct),
            await db.ChecklistSeals.AsNoTracking().Where(s => s.AssessmentId == assessment.Id).OrderBy(s => s.Round).ToListAsync(ct));
    }

    public string Title => $"{Sheet.Edition.Row.Title}　{Sheet.Sheet.Row.Label}{(Assessment.SystemName is { } s ? $"（{s}）" : "")}";
    public string FileStem => $"checklist-{Assessment.FiscalYear}-{Assessment.SheetNodeId}";
}
