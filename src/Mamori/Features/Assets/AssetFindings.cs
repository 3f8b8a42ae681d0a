using Mamori.Assets;
using Mamori.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>Findings for the current organisation's ledgers (tenant-filtered), evaluated with the shipped OS support table.</summary>
public static class AssetFindings
{
    static readonly Lazy<OsSupportCatalog> OsCatalog = new(() =>
        OsSupportCatalog.Load(Path.Combine(AppContext.BaseDirectory, "Assets", "os-support.yaml")));

    public static OsSupportCatalog OsSupport => OsCatalog.Value;

    public static async Task<List<Finding>> EvaluateAsync(MamoriDb db, CancellationToken ct = default)
    {
        var assets = await db.Assets.AsNoTracking().Include(a => a.Interfaces).Include(a => a.OpenPorts).AsSplitQuery().ToListAsync(ct);
        var connections = await db.Connections.AsNoTracking().ToListAsync(ct);
        return Findings.Evaluate(assets, connections, OsSupport, Today);
    }

    /// <summary>Today in Japan (fiscal years and support dates are Japanese calendar days).</summary>
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
}
