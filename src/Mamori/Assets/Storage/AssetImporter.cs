using System.Security.Cryptography;
using Mamori.Assets.Import;
using Mamori.Audit;
using Mamori.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Mamori.Assets.Storage;

/// <summary>What an import would do (dry run) or did.</summary>
public sealed record AssetImportReport(string FileName, string Sha256, AssetImportResult Parsed, int ToCreate, int ToUpdate, bool Committed)
{
    public bool Ok => Parsed.Succeeded;
    /// <summary>Time spent reading and checking the file, and writing to the database (for bench/).</summary>
    public long ReadMilliseconds { get; init; }
    public long WriteMilliseconds { get; init; }
}

/// <summary>
/// The fixed import pipeline for the 機器台帳: read (CSV in UTF-8/Shift_JIS or .xlsx) → check every row → plan against
/// the ledger (create or update by 管理番号) → write all rows or none. Rows go in with PostgreSQL binary COPY into a
/// staging table and one INSERT … ON CONFLICT, each changed row's new version into asset_history, and one audit event
/// (file name, SHA-256, counts) in the same transaction.
/// </summary>
public static class AssetImporter
{
    /// <summary>Upload limit: MAMORI_MAX_UPLOAD_MB (default 20 MB).</summary>
    public static long MaxUploadBytes =>
        (long.TryParse(Environment.GetEnvironmentVariable("MAMORI_MAX_UPLOAD_MB"), out var mb) && mb > 0 ? mb : 20) * 1024 * 1024;

    /// <summary>
    /// A ledger import holds its checked rows in memory until the single COPY: 200,000 rows (a very large hospital group
    /// has tens of thousands of devices) keeps that bounded at roughly 100 MB whatever the file claims.
    /// </summary>
    public static readonly ReadLimits Limits = new() { MaxRows = 200_000 };

    /// <summary>Reads a file by its name and content: .xlsx (zip) or CSV; anything else is refused with a Japanese message.</summary>
    public static AssetImportResult Read(Stream content, string fileName, AssetImportOptions? options = null, ReadLimits? limits = null)
    {
        limits ??= Limits;
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        IEnumerable<SourceRow> rows = ext switch
        {
            ".xlsx" or ".xlsm" => XlsxReader.Read(content, null, limits),
            ".csv" or ".txt" => CsvReader.Read(content, limits),
            ".xls" => throw new ImportFileException("古い Excel 形式（.xls）は読めません。Excel で「.xlsx」または「CSV」として保存し直してください。",
                "Old .xls files are not supported; save as .xlsx or CSV."),
            _ => throw new ImportFileException($"ファイルの種類（{ext}）には対応していません。.xlsx または .csv を選んでください。",
                $"Unsupported file type {ext}; use .xlsx or .csv."),
        };
        return AssetImportReader.Read(rows, options);
    }

    /// <summary>Reads, and plans against the ledger; file-level problems become the result's FileError.</summary>
    public static async Task<AssetImportReport> DryRunAsync(MamoriDb db, Guid organizationId, byte[] content, string fileName,
        AssetImportOptions? options, CancellationToken ct)
    {
        var parsed = SafeRead(content, fileName, options);
        var (create, update) = parsed.Succeeded ? await PlanAsync(db, organizationId, parsed, ct) : (0, 0);
        return new AssetImportReport(fileName, Sha256(content), parsed, create, update, false);
    }

