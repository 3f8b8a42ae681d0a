using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrailIsAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // シス17: the audit trail is append-only. The database itself refuses UPDATE, DELETE and TRUNCATE,
            // whatever the application does; `./mamori audit verify` detects anything done around it.
            migrationBuilder.Sql("""
                CREATE FUNCTION mamori_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '監査ログは追記のみです（変更・削除はできません） / the audit trail is append-only'
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON audit_entries
                    FOR EACH ROW EXECUTE FUNCTION mamori_audit_is_append_only();
                CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
                    FOR EACH STATEMENT EXECUTE FUNCTION mamori_audit_is_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries;
                DROP TRIGGER IF EXISTS audit_entries_no_update_delete ON audit_entries;
                DROP FUNCTION IF EXISTS mamori_audit_is_append_only();
                """);
        }
    }
}
