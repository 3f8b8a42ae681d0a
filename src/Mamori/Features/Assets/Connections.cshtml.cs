using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>Every remote-maintenance or partner connection, with what is weak about each (checklist 2-②).</summary>
[Requires(Permission.View)]
public sealed class ConnectionsModel(MamoriDb db, TenantContext tenant, TimeProvider clock) : PageModel
{
    public List<Connection> Connections { get; private set; } = [];
    public Dictionary<Guid, Asset> Appliances { get; private set; } = [];
    public ILookup<Guid?, Finding> Findings { get; private set; } = Array.Empty<Finding>().ToLookup(f => f.ConnectionId);
    public bool CanEdit => tenant.Can(Permission.LedgerEdit);
    public DateOnly FiscalYearStart => JapanTime.FiscalYearStart(JapanTime.FiscalYearOf(clock.Today()));

    public async Task OnGetAsync()
    {
        Connections = await db.Connections.AsNoTracking().OrderBy(c => c.Status).ThenBy(c => c.VendorName).ToListAsync();
        var ids = Connections.Where(c => c.ApplianceAssetId != null).Select(c => c.ApplianceAssetId!.Value).ToList();
        Appliances = await db.Assets.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id);
        Findings = (await AssetFindings.EvaluateAsync(db, [])).Where(f => f.ConnectionId != null).ToLookup(f => f.ConnectionId);
        await db.RecordAsync(AuditActions.View, "ConnectionRegister", tenant.Organization!.Code, new { rows = Connections.Count });
    }
}
