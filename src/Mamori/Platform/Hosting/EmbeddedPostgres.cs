using System.Diagnostics;
using Mamori.Platform.Web;

namespace Mamori.Platform.Hosting;

/// <summary>
/// Mamori's private PostgreSQL cluster in the data folder: initdb on first use, started with the server,
/// stopped with it, reused next time. Listens only on a Unix socket inside the data folder (no TCP port).
/// As root, the cluster runs as the Debian 'postgres' user (PostgreSQL refuses to run as root).
/// </summary>
public sealed class EmbeddedPostgres(string dataFolder, ILogger? log = null, int maxConnections = 100)
{
    public const string Database = "mamori";
    static readonly string[] BinDirs = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"];

    public string Root { get; } = Path.GetFullPath(dataFolder);
    public string ClusterDir => Path.Combine(Root, "pg");
    string DataDir => Path.Combine(ClusterDir, "data");
    string LogFile => Path.Combine(ClusterDir, "server.log");
    /// <summary>Socket directory. Unix socket paths are limited to ~107 bytes, so a deep data folder uses /tmp.</summary>
    public string SocketDir => ClusterDir.Length <= 80 ? ClusterDir
        : Path.Combine("/tmp", "mamori-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(ClusterDir)))[..12]);

    /// <summary>Owns the database and its schema; runs migrations, backup and restore.</summary>
    public const string OwnerRole = "mamori_owner";
    /// <summary>The server's role: owns nothing, may read and write rows (never change or remove audit entries).</summary>
    public const string AppRole = "mamori_app";

    /// <param name="role">The database role; the cluster's superuser (postgres) by default (administration and tests).</param>
    public string ConnectionString(string database = Database, string role = "postgres") =>
        $"Host={SocketDir};Username={role};Database={database};Pooling=true;Maximum Pool Size=40";

    /// <summary>True when this process started (or adopted) the cluster and so must stop it.</summary>
    public bool StartedHere { get; private set; }

    static bool IsRoot => Environment.UserName == "root";

    public static string? FindBin()
    {
        var fromEnv = Environment.GetEnvironmentVariable("MAMORI_PG_BIN");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        return BinDirs.FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <param name="takeOverRunning">
    /// The server passes true: a cluster still running after a crash is adopted and stopped with this server.
    /// Command-line tools pass false: a running cluster belongs to the running server.
    /// </param>
    public void EnsureStarted(bool takeOverRunning = false)
    {
        var bin = FindBin() ?? throw new MamoriStartupException(
            "PostgreSQL が見つかりません。Debian では `apt-get install postgresql` を実行するか、MAMORI_DB に接続文字列を設定してください。",
            "PostgreSQL binaries not found (install postgresql, or set MAMORI_DB).");
        Directory.CreateDirectory(ClusterDir);
        if (IsRoot) EnsureReachableByPostgresUser();

        if (!File.Exists(Path.Combine(DataDir, "PG_VERSION")))
        {
            log?.LogInformation("Creating the private PostgreSQL cluster in {Dir}", DataDir);
            if (Directory.Exists(DataDir)) Directory.Delete(DataDir, true); // a half-finished initdb
            Run(bin, "initdb", "-D", DataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        }

        if (IsRunning(bin))
        {
            log?.LogInformation("Reusing the running private PostgreSQL cluster");
            StartedHere = takeOverRunning;
            EnsureDatabase();
            return;
        }

        // After a crash: a postmaster.pid whose process is gone would block the start; pg_ctl status said it is not running.
        var pidFile = Path.Combine(DataDir, "postmaster.pid");
        if (File.Exists(pidFile)) { log?.LogWarning("Removing stale {File} left by a crash", pidFile); File.Delete(pidFile); }
        if (SocketDir != ClusterDir) { Directory.CreateDirectory(SocketDir); if (IsRoot) Chown(SocketDir); }
        foreach (var stale in Directory.GetFiles(SocketDir, ".s.PGSQL.*")) File.Delete(stale);

        Run(bin, "pg_ctl", "-D", DataDir, "-l", LogFile, "-w", "-t", "60", "start", "-o",
            $"-c listen_addresses='' -k {SocketDir} -c unix_socket_permissions=0700 -c max_connections={maxConnections}");
        StartedHere = true;
        log?.LogInformation("Private PostgreSQL cluster started (socket {Dir})", SocketDir);
        EnsureDatabase();
    }

    void EnsureDatabase()
    {
        using (var conn = new Npgsql.NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false"))
        {
            conn.Open();
            EnsureRoles(conn);
            using var exists = new Npgsql.NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Database}'", conn);
            if (exists.ExecuteScalar() is null)
                using (var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {Database} OWNER {OwnerRole}", conn)) create.ExecuteNonQuery();
        }
        using (var conn = new Npgsql.NpgsqlConnection(ConnectionString(Database) + ";Pooling=false"))
        {
            conn.Open();
            HandOverToOwner(conn, Database);
        }
    }

    /// <summary>
    /// The two roles of the cluster (idempotent). The owner may create databases (restore) and end other sessions
    /// (pg_signal_backend, to swap a restored database in); neither is a superuser, so neither can disable triggers or
    /// set session_replication_role. Connections are trusted only over the Unix socket inside the data folder (mode 0700).
    /// </summary>
    public static void EnsureRoles(Npgsql.NpgsqlConnection superuser)
    {
        using var cmd = new Npgsql.NpgsqlCommand($"""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OwnerRole}') THEN CREATE ROLE {OwnerRole} LOGIN CREATEDB; END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{AppRole}') THEN CREATE ROLE {AppRole} LOGIN; END IF;
            END $$;
            GRANT pg_signal_backend TO {OwnerRole};
            """, superuser);
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Gives a database made before the two roles existed (everything owned by postgres) to the owner role
    /// (idempotent; objects of extensions stay with the extension).
    /// </summary>
    public static void HandOverToOwner(Npgsql.NpgsqlConnection superuserOnDatabase, string database)
    {
        using var cmd = new Npgsql.NpgsqlCommand($"""
            ALTER DATABASE "{database}" OWNER TO {OwnerRole};
            ALTER SCHEMA public OWNER TO {OwnerRole};
            DO $$ DECLARE r record; BEGIN
                FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> '{OwnerRole}'
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
                    EXECUTE format('ALTER %s %s OWNER TO {OwnerRole}', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.name);
                END LOOP;
                FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> '{OwnerRole}'
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'i', 'a')) LOOP
                    EXECUTE format('ALTER SEQUENCE %s OWNER TO {OwnerRole}', r.name);
                END LOOP;
                FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '{OwnerRole}'
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
                    EXECUTE format('ALTER ROUTINE %s OWNER TO {OwnerRole}', r.sig);
                END LOOP;
            END $$;
            """, superuserOnDatabase);
        cmd.ExecuteNonQuery();
    }

    public bool IsRunning(string? bin = null)
    {
        bin ??= FindBin();
        if (bin is null || !File.Exists(Path.Combine(DataDir, "PG_VERSION"))) return false;
        return Run(bin, "pg_ctl", throwOnError: false, "-D", DataDir, "status") == 0;
    }

    public void Stop()
    {
        var bin = FindBin();
        if (bin is null || !IsRunning(bin)) return;
        Run(bin, "pg_ctl", throwOnError: false, "-D", DataDir, "-m", "fast", "-w", "-t", "60", "stop");
        StartedHere = false;
        log?.LogInformation("Private PostgreSQL cluster stopped");
    }

    void EnsureReachableByPostgresUser()
    {
        // Every parent must be traversable by 'postgres', otherwise initdb fails with a confusing message.
        for (var dir = Path.GetDirectoryName(ClusterDir); !string.IsNullOrEmpty(dir) && dir != "/"; dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if ((mode & UnixFileMode.OtherExecute) == 0)
                throw new MamoriStartupException(
                    $"データフォルダ {Root} の親フォルダ {dir} に postgres ユーザーが入れません。MAMORI_DATA で別の場所（例: /var/lib/mamori）を指定してください。",
                    $"The parent folder {dir} is not traversable by the postgres user; set MAMORI_DATA elsewhere.");
        }
        Chown(ClusterDir);
        File.SetUnixFileMode(ClusterDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    static void Chown(string path) => Exec(File.Exists("/bin/chown") ? "/bin/chown" : "chown", true, "postgres:postgres", path);

    /// <summary>runuser lives in /usr/sbin, which is not on every PATH.</summary>
    static string RunUser => new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser" }.FirstOrDefault(File.Exists) ?? "runuser";

    int Run(string bin, string tool, params string[] args) => Run(bin, tool, true, args);

    int Run(string bin, string tool, bool throwOnError, params string[] args)
    {
        var exe = Path.Combine(bin, tool);
        return IsRoot ? Exec(RunUser, throwOnError, ["-u", "postgres", "--", exe, .. args]) : Exec(exe, throwOnError, args);
    }

    static int Exec(string file, bool throwOnError, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp", UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && throwOnError)
            throw new MamoriStartupException(
                $"PostgreSQL の操作に失敗しました（{Path.GetFileName(file)} {string.Join(' ', args.Take(3))}）: {err.Result.Trim()} {output.Trim()}",
                $"{file} failed with exit code {p.ExitCode}");
        return p.ExitCode;
    }
}

/// <summary>A start-up failure with a message for the operator (Japanese first).</summary>
public sealed class MamoriStartupException(string japanese, string english) : UserErrorException(new UserError(japanese, english))
{
    public string Japanese => Error.Ja;
    public string English => Error.En;
}
