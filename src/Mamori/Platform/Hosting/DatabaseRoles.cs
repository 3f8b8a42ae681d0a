using Npgsql;

namespace Mamori.Platform.Hosting;

/// <summary>
/// What the server's role may do, kept by the owner role after every migration (idempotent): read and write rows of
/// every table, only append to the audit trail (no UPDATE, DELETE or TRUNCATE there, and never the migration history).
/// The role owns nothing, so it cannot drop or alter a table, disable a trigger or set session_replication_role.
/// Tables added later are covered by default privileges too.
/// </summary>
public static class DatabaseRoles
{
    public static async Task GrantAsync(DatabaseLocation location, CancellationToken ct = default)
    {
        if (!location.SeparateRoles) return;
        var app = Quote(new NpgsqlConnectionStringBuilder(location.ConnectionString).Username!);
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(location.SchemaConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            GRANT USAGE ON SCHEMA public TO {app};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app};
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app};
            REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_entries FROM {app};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "__EFMigrationsHistory" FROM {app};
            """, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
