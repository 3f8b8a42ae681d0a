using System.Net;
using Mamori.Audit;
using Mamori.Data;
using Mamori.Organizations;
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
        Assert.True(entries.Zip(entries.Skip(1)).All(p => p.Second.PrevHash == p.First.Hash && p.Second.Seq == p.First.Seq + 1));

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

    [Fact]
    public async Task Audit_verify_names_the_first_altered_entry_and_exits_non_zero()
    {
        await app.SignedInClientAsync(admin);
        var env = new Dictionary<string, string?> { ["MAMORI_DB"] = app.ConnectionString };
        var (okCode, okOutput) = await MamoriProcess.RunAsync(env, "audit", "verify");
        Assert.Equal(0, okCode);
        Assert.Contains("監査ログは正常です", okOutput);

        // Someone with superuser rights goes around the trigger and edits entry 2.
        await using (var conn = new NpgsqlConnection(app.ConnectionString))
        {
            await conn.OpenAsync();
            await new NpgsqlCommand("""
                ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete;
                UPDATE audit_entries SET "Details" = '{"forged":true}' WHERE "Seq" = 2;
                ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update_delete;
                """, conn).ExecuteNonQueryAsync();
        }
        var (code, output) = await MamoriProcess.RunAsync(env, "audit", "verify");
        Assert.Equal(1, code);
        Assert.Contains("第 2 件", output);
        Assert.Contains("改ざん", output);
    }

    [Fact]
    public async Task Administrators_see_and_export_their_organisations_log_with_formulas_escaped()
    {
        var client = await app.SignedInClientAsync(admin);
        // A sign-in attempt with a formula as the e-mail address lands in the log...
        await app.Client().PostFormAsync("/account/login", new() { ["Email"] = admin.Email, ["Password"] = "=HYPERLINK(\"http://x\")1" });
        var page = await client.GetStringAsync("/o/audit/audit?action=auth.");
        Assert.Contains("auth.sign_in", page);
        Assert.Contains("auth.sign_in_failed", page);

        var csv = await client.GetByteArrayAsync("/o/audit/audit?handler=Export");
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var text = System.Text.Encoding.UTF8.GetString(csv[3..]);
        Assert.StartsWith("番号,日時(JST)", text);
        Assert.Contains("auth.sign_in", text);
        Assert.DoesNotContain(",=", text);
        Assert.Contains(await EntriesAsync(), a => a.Action == AuditActions.Export && a.EntityType == "AuditLog");
    }
}
