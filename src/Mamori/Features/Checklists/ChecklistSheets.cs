using Mamori.Features.Assets;
using Mamori.Features.Catalog;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>A sheet to answer: the catalogue edition (at the pinned revision), the sheet node and its items in sheet order.</summary>
public sealed record ChecklistSheet(IndexedEdition Edition, IndexedNode Sheet, List<IndexedNode> Nodes)
{
    public IEnumerable<IndexedNode> Items => Nodes.Where(n => n.Row.Kind is "checklist-item" or "question");
    public IndexedNode? Prerequisite => Items.FirstOrDefault(n => ItemSpec.From(n).IsPrerequisite);

    /// <summary>
    /// The items this sheet asks for: all of them, or only the pre-question once it was answered いいえ
    /// (「医療情報システムを導入・運用している」: no system, nothing else to check). Page, progress, seal and exports use this.
    /// </summary>
    public List<ItemSpec> RequiredItems(ChecklistAssessment assessment)
    {
        var items = Items.Select(ItemSpec.From).ToList();
        return assessment.SystemInUse == false ? items.Where(i => i.IsPrerequisite).ToList() : items;
    }
}

/// <summary>What a site or vendor user is told about an item taken over from last year's edition (引継ぎ・未照合), in plain words.</summary>
public sealed record UnreconciledWording(string BadgeJa, string BadgeEn, string SentenceJa, string SentenceEn, string ActionJa, string ActionEn)
{
    /// <summary>The wording for an item the catalogue marks as unreconciled (<see cref="IndexedNode.IsUnreconciled"/>), else null.</summary>
    public static UnreconciledWording? For(IndexedNode item)
    {
        if (!item.IsUnreconciled || item.Edition.Row.FiscalYear is not { } year) return null;
        // Carried over from last year's edition: that is what carry-over means for a yearly checklist.
        return new("未照合", "Not yet checked",
            $"{AnswerRules.Reiwa(year - 1)}版から引き継いだ項目です。{AnswerRules.Reiwa(year)}の原本とまだ照合していません。",
            $"Carried over from the FY{year - 1} edition; not yet checked against the FY{year} original.",
            "昨年度と同じ考え方で回答してください。公式の様式が取り込まれると項目の文言が新しくなります（入力した回答は消えません）。",
            "Answer as you did last year. The wording is updated when the official form is imported; your answer is kept.");
    }
}

public static class ChecklistSheets
{
    /// <summary>
    /// Ledger findings shown on a sheet's items. Findings name an item by its 項番 in <see cref="Findings.ChecklistEdition"/>'s
    /// site sheet (2-①, 2-②, 2-⑫); an item of any other edition gets them when the catalogue's edition mappings say it is
    /// the *same* item (R7 2-① → R8's carried-over 2-①). Never on a 事業者確認用.
    /// </summary>
    public static ILookup<string, Finding> FindingsByItem(ChecklistSheet sheet, CatalogIndex index, LedgerFindings findings)
    {
        var pairs = new List<(string NodeId, Finding Finding)>();
        if (sheet.Sheet.Value("sheet") != "vendor" && index.Edition(Findings.ChecklistEdition) is { } numbered)
        {
            var onSheet = sheet.Items.ToDictionary(n => n.FullId);
            foreach (var group in findings.ByChecklistRef)
                foreach (var target in numbered.Nodes.Where(n => n.Row.Ref == group.Key && n.Row.Kind == "checklist-item" && SheetOf(n)?.Value("sheet") == "site"))
                    foreach (var same in index.EditionsContaining(target).Where(x => x.Relation == "same").Select(x => x.Node).Prepend(target))
                        if (onSheet.TryGetValue(same.FullId, out var item))
                            pairs.AddRange(group.Select(f => (item.NodeId, f)));
        }
        return pairs.Distinct().ToLookup(p => p.NodeId, p => p.Finding);

        static IndexedNode? SheetOf(IndexedNode n) => n.Row.Kind == "sheet" ? n : n.Parent is { } p ? SheetOf(p) : null;
    }

    /// <summary>The site sheets an organisation of this kind answers (医療機関確認用, 薬局確認用, or R8's 医療機関・薬局確認用).</summary>
    public static List<(IndexedEdition Edition, IndexedNode Sheet)> Available(CatalogIndex index, OrganizationKind kind)
    {
        var applies = CatalogLabels.AppliesToValue(kind);
        return index.Editions.Where(e => e.Row.Kind == "checklist" && e.Row.FiscalYear is not null)
            .SelectMany(e => e.Nodes.Where(n => n.Row.Kind == "sheet" && n.Value("sheet") != "vendor" && applies is not null && n.List("applies_to").Contains(applies))
                .Select(n => (e, n)))
            .OrderByDescending(x => x.e.Row.FiscalYear).ToList();
    }

    /// <summary>
    /// 事業者確認用 sheets, newest first. An edition whose vendor items are not in the catalogue yet (R8) is still usable:
    /// the vendor's filled-in official sheet and MDS/SDS are attached as the sheet's documents.
    /// </summary>
    public static List<(IndexedEdition Edition, IndexedNode Sheet)> VendorSheets(CatalogIndex index) =>
        index.Editions.Where(e => e.Row.Kind == "checklist" && e.Row.FiscalYear is not null)
            .SelectMany(e => e.Nodes.Where(n => n.Row.Kind == "sheet" && n.Value("sheet") == "vendor").Select(n => (e, n)))
            .OrderByDescending(x => x.e.Row.FiscalYear).ToList();

    public static async Task<ChecklistSheet?> LoadAsync(MamoriDb db, ChecklistAssessment assessment, CancellationToken ct = default)
    {
        var index = await CatalogIndex.GetAsync(db, ct);
        var edition = index.Edition(assessment.EditionFileId);
        if (edition is null || edition.Row.Revision != assessment.EditionRevision)
        {
            // Answered against an earlier revision: show exactly that one.
            var rows = await CatalogIndex.LoadAsync(db, db.CatalogEditions.Where(e => e.FileId == assessment.EditionFileId && e.Revision == assessment.EditionRevision), ct);
            edition = rows.Count == 0 ? null : CatalogIndex.Build(rows).Edition(assessment.EditionFileId);
        }
        return edition is null ? null : Of(edition, assessment.SheetNodeId);
    }

    /// <summary>A sheet of an edition with its sections and items in sheet order, or null if the edition has no such sheet.</summary>
    public static ChecklistSheet? Of(IndexedEdition edition, string sheetNodeId)
    {
        if (edition.ById.GetValueOrDefault(sheetNodeId) is not { } sheet) return null;
        var nodes = new List<IndexedNode>();
        void Walk(IndexedNode n) { foreach (var c in n.Children) { nodes.Add(c); Walk(c); } }
        Walk(sheet);
        return new ChecklistSheet(edition, sheet, nodes);
    }
}
