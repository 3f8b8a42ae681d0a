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
