using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyedAuditChains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // One chain per organisation (ChainId = the organisation, or the empty uuid for installation-wide events),
            // numbered per chain. The existing rows stay as they are: they form the start of the installation chain
            // (ChainId empty, their Seq unchanged) and keep HashVersion 1 (unkeyed SHA-256); new rows are HMAC-keyed (2).
            // Adding columns with defaults rewrites no row, so the append-only triggers are not involved.
            migrationBuilder.DropPrimaryKey(
                name: "PK_audit_entries",
                table: "audit_entries");

            migrationBuilder.AddColumn<Guid>(
                name: "ChainId",
                table: "audit_entries",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<short>(
                name: "HashVersion",
                table: "audit_entries",
                type: "smallint",
                nullable: false,
                defaultValue: (short)1);

            migrationBuilder.AddPrimaryKey(
                name: "PK_audit_entries",
                table: "audit_entries",
                columns: new[] { "ChainId", "Seq" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_audit_entries",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "ChainId",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "HashVersion",
                table: "audit_entries");

            migrationBuilder.AddPrimaryKey(
                name: "PK_audit_entries",
                table: "audit_entries",
                column: "Seq");
        }
    }
}
