using System.Security.Cryptography;
using Mamori.Platform.Data;
using Mamori.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Vulnerabilities;

/// <summary>What an import did: a new feed, or nothing because the same file was imported before.</summary>
public sealed record FeedImportResult(VulnFeed Feed, bool Unchanged, int Added, int Updated, int WithoutConfigurations);

/// <summary>Audit actions of the area.</summary>
public static class VulnerabilityAudit
{
    public const string FeedImported = "vuln.feed_imported";
    public const string Triaged = "vuln.triaged";
}

/// <summary>
/// The one write path of the feeds (CLI and upload page): read and check the whole file, then in one transaction record
/// the feed (kind, version, SHA-256) and insert or update its records by source and key — a newer KEV updates entries,
/// never duplicates them. The same file again is a no-op; a KEV older than the newest imported one is refused.
/// Matches follow lazily: the feeds' cache stamp changes, so each organisation re-matches at its next read.
/// </summary>
public static class FeedImport
{
    public static async Task<FeedImportResult> ImportAsync(MamoriDb db, byte[] content, string fileName, string importedBy, TimeProvider clock,
        CancellationToken ct = default)
    {
        if (content.LongLength > FeedReaders.MaxFileBytes) throw FeedReaders.TooLarge(content.LongLength);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var previous = await db.Set<VulnFeed>().AsNoTracking().FirstOrDefaultAsync(f => f.Sha256 == sha, ct);
        if (previous is not null) return new FeedImportResult(previous, true, 0, 0, 0);

        var parsed = FeedReaders.Read(content);
        if (parsed.Kind == FeedKind.Kev)
        {
            var newest = await db.Set<VulnFeed>().AsNoTracking().Where(f => f.Kind == FeedKind.Kev).OrderByDescending(f => f.ReleasedAt).ThenByDescending(f => f.ImportedAt).FirstOrDefaultAsync(ct);
            if (newest is not null && (parsed.ReleasedAt is { } r && newest.ReleasedAt is { } n ? r < n : string.CompareOrdinal(parsed.Version, newest.Version) < 0))
                throw new UserErrorException(new UserError(
                    $"この KEV（版 {parsed.Version}）は取り込み済みの KEV（版 {newest.Version}）より古いため、取り込みません。",
                    $"This KEV ({parsed.Version}) is older than the one imported ({newest.Version}); refused."));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var feed = new VulnFeed
        {
            Kind = parsed.Kind, Version = parsed.Version, ReleasedAt = parsed.ReleasedAt, Sha256 = sha, FileName = Path.GetFileName(fileName),
            ImportedAt = now, ImportedBy = importedBy, Records = parsed.Records.Count,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Add(feed);
        var keys = parsed.Records.Select(r => r.Key).ToList();
        var existing = await db.Set<VulnRecord>().Include(r => r.Ranges).Where(r => r.Source == parsed.Kind && keys.Contains(r.Key))
            .AsSplitQuery().ToDictionaryAsync(r => r.Key, ct);
        int added = 0, updated = 0;
        foreach (var p in parsed.Records)
        {
            if (!existing.TryGetValue(p.Key, out var row))
            {
                row = new VulnRecord { Source = parsed.Kind, Key = p.Key };
                db.Add(row);
                added++;
            }
            else
            {
                db.RemoveRange(row.Ranges);
                row.Ranges = [];
                updated++;
            }
            row.Cves = [.. p.Cves];
            (row.Title, row.Description, row.VendorProject, row.Product) = (p.Title, p.Description, p.VendorProject, p.Product);
            (row.DateAdded, row.DueDate, row.RequiredAction, row.Ransomware) = (p.DateAdded, p.DueDate, p.RequiredAction, p.Ransomware);
            row.Products = [.. p.Products];
            (row.FeedId, row.UpdatedAt) = (feed.Id, now);
            foreach (var r in p.Ranges)
                row.Ranges.Add(new VulnRange
                {
                    Cpe = r.Cpe, Exact = r.Range.Exact, StartIncluding = r.Range.StartIncluding, StartExcluding = r.Range.StartExcluding,
                    EndIncluding = r.Range.EndIncluding, EndExcluding = r.Range.EndExcluding,
                });
        }
        db.Audit(VulnerabilityAudit.FeedImported, nameof(VulnFeed), feed.Id.ToString(),
            new { kind = parsed.Kind.ToString(), version = parsed.Version, sha256 = sha, file = feed.FileName, records = parsed.Records.Count, added, updated });
        db.CacheChanged(VulnerabilityMatching.FeedScope);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new FeedImportResult(feed, false, added, updated, parsed.WithoutConfigurations);
    }

    /// <summary>What is imported, newest of each kind first: the area's "feeds as of …".</summary>
    public static async Task<List<VulnFeed>> LatestAsync(MamoriDb db, CancellationToken ct = default) =>
        (await db.Set<VulnFeed>().AsNoTracking().OrderByDescending(f => f.ImportedAt).ToListAsync(ct))
        .GroupBy(f => f.Kind).Select(g => g.First()).OrderBy(f => f.Kind).ToList();

    /// <summary>One line: 「KEV 2026.12.01・NVD 2026-12-01T…」.</summary>
    public static string AsOf(IEnumerable<VulnFeed> latest) =>
        string.Join("・", latest.Select(f => $"{Label(f.Kind)} {f.Version}"));

    public static string Label(FeedKind kind) => kind switch
    {
        FeedKind.Kev => "KEV", FeedKind.Nvd => "NVD", FeedKind.Jvn => "JVN iPedia", _ => "ベンダー告知",
    };
}
