using Mamori.Platform.Data;

namespace Mamori.Features.Checklists;

/// <summary>Where a sheet stands: what the dashboard and the list show.</summary>
public sealed record ChecklistProgress(
    ChecklistAssessment Assessment, ChecklistSheet Sheet, int Done, int Total,
    List<(ItemSpec Item, DateOnly? TargetDate, bool Overdue)> NoItems, int YesWithoutEvidence, List<ChecklistSeal> Seals)
{
    public static async Task<ChecklistProgress?> LoadAsync(MamoriDb db, ChecklistAssessment assessment, DateOnly today, CancellationToken ct = default) =>
        await ChecklistRecord.LoadAsync(db, assessment, "", ct) is { } record ? From(record, today) : null;

    public static ChecklistProgress From(ChecklistRecord r, DateOnly today)
    {
        var (assessment, sheet, answers, seals) = (r.Assessment, r.Sheet, r.Answers, r.Seals);
        var withEvidence = r.Evidence.Select(e => e.NodeId).ToHashSet();
        // On a 事業者確認用 the vendor's documents (MDS/SDS, the filled-in form) back every answer.
        if (assessment.SheetNodeId == "vendor" && withEvidence.Contains(sheet.Sheet.NodeId)) withEvidence.UnionWith(sheet.Items.Select(i => i.NodeId));
        var items = sheet.RequiredItems(assessment);
        var no = items.Where(i => answers.GetValueOrDefault(i.NodeId) is { } a && AnswerRules.AnyNo(a) && !i.IsPrerequisite)
            .Select(i => (i, answers[i.NodeId].TargetDate, answers[i.NodeId].TargetDate is { } t && t < today)).ToList();
        var yesWithout = items.Count(i => !i.IsPrerequisite && answers.GetValueOrDefault(i.NodeId) is { } a && AnswerRules.AllYes(i, a) && !withEvidence.Contains(i.NodeId));
        return new ChecklistProgress(assessment, sheet, items.Count(i => AnswerRules.IsComplete(i, answers.GetValueOrDefault(i.NodeId))), items.Count, no, yesWithout, seals);
    }

    public string SignOffJa => Assessment.Round switch
    {
        1 => "1回目 確認中（未署名）",
        2 => Seals.FirstOrDefault()?.ReviewedOn is null ? "1回目 署名済・経営層の確認待ち" : "1回目 署名・経営層確認済、2回目 確認中",
        _ => "2回目まで署名済",
    };
    public string SignOffEn => Assessment.Round switch
    {
        1 => "1st check in progress (not signed)",
        2 => Seals.FirstOrDefault()?.ReviewedOn is null ? "1st check signed; awaiting management review" : "1st check signed and reviewed; 2nd in progress",
        _ => "Both checks signed",
    };
}
