using Mamori.Platform.Hosting;
using Npgsql;

namespace Mamori.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL cluster for the whole test run (Mamori's own EmbeddedPostgres, in a temp folder),
/// one fresh database per test class, copied from a template that is migrated and holds the catalogue. Stopped and deleted when the test process exits.
/// </summary>
public static class TestCluster
{
    static readonly Lazy<EmbeddedPostgres> Cluster = new(() =>
    {
        StopClustersOfEndedRuns();
        var dir = Path.Combine(Path.GetTempPath(), "mamori-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Environment.UserName == "root") File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        // Every test has its own database and so its own connection pool, and three test classes run at once beside
        // server and command-line processes: more slots than one installation's server needs.
        var pg = new EmbeddedPostgres(dir, maxConnections: 400);
        pg.EnsureStarted();
        // One audit key and one data folder (audit anchors) for every server of the run, inherited by the CLI processes
        // (MamoriProcess drops MAMORI_DATA: a CLI test that reads anchors passes DataFolder itself).
        Environment.SetEnvironmentVariable("MAMORI_AUDIT_KEY", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        Environment.SetEnvironmentVariable("MAMORI_DATA", dir);
        // A throw-away cluster: no waiting for the disk on each commit (the machine's disk is shared by every test
        // class running at once). Nothing here needs to survive a crash of the machine.
        using (var conn = new NpgsqlConnection(pg.ConnectionString("postgres") + ";Pooling=false"))
        {
            conn.Open();
            foreach (var sql in new[] { "ALTER SYSTEM SET fsync = off", "ALTER SYSTEM SET synchronous_commit = off",
                                        "ALTER SYSTEM SET full_page_writes = off", "SELECT pg_reload_conf()" })
                using (var cmd = new NpgsqlCommand(sql, conn)) cmd.ExecuteNonQuery();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            pg.Stop();
            try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return pg;
    });

    const string OwnerFile = "owner.pid";

    /// <summary>
    /// A test process that is killed (not ended) never runs its ProcessExit handler and leaves its cluster running:
    /// the next run stops and deletes the clusters whose test process is gone.
    /// </summary>
    static void StopClustersOfEndedRuns()
    {
        foreach (var old in Directory.GetDirectories(Path.GetTempPath(), "mamori-test-*"))
        {
            var owner = Path.Combine(old, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out var pid) || IsAlive(pid)) continue;
            new EmbeddedPostgres(old).Stop();
            try { Directory.Delete(old, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static bool IsAlive(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    public static EmbeddedPostgres Instance => Cluster.Value;

    /// <summary>The test run's data folder (MAMORI_DATA of the in-process servers: audit anchors).</summary>
    public static string DataFolder => Instance.Root;

    /// <summary>
    /// A database migrated and holding the shipped catalogue, made once per test run; every test database is a
    /// file-level copy of it (CREATE DATABASE … TEMPLATE), so a test does not pay for the migrations and the catalogue
    /// import again. The server still runs both at start (they find nothing to do).
    /// </summary>
    static readonly Lazy<string> Template = new(() =>
    {
        const string name = "t_template";
        Execute($"CREATE DATABASE {name}");
        // The real server prepares it (same model and options as every test server); no pooled connection may stay
        // open on a template.
        using (var app = new MamoriApp(Instance.ConnectionString(name) + ";Pooling=false"))
            _ = app.Services;
        return name;
    });

    /// <summary>A new database of its own, already migrated and holding the shipped catalogue.</summary>
    public static string NewDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        Execute($"CREATE DATABASE {name} TEMPLATE {Template.Value}");
        return Instance.ConnectionString(name);
    }

    static void Execute(string sql)
    {
        using var conn = new NpgsqlConnection(Instance.ConnectionString("postgres"));
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mamori.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }
}
