using Mamori.Hosting;
using Npgsql;

namespace Mamori.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL cluster for the whole test run (Mamori's own EmbeddedPostgres, in a temp folder),
/// one fresh database per test class. Stopped and deleted when the test process exits.
/// </summary>
public static class TestCluster
{
    static readonly Lazy<EmbeddedPostgres> Cluster = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "mamori-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        if (Environment.UserName == "root") File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var pg = new EmbeddedPostgres(dir);
        pg.EnsureStarted();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            pg.Stop();
            try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return pg;
    });

    public static EmbeddedPostgres Instance => Cluster.Value;

    /// <summary>A new empty database; Mamori's migrations fill it when the app starts.</summary>
    public static string NewDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        using var conn = new NpgsqlConnection(Instance.ConnectionString("postgres"));
        conn.Open();
        using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
        cmd.ExecuteNonQuery();
        return Instance.ConnectionString(name);
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
