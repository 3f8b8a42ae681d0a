using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class VendorSheetsBySystem : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_checklist_assessments_OrganizationId_EditionFileId_SheetNod~",
                table: "checklist_assessments");

            migrationBuilder.AddColumn<string>(
                name: "SystemName",
                table: "checklist_assessments",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_checklist_assessments_OrganizationId_EditionFileId_SheetNod~",
                table: "checklist_assessments",
                columns: new[] { "OrganizationId", "EditionFileId", "SheetNodeId", "SystemName" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_checklist_assessments_OrganizationId_EditionFileId_SheetNod~",
                table: "checklist_assessments");

            migrationBuilder.DropColumn(
                name: "SystemName",
                table: "checklist_assessments");

            migrationBuilder.CreateIndex(
                name: "IX_checklist_assessments_OrganizationId_EditionFileId_SheetNod~",
                table: "checklist_assessments",
                columns: new[] { "OrganizationId", "EditionFileId", "SheetNodeId" },
                unique: true);
        }
    }
}
