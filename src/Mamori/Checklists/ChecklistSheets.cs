using Mamori.Catalog;
using Mamori.Data;
using Mamori.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Checklists;

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

public static class ChecklistSheets
{
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
