using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class Checklists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "checklist_assessments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    EditionFileId = table.Column<string>(type: "text", nullable: false),
                    EditionRevision = table.Column<int>(type: "integer", nullable: false),
                    SheetNodeId = table.Column<string>(type: "text", nullable: false),
                    FiscalYear = table.Column<int>(type: "integer", nullable: false),
                    SystemInUse = table.Column<bool>(type: "boolean", nullable: true),
                    Round = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_checklist_assessments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_checklist_assessments_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "checklist_answers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    NodeId = table.Column<string>(type: "text", nullable: false),
                    General = table.Column<string>(type: "text", nullable: true),
                    Server = table.Column<string>(type: "text", nullable: true),
                    Terminal = table.Column<string>(type: "text", nullable: true),
                    Network = table.Column<string>(type: "text", nullable: true),
                    CheckedOn1 = table.Column<DateOnly>(type: "date", nullable: true),
                    CheckedOn2 = table.Column<DateOnly>(type: "date", nullable: true),
                    TargetDate = table.Column<DateOnly>(type: "date", nullable: true),
                    Note = table.Column<string>(type: "text", nullable: true),
                    ResponsiblePerson = table.Column<string>(type: "text", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "text", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_checklist_answers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_checklist_answers_checklist_assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "checklist_assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "checklist_evidence",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    NodeId = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    ContentType = table.Column<string>(type: "text", nullable: true),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: true),
                    ExpiresOn = table.Column<DateOnly>(type: "date", nullable: true),
                    AddedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AddedBy = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_checklist_evidence", x => x.Id);
                    table.ForeignKey(
                        name: "FK_checklist_evidence_checklist_assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "checklist_assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "checklist_seals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Round = table.Column<int>(type: "integer", nullable: false),
                    SealedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SealedBy = table.Column<string>(type: "text", nullable: false),
                    Snapshot = table.Column<string>(type: "text", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    ReviewedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    ReviewedBy = table.Column<string>(type: "text", nullable: true),
                    ReviewComment = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_checklist_seals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_checklist_seals_checklist_assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "checklist_assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "checklist_evidence_content",
                columns: table => new
                {
                    EvidenceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_checklist_evidence_content", x => x.EvidenceId);
                    table.ForeignKey(
                        name: "FK_checklist_evidence_content_checklist_evidence_EvidenceId",
                        column: x => x.EvidenceId,
                        principalTable: "checklist_evidence",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_checklist_answers_AssessmentId_NodeId",
                table: "checklist_answers",
                columns: new[] { "AssessmentId", "NodeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_checklist_assessments_OrganizationId_EditionFileId_SheetNod~",
                table: "checklist_assessments",
                columns: new[] { "OrganizationId", "EditionFileId", "SheetNodeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_checklist_evidence_AssessmentId_NodeId",
                table: "checklist_evidence",
                columns: new[] { "AssessmentId", "NodeId" });

            migrationBuilder.CreateIndex(
                name: "IX_checklist_seals_AssessmentId_Round",
                table: "checklist_seals",
                columns: new[] { "AssessmentId", "Round" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "checklist_answers");

            migrationBuilder.DropTable(
                name: "checklist_evidence_content");

            migrationBuilder.DropTable(
                name: "checklist_seals");

            migrationBuilder.DropTable(
                name: "checklist_evidence");

            migrationBuilder.DropTable(
                name: "checklist_assessments");
        }
    }
}
