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
    /// <summary>Rows whose 管理番号 exists and whose columns in the file already hold the same values (left untouched).</summary>
    public int Unchanged { get; init; }
    /// <summary>
    /// For bench/: until the last row was read and checked (the staging COPY runs alongside), then the rest of the writing.
    /// </summary>
    public long ReadMilliseconds { get; init; }
    public long WriteMilliseconds { get; init; }
}

/// <summary>
/// The fixed import pipeline for the 機器台帳: read (CSV in UTF-8/Shift_JIS or .xlsx) → check every row → plan against
/// the ledger (create or update by 管理番号) → write all rows or none. Each checked row goes straight into a binary COPY
/// to a staging table while the file is still being read (PostgreSQL ingests on the other core); a file with an error
/// cancels the COPY and the transaction is rolled back. Then, in the same transaction: the before-image of every row
/// the file changes into asset_history, one UPDATE of those rows, one INSERT of the new ones, and one audit event (file
/// name, SHA-256, counts). Unchanged rows are not touched (not even locked).
/// </summary>
public static class AssetImporter
{
    /// <summary>Upload limit: MAMORI_MAX_UPLOAD_MB (default 20 MB).</summary>
    public static long MaxUploadBytes =>
        (long.TryParse(Environment.GetEnvironmentVariable("MAMORI_MAX_UPLOAD_MB"), out var mb) && mb > 0 ? mb : 20) * 1024 * 1024;

    /// <summary>
    /// A ledger import of 200,000 rows (a very large hospital group has tens of thousands of devices) keeps the staging
    /// table and the time in the transaction bounded whatever the file claims; rows are streamed, not held in memory.
    /// </summary>
    public static readonly ReadLimits Limits = new() { MaxRows = 200_000 };

