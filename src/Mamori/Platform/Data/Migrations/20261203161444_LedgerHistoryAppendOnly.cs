using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class LedgerHistoryAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // assets."Version" is PostgreSQL's system column xmin (the form's concurrency token): nothing to add.
            migrationBuilder.AddColumn<string>(
                name: "Change",
                table: "asset_history",
                type: "text",
                nullable: false,
                defaultValue: "");

            // Rows written before this migration hold the version a change replaced (a before-image), not the one it made.
            // 機器台帳の変更履歴 is append-only from here on, like the audit log: the database refuses UPDATE, DELETE and
            // TRUNCATE whatever the application does (LedgerChanges only inserts).
            migrationBuilder.Sql("""
                UPDATE asset_history SET "Change" = 'replaced';
                CREATE FUNCTION mamori_ledger_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '機器台帳の変更履歴は追記のみです（変更・削除はできません） / the asset ledger history is append-only'
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER asset_history_no_update_delete BEFORE UPDATE OR DELETE ON asset_history
                    FOR EACH ROW EXECUTE FUNCTION mamori_ledger_history_is_append_only();
                CREATE TRIGGER asset_history_no_truncate BEFORE TRUNCATE ON asset_history
                    FOR EACH STATEMENT EXECUTE FUNCTION mamori_ledger_history_is_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS asset_history_no_truncate ON asset_history;
                DROP TRIGGER IF EXISTS asset_history_no_update_delete ON asset_history;
                DROP FUNCTION IF EXISTS mamori_ledger_history_is_append_only();
                """);
            migrationBuilder.DropColumn(
                name: "Change",
                table: "asset_history");
        }
    }
}
