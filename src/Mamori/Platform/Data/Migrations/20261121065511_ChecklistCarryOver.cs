using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChecklistCarryOver : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CarriedFrom",
                table: "checklist_answers",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CarriedFrom",
                table: "checklist_answers");
        }
    }
}
