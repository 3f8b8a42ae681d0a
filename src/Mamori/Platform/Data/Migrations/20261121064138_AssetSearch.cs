using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class AssetSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "assets",
                type: "text",
                nullable: true,
                computedColumnSql: "lower(coalesce(\"ControlNumber\", '') || ' ' || coalesce(\"Name\", '') || ' ' || coalesce(\"ComputerName\", '') || ' ' || coalesce(\"IpAddress\", '') || ' ' || coalesce(\"Manufacturer\", '') || ' ' || coalesce(\"Model\", '') || ' ' || coalesce(\"OperatingSystem\", '') || ' ' || coalesce(\"Location\", '') || ' ' || coalesce(\"UserName\", '') || ' ' || coalesce(\"MaintenanceVendor\", ''))",
                stored: true);

            // Trigram index for the list's search box. pg_trgm ships with PostgreSQL (contrib); creating the extension
            // needs a privileged role, so on a database where that is refused the search still works, just unindexed.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    CREATE EXTENSION IF NOT EXISTS pg_trgm;
                EXCEPTION WHEN OTHERS THEN
                    RAISE NOTICE 'pg_trgm is not available (%): asset search runs without an index', SQLERRM;
                END $$;
                DO $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                        CREATE INDEX IF NOT EXISTS "IX_assets_SearchText_trgm" ON assets USING gin ("SearchText" gin_trgm_ops);
                    END IF;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_assets_SearchText_trgm\";");
            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "assets");
        }
    }
}
