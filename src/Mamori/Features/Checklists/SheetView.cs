using Mamori.Features.Assets;
using Mamori.Features.Catalog;
using Mamori.Features.Vendors;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>
/// One sheet as its pages show it (_Sheet.cshtml): items with answers, help, guideline references, evidence, progress,
/// the vendor request behind it, seals; plus what the last action said (errors per item, typed values kept, a message).
/// </summary>
public sealed class SheetView
{
    readonly TenantContext tenant;

    SheetView(TenantContext tenant, ChecklistAssessment assessment, ChecklistRecord record, CatalogIndex index, DateOnly today)
    {
        this.tenant = tenant;
        (Assessment, Sheet, Answers, Seals, Index, Today) = (assessment, record.Sheet, record.Answers, record.Seals, index, today);
        Evidence = record.Evidence.ToLookup(e => e.NodeId);
        Missing = ChecklistService.Missing(Sheet, Assessment, Answers);
    }

    public ChecklistAssessment Assessment { get; }
    public ChecklistSheet Sheet { get; }
    public CatalogIndex Index { get; }
    public Dictionary<string, ChecklistAnswer> Answers { get; }
    public ILookup<string, ChecklistEvidence> Evidence { get; }
    public List<ChecklistSeal> Seals { get; }
    public List<ItemSpec> Missing { get; }
    public DateOnly Today { get; }
    public Dictionary<string, List<UserError>> ItemErrors { get; } = [];
    public Dictionary<string, (string Ja, string En)> ItemNotices { get; } = [];
    /// <summary>What the user typed, shown again when it could not be saved.</summary>
    public Dictionary<string, AnswerInput> Posted { get; } = [];
    /// <summary>Ledger findings by the sheet item (node id) they concern (filled only when the sheet is rendered).</summary>
    public ILookup<string, Finding> Suggestions { get; private set; } = Array.Empty<Finding>().ToLookup(f => "");
    /// <summary>The outcome of the last action (signed, submitted, or why not).</summary>
    public (string Ja, string En)? Message { get; set; }
    /// <summary>
    /// 要確認: an answer kept from an earlier revision whose item the newly imported official form removed or gave another
    /// number (<see cref="ChecklistAnswer.NeedsReview"/>), with the item's old number and wording and, when renumbered,
    /// the item of the new form that has the same wording.
    /// </summary>
    public sealed record OutdatedAnswer(ChecklistAnswer Answer, string? OldRef, string? OldLabel, IndexedNode? NewItem);
    public List<OutdatedAnswer> Outdated { get; private set; } = [];
    /// <summary>The 事業者確認用 request behind this sheet (site copy or the vendor's own), and why answers cannot change now.</summary>
    public VendorRequest? VendorRequest { get; private set; }
    public UserError? Lock { get; private set; }
    /// <summary>Why nothing on the sheet may change now (sealed, or a vendor-request sheet not open to this side), or null.</summary>
    public UserError? WhyLocked => Assessment.IsClosed ? ChecklistService.Sealed : Lock;

    public bool CanEdit => tenant.Can(Permission.ChecklistAnswer) && !Assessment.IsClosed && Lock is null;
    public bool CanSeal => tenant.Can(Permission.ChecklistSeal) && VendorRequest is null;
    public bool IsVendorSide => VendorRequest is not null && VendorRequest.VendorAssessmentId == Assessment.Id;
    public bool CanSubmit => IsVendorSide && tenant.Can(Permission.VendorRespond) && VendorRequest!.Status != VendorRequestStatus.Answered;
    public bool CanReturn => VendorRequest is not null && !IsVendorSide && tenant.Can(Permission.VendorRequestManage) && VendorRequest.Status == VendorRequestStatus.Answered;
    /// <summary>Sheet-level documents of a 事業者確認用 (MDS/SDS, the vendor's filled-in official form).</summary>
    public bool HasDocuments => Assessment.SheetNodeId == "vendor";
    public bool CanReview => tenant.Can(Permission.ChecklistReview);
    public string OrgCode => tenant.Organization!.Code;
    public string OrgName => tenant.Organization!.Name;
    public string Title => $"{AnswerRules.Reiwa(Assessment.FiscalYear)} {Sheet.Sheet.Row.Label}";
    /// <summary>The sheet's own address (the answering page); the other pages of the sheet are below it.</summary>
    public string Url => $"/o/{OrgCode}/checklists/{Assessment.Id}";

