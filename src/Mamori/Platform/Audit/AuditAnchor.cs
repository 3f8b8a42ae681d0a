using System.Text.Json;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mamori.Platform.Audit;

/// <summary>One chain's head as anchored: the last entry's position and hash.</summary>
public sealed record AnchoredHead(Guid Chain, long Seq, string Hash);

/// <summary>
/// The audit chains' heads, written outside the database (a JSON file in the data folder, signed with a key derived
/// from the audit key), so that removing the newest entries is detected: `audit verify` requires every anchored entry
/// to still be there with the anchored hash. Written regularly (<see cref="AuditAnchorService"/>) and at every seal,
/// backup, restore and export. An anchor only moves forward: if an anchored entry is gone or different, the old
/// anchor is kept (the evidence) until a restore deliberately resets it.
/// </summary>
public sealed record AuditAnchor(string Database, DateTime WrittenAt, long UnkeyedUntil, IReadOnlyList<AnchoredHead> Heads, string Mac)
{
    const string Folder = "audit-anchors";

    static string Canonical(string database, DateTime writtenAt, long unkeyedUntil, IEnumerable<AnchoredHead> heads) =>
        JsonSerializer.Serialize(new object[]
        {
            1, database, writtenAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"), unkeyedUntil,
            heads.OrderBy(h => h.Chain).Select(h => new object[] { h.Chain, h.Seq, h.Hash }).ToArray(),
        });

    /// <summary>The anchor file of the database <paramref name="db"/> is connected to (one per server and database).</summary>
    public static string PathFor(MamoriDb db)
    {
        var b = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{b.Host}|{b.Port}|{b.Database}")))[..12];
        var name = new string((b.Database ?? "db").Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        return Path.Combine(db.AuditKey.DataFolder, Folder, $"{name}-{id}.json");
    }

    /// <summary>Reads the anchor; null when there is none yet. Throws <see cref="InvalidDataException"/> when its signature does not verify.</summary>
    public static AuditAnchor? Read(MamoriDb db)
    {
        var path = PathFor(db);
        if (!File.Exists(path)) return null;
        try
        {
            var a = JsonSerializer.Deserialize<AuditAnchor>(File.ReadAllText(path), Json)!;
            if (a.Mac == db.AuditKey.MacAnchor(Canonical(a.Database, a.WrittenAt, a.UnkeyedUntil, a.Heads))) return a;
        }
        catch (JsonException) { }
        catch (NullReferenceException) { }
        throw new InvalidDataException(path);
    }

    /// <summary>
    /// The anchor of one organisation's chain alone, signed like the anchor file (same canonical form and key), for the
    /// inspection pack: it names no other organisation, and a later `audit verify` of the same installation can check
    /// that the chain still holds this entry.
    /// </summary>
    public static async Task<AuditAnchor> OfOrganizationAsync(MamoriDb db, Guid organizationId, CancellationToken ct = default)
    {
        var chain = AuditEntry.ChainOf(organizationId);
        var head = await db.AuditEntries.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking().Where(a => a.ChainId == chain)
            .OrderByDescending(a => a.Seq).Select(a => new AnchoredHead(a.ChainId, a.Seq, a.Hash)).FirstOrDefaultAsync(ct);
        var now = AuditEntry.Truncate(db.Clock.GetUtcNow().UtcDateTime);
        var database = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database ?? "";
        AnchoredHead[] heads = head is null ? [] : [head];
        return new AuditAnchor(database, now, 0, heads, db.AuditKey.MacAnchor(Canonical(database, now, 0, heads)));
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Every chain's committed head (one indexed read per organisation).</summary>
    static async Task<List<AnchoredHead>> HeadsAsync(MamoriDb db, CancellationToken ct) =>
        await db.Database.SqlQuery<AnchoredHead>($"""
            SELECT h."ChainId" AS "Chain", h."Seq", h."Hash"
            FROM (SELECT "Id" AS c FROM organizations UNION ALL SELECT {AuditEntry.InstallationChain}) chains
            CROSS JOIN LATERAL (SELECT "ChainId", "Seq", "Hash" FROM audit_entries WHERE "ChainId" = chains.c
                                ORDER BY "Seq" DESC LIMIT 1) h
            """).ToListAsync(ct);

    /// <summary>
    /// Writes the anchor with the heads committed now. Returns the chains whose anchored entry is no longer in the
    /// database (they keep their old anchor); empty when all is well. <paramref name="reset"/> (restore only) starts over.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> WriteAsync(MamoriDb db, CancellationToken ct = default, bool reset = false)
    {
        var path = PathFor(db);
        AuditAnchor? previous = null;
        if (!reset)
        {
            try { previous = Read(db); }
            catch (InvalidDataException) { File.Move(path, path + ".invalid-" + db.Clock.GetUtcNow().ToUnixTimeSeconds(), overwrite: true); }
        }
        var now = AuditEntry.Truncate(db.Clock.GetUtcNow().UtcDateTime);
        var heads = (await HeadsAsync(db, ct)).ToDictionary(h => h.Chain);
        var lost = new List<Guid>();
        foreach (var old in previous?.Heads ?? [])
        {
            var hash = await db.AuditEntries.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking()
                .Where(a => a.ChainId == old.Chain && a.Seq == old.Seq).Select(a => a.Hash).FirstOrDefaultAsync(ct);
            if (hash == old.Hash && heads.ContainsKey(old.Chain)) continue;
            heads[old.Chain] = old; // the anchored entry is gone or different: keep the evidence
            lost.Add(old.Chain);
        }
        var unkeyedUntil = previous?.UnkeyedUntil ?? await db.AuditEntries.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(a => a.ChainId == AuditEntry.InstallationChain && a.HashVersion == AuditEntry.Unkeyed)
            .MaxAsync(a => (long?)a.Seq, ct) ?? 0;
        var database = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database ?? "";
        var list = heads.Values.OrderBy(h => h.Chain).ToList();
        var anchor = new AuditAnchor(database, now, unkeyedUntil, list, db.AuditKey.MacAnchor(Canonical(database, now, unkeyedUntil, list)));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(tmp, JsonSerializer.Serialize(anchor, Json), ct);
        File.Move(tmp, path, overwrite: true);
        return lost;
    }

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };
}

/// <summary>Writes the anchor when the server starts and every five minutes while it runs.</summary>
public sealed class AuditAnchorService(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AuditAnchorService> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
                var lost = await AuditAnchor.WriteAsync(db, stoppingToken);
                if (lost.Count > 0)
                    log.LogCritical("監査ログのアンカー済みの記録がデータベースにありません（削除または改ざん）。chains: {Chains}. Run ./mamori audit verify.", string.Join(", ", lost));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not write the audit anchor");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
