using Mamori.Features.Assets;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Cli;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Tests.Integration;

/// <summary>`./mamori db backup FILE` / `./mamori db restore FILE` with PostgreSQL's own tools.</summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    readonly string dir = Directory.CreateTempSubdirectory("mamori-backup-").FullName;

    public async Task InitializeAsync() => await app.CreateOrganizationAsync("keep");
    public async Task DisposeAsync() { await app.DisposeAsync(); Directory.Delete(dir, true); }

    async Task<List<string>> CodesAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools(); // a restore replaces the database under any pooled connection
        await using var db = MamoriCommandLine.Open(app.ConnectionString);
        return await db.Organizations.OrderBy(o => o.Code).Select(o => o.Code).ToListAsync();
    }

    [Fact]
    public async Task A_backup_restores_the_data_as_it_was_and_a_broken_file_changes_nothing()
    {
        var env = new Dictionary<string, string?> { ["MAMORI_DB"] = app.ConnectionString, ["MAMORI_DATA"] = TestCluster.DataFolder };
        var file = Path.Combine(dir, "mamori.dump");
        var (code, output) = await MamoriProcess.RunAsync(env, "db", "backup", file);
        Assert.True(code == 0, output);
        Assert.True(new FileInfo(file).Length > 1000);

        await app.CreateOrganizationAsync("after-backup");
        Assert.Equal(["after-backup", "keep"], await CodesAsync());

        var broken = Path.Combine(dir, "broken.dump");
        await File.WriteAllTextAsync(broken, "not a backup");
        var (badCode, badOutput) = await MamoriProcess.RunAsync(env, "db", "restore", broken);
        Assert.True(badCode == 1, badOutput);
        Assert.Contains("現在のデータは変更していません", badOutput);
        Assert.Equal(["after-backup", "keep"], await CodesAsync());

        // While a Mamori server runs on the database, restore refuses and changes nothing.
        var url = $"http://127.0.0.1:{MamoriProcess.FreePort()}";
        await using (var server = MamoriProcess.Start(env, "serve", "--urls", url))
        {
            Assert.True(await server.WaitForOutputAsync("Mamori が起動しました", TimeSpan.FromSeconds(180)), server.Output);
            var (busyCode, busyOutput) = await MamoriProcess.RunAsync(env, "db", "restore", file);
            Assert.True(busyCode == 1, busyOutput);
            Assert.Contains("サーバーを停止してから", busyOutput);
        }
        Assert.Equal(["after-backup", "keep"], await CodesAsync());

        (code, output) = await MamoriProcess.RunAsync(env, "db", "restore", file);
        Assert.True(code == 0, output);
        Assert.Equal(["keep"], await CodesAsync());
        // The backup's own row is in the backup (written before the dump); the restore adds its row after it, and the
        // anchor starts again from the restored chains, so the chains verify although newer entries are gone.
        await using (var db = MamoriCommandLine.Open(app.ConnectionString))
        {
            var installation = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.ChainId == AuditEntry.InstallationChain)
                .OrderBy(a => a.Seq).Select(a => new { a.Action, a.Details }).ToListAsync();
            Assert.Equal([AuditActions.Backup, AuditActions.Restore], installation.TakeLast(2).Select(a => a.Action));
            Assert.Contains("mamori.dump", installation[^2].Details);
            Assert.Contains("replacedAnchor", installation[^1].Details);
        }
        var (verify, verifyOutput) = await MamoriProcess.RunAsync(env, "audit", "verify");
        Assert.True(verify == 0, verifyOutput);
        Assert.Contains("監査ログは正常です", verifyOutput);
    }
}
