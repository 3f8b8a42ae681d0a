using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class Catalogue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsSystemAdmin",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "catalog_editions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FileId = table.Column<string>(type: "text", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    IsCurrent = table.Column<bool>(type: "boolean", nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Framework = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    TitleEn = table.Column<string>(type: "text", nullable: true),
                    Publisher = table.Column<string>(type: "text", nullable: false),
                    Edition = table.Column<string>(type: "text", nullable: false),
                    FiscalYear = table.Column<int>(type: "integer", nullable: true),
                    Published = table.Column<string>(type: "text", nullable: true),
                    Header = table.Column<string>(type: "jsonb", nullable: false),
                    SourceText = table.Column<string>(type: "text", nullable: false),
                    Sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Origin = table.Column<string>(type: "text", nullable: false),
                    FileName = table.Column<string>(type: "text", nullable: true),
                    ImportedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ImportedBy = table.Column<string>(type: "text", nullable: false),
                    NodeCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_editions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "catalog_mappings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EditionId = table.Column<Guid>(type: "uuid", nullable: false),
                    FromFile = table.Column<string>(type: "text", nullable: false),
                    FromNode = table.Column<string>(type: "text", nullable: false),
                    ToFile = table.Column<string>(type: "text", nullable: false),
                    ToNode = table.Column<string>(type: "text", nullable: false),
                    Relation = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: true),
                    Confidence = table.Column<string>(type: "text", nullable: false),
                    Note = table.Column<string>(type: "text", nullable: true),
                    Fields = table.Column<string>(type: "jsonb", nullable: false),
                    Line = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_mappings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_catalog_mappings_catalog_editions_EditionId",
                        column: x => x.EditionId,
                        principalTable: "catalog_editions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "catalog_nodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EditionId = table.Column<Guid>(type: "uuid", nullable: false),
                    NodeId = table.Column<string>(type: "text", nullable: false),
                    ParentNodeId = table.Column<string>(type: "text", nullable: true),
                    Ordinal = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Depth = table.Column<int>(type: "integer", nullable: false),
                    Ref = table.Column<string>(type: "text", nullable: true),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Label = table.Column<string>(type: "text", nullable: true),
                    Summary = table.Column<string>(type: "text", nullable: true),
                    SummaryEn = table.Column<string>(type: "text", nullable: true),
                    Confidence = table.Column<string>(type: "text", nullable: false),
                    Fields = table.Column<string>(type: "jsonb", nullable: false),
                    Line = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_nodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_catalog_nodes_catalog_editions_EditionId",
                        column: x => x.EditionId,
                        principalTable: "catalog_editions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_catalog_editions_current",
                table: "catalog_editions",
                column: "FileId",
                unique: true,
                filter: "\"IsCurrent\"");

            migrationBuilder.CreateIndex(
                name: "IX_catalog_editions_FileId_Revision",
                table: "catalog_editions",
                columns: new[] { "FileId", "Revision" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_catalog_mappings_EditionId",
                table: "catalog_mappings",
                column: "EditionId");

            migrationBuilder.CreateIndex(
                name: "IX_catalog_mappings_ToFile_ToNode",
                table: "catalog_mappings",
                columns: new[] { "ToFile", "ToNode" });

            migrationBuilder.CreateIndex(
                name: "IX_catalog_nodes_EditionId_NodeId",
                table: "catalog_nodes",
                columns: new[] { "EditionId", "NodeId" },
                unique: true);

            // A published catalogue revision is never altered in place: assessments point at it.
            // Corrections are new revisions; only a draft (never published) may be deleted.
            migrationBuilder.Sql("""
                CREATE FUNCTION mamori_catalog_edition_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        IF OLD."PublishedAt" IS NOT NULL THEN
                            RAISE EXCEPTION '公開済みのカタログ版は削除できません / a published catalogue revision cannot be deleted'
                                USING ERRCODE = 'insufficient_privilege';
                        END IF;
                        RETURN OLD;
                    END IF;
                    IF (OLD."PublishedAt" IS NOT NULL AND NEW."PublishedAt" IS DISTINCT FROM OLD."PublishedAt")
                       OR (to_jsonb(NEW) - 'IsCurrent' - 'PublishedAt') <> (to_jsonb(OLD) - 'IsCurrent' - 'PublishedAt') THEN
                        RAISE EXCEPTION 'カタログ版の内容は変更できません（修正は新しいリビジョンで） / catalogue revisions are immutable'
                            USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER catalog_editions_guard BEFORE UPDATE OR DELETE ON catalog_editions
                    FOR EACH ROW EXECUTE FUNCTION mamori_catalog_edition_guard();

                CREATE FUNCTION mamori_catalog_content_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' OR EXISTS (SELECT 1 FROM catalog_editions e WHERE e."Id" = OLD."EditionId" AND e."PublishedAt" IS NOT NULL) THEN
                        RAISE EXCEPTION '公開済みのカタログ項目は変更・削除できません / published catalogue content is immutable'
                            USING ERRCODE = 'insufficient_privilege';
                    END IF;
                    RETURN OLD;
                END $$;
                CREATE TRIGGER catalog_nodes_guard BEFORE UPDATE OR DELETE ON catalog_nodes
                    FOR EACH ROW EXECUTE FUNCTION mamori_catalog_content_guard();
                CREATE TRIGGER catalog_mappings_guard BEFORE UPDATE OR DELETE ON catalog_mappings
                    FOR EACH ROW EXECUTE FUNCTION mamori_catalog_content_guard();
                CREATE TRIGGER catalog_no_truncate_nodes BEFORE TRUNCATE ON catalog_nodes
                    FOR EACH STATEMENT EXECUTE FUNCTION mamori_audit_is_append_only();
                CREATE TRIGGER catalog_no_truncate_mappings BEFORE TRUNCATE ON catalog_mappings
                    FOR EACH STATEMENT EXECUTE FUNCTION mamori_audit_is_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS catalog_no_truncate_mappings ON catalog_mappings;
                DROP TRIGGER IF EXISTS catalog_no_truncate_nodes ON catalog_nodes;
                DROP TRIGGER IF EXISTS catalog_mappings_guard ON catalog_mappings;
                DROP TRIGGER IF EXISTS catalog_nodes_guard ON catalog_nodes;
                DROP TRIGGER IF EXISTS catalog_editions_guard ON catalog_editions;
                DROP FUNCTION IF EXISTS mamori_catalog_content_guard();
                DROP FUNCTION IF EXISTS mamori_catalog_edition_guard();
                """);

            migrationBuilder.DropTable(
                name: "catalog_mappings");

            migrationBuilder.DropTable(
                name: "catalog_nodes");

            migrationBuilder.DropTable(
                name: "catalog_editions");

            migrationBuilder.DropColumn(
                name: "IsSystemAdmin",
                table: "AspNetUsers");
        }
    }
}
