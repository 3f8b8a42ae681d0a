using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Platform.Audit;

public sealed record ChainReport(long Entries, string LastHash, long? BrokenSeq, string? Problem)
{
    public bool Intact => BrokenSeq is null;
}

/// <summary>Walks the whole audit chain in order and reports the first entry that does not verify.</summary>
public static class AuditChain
{
    public static async Task<ChainReport> VerifyAsync(MamoriDb db, CancellationToken ct = default)
    {
        const int batch = 5000;
        long expectedSeq = 1, count = 0;
        var prev = AuditEntry.GenesisHash;
        while (true)
        {
            // Verification reads the whole chain, every organisation's entries, past the tenant filter (CLI only).
            var page = await db.AuditEntries.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking()
                .Where(a => a.Seq >= expectedSeq).OrderBy(a => a.Seq).Take(batch).ToListAsync(ct);
            if (page.Count == 0) return new ChainReport(count, prev, null, null);
            foreach (var entry in page)
            {
                if (entry.Seq != expectedSeq)
                    return new ChainReport(count, prev, expectedSeq, $"第 {expectedSeq} 件が欠落しています（次は第 {entry.Seq} 件） / entry {expectedSeq} is missing");
                if (entry.PrevHash != prev)
                    return new ChainReport(count, prev, entry.Seq, $"第 {entry.Seq} 件の直前ハッシュが一致しません / previous-hash mismatch at entry {entry.Seq}");
                if (entry.ComputeHash() != entry.Hash)
                    return new ChainReport(count, prev, entry.Seq, $"第 {entry.Seq} 件の内容が記録後に変更されています / entry {entry.Seq} was altered after it was written");
                prev = entry.Hash;
                expectedSeq++;
                count++;
            }
        }
    }
}
