using Npgsql;

namespace Mamori.Platform.Hosting;

/// <summary>
/// Where Mamori's database is: MAMORI_DB (a PostgreSQL connection string) if set, otherwise the private cluster in
/// MAMORI_DATA (default ./.mamori-data). The server connects with <see cref="ConnectionString"/>, a role that owns no
/// table (DML only; it cannot change the audit trail); migrations, backup and restore use <see cref="OwnerConnectionString"/>,
/// the role that owns the schema (MAMORI_DB_OWNER for an external database; without it both are MAMORI_DB, as before).
/// </summary>
public sealed record DatabaseLocation(string ConnectionString, EmbeddedPostgres? Embedded, string? OwnerConnectionString = null)
{
    public const string OwnerSetting = "MAMORI_DB_OWNER";

    public static string DataFolder(IConfiguration? config = null) =>
        config?["MAMORI_DATA"] ?? Environment.GetEnvironmentVariable("MAMORI_DATA") ?? Path.Combine(Environment.CurrentDirectory, ".mamori-data");

    /// <summary>The name a running server's connections carry (pg_stat_activity), so `db restore` can see it and refuse.</summary>
    public const string ServerApplicationName = "Mamori server";

    /// <summary>The server's connections: <see cref="ConnectionString"/> named <see cref="ServerApplicationName"/> unless it names itself.</summary>
    public string ServerConnectionString
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrEmpty(b.ApplicationName)) b.ApplicationName = ServerApplicationName;
            return b.ConnectionString;
        }
    }

    /// <summary>Migrations, backup and restore: the owner role, or the only connection string given.</summary>
    public string SchemaConnectionString => OwnerConnectionString ?? ConnectionString;

    /// <summary>True when the server's role differs from the schema owner (grants are then kept by <see cref="DatabaseRoles"/>).</summary>
    public bool SeparateRoles => OwnerConnectionString is not null &&
        new NpgsqlConnectionStringBuilder(OwnerConnectionString).Username != new NpgsqlConnectionStringBuilder(ConnectionString).Username;

    public static DatabaseLocation Resolve(IConfiguration? config = null, ILogger? log = null)
    {
        var external = config?["MAMORI_DB"] ?? Environment.GetEnvironmentVariable("MAMORI_DB");
        if (!string.IsNullOrWhiteSpace(external))
        {
            var owner = config?[OwnerSetting] ?? Environment.GetEnvironmentVariable(OwnerSetting);
            if (string.IsNullOrWhiteSpace(owner))
            {
                log?.LogWarning("MAMORI_DB_OWNER が未設定のため、サーバーはスキーマの所有者として接続します（監査ログをデータベース側で保護するには、" +
                                "所有者と利用者のロールを分けてください: docs/operations.md）。 MAMORI_DB_OWNER is not set: the server connects as the schema owner.");
                return new DatabaseLocation(external, null);
            }
            return new DatabaseLocation(external, null, owner);
        }
        var embedded = new EmbeddedPostgres(DataFolder(config), log);
        return new DatabaseLocation(embedded.ConnectionString(role: EmbeddedPostgres.AppRole), embedded,
            embedded.ConnectionString(role: EmbeddedPostgres.OwnerRole));
    }

    public string Describe() => Embedded is null ? "MAMORI_DB" : $"private cluster in {Embedded.Root}";
}