    /// <summary>The sheet of this organisation (tenant filter), or null.</summary>
    public static async Task<SheetView?> LoadAsync(MamoriDb db, TenantContext tenant, TimeProvider clock, Guid id, CancellationToken ct)
    {
        var assessment = await db.ChecklistAssessments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (assessment is null || await ChecklistRecord.LoadAsync(db, assessment, tenant.Organization!.Name, ct) is not { } record) return null;
        var view = new SheetView(tenant, assessment, record, await CatalogIndex.GetAsync(db, ct), clock.Today());
        view.VendorRequest = await VendorRequests.ForSheetAsync(db, assessment, ct);
        view.Lock = VendorRequests.LockReason(view.VendorRequest, assessment);
        view.Outdated = await view.OutdatedAsync(db, ct);
        return view;
    }

    /// <summary>
    /// What the ledgers say about the sheet's items (followed to this edition through the catalogue): suggestions, never
    /// answers. Called only when the sheet is rendered (<see cref="SheetPageModel"/>): an action that redirects does not evaluate the ledger.
    /// </summary>
    public async Task AddSuggestionsAsync(MamoriDb db, CancellationToken ct)
    {
        if (!HasDocuments)
            Suggestions = ChecklistSheets.FindingsByItem(Sheet, Index, await AssetFindings.EvaluateCachedAsync(db, Assessment.OrganizationId, ct));
    }

    /// <summary>Answers flagged 要確認 whose item is not on the current sheet, found by their node id in the edition's earlier revisions.</summary>
    async Task<List<OutdatedAnswer>> OutdatedAsync(MamoriDb db, CancellationToken ct)
    {
        var onSheet = Sheet.Items.Select(n => n.NodeId).ToHashSet();
        var flagged = Answers.Values.Where(x => x.NeedsReview is not null && !onSheet.Contains(x.NodeId)).ToList();
        if (flagged.Count == 0) return [];
        var ids = flagged.Select(x => x.NodeId).ToList();
        var before = (await db.CatalogNodes.AsNoTracking()
                .Join(db.CatalogEditions.Where(e => e.FileId == Assessment.EditionFileId), n => n.EditionId, e => e.Id, (n, e) => new { n.NodeId, n.Ref, n.Label, e.Revision })
                .Where(x => ids.Contains(x.NodeId)).ToListAsync(ct))
            .GroupBy(x => x.NodeId).ToDictionary(g => g.Key, g => g.MaxBy(x => x.Revision)!);
        var byWording = Sheet.Items.Where(n => n.Row.Label is not null).GroupBy(n => CatalogIndex.Normalize(n.Row.Label)).ToDictionary(g => g.Key, g => g.First());
        return flagged.Select(x =>
        {
            var old = before.GetValueOrDefault(x.NodeId);
            var next = x.NeedsReview == ReviewReason.Renumbered && old?.Label is { } label ? byWording.GetValueOrDefault(CatalogIndex.Normalize(label)) : null;
            return new OutdatedAnswer(x, old?.Ref, old?.Label, next);
        }).OrderBy(o => o.OldRef, StringComparer.Ordinal).ToList();
    }

    /// <summary>Guideline parts the manual points to for this item (the catalogue's reference mappings).</summary>
    public IEnumerable<IndexedNode> References(IndexedNode item) =>
        Index.MappingsFrom(item).Where(m => m.Kind == "reference").Select(m => Index.Node(m.ToFile, m.ToNode)).OfType<IndexedNode>();
}

/// <summary>
/// A page of one sheet that shows the sheet (<see cref="SheetView"/>) when its action does not redirect: answering,
/// evidence, sign-off, the vendor's submission and the site's return. The ledger's findings are evaluated only when the
/// sheet is actually rendered; a request naming no handler of the page is not found.
/// </summary>
public abstract class SheetPageModel(MamoriDb db, TenantContext tenant, TimeProvider clock) : PageModel
{
    protected MamoriDb Db { get; } = db;
    protected TenantContext Tenant { get; } = tenant;
    protected TimeProvider Clock { get; } = clock;
    public SheetView View { get; private set; } = null!;
    protected string Actor => User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "";

    protected async Task<bool> LoadAsync(Guid id)
    {
        if (await SheetView.LoadAsync(Db, Tenant, Clock, id, HttpContext.RequestAborted) is not { } view) return false;
        View = view;
        return true;
    }

    /// <summary>A sealed year or a vendor-request sheet that is not open to this side: the reason on the item, and nothing saved (409).</summary>
    protected bool Locked(string node)
    {
        if (View.WhyLocked is not { } reason) return false;
        View.ItemErrors[node] = [reason];
        Response.StatusCode = StatusCodes.Status409Conflict;
        return true;
    }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HandlerMethod is null)
        {
            context.Result = NotFound();
            return;
        }
        var executed = await next();
        if (executed.Result is PageResult && View is not null) await View.AddSuggestionsAsync(Db, HttpContext.RequestAborted);
    }
}
