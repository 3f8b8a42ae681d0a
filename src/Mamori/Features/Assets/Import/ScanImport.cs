using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets.Import;

public sealed record ScanMatch(NmapHost Host, Asset? Existing, string? MatchedBy);

/// <summary>
/// An nmap XML report against the ledger: each live host is matched to a device by IP address (primary or any
/// interface) or MAC address; unmatched hosts are proposed as new entries. Applying replaces the open ports recorded
/// from earlier scans of the matched devices and creates the chosen new entries, in one transaction with one audit event
/// and each device's new version in its history (<see cref="LedgerChanges"/>).
/// </summary>
public static class ScanImport
{
    public static async Task<List<ScanMatch>> MatchAsync(MamoriDb db, NmapScan scan, CancellationToken ct)
    {
        var assets = await db.Assets.Include(a => a.Interfaces).AsSplitQuery().ToListAsync(ct);
        var byIp = new Dictionary<string, Asset>();
        var byMac = new Dictionary<string, Asset>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in assets)
        {
            foreach (var ip in a.Interfaces.Select(i => i.IpAddress).Append(a.IpAddress).OfType<string>()) byIp.TryAdd(ip, a);
            foreach (var mac in a.Interfaces.Select(i => i.MacAddress).Append(a.MacAddress).OfType<string>()) byMac.TryAdd(mac, a);
        }
        return scan.Hosts.Select(h =>
            h.Ipv4 is { } ip && byIp.TryGetValue(ip, out var a) ? new ScanMatch(h, a, "IP")
            : h.MacAddress is { } mac && MacAddressText.TryNormalize(mac, out var m) && byMac.TryGetValue(m, out var b) ? new ScanMatch(h, b, "MAC")
            : new ScanMatch(h, null, null)).ToList();
    }

    /// <summary>Records open ports on matched devices and creates the selected new hosts (by IPv4). Returns (updated, created).</summary>
    public static async Task<(int Updated, int Created)> ApplyAsync(MamoriDb db, Guid organizationId, NmapScan scan, ISet<string> createIps,
        string fileName, string sha256, string actorName, TimeProvider clock, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var matches = await MatchAsync(db, scan, ct);
        var now = AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime);
        var seenAt = scan.StartedAt is { } started ? AuditEntry.Truncate(started) : now;
        List<Guid> updated = [], created = [];
        var existingNumbers = (await db.Assets.Select(a => a.ControlNumber).ToListAsync(ct)).ToHashSet();
        foreach (var (host, asset, _) in matches)
        {
            var target = asset;
            if (target is null)
            {
                if (host.Ipv4 is not { } ip || !createIps.Contains(ip)) continue;
                var number = "SCAN-" + ip;
                for (var n = 2; existingNumbers.Contains(number); n++) number = $"SCAN-{ip}-{n}";
                existingNumbers.Add(number);
                target = db.Assets.Add(new Asset
                {
                    OrganizationId = organizationId, ControlNumber = number, IpAddress = ip,
                    MacAddress = MacAddressText.TryNormalize(host.MacAddress, out var mac) ? mac : null,
                    ComputerName = host.Hostnames.FirstOrDefault(), Manufacturer = host.MacVendor, OperatingSystem = host.OsName,
                    Description = "ネットワークスキャン（nmap）で見つかった機器。種別・設置場所・利用者を確かめて記入してください。",
                    UpdatedAt = now, UpdatedBy = actorName,
                }).Entity;
                created.Add(target.Id);
            }
            else
            {
                await db.Entry(target).Collection(a => a.OpenPorts).LoadAsync(ct);
                target.OpenPorts.RemoveAll(p => p.Source == "nmap");
                updated.Add(target.Id);
            }
            foreach (var p in host.OpenPorts.DistinctBy(p => (p.Port, p.Protocol)))
                target.OpenPorts.Add(new OpenPort { AssetId = target.Id, Port = p.Port, Protocol = p.Protocol, Service = p.Service, SeenAt = seenAt, Source = "nmap" });
        }
        db.Audit(AuditActions.ScanImported, "Asset", null,
            new { file = fileName, sha256, hosts = scan.Hosts.Count, updated = updated.Count, created = created.Count }, organizationId);
        await db.SaveChangesAsync(ct);
        // The open ports are part of the device: each matched device's new image, and each new one, in its history.
        await LedgerChanges.RecordAsync(db, organizationId, LedgerChange.Create, LedgerChanges.Scan, created, now, actorName, ct);
        await LedgerChanges.RecordAsync(db, organizationId, LedgerChange.Update, LedgerChanges.Scan, updated, now, actorName, ct);
        await tx.CommitAsync(ct);
        return (updated.Count, created.Count);
    }
}