    /// <summary>Reads a file by its name and content: .xlsx (zip) or CSV; anything else is refused with a Japanese message.</summary>
    /// <param name="accepted">Streaming: receives the valid rows instead of <see cref="AssetImportResult.Rows"/> (see <see cref="AssetImportReader"/>).</param>
    public static AssetImportResult Read(Stream content, string fileName, AssetImportOptions? options = null, ReadLimits? limits = null,
        Action<AssetImportRow>? accepted = null)
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
        return AssetImportReader.Read(rows, options, accepted);
    }

    /// <summary>
    /// Reads and plans without writing: the rows are staged and compared with the ledger inside a transaction that is
    /// rolled back, so the preview's numbers (new, changed, unchanged) are exactly what the import will do.
    /// </summary>
    public static async Task<AssetImportReport> DryRunAsync(MamoriDb db, Guid organizationId, byte[] content, string fileName,
        AssetImportOptions? options, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var parsed = await StageAsync(conn, content, fileName, options, ct);
        if (!parsed.Succeeded) return new AssetImportReport(fileName, Sha256(content), parsed, 0, 0, false);
        await using var count = new NpgsqlCommand($"""
            SELECT count(*), count(*) FILTER (WHERE {Differs(parsed, "a", "i")})
            FROM asset_import i JOIN assets a ON a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber"
            """, conn);
        count.Parameters.AddWithValue("org", organizationId);
        int existing, changed;
        await using (var r = await count.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            (existing, changed) = ((int)r.GetInt64(0), (int)r.GetInt64(1));
        }
        await tx.RollbackAsync(ct);
        return new AssetImportReport(fileName, Sha256(content), parsed, parsed.RowsRead - existing, changed, false) { Unchanged = existing - changed };
    }

    public static async Task<AssetImportReport> ImportAsync(MamoriDb db, Guid organizationId, byte[] content, string fileName,
        AssetImportOptions? options, string actorName, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sha = Sha256(content);
        var now = AuditEntry.Truncate(DateTime.UtcNow);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var parsed = await StageAsync(conn, content, fileName, options, ct);
        // Reading overlaps the staging COPY, so this is when the last row was read, not reading alone.
        var readMs = clock.ElapsedMilliseconds;
        if (!parsed.Succeeded) return new AssetImportReport(fileName, sha, parsed, 0, 0, false) { ReadMilliseconds = readMs };

        var differs = Differs(parsed, "a", "i");
        var matched = """FROM asset_import i JOIN assets a ON a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber" """;
        // History keeps what each import replaced: the before-image of every row it changes (new rows have none).
        await ExecAsync(conn, $"""
            INSERT INTO asset_history ("OrganizationId", "AssetId", "ChangedAt", "ChangedBy", "Source", "Snapshot")
            SELECT a."OrganizationId", a."Id", @now, @actor, 'import', to_jsonb(a) {matched}
            WHERE {differs}
            """, organizationId, now, actorName, ct);
        // Only the columns present in the file are written; an unchanged row is not touched at all.
        var set = string.Join(", ", Mapped(parsed).Select(c => $"\"{c.Column}\" = i.\"{c.Column}\"").Append("\"UpdatedAt\" = @now").Append("\"UpdatedBy\" = @actor"));
        var changed = await ExecAsync(conn, $"""
            UPDATE assets a SET {set}
            FROM asset_import i WHERE a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber" AND {differs}
            """, organizationId, now, actorName, ct);
        // A device someone else added meanwhile with the same 管理番号 is updated like any other (ON CONFLICT).
        var columns = string.Join(", ", Copied.Select(c => $"\"{c.Column}\""));
        var updates = string.Join(", ", Mapped(parsed).Select(c => $"\"{c.Column}\" = EXCLUDED.\"{c.Column}\"")
            .Append("\"UpdatedAt\" = EXCLUDED.\"UpdatedAt\"").Append("\"UpdatedBy\" = EXCLUDED.\"UpdatedBy\""));
        var created = await ExecAsync(conn, $"""
            INSERT INTO assets ("Id", "OrganizationId", {columns}, "UpdatedAt", "UpdatedBy")
            SELECT "Id", @org, {columns}, @now, @actor FROM asset_import i
            WHERE NOT EXISTS (SELECT FROM assets a WHERE a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber")
            ON CONFLICT ("OrganizationId", "ControlNumber") DO UPDATE SET {updates}
            WHERE {Differs(parsed, "assets", "EXCLUDED")}
            """, organizationId, now, actorName, ct);
        if (parsed.Columns.Any(c => c.Field is AssetField.IpAddress or AssetField.NetworkSegment))
        {
            // Several addresses in one cell (or a segment) become the device's interfaces; the file replaces them
            // on the rows it created or changed (those carry this import's time).
            await ExecAsync(conn, $"""
                DELETE FROM asset_interfaces f USING assets a
                WHERE f."AssetId" = a."Id" AND a."OrganizationId" = @org AND a."UpdatedAt" = @now;
                INSERT INTO asset_interfaces ("Id", "AssetId", "IpAddress", "MacAddress", "Segment")
                SELECT gen_random_uuid(), a."Id", x.ip, CASE WHEN x.n = 1 THEN i."MacAddress" END, CASE WHEN x.n = 1 THEN i.segment END
                {matched} AND a."UpdatedAt" = @now
                CROSS JOIN LATERAL unnest(CASE WHEN cardinality(i.ips) = 0 THEN ARRAY[NULL::text] ELSE i.ips END) WITH ORDINALITY AS x(ip, n)
                WHERE cardinality(i.ips) > 1 OR i.segment IS NOT NULL;
                """, organizationId, now, actorName, ct);
        }
        await ExecAsync(conn, "DROP TABLE asset_import", organizationId, now, actorName, ct);

        var unchanged = parsed.RowsRead - created - changed;
        db.Audit(AuditActions.AssetsImported, "Asset", null,
            new { file = fileName, sha256 = sha, rows = parsed.RowsRead, created, updated = changed, unchanged }, organizationId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        AssetFindings.LedgerChanged(organizationId);
        return new AssetImportReport(fileName, sha, parsed, created, changed, true)
            { Unchanged = unchanged, ReadMilliseconds = readMs, WriteMilliseconds = clock.ElapsedMilliseconds - readMs };
    }

    /// <summary>The ledger columns the file carries (管理番号 is the key, not compared).</summary>
    static IEnumerable<CopiedColumn> Mapped(AssetImportResult parsed)
    {
        var fields = parsed.Columns.Where(c => c.Field is not null).Select(c => c.Field!.Value).ToHashSet();
        return Copied.Where(c => fields.Contains(c.Field) && c.Field != AssetField.ControlNumber);
    }

    /// <summary>SQL: the row of <paramref name="ledger"/> differs from <paramref name="file"/> in a column the file carries.</summary>
    static string Differs(AssetImportResult parsed, string ledger, string file)
    {
        var columns = Mapped(parsed).Select(c => c.Column).ToList();
        if (columns.Count == 0) return "false";
        return $"ROW({string.Join(", ", columns.Select(c => $"{ledger}.\"{c}\""))}) IS DISTINCT FROM ROW({string.Join(", ", columns.Select(c => $"{file}.\"{c}\""))})";
    }

    static async Task<int> ExecAsync(NpgsqlConnection conn, string sql, Guid organizationId, DateTime now, string actor, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("org", organizationId);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("actor", actor);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A ledger column an import writes: text or date, read from the checked row without boxing.</summary>
    sealed record CopiedColumn(AssetField Field, string Column, Func<AssetImportRow, string?>? Text = null, Func<AssetImportRow, DateOnly?>? Date = null);

    static readonly CopiedColumn[] Copied =
    [
        new(AssetField.ControlNumber, "ControlNumber", r => r.ControlNumber),
        new(AssetField.Category, "Category", r => r.Category.ToString()),
        new(AssetField.MedicalDeviceType, "MedicalDeviceType", r => r.MedicalDeviceType),
        new(AssetField.Name, "Name", r => r.Name),
        new(AssetField.Manufacturer, "Manufacturer", r => r.Manufacturer),
        new(AssetField.Model, "Model", r => r.Model),
        new(AssetField.OperatingSystem, "OperatingSystem", r => r.OperatingSystem),
        new(AssetField.OsVersion, "OsVersion", r => r.OsVersion),
        new(AssetField.Software, "Software", r => r.Software),
        new(AssetField.SoftwareVersion, "SoftwareVersion", r => r.SoftwareVersion),
        new(AssetField.Firmware, "Firmware", r => r.Firmware),
        new(AssetField.IpAddress, "IpAddress", r => r.IpAddresses.Count > 0 ? r.IpAddresses[0] : null),
        new(AssetField.MacAddress, "MacAddress", r => r.MacAddress),
        new(AssetField.ComputerName, "ComputerName", r => r.ComputerName),
        new(AssetField.Location, "Location", r => r.Location),
        new(AssetField.UserName, "UserName", r => r.UserName),
        new(AssetField.RegisteredOn, "RegisteredOn", Date: r => r.RegisteredOn),
        new(AssetField.Status, "Status", r => r.Status.ToString()),
        new(AssetField.Description, "Description", r => r.Description),
        new(AssetField.MaintenanceVendor, "MaintenanceVendor", r => r.MaintenanceVendor),
        new(AssetField.SecurityUpdatesBy, "SecurityUpdatesBy", r => r.SecurityUpdatesBy.ToString()),
        new(AssetField.SupportEndsOn, "SupportEndsOn", Date: r => r.SupportEndsOn),
        new(AssetField.AntiMalware, "AntiMalware", r => r.AntiMalware),
        new(AssetField.Authentication, "Authentication", r => r.Authentication),
        new(AssetField.LastStocktakeOn, "LastStocktakeOn", Date: r => r.LastStocktakeOn),
    ];

    /// <summary>
    /// Reads the file and streams each checked row into a binary COPY to a temp table (dropped at commit). When the file
    /// cannot be imported the COPY is cancelled, which leaves the transaction to be rolled back.
    /// </summary>
    static async Task<AssetImportResult> StageAsync(NpgsqlConnection conn, byte[] content, string fileName, AssetImportOptions? options,
        CancellationToken ct)
    {
        var defs = string.Join(", ", Copied.Select(c => $"\"{c.Column}\" {(c.Date is null ? "text" : "date")}"));
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE asset_import (\"Id\" uuid, {defs}, ips text[], segment text) ON COMMIT DROP", conn))
            await create.ExecuteNonQueryAsync(ct);
        var columns = string.Join(", ", Copied.Select(c => $"\"{c.Column}\""));
        await using var copy = await conn.BeginBinaryImportAsync($"COPY asset_import (\"Id\", {columns}, ips, segment) FROM STDIN (FORMAT BINARY)", ct);
        AssetImportResult parsed;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            parsed = Read(stream, fileName, options, accepted: row =>
            {
                ct.ThrowIfCancellationRequested();
                Write(copy, row);
            });
        }
        catch (ImportFileException e)
        {
            parsed = new AssetImportResult { FileError = new ImportFileError(e.MessageJa, e.MessageEn) };
        }
        if (parsed.Succeeded) await copy.CompleteAsync(ct);
        return parsed;
    }

    static void Write(NpgsqlBinaryImporter copy, AssetImportRow row)
    {
        copy.StartRow();
        copy.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
        foreach (var c in Copied)
        {
            if (c.Date is { } date)
            {
                if (date(row) is { } d) copy.Write(d, NpgsqlDbType.Date);
                else copy.WriteNull();
            }
            else if (c.Text!(row) is { } text) copy.Write(text, NpgsqlDbType.Text);
            else copy.WriteNull();
        }
        copy.Write(row.IpAddresses, NpgsqlDbType.Array | NpgsqlDbType.Text);
        if (row.NetworkSegment is { } segment) copy.Write(segment, NpgsqlDbType.Text);
        else copy.WriteNull();
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
