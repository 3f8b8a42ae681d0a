using System.CommandLine;
using System.Diagnostics;
using Mamori.Features.Assets;
using Mamori.Features.Audit;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Features.Vulnerabilities;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Hosting;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mamori.Platform.Cli;

/// <summary>`./mamori audit verify`, `./mamori db backup FILE`, … — the same binary as the server.</summary>
public static class MamoriCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Mamori — 医療情報セキュリティの記録システム / Mamori command-line tool.\n" +
                                   "サーバーの起動は ./mamori start、テストは ./mamori test。");

        var audit = new Command("audit", "監査ログ / audit trail");
        var verify = new Command("verify", "ハッシュチェーンを鍵とアンカーで検証し、改ざんがあれば最初の不正な記録を示して終了コード 1 を返す / verify the keyed hash chains against the anchor");
        verify.SetAction((_, ct) => WithDatabase(async db =>
        {
            var report = await AuditChain.VerifyAsync(db, ct);
            if (report.Intact)
            {
                Console.WriteLine($"監査ログは正常です: {report.Chains} 系列、{report.Entries} 件。{report.Note}");
                Console.WriteLine($"Audit trail intact: {report.Entries} entries in {report.Chains} chains.");
                return 0;
            }
            await Console.Error.WriteLineAsync($"監査ログの改ざんを検出しました: {report.Problem}");
            return 1;
        }));
        var anchor = new Command("anchor", "各系列の末尾を署名付きアンカーファイル（データフォルダ内）に書き出す / write the signed anchor of every chain's head");
        anchor.SetAction((_, ct) => WithDatabase(async db =>
        {
            var lost = await AuditAnchor.WriteAsync(db, ct);
            if (lost.Count > 0)
            {
                await Console.Error.WriteLineAsync("アンカー済みの記録がデータベースにありません（削除または改ざん）。以前のアンカーを残しました。./mamori audit verify で確認してください。");
                return 1;
            }
            Console.WriteLine($"アンカーを書き出しました: {AuditAnchor.PathFor(db)}");
            return 0;
        }));
        audit.Subcommands.Add(anchor);
        audit.Subcommands.Add(verify);
        root.Subcommands.Add(audit);

        var dbCommand = new Command("db", "データベースの保守 / database maintenance");
        var fileArg = new Argument<FileInfo>("FILE") { Description = "バックアップファイル (pg_dump custom format)" };
        var backup = new Command("backup", "PostgreSQL の pg_dump でバックアップを作成 / back up with pg_dump") { fileArg };
        backup.SetAction((pr, ct) => WithLocation(loc => Backup.RunAsync(loc, pr.GetValue(fileArg)!, ct)));
        var restoreArg = new Argument<FileInfo>("FILE") { Description = "./mamori db backup で作成したファイル" };
        var restore = new Command("restore", "バックアップから復元（サーバーを停止してから実行）/ restore a backup (stop the server first)") { restoreArg };
        restore.SetAction((pr, ct) => WithLocation(loc => Backup.RestoreAsync(loc, pr.GetValue(restoreArg)!, ct)));
        var migrate = new Command("migrate", "スキーマを最新にする / apply schema migrations");
        migrate.SetAction((_, ct) => WithLocation(async location =>
        {
            await using (var db = Open(location.SchemaConnectionString)) await MigrateAsync(db, location, ct);
            Console.WriteLine("スキーマは最新です / schema is up to date.");
            return 0;
        }));
        dbCommand.Subcommands.Add(backup);
        dbCommand.Subcommands.Add(restore);
        dbCommand.Subcommands.Add(migrate);
        root.Subcommands.Add(dbCommand);

        var orgCommand = new Command("org", "組織 / organisations");
        var list = new Command("list", "組織の一覧 / list organisations");
        list.SetAction((_, ct) => WithDatabase(async db =>
        {
            foreach (var o in await db.Organizations.AsNoTracking().OrderBy(o => o.Code).ToListAsync(ct))
                Console.WriteLine($"{o.Code,-16} {Labels.Of(o.Kind).Ja,-8} {o.Name}");
            return 0;
        }));
        orgCommand.Subcommands.Add(list);
        root.Subcommands.Add(orgCommand);

        root.Subcommands.Add(CatalogCommands.Build());
        root.Subcommands.Add(AssetCommands.Build());
        root.Subcommands.Add(ChecklistCommands.Build());
        root.Subcommands.Add(VulnCommands.Build());

        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>Runs an action with the configured database; starts the private cluster for the duration if the server is not running.</summary>
    internal static async Task<int> WithLocation(Func<DatabaseLocation, Task<int>> action)
    {
        DatabaseLocation location;
        try
        {
            location = DatabaseLocation.Resolve();
            _ = AuditKey.Load(); // a missing or unusable key is reported here, before anything is written
            location.Embedded?.EnsureStarted();
        }
        catch (MamoriStartupException e)
        {
            await Console.Error.WriteLineAsync(e.Japanese + "\n(" + e.English + ")");
            return 2;
        }
        try
        {
            return await action(location);
        }
        catch (NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"データベースに接続できません（{location.Describe()}）: {e.Message}");
            return 4;
        }
        finally
        {
            if (location.Embedded is { StartedHere: true }) location.Embedded.Stop();
        }
    }

    /// <summary>The command line's clock (the server's is the registered TimeProvider).</summary>
    internal static readonly TimeProvider Clock = TimeProvider.System;

    /// <summary>
    /// The command line is the operator's tool: it connects as the schema owner (it may apply migrations first), and
    /// its audit rows name the operator ("cli:USER").
    /// </summary>
    internal static Task<int> WithDatabase(Func<MamoriDb, Task<int>> action) => WithLocation(async location =>
    {
        await using var db = Open(location.SchemaConnectionString);
        // The command line may run before the server ever did: the schema is brought up to date first, as the server does.
        if ((await db.Database.GetPendingMigrationsAsync()).Any()) await MigrateAsync(db, location, CancellationToken.None);
        return await action(db);
    });

    static async Task MigrateAsync(MamoriDb db, DatabaseLocation location, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        await DatabaseRoles.GrantAsync(location, ct);
    }

    /// <summary>
    /// A MamoriDb outside the web host (command line, `dotnet ef`). Identity's store options must match the
    /// server's (schema version 3 = passkeys table) or the model would differ from the migrations.
    /// </summary>
    public static MamoriDb Open(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHttpContextAccessor();
        services.AddScoped<TenantContext>();
        services.AddScoped(sp => new AuditActor(sp.GetRequiredService<IHttpContextAccessor>()) { CommandLineName = "cli:" + Environment.UserName });
        services.AddSingleton(Clock);
        services.AddMemoryCache();
        services.AddSingleton<DbCache>();
        services.AddSingleton(_ => AuditKey.Load());
        services.AddDbContext<MamoriDb>(o => o.UseNpgsql(connectionString));
        services.AddIdentityCore<User>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3).AddEntityFrameworkStores<MamoriDb>();
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<MamoriDb>();
    }

    internal static async Task<int> ExecAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync(ct);
        await p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        var message = (await err).Trim();
        if (p.ExitCode != 0) await Console.Error.WriteLineAsync(message);
        return p.ExitCode;
    }
}
