using Mamori.Assets;
using Mamori.Data;
using Mamori.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>What the ledgers say needs attention, in plain Japanese, linked to the checklist item concerned.</summary>
[OrgAccess]
public sealed class FindingsModel(MamoriDb db) : PageModel
{
    public List<Finding> Findings { get; private set; } = [];
    public Dictionary<Guid, string> AssetNumbers { get; private set; } = [];
    public Dictionary<Guid, string> ConnectionNames { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Findings = await AssetFindings.EvaluateAsync(db);
        var assetIds = Findings.Where(f => f.AssetId != null).Select(f => f.AssetId!.Value).Distinct().ToList();
        AssetNumbers = await db.Assets.AsNoTracking().Where(a => assetIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.ControlNumber + (a.Name is null ? "" : " " + a.Name));
        ConnectionNames = await db.Connections.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.VendorName);
    }
}
