using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mamori.Platform.Data.Migrations
{
    /// <summary>
    /// 管理番号 are stored NFKC-normalised and trimmed from now on (Asset.NormalizeControlNumber; the import matches by
    /// exact text), so numbers written before in full-width (「PC-０１２」) are brought in line; otherwise the next import
    /// of 「PC-012」 would add a second device. A number whose normalised form is already taken in its organisation (a
    /// duplicate an earlier import made) is left as it is for a person to merge or delete: which row is right cannot be told.
    /// PostgreSQL's normalize() is the same Unicode NFKC as .NET's for such text; the database is UTF-8 (initdb -E UTF8).
    /// </summary>
    public partial class ControlNumbersNfkc : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                WITH wanted AS (
                    SELECT "Id", "OrganizationId", btrim(normalize("ControlNumber", NFKC), E' \t\r\n') AS "Normalized"
                    FROM assets
                    WHERE "ControlNumber" IS DISTINCT FROM btrim(normalize("ControlNumber", NFKC), E' \t\r\n')
                ), free AS (
                    SELECT DISTINCT ON (w."OrganizationId", w."Normalized") w."Id", w."Normalized"
                    FROM wanted w
                    WHERE w."Normalized" <> '' AND char_length(w."Normalized") <= 64
                      AND NOT EXISTS (SELECT FROM assets b WHERE b."OrganizationId" = w."OrganizationId" AND b."ControlNumber" = w."Normalized")
                    ORDER BY w."OrganizationId", w."Normalized", w."Id"
                )
                UPDATE assets a SET "ControlNumber" = f."Normalized" FROM free f WHERE a."Id" = f."Id";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The full-width forms are not kept: the normalised 管理番号 stays.
        }
    }
}
