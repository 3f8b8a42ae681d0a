using System.Net;
using Mamori.Features.Assets.Import;
using Mamori.Features.Audit;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Reports;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Mamori.Tests.Integration;

public sealed class AuditTrailTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    MamoriApp.TestUser admin = null!;

    public async Task InitializeAsync() => admin = (await app.CreateOrganizationAsync("audit", withTotp: true)).Users[OrganizationRole.Administrator];
    public async Task DisposeAsync() => await app.DisposeAsync();

    Task<List<AuditEntry>> EntriesAsync() => app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries
        .IgnoreQueryFilters().AsNoTracking().OrderBy(a => a.Seq).ToListAsync());

    [Fact]
    public async Task A_change_is_recorded_with_who_what_changed_and_from_where_in_an_intact_chain()
    {
        var client = await app.SignedInClientAsync(admin);
        var response = await client.PostFormAsync("/o/audit/settings?handler=Profile",
            new() { ["name"] = "監査テスト病院", ["prefecture"] = "大阪府", ["requireTwoFactor"] = "true" }, "/o/audit/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var entries = await EntriesAsync();
        var update = Assert.Single(entries, a => a.Action == AuditActions.Update && a.EntityType == "Organization");
        Assert.Equal(admin.Id, update.ActorUserId);
        Assert.Contains("監査テスト病院", update.Details);
        Assert.Contains("audit 病院", update.Details); // the old value
        Assert.Contains(entries, a => a.Action == AuditActions.SignIn && a.ActorUserId == admin.Id);
        Assert.DoesNotContain(entries, a => a.Details != null && a.Details.Contains("AQAAAA")); // no password hashes
        // The organisation's own chain, keyed, gapless from 1; catalogue imports are in the installation-wide chain.
        var own = entries.Where(a => a.ChainId == update.OrganizationId).ToList();
        Assert.Equal(Enumerable.Range(1, own.Count).Select(i => (long)i), own.Select(a => a.Seq));
        Assert.True(own.Zip(own.Skip(1)).All(p => p.Second.PrevHash == p.First.Hash));
        Assert.All(own, a => Assert.Equal(AuditEntry.Keyed, a.HashVersion));
        Assert.Contains(entries, a => a.ChainId == AuditEntry.InstallationChain && a.Action == AuditActions.CatalogImported);

        var report = await app.ScopedAsync(sp => AuditChain.VerifyAsync(sp.GetRequiredService<MamoriDb>()));
        Assert.True(report.Intact);
        Assert.Equal(entries.Count, report.Entries);
    }

    [Theory]
    [InlineData("UPDATE audit_entries SET \"ActorName\" = 'someone else'")]
    [InlineData("DELETE FROM audit_entries")]
    [InlineData("TRUNCATE audit_entries")]
    public async Task The_database_itself_refuses_to_change_the_audit_trail(string sql)
    {
        await app.SignedInClientAsync(admin);
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync());
        Assert.Contains("追記のみ", e.MessageText);
    }

    /// <summary>The CLI as the operator runs it, on this test's database and the run's data folder (key, anchors).</summary>
    Dictionary<string, string?> Cli => new() { ["MAMORI_DB"] = app.ConnectionString, ["MAMORI_DATA"] = TestCluster.DataFolder };

    /// <summary>As a superuser would: triggers off for the session (no DDL needed).</summary>
    async Task AsSuperuserAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await new NpgsqlCommand("SET session_replication_role = replica;\n" + sql, conn).ExecuteNonQueryAsync();
    }

    public enum Tamper { ChangedRow, RehashedWithPlainSha256, DeletedMiddleRowRenumbered, DeletedNewestRows }

    /// <summary>
    /// What a database superuser could do unseen before the chain was keyed and anchored; each is now reported by
    /// `audit verify` (exit code 1, the organisation and the entry named in Japanese).
    /// </summary>
    [Theory]
    [InlineData(Tamper.ChangedRow, "第 3 件の内容が記録後に変更されています")]
    [InlineData(Tamper.RehashedWithPlainSha256, "第 3 件が鍵のない形式で書き直されています")]
    [InlineData(Tamper.DeletedMiddleRowRenumbered, "第 3 件")]
    [InlineData(Tamper.DeletedNewestRows, "が削除されています")]
    public async Task Audit_verify_detects_what_a_superuser_did_to_the_chain(Tamper tamper, string expected)
    {
        await app.SignedInClientAsync(admin);
        var org = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Organizations.IgnoreQueryFilters().SingleAsync(o => o.Code == "audit"));
        for (var i = 0; i < 4; i++)
            await app.ScopedAsync(async sp => { await sp.GetRequiredService<MamoriDb>().RecordAsync(AuditActions.SettingsChanged, details: new { i }, organizationId: org.Id); return i; });
        var (anchorCode, anchorOutput) = await MamoriProcess.RunAsync(Cli, "audit", "anchor");
        Assert.True(anchorCode == 0, anchorOutput);
        var (okCode, okOutput) = await MamoriProcess.RunAsync(Cli, "audit", "verify");
        Assert.True(okCode == 0, okOutput);
        Assert.Contains("監査ログは正常です", okOutput);

        var chain = (await EntriesAsync()).Where(a => a.ChainId == org.Id).ToList();
        Assert.True(chain.Count >= 5, $"{chain.Count} entries");
        var where = $"\"ChainId\" = '{org.Id}'";
        switch (tamper)
        {
            case Tamper.ChangedRow:
                await AsSuperuserAsync($"UPDATE audit_entries SET \"Details\" = '{{\"forged\":true}}' WHERE {where} AND \"Seq\" = 3");
                break;
            case Tamper.RehashedWithPlainSha256:
                // Change entry 3, then recompute it and every later entry the old, unkeyed way so the links hold.
                var prev = chain[1].Hash;
                var sql = new System.Text.StringBuilder();
                foreach (var e in chain.Skip(2))
                {
                    if (e.Seq == 3) e.Details = "{\"forged\":true}";
                    e.HashVersion = AuditEntry.Unkeyed;
                    e.PrevHash = prev;
                    e.Hash = prev = e.ComputeHash(null!);
                    sql.Append($"UPDATE audit_entries SET \"Details\" = '{e.Details?.Replace("'", "''")}', \"HashVersion\" = 1, \"PrevHash\" = '{e.PrevHash}', \"Hash\" = '{e.Hash}' WHERE {where} AND \"Seq\" = {e.Seq};\n");
                }
                await AsSuperuserAsync(sql.ToString());
                break;
            case Tamper.DeletedMiddleRowRenumbered:
                var renumber = string.Concat(chain.Where(e => e.Seq > 3).Select(e => $"UPDATE audit_entries SET \"Seq\" = {e.Seq - 1} WHERE {where} AND \"Seq\" = {e.Seq};\n"));
                await AsSuperuserAsync($"DELETE FROM audit_entries WHERE {where} AND \"Seq\" = 3;\n" + renumber);
                break;
            case Tamper.DeletedNewestRows:
                await AsSuperuserAsync($"DELETE FROM audit_entries WHERE {where} AND \"Seq\" > {chain.Count - 2}");
                break;
        }
        var (code, output) = await MamoriProcess.RunAsync(Cli, "audit", "verify");
        Assert.Equal(1, code);
        Assert.Contains("監査ログの改ざんを検出しました", output);
        Assert.Contains("組織「audit」", output);
        Assert.Contains(expected, output);
    }

    /// <summary>
    /// Two organisations' writers never wait on each other: while one organisation's transaction holds its chain open,
    /// another organisation's audited change commits; a second writer of the same organisation waits for the first,
    /// and both chains stay gapless.
    /// </summary>
    [Fact]
    public async Task Writers_of_two_organisations_do_not_block_each_other()
    {
        var (other, _) = await app.CreateOrganizationAsync("other");
        var org = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Organizations.IgnoreQueryFilters().SingleAsync(o => o.Code == "audit"));
        await using var holdScope = app.Services.CreateAsyncScope();
        var holder = holdScope.ServiceProvider.GetRequiredService<MamoriDb>();
        await using var open = await holder.Database.BeginTransactionAsync();
        holder.Audit(AuditActions.SettingsChanged, organizationId: org.Id);
        await holder.SaveChangesAsync(); // holds the chain of "audit" until it commits

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a hang guard, not a timing assertion
        await app.ScopedAsync(async sp =>
        {
            await sp.GetRequiredService<MamoriDb>().RecordAsync(AuditActions.SettingsChanged, organizationId: other.Id, ct: guard.Token);
            return 0;
        });

        var sameOrg = app.ScopedAsync(async sp =>
        {
            await sp.GetRequiredService<MamoriDb>().RecordAsync(AuditActions.SettingsChanged, organizationId: org.Id, ct: guard.Token);
            return 0;
        });
        await using (var conn = new NpgsqlConnection(app.ConnectionString))
        {
            await conn.OpenAsync();
            var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", conn);
            while ((long)(await waiting.ExecuteScalarAsync(guard.Token))! == 0) await Task.Delay(50, guard.Token);
        }
        Assert.False(sameOrg.IsCompleted);
        await open.CommitAsync();
        await sameOrg;

        var entries = await EntriesAsync();
        foreach (var chain in new[] { org.Id, other.Id })
        {
            var seqs = entries.Where(a => a.ChainId == chain).Select(a => a.Seq).ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        }
        var report = await app.ScopedAsync(sp => AuditChain.VerifyAsync(sp.GetRequiredService<MamoriDb>()));
        Assert.True(report.Intact, report.Problem);
    }

    /// <summary>
    /// The export puts who acted (実行者, the sign-in address) at the start of a cell. An address may begin with "+" or
    /// "-" (both are allowed in the part before the @), which Excel reads as a formula; the devices those people name
    /// in the ledger form go into the 内容 cell. Every cell must reach Excel as text.
    /// </summary>
    [Fact]
    public async Task Administrators_see_and_export_their_organisations_log_with_formulas_escaped()
    {
        var client = await app.SignedInClientAsync(admin);
        var org = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Organizations.IgnoreQueryFilters().SingleAsync(o => o.Code == "audit"));
        (string LocalPart, string DeviceName)[] people = [("-2+3", "=HYPERLINK(\"http://x\",\"x\")"), ("+A1", "＝1+1")];
        foreach (var (localPart, deviceName) in people)
        {
            var member = await app.CreateMemberAsync(org, localPart, true, OrganizationRole.Operator);
            var created = await (await app.SignedInClientAsync(member)).PostFormAsync("/o/audit/assets/edit",
                new() { ["Input.ControlNumber"] = "PC" + localPart, ["Input.Name"] = deviceName }, "/o/audit/assets/edit");
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }
        await app.Client().PostFormAsync("/account/login", new() { ["Email"] = admin.Email, ["Password"] = "wrong-password-1" });
        var page = await client.GetStringAsync("/o/audit/audit?action=auth.");
        Assert.Contains("auth.sign_in", page);
        Assert.Contains("auth.sign_in_failed", page);

        var csv = await client.GetByteArrayAsync("/o/audit/audit?handler=Export");
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var rows = CsvReader.Read(new MemoryStream(csv)).Select(r => r.Cells.Select(c => c.Text).ToList()).ToList();
        var header = rows[0];
        Assert.Equal(["番号", "日時(JST)"], header.Take(2));
        var devices = rows.Where(r => r[header.IndexOf("種類")] == AuditActions.Create && r[header.IndexOf("対象種別")] == "Asset").ToList();
        Assert.Equal(people.Select(p => $"'{p.LocalPart}@audit.example").Order(), devices.Select(r => r[header.IndexOf("実行者")]).Order());
        foreach (var (_, deviceName) in people)
            Assert.Contains(devices, r => r[header.IndexOf("内容")].Contains(deviceName.Replace("\"", "\\\"")));
        // No cell of the whole export starts as a formula would.
        Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell.Length > 0 && (SpreadsheetSafe.FormulaStarts + "\t\r").Contains(cell[0]));
        Assert.Contains(await EntriesAsync(), a => a.Action == AuditActions.Export && a.EntityType == "AuditLog");
    }
}