    public static async Task<AssetImportReport> ImportAsync(MamoriDb db, Guid organizationId, byte[] content, string fileName,
        AssetImportOptions? options, string actorName, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var parsed = SafeRead(content, fileName, options);
        var readMs = clock.ElapsedMilliseconds;
        if (!parsed.Succeeded) return new AssetImportReport(fileName, Sha256(content), parsed, 0, 0, false) { ReadMilliseconds = readMs };
        var sha = Sha256(content);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var mapped = parsed.Columns.Where(c => c.Field is not null).Select(c => c.Field!.Value).ToHashSet();
        await StageAsync(conn, parsed.Rows, actorName, ct);
        var (create, update) = await CountAsync(conn, organizationId, ct);

        var updates = string.Join(", ", Copied.Where(c => mapped.Contains(c.Field) && c.Field != AssetField.ControlNumber)
            .Select(c => $"\"{c.Column}\" = EXCLUDED.\"{c.Column}\"")
            .Append("\"UpdatedAt\" = EXCLUDED.\"UpdatedAt\"").Append("\"UpdatedBy\" = EXCLUDED.\"UpdatedBy\""));
        var columns = string.Join(", ", Copied.Select(c => $"\"{c.Column}\""));
        await ExecAsync(conn, $"""
            INSERT INTO assets ("Id", "OrganizationId", {columns}, "UpdatedAt", "UpdatedBy")
            SELECT "Id", @org, {columns}, "UpdatedAt", "UpdatedBy" FROM asset_import
            ON CONFLICT ("OrganizationId", "ControlNumber") DO UPDATE SET {updates}
            """, organizationId, ct);
        if (mapped.Contains(AssetField.IpAddress) || mapped.Contains(AssetField.NetworkSegment))
        {
            // Several addresses in one cell (or a segment) become the device's interfaces; the file replaces them.
            await ExecAsync(conn, """
                DELETE FROM asset_interfaces f USING assets a, asset_import i
                WHERE f."AssetId" = a."Id" AND a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber";
                INSERT INTO asset_interfaces ("Id", "AssetId", "IpAddress", "MacAddress", "Segment")
                SELECT gen_random_uuid(), a."Id", x.ip, CASE WHEN x.n = 1 THEN i."MacAddress" END, CASE WHEN x.n = 1 THEN i.segment END
                FROM asset_import i JOIN assets a ON a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber"
                CROSS JOIN LATERAL unnest(CASE WHEN cardinality(i.ips) = 0 THEN ARRAY[NULL::text] ELSE i.ips END) WITH ORDINALITY AS x(ip, n)
                WHERE cardinality(i.ips) > 1 OR i.segment IS NOT NULL;
                """, organizationId, ct);
        }
        await ExecAsync(conn, """
            INSERT INTO asset_history ("OrganizationId", "AssetId", "ChangedAt", "ChangedBy", "Source", "Snapshot")
            SELECT a."OrganizationId", a."Id", a."UpdatedAt", a."UpdatedBy", 'import', to_jsonb(a)
            FROM assets a JOIN asset_import i ON a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber";
            DROP TABLE asset_import;
            """, organizationId, ct);

        db.Audit(AuditActions.AssetsImported, "Asset", null,
            new { file = fileName, sha256 = sha, rows = parsed.Rows.Count, created = create, updated = update }, organizationId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AssetImportReport(fileName, sha, parsed, create, update, true)
            { ReadMilliseconds = readMs, WriteMilliseconds = clock.ElapsedMilliseconds - readMs };
    }

    static AssetImportResult SafeRead(byte[] content, string fileName, AssetImportOptions? options)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            return Read(stream, fileName, options);
        }
        catch (ImportFileException e)
        {
            return new AssetImportResult { FileError = new ImportFileError(e.MessageJa, e.MessageEn) };
        }
    }

    static async Task<(int Create, int Update)> PlanAsync(MamoriDb db, Guid organizationId, AssetImportResult parsed, CancellationToken ct)
    {
        var numbers = parsed.Rows.Select(r => r.ControlNumber).ToArray();
        var existing = await db.Assets.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(a => a.OrganizationId == organizationId && numbers.Contains(a.ControlNumber)).CountAsync(ct);
        return (numbers.Length - existing, existing);
    }

    static async Task<(int Create, int Update)> CountAsync(NpgsqlConnection conn, Guid organizationId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE a."Id" IS NULL), count(a."Id")
            FROM asset_import i LEFT JOIN assets a ON a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber"
            """, conn);
        cmd.Parameters.AddWithValue("org", organizationId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return ((int)r.GetInt64(0), (int)r.GetInt64(1));
    }

    static async Task ExecAsync(NpgsqlConnection conn, string sql, Guid organizationId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("org", organizationId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    sealed record CopiedColumn(AssetField Field, string Column, NpgsqlDbType Type, Func<AssetImportRow, object?> Value);

    /// <summary>The ledger columns an import writes, in staging-table order.</summary>
    static readonly CopiedColumn[] Copied =
    [
        new(AssetField.ControlNumber, "ControlNumber", NpgsqlDbType.Text, r => r.ControlNumber),
        new(AssetField.Category, "Category", NpgsqlDbType.Text, r => r.Category.ToString()),
        new(AssetField.MedicalDeviceType, "MedicalDeviceType", NpgsqlDbType.Text, r => r.MedicalDeviceType),
        new(AssetField.Name, "Name", NpgsqlDbType.Text, r => r.Name),
        new(AssetField.Manufacturer, "Manufacturer", NpgsqlDbType.Text, r => r.Manufacturer),
        new(AssetField.Model, "Model", NpgsqlDbType.Text, r => r.Model),
        new(AssetField.OperatingSystem, "OperatingSystem", NpgsqlDbType.Text, r => r.OperatingSystem),
        new(AssetField.OsVersion, "OsVersion", NpgsqlDbType.Text, r => r.OsVersion),
        new(AssetField.Software, "Software", NpgsqlDbType.Text, r => r.Software),
        new(AssetField.SoftwareVersion, "SoftwareVersion", NpgsqlDbType.Text, r => r.SoftwareVersion),
        new(AssetField.Firmware, "Firmware", NpgsqlDbType.Text, r => r.Firmware),
        new(AssetField.IpAddress, "IpAddress", NpgsqlDbType.Text, r => r.IpAddresses.FirstOrDefault()),
        new(AssetField.MacAddress, "MacAddress", NpgsqlDbType.Text, r => r.MacAddress),
        new(AssetField.ComputerName, "ComputerName", NpgsqlDbType.Text, r => r.ComputerName),
        new(AssetField.Location, "Location", NpgsqlDbType.Text, r => r.Location),
        new(AssetField.UserName, "UserName", NpgsqlDbType.Text, r => r.UserName),
        new(AssetField.RegisteredOn, "RegisteredOn", NpgsqlDbType.Date, r => r.RegisteredOn),
        new(AssetField.Status, "Status", NpgsqlDbType.Text, r => r.Status.ToString()),
        new(AssetField.Description, "Description", NpgsqlDbType.Text, r => r.Description),
        new(AssetField.MaintenanceVendor, "MaintenanceVendor", NpgsqlDbType.Text, r => r.MaintenanceVendor),
        new(AssetField.SecurityUpdatesBy, "SecurityUpdatesBy", NpgsqlDbType.Text, r => r.SecurityUpdatesBy.ToString()),
        new(AssetField.SupportEndsOn, "SupportEndsOn", NpgsqlDbType.Date, r => r.SupportEndsOn),
        new(AssetField.AntiMalware, "AntiMalware", NpgsqlDbType.Text, r => r.AntiMalware),
        new(AssetField.Authentication, "Authentication", NpgsqlDbType.Text, r => r.Authentication),
        new(AssetField.LastStocktakeOn, "LastStocktakeOn", NpgsqlDbType.Date, r => r.LastStocktakeOn),
    ];

    static async Task StageAsync(NpgsqlConnection conn, List<AssetImportRow> rows, string actorName, CancellationToken ct)
    {
        var defs = string.Join(", ", Copied.Select(c => $"\"{c.Column}\" {(c.Type == NpgsqlDbType.Date ? "date" : "text")}"));
        await using (var create = new NpgsqlCommand(
            $"CREATE TEMP TABLE asset_import (\"Id\" uuid, {defs}, ips text[], segment text, \"UpdatedAt\" timestamptz, \"UpdatedBy\" text) ON COMMIT DROP", conn))
            await create.ExecuteNonQueryAsync(ct);
        var now = AuditEntry.Truncate(DateTime.UtcNow);
        var columns = string.Join(", ", Copied.Select(c => $"\"{c.Column}\""));
        await using var copy = await conn.BeginBinaryImportAsync(
            $"COPY asset_import (\"Id\", {columns}, ips, segment, \"UpdatedAt\", \"UpdatedBy\") FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
            foreach (var c in Copied)
                if (c.Value(row) is { } value) await copy.WriteAsync(value, c.Type, ct);
                else await copy.WriteNullAsync(ct);
            await copy.WriteAsync(row.IpAddresses.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            if (row.NetworkSegment is { } segment) await copy.WriteAsync(segment, NpgsqlDbType.Text, ct);
            else await copy.WriteNullAsync(ct);
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(actorName, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
