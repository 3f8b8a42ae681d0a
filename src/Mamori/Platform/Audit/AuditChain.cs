using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Platform.Audit;

/// <summary>The result of verifying every chain: the first problem found (Japanese / English), or none.</summary>
public sealed record ChainReport(long Entries, int Chains, long? BrokenSeq, string? Problem, string? Note)
{
    public bool Intact => Problem is null;
}

/// <summary>
/// Walks every audit chain in order (each organisation's and the installation's) and reports the first entry that does
/// not verify: a gap in the numbering, a broken link, a hash that does not match (keyed MAC for new entries, SHA-256 for
/// entries written before the key existed), an entry rewritten in the old unkeyed form, and — against the signed anchor
/// file — newest entries that were removed.
/// </summary>
public static class AuditChain
{
    public static async Task<ChainReport> VerifyAsync(MamoriDb db, CancellationToken ct = default)
    {
        var names = await db.Organizations.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking()
            .ToDictionaryAsync(o => o.Id, o => o.Code, ct);
        string Name(Guid chain) => chain == AuditEntry.InstallationChain ? "全体（組織に属さない記録）"
            : names.TryGetValue(chain, out var code) ? $"組織「{code}」" : $"組織 {chain}";

        AuditAnchor? anchor;
        try { anchor = AuditAnchor.Read(db); }
        catch (InvalidDataException e)
        {
            return new ChainReport(0, 0, null,
                $"アンカーファイル {e.Message} の署名が一致しません（書き換えられたか、鍵 audit.key が記録時と異なります） / the anchor file's signature does not verify", null);
        }
        var anchored = anchor?.Heads.ToDictionary(h => h.Chain) ?? [];

        var entries = db.AuditEntries.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking();
        var chains = (await entries.Select(a => a.ChainId).Distinct().ToListAsync(ct)).Union(anchored.Keys).Order().ToList();
        long count = 0;
        foreach (var chain in chains)
        {
            const int batch = 5000;
            long expectedSeq = 1;
            var prev = AuditEntry.GenesisHash;
            var keyedSeen = false;
            ChainReport Broken(long seq, string problem) => new(count, chains.Count, seq, $"{Name(chain)}の{problem}", null);
            while (true)
            {
                var page = await entries.Where(a => a.ChainId == chain && a.Seq >= expectedSeq).OrderBy(a => a.Seq).Take(batch).ToListAsync(ct);
                if (page.Count == 0) break;
                foreach (var entry in page)
                {
                    if (entry.Seq != expectedSeq)
                        return Broken(expectedSeq, $"第 {expectedSeq} 件が欠落しています（次は第 {entry.Seq} 件） / entry {expectedSeq} is missing");
                    if (entry.PrevHash != prev)
                        return Broken(entry.Seq, $"第 {entry.Seq} 件の直前ハッシュが一致しません（前の記録が削除または変更されています） / previous-hash mismatch at entry {entry.Seq}");
                    // Unkeyed entries exist only from before the key: at the start of the installation chain (which then held
                    // every organisation), before its first keyed entry and within what the anchor recorded as such.
                    var unkeyedAllowed = chain == AuditEntry.InstallationChain && !keyedSeen && (anchor is null || entry.Seq <= anchor.UnkeyedUntil);
                    if (entry.HashVersion == AuditEntry.Unkeyed && !unkeyedAllowed || entry.HashVersion is not (AuditEntry.Unkeyed or AuditEntry.Keyed))
                        return Broken(entry.Seq, $"第 {entry.Seq} 件が鍵のない形式で書き直されています / entry {entry.Seq} was rewritten without the key");
                    if (entry.ComputeHash(db.AuditKey) != entry.Hash)
                        return Broken(entry.Seq, $"第 {entry.Seq} 件の内容が記録後に変更されています / entry {entry.Seq} was altered after it was written");
                    keyedSeen |= entry.HashVersion == AuditEntry.Keyed;
                    prev = entry.Hash;
                    expectedSeq++;
                    count++;
                }
            }
            if (anchored.TryGetValue(chain, out var head))
            {
                var last = expectedSeq - 1;
                if (last < head.Seq)
                    return Broken(last + 1, $"第 {last + 1} 件から第 {head.Seq} 件までが削除されています（{Jst(anchor!.WrittenAt)} のアンカーでは第 {head.Seq} 件まで） / entries {last + 1}–{head.Seq} were removed");
                var hash = await entries.Where(a => a.ChainId == chain && a.Seq == head.Seq).Select(a => a.Hash).SingleAsync(ct);
                if (hash != head.Hash)
                    return Broken(head.Seq, $"第 {head.Seq} 件がアンカー（{Jst(anchor!.WrittenAt)}）の記録と一致しません / entry {head.Seq} differs from the anchor");
            }
        }
        var note = anchor is null
            ? "アンカーファイルがまだありません（末尾の削除は検出できません）。サーバーの起動・バックアップ・`./mamori audit anchor` で作成されます。"
            : $"アンカー {Jst(anchor.WrittenAt)} 時点の末尾まで確認済み。";
        return new ChainReport(count, chains.Count, null, null, note);
    }

    static string Jst(DateTime utc) => Time.JapanTime.ToJst(utc).ToString("yyyy-MM-dd HH:mm");
}
