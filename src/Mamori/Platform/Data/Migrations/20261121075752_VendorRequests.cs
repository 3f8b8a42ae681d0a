using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class VendorRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "VendorRequestId",
                table: "checklist_assessments",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "vendor_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteName = table.Column<string>(type: "text", nullable: false),
                    VendorName = table.Column<string>(type: "text", nullable: false),
                    VendorOrganizationId = table.Column<Guid>(type: "uuid", nullable: true),
                    InviteEmail = table.Column<string>(type: "text", nullable: true),
                    InviteTokenHash = table.Column<string>(type: "text", nullable: true),
                    InviteExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EditionFileId = table.Column<string>(type: "text", nullable: false),
                    FiscalYear = table.Column<int>(type: "integer", nullable: false),
                    SystemName = table.Column<string>(type: "text", nullable: false),
                    Message = table.Column<string>(type: "text", nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RequestedBy = table.Column<string>(type: "text", nullable: false),
                    SubmittedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SubmittedBy = table.Column<string>(type: "text", nullable: true),
                    ReturnedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReturnedBy = table.Column<string>(type: "text", nullable: true),
                    ReturnComment = table.Column<string>(type: "text", nullable: true),
                    SiteAssessmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    VendorAssessmentId = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vendor_requests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_vendor_requests_checklist_assessments_SiteAssessmentId",
                        column: x => x.SiteAssessmentId,
                        principalTable: "checklist_assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_vendor_requests_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_vendor_requests_organizations_VendorOrganizationId",
                        column: x => x.VendorOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_vendor_requests_InviteTokenHash",
                table: "vendor_requests",
                column: "InviteTokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_vendor_requests_OrganizationId_RequestedAt",
                table: "vendor_requests",
                columns: new[] { "OrganizationId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_vendor_requests_SiteAssessmentId",
                table: "vendor_requests",
                column: "SiteAssessmentId");

            migrationBuilder.CreateIndex(
                name: "IX_vendor_requests_VendorOrganizationId",
                table: "vendor_requests",
                column: "VendorOrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "vendor_requests");

            migrationBuilder.DropColumn(
                name: "VendorRequestId",
                table: "checklist_assessments");
        }
    }
}
