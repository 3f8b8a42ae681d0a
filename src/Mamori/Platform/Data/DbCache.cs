using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Mamori.Platform.Data;

/// <summary>A cache scope's stamp: replaced (a new random value) in the same transaction as every change of the scope.</summary>
public sealed class CacheVersion
{
    public string Scope { get; set; } = "";
    public Guid Stamp { get; set; }
}

/// <summary>
/// The one cache of values derived from the database (the published catalogue, an organisation's ledger findings), held
/// in the framework's <see cref="IMemoryCache"/>. A cached value is used while its scope's stamp in <c>cache_versions</c>
/// is the one it was built at; <see cref="MamoriDb"/> replaces the stamp in the same transaction as any change of the
/// scope, so a change made by another process (the command line, a second server) shows at the next request. Checking
/// costs one primary-key read. The stamp is random rather than a counter, so restoring a backup cannot bring back a
/// number the cache already holds for other contents.
/// </summary>
public sealed class DbCache(IMemoryCache memory, ILogger<DbCache> log)
{
    /// <summary>The published catalogue (imports, publishes, the shipped-file sync).</summary>
    public const string Catalog = "catalog";

    /// <summary>One organisation's 機器台帳 (devices, interfaces, ports), connections and cloud services.</summary>
    public static string Ledger(Guid organizationId) => $"ledger:{organizationId}";

    /// <summary>One build at a time per scope: a large ledger's findings are not evaluated twice side by side.</summary>
    readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new();

    sealed record Entry(Guid Stamp, object Value);

    /// <summary>
    /// The value cached for <paramref name="scope"/> (and <paramref name="variant"/>, e.g. today's date), built again with
    /// <paramref name="build"/> when the scope changed since. <paramref name="idle"/>: dropped when unused this long.
    /// </summary>
    public async Task<T> GetAsync<T>(MamoriDb db, string scope, string variant, Func<CancellationToken, Task<T>> build,
        TimeSpan? idle, CancellationToken ct) where T : class
    {
        var stamp = await StampAsync(db, scope, ct);
        var key = (typeof(DbCache), scope, variant);
        if (memory.TryGetValue(key, out Entry? hit) && hit!.Stamp == stamp) return (T)hit.Value;
        var gate = gates.GetOrAdd(scope, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (memory.TryGetValue(key, out hit) && hit!.Stamp == stamp) return (T)hit.Value;
            var clock = Stopwatch.StartNew();
            // Read after the stamp, so the value is at least as new as the stamp it is kept under.
            var value = await build(ct);
            memory.Set(key, new Entry(stamp, value), new MemoryCacheEntryOptions { SlidingExpiration = idle });
            log.LogInformation("Cache {Scope} built in {Milliseconds} ms", scope, clock.ElapsedMilliseconds);
            return value;
        }
        finally { gate.Release(); }
    }

    static readonly Func<MamoriDb, string, CancellationToken, Task<Guid?>> Stamp = EF.CompileAsyncQuery((MamoriDb db, string scope, CancellationToken ct) =>
        db.CacheVersions.Where(v => v.Scope == scope).Select(v => (Guid?)v.Stamp).SingleOrDefault());

    static async Task<Guid> StampAsync(MamoriDb db, string scope, CancellationToken ct) => await Stamp(db, scope, ct) ?? Guid.Empty;

    /// <summary>Replaces the stamps of the changed scopes; called by MamoriDb inside the transaction of the change.</summary>
    internal static async Task ChangedAsync(MamoriDb db, IEnumerable<string> scopes, CancellationToken ct)
    {
        foreach (var scope in scopes.Order(StringComparer.Ordinal))
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO cache_versions ("Scope", "Stamp") VALUES ({scope}, gen_random_uuid())
                ON CONFLICT ("Scope") DO UPDATE SET "Stamp" = excluded."Stamp"
                """, ct);
    }
}
