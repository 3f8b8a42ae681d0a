using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class MembersHoldSeveralRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_memberships_OrganizationId_UserId",
                table: "memberships");

            migrationBuilder.AddColumn<bool>(
                name: "ReviewedBySigner",
                table: "checklist_seals",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_memberships_OrganizationId_UserId_Role",
                table: "memberships",
                columns: new[] { "OrganizationId", "UserId", "Role" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_memberships_OrganizationId_UserId_Role",
                table: "memberships");

            migrationBuilder.DropColumn(
                name: "ReviewedBySigner",
                table: "checklist_seals");

            migrationBuilder.CreateIndex(
                name: "IX_memberships_OrganizationId_UserId",
                table: "memberships",
                columns: new[] { "OrganizationId", "UserId" },
                unique: true);
        }
    }
}
