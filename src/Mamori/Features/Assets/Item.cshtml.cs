using Mamori.Features.Assets.Import;
using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>One device: its record, interfaces, open ports, findings and full history.</summary>
[Requires(Permission.View)]
public sealed class ItemModel(MamoriDb db, TenantContext tenant) : PageModel
{
    public Asset Asset { get; private set; } = null!;
    public List<AssetHistory> History { get; private set; } = [];
    public List<Finding> Findings { get; private set; } = [];
    public List<Connection> Connections { get; private set; } = [];
    public bool CanEdit => tenant.Can(Permission.LedgerEdit);

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var asset = await db.Assets.AsNoTracking().Include(a => a.Interfaces).Include(a => a.OpenPorts).AsSplitQuery().FirstOrDefaultAsync(a => a.Id == id);
        if (asset is null) return NotFound();
        Asset = asset;
        History = await db.AssetHistory.AsNoTracking().Where(h => h.AssetId == id).OrderByDescending(h => h.ChangedAt).ThenByDescending(h => h.Id).Take(50).ToListAsync();
        Connections = await db.Connections.AsNoTracking().Where(c => c.ApplianceAssetId == id).ToListAsync();
        Findings = (await AssetFindings.EvaluateAsync(db, [id])).Where(f => f.AssetId == id || f.ConnectionId is { } c && Connections.Any(x => x.Id == c)).ToList();
        await db.RecordAsync(AuditActions.View, "Asset", id.ToString(), new { asset.ControlNumber });
        return Page();
    }
}
