using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class AssetLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "asset_history",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssetId = table.Column<Guid>(type: "uuid", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ChangedBy = table.Column<string>(type: "text", nullable: false),
                    Source = table.Column<string>(type: "text", nullable: false),
                    Snapshot = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_asset_history", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "assets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ControlNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MedicalDeviceType = table.Column<string>(type: "text", nullable: true),
                    Name = table.Column<string>(type: "text", nullable: true),
                    Manufacturer = table.Column<string>(type: "text", nullable: true),
                    Model = table.Column<string>(type: "text", nullable: true),
                    OperatingSystem = table.Column<string>(type: "text", nullable: true),
                    OsVersion = table.Column<string>(type: "text", nullable: true),
                    Software = table.Column<string>(type: "text", nullable: true),
                    SoftwareVersion = table.Column<string>(type: "text", nullable: true),
                    Firmware = table.Column<string>(type: "text", nullable: true),
                    IpAddress = table.Column<string>(type: "text", nullable: true),
                    MacAddress = table.Column<string>(type: "text", nullable: true),
                    ComputerName = table.Column<string>(type: "text", nullable: true),
                    Location = table.Column<string>(type: "text", nullable: true),
                    UserName = table.Column<string>(type: "text", nullable: true),
                    RegisteredOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    MaintenanceVendor = table.Column<string>(type: "text", nullable: true),
                    SecurityUpdatesBy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SupportEndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    AntiMalware = table.Column<string>(type: "text", nullable: true),
                    Authentication = table.Column<string>(type: "text", nullable: true),
                    LastStocktakeOn = table.Column<DateOnly>(type: "date", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_assets_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "cloud_services",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Provider = table.Column<string>(type: "text", nullable: false),
                    NameAndPurpose = table.Column<string>(type: "text", nullable: false),
                    DomainOrAddress = table.Column<string>(type: "text", nullable: true),
                    AccessLocationAndRoute = table.Column<string>(type: "text", nullable: true),
                    UsersOrGroups = table.Column<string>(type: "text", nullable: true),
                    AuthenticationMethod = table.Column<string>(type: "text", nullable: true),
                    StartedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    UsageStatus = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cloud_services", x => x.Id);
                    table.ForeignKey(
                        name: "FK_cloud_services_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "import_uploads",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_uploads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "asset_interfaces",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AssetId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: true),
                    IpAddress = table.Column<string>(type: "text", nullable: true),
                    MacAddress = table.Column<string>(type: "text", nullable: true),
                    Segment = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_asset_interfaces", x => x.Id);
                    table.ForeignKey(
                        name: "FK_asset_interfaces_assets_AssetId",
                        column: x => x.AssetId,
                        principalTable: "assets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "asset_open_ports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AssetId = table.Column<Guid>(type: "uuid", nullable: false),
                    Port = table.Column<int>(type: "integer", nullable: false),
                    Protocol = table.Column<string>(type: "text", nullable: false),
                    Service = table.Column<string>(type: "text", nullable: true),
                    SeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_asset_open_ports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_asset_open_ports_assets_AssetId",
                        column: x => x.AssetId,
                        principalTable: "assets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "connections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    VendorName = table.Column<string>(type: "text", nullable: false),
                    Purpose = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PurposeDetail = table.Column<string>(type: "text", nullable: true),
                    Method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ApplianceAssetId = table.Column<Guid>(type: "uuid", nullable: true),
                    SourceRestriction = table.Column<string>(type: "text", nullable: true),
                    AccountType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SecondFactor = table.Column<bool>(type: "boolean", nullable: true),
                    Schedule = table.Column<string>(type: "text", nullable: true),
                    NotificationToSite = table.Column<string>(type: "text", nullable: true),
                    LastConfirmedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    ConfirmationNote = table.Column<string>(type: "text", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_connections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_connections_assets_ApplianceAssetId",
                        column: x => x.ApplianceAssetId,
                        principalTable: "assets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_connections_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_asset_history_OrganizationId_AssetId_ChangedAt",
                table: "asset_history",
                columns: new[] { "OrganizationId", "AssetId", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_asset_interfaces_AssetId",
                table: "asset_interfaces",
                column: "AssetId");

            migrationBuilder.CreateIndex(
                name: "IX_asset_open_ports_AssetId_Port_Protocol",
                table: "asset_open_ports",
                columns: new[] { "AssetId", "Port", "Protocol" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assets_OrganizationId_Category",
                table: "assets",
                columns: new[] { "OrganizationId", "Category" });

            migrationBuilder.CreateIndex(
                name: "IX_assets_OrganizationId_ControlNumber",
                table: "assets",
                columns: new[] { "OrganizationId", "ControlNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assets_OrganizationId_IpAddress",
                table: "assets",
                columns: new[] { "OrganizationId", "IpAddress" });

            migrationBuilder.CreateIndex(
                name: "IX_cloud_services_OrganizationId",
                table: "cloud_services",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_connections_ApplianceAssetId",
                table: "connections",
                column: "ApplianceAssetId");

            migrationBuilder.CreateIndex(
                name: "IX_connections_OrganizationId",
                table: "connections",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_import_uploads_OrganizationId_CreatedAt",
                table: "import_uploads",
                columns: new[] { "OrganizationId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "asset_history");

            migrationBuilder.DropTable(
                name: "asset_interfaces");

            migrationBuilder.DropTable(
                name: "asset_open_ports");

            migrationBuilder.DropTable(
                name: "cloud_services");

            migrationBuilder.DropTable(
                name: "connections");

            migrationBuilder.DropTable(
                name: "import_uploads");

            migrationBuilder.DropTable(
                name: "assets");
        }
    }
}
