using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Cli;
using Mamori.Platform.Hosting;
using Npgsql;

namespace Mamori.Platform.Data;

/// <summary>
/// Backup and restore with PostgreSQL's own tools (pg_dump custom format / pg_restore).
/// Restore loads into a new database first and swaps it in only when that succeeded, so a bad file changes nothing.
/// Both run as the schema owner. A backup writes its audit row (and the anchor) before the dump, so the backup holds it;
/// a restore writes its row after the swap, naming the anchor it replaces, and starts a new anchor.
/// </summary>
public static class Backup
{
    static string Tool(string name)
    {
        var bin = EmbeddedPostgres.FindBin();
        return bin is not null && File.Exists(Path.Combine(bin, name)) ? Path.Combine(bin, name) : name;
    }

    static (List<string> Args, Dictionary<string, string> Env) Connection(string connectionString, string? database = null)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        List<string> args = ["-h", b.Host!, "-p", b.Port.ToString(), "-U", b.Username ?? "postgres", "-d", database ?? b.Database!];
        var env = new Dictionary<string, string>();
        if (!string.IsNullOrEmpty(b.Password)) env["PGPASSWORD"] = b.Password;
        return (args, env);
    }

    public static async Task<int> RunAsync(DatabaseLocation location, FileInfo file, CancellationToken ct)
    {
        await using (var db = MamoriCommandLine.Open(location.SchemaConnectionString))
            await db.RecordAsync(AuditActions.Backup, details: new { file = file.Name }, ct: ct); // also writes the anchor
        var (args, env) = Connection(location.SchemaConnectionString);
        var tmp = file.FullName + ".partial";
        var rc = await MamoriCommandLine.ExecAsync(Tool("pg_dump"), ["-Fc", "--no-owner", "-f", tmp, .. args], env, ct);
        if (rc != 0)
        {
            File.Delete(tmp);
            await Console.Error.WriteLineAsync("バックアップに失敗しました。ファイルは作成していません。");
            return 1;
        }
        File.Move(tmp, file.FullName, overwrite: true);
        Console.WriteLine($"バックアップを作成しました: {file.FullName} ({new FileInfo(file.FullName).Length:N0} bytes)");
        return 0;
    }

    public static async Task<int> RestoreAsync(DatabaseLocation location, FileInfo file, CancellationToken ct)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"ファイルが見つかりません: {file.FullName}");
            return 1;
        }
        var target = new NpgsqlConnectionStringBuilder(location.SchemaConnectionString).Database!;
        var staging = target + "_restore";
        var admin = new NpgsqlConnectionStringBuilder(location.SchemaConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        AuditAnchor? replaced = null;
        await using (var db = MamoriCommandLine.Open(location.SchemaConnectionString))
            try { replaced = AuditAnchor.Read(db); } catch (InvalidDataException) { } catch (NpgsqlException) { }
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync(ct);
            // A running server would lose its database under it (and write into the old one until it notices): refuse.
            await using (var running = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND application_name = @server", conn))
            {
                running.Parameters.AddWithValue("db", target);
                running.Parameters.AddWithValue("server", DatabaseLocation.ServerApplicationName);
                if ((long)(await running.ExecuteScalarAsync(ct))! > 0)
                {
                    await Console.Error.WriteLineAsync("Mamori のサーバーがこのデータベースを使用中のため、復元しません。サーバーを停止してから、もう一度実行してください。現在のデータは変更していません。\n" +
                                                       "(A Mamori server is using this database: stop it, then restore.)");
                    return 1;
                }
            }
            await Exec(conn, $"DROP DATABASE IF EXISTS \"{staging}\" WITH (FORCE)", ct);
            // template0: what PostgreSQL recommends for pg_restore, and never blocked by sessions on template1.
            await Exec(conn, $"CREATE DATABASE \"{staging}\" TEMPLATE template0", ct);
        }
        var (args, env) = Connection(location.SchemaConnectionString, staging);
        var rc = await MamoriCommandLine.ExecAsync(Tool("pg_restore"), ["--no-owner", "--exit-on-error", .. args, file.FullName], env, ct);
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync(ct);
            if (rc != 0)
            {
                await Exec(conn, $"DROP DATABASE IF EXISTS \"{staging}\" WITH (FORCE)", ct);
                await Console.Error.WriteLineAsync("復元に失敗しました（ファイルが壊れているか、Mamori のバックアップではありません）。現在のデータは変更していません。");
                return 1;
            }
            var old = target + "_before_restore";
            await Exec(conn, $"DROP DATABASE IF EXISTS \"{old}\" WITH (FORCE)", ct);
            await Exec(conn, $"ALTER DATABASE \"{target}\" RENAME TO \"{old}\"", ct, tolerateMissing: true);
            await Exec(conn, $"ALTER DATABASE \"{staging}\" RENAME TO \"{target}\"", ct);
            await Exec(conn, $"DROP DATABASE IF EXISTS \"{old}\" WITH (FORCE)", ct);
        }
        NpgsqlConnection.ClearAllPools();
        await DatabaseRoles.GrantAsync(location, ct);
        await using (var db = MamoriCommandLine.Open(location.SchemaConnectionString))
        {
            // The restored chains end where the backup ended: the row says so and which anchor the new one replaces.
            await db.RecordAsync(AuditActions.Restore, details: new
            {
                file = file.Name, bytes = file.Length,
                replacedAnchor = replaced is null ? null : new { replaced.WrittenAt, heads = replaced.Heads.Select(h => new { h.Chain, h.Seq, h.Hash }) },
            }, ct: ct);
            await AuditAnchor.WriteAsync(db, ct, reset: true);
        }
        Console.WriteLine($"復元しました: {file.FullName}");
        return 0;
    }

    static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct, bool tolerateMissing = false)
    {
        if (sql.StartsWith("ALTER DATABASE") && !sql.Contains("_restore\" RENAME"))
        {
            // Other sessions (an idle pool) would block the rename.
            var name = sql.Split('"')[1];
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @n AND pid <> pg_backend_pid()", conn);
            kill.Parameters.AddWithValue("n", name);
            await kill.ExecuteNonQueryAsync(ct);
        }
        try
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (tolerateMissing && e.SqlState == PostgresErrorCodes.InvalidCatalogName) { }
    }
}
