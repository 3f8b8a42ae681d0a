using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>
/// What the ledgers say needs attention, in plain Japanese, linked to the checklist item concerned. A large ledger can
/// have tens of thousands of findings of one kind (e.g. no stocktake recorded): the overview shows the first few of
/// each kind, and one kind (?code=) is listed in pages.
/// </summary>
[Requires(Permission.View)]
public sealed class FindingsModel(MamoriDb db, TenantContext tenant) : PageModel
{
    public const int PreviewPerKind = 20;
    public const int PageSize = 200;

    public int Total { get; private set; }
    /// <summary>Every kind found, with its count, in the order of severity.</summary>
    public IReadOnlyList<(FindingCode Code, int Count)> Kinds { get; private set; } = [];
    /// <summary>The findings shown on this page, by kind.</summary>
    public List<IGrouping<FindingCode, Finding>> Shown { get; private set; } = [];
    /// <summary>The kind listed on its own (?code=), or null for the overview.</summary>
    public FindingCode? Code { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public Dictionary<Guid, string> AssetNumbers { get; private set; } = [];
    public Dictionary<Guid, string> ConnectionNames { get; private set; } = [];

    public async Task OnGetAsync(string? code, int p = 1)
    {
        var ct = HttpContext.RequestAborted;
        var findings = await AssetFindings.EvaluateCachedAsync(db, tenant.OrganizationId!.Value, ct);
        Total = findings.All.Count;
        Kinds = findings.Kinds;
        if (Enum.TryParse<FindingCode>(code, ignoreCase: false, out var only) && Enum.IsDefined(only))
        {
            Code = only;
            var ofKind = findings.ByKind[only];
            PageNumber = Math.Clamp(p, 1, Math.Max(1, (CountOf(only) + PageSize - 1) / PageSize));
            Shown = ofKind.Skip((PageNumber - 1) * PageSize).Take(PageSize).GroupBy(f => f.Code).ToList();
        }
        else Shown = findings.ByKind.SelectMany(g => g.Take(PreviewPerKind)).GroupBy(f => f.Code).ToList();

        var assetIds = Shown.SelectMany(g => g).Where(f => f.AssetId != null).Select(f => f.AssetId!.Value).Distinct().ToList();
        AssetNumbers = await db.Assets.AsNoTracking().Where(a => assetIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.ControlNumber + (a.Name is null ? "" : " " + a.Name), ct);
        ConnectionNames = await db.Connections.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.VendorName, ct);
    }

    public int CountOf(FindingCode code) => Kinds.FirstOrDefault(k => k.Code == code).Count;

    public string Link(FindingCode? code, int page = 1)
    {
        var org = (string)RouteData.Values["org"]!;
        return code is null ? $"/o/{org}/assets/findings" : $"/o/{org}/assets/findings?code={code}" + (page > 1 ? $"&p={page}" : "");
    }
}
