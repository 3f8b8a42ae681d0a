using System.Globalization;
using System.Linq.Expressions;
using System.Security.Cryptography;
using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mamori.Features.Assets.Import;

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
    /// <summary>Dry run: what the import does with each row of <see cref="AssetImportResult.Preview"/>, by 管理番号.</summary>
    public IReadOnlyDictionary<string, ImportRowAction> PreviewActions { get; init; } = new Dictionary<string, ImportRowAction>();
}

/// <summary>What an import does with one row: a new device, a change to one in the ledger, or nothing (same values).</summary>
public enum ImportRowAction { Create, Update, Unchanged }

/// <summary>
/// The fixed import pipeline for the 機器台帳: read (CSV in UTF-8/Shift_JIS or .xlsx) → check every row → plan against
/// the ledger (create or update by 管理番号, known by one query first) → write all rows or none. New rows go by COPY
/// straight into the ledger while the file is still being read, so PostgreSQL maintains the indexes on the other core;
/// rows whose 管理番号 exists are staged (COPY into a temp table) and compared. A file with an error stops the COPY and
/// the transaction is rolled back. In the same transaction: one UPDATE of the rows the file changes, the interfaces of
/// 2枚挿し devices, each created or changed device's new version in asset_history (<see cref="LedgerChanges"/>, set-based),
/// and one audit event (file name, SHA-256, counts). Unchanged rows are not touched (not even locked).
/// </summary>
public static class AssetImporter
{
    /// <summary>Upload limit: MAMORI_MAX_UPLOAD_MB (default 20 MB).</summary>
    public static long MaxUploadBytes =>
        (long.TryParse(Environment.GetEnvironmentVariable("MAMORI_MAX_UPLOAD_MB"), out var mb) && mb > 0 ? mb : 20) * 1024 * 1024;

    /// <summary>
    /// Rows of an import whose 管理番号 already exists are held in memory until they are compared with the ledger:
    /// 200,000 rows (a very large hospital group has tens of thousands of devices) keeps that bounded at roughly
    /// 100 MB whatever the file claims. New rows are streamed, not held.
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
    /// Reads and plans without writing: rows whose 管理番号 exists are staged and compared with the ledger inside a
    /// transaction that is rolled back, so the preview's numbers (new, changed, unchanged) are exactly what the import will do.
    /// </summary>
    public static async Task<AssetImportReport> DryRunAsync(MamoriDb db, Guid organizationId, byte[] content, string fileName,
        AssetImportOptions? options, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var existing = await ControlNumbersAsync(conn, organizationId, ct);
        var known = new List<AssetImportRow>();
        var parsed = SafeRead(content, fileName, options, row =>
        {
            if (existing.Contains(row.ControlNumber)) known.Add(row);
        });
        if (!parsed.Succeeded) return new AssetImportReport(fileName, Sha256(content), parsed, 0, 0, false);
        var changed = 0;
        var previewChanged = new HashSet<string>(StringComparer.Ordinal);
        if (known.Count > 0)
        {
            await StageAsync(conn, parsed, known, organizationId, ct);
            // The count, and which of the preview's rows are among the changed ones.
            await using var count = new NpgsqlCommand($"""
                SELECT count(*), coalesce(array_agg(i."ControlNumber") FILTER (WHERE i."ControlNumber" = ANY(@preview)), ARRAY[]::text[])
                FROM asset_import i JOIN assets a ON a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber"
                WHERE {Differs(parsed, "a", "i")}
                """, conn);
            count.Parameters.AddWithValue("org", organizationId);
            count.Parameters.AddWithValue("preview", parsed.Preview.Select(r => r.ControlNumber).ToArray());
            await using var reader = await count.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            changed = (int)reader.GetInt64(0);
            previewChanged.UnionWith(reader.GetFieldValue<string[]>(1));
        }
        await tx.RollbackAsync(ct);
        var actions = parsed.Preview.ToDictionary(r => r.ControlNumber, r =>
            !existing.Contains(r.ControlNumber) ? ImportRowAction.Create : previewChanged.Contains(r.ControlNumber) ? ImportRowAction.Update : ImportRowAction.Unchanged);
        return new AssetImportReport(fileName, Sha256(content), parsed, parsed.RowsRead - known.Count, changed, false)
            { Unchanged = known.Count - changed, PreviewActions = actions };
    }

    /// <param name="progress">Counts the rows read while the import runs (the import page polls it); optional.</param>
    /// <param name="clock">The one clock (the server's registered <see cref="TimeProvider"/>); the system clock when not given.</param>
    public static async Task<AssetImportReport> ImportAsync(MamoriDb db, Guid organizationId, byte[] content, string fileName,
        AssetImportOptions? options, string actorName, CancellationToken ct, ImportProgress? progress = null, TimeProvider? clock = null)
    {
        var now = AuditEntry.Truncate((clock ?? db.Clock).GetUtcNow().UtcDateTime);
        try
        {
            return await ImportOnceAsync(db, organizationId, content, fileName, options, actorName, now, ct, progress);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "IX_assets_OrganizationId_ControlNumber" })
        {
            // Someone added a device with one of the file's 管理番号 while the new rows were being copied: everything was
            // rolled back; plan again against the ledger as it is now (that device is then compared like any other).
            return await ImportOnceAsync(db, organizationId, content, fileName, options, actorName, now, ct, progress?.Restart());
        }
    }

    static async Task<AssetImportReport> ImportOnceAsync(MamoriDb db, Guid organizationId, byte[] content, string fileName,
        AssetImportOptions? options, string actorName, DateTime now, CancellationToken ct, ImportProgress? progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sha = Sha256(content);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        // The staged rows are sorted and hashed against the ledger: in memory rather than in temp files.
        await ExecAsync(conn, "SET LOCAL work_mem = '64MB'", organizationId, now, actorName, ct);
        var existing = await ControlNumbersAsync(conn, organizationId, ct);
        var known = new List<AssetImportRow>();
        var interfaces = new List<AssetInterface>();
        var createdIds = new List<Guid>();
        AssetImportResult parsed;
        long readMs;
        var tail = string.Create(CultureInfo.InvariantCulture, $",{organizationId},{now:yyyy-MM-dd HH:mm:ss.ffffff}+00,");
        await using (var copy = await conn.BeginTextImportAsync(
            $"COPY assets (\"Id\", {Columns}, \"OrganizationId\", \"UpdatedAt\", \"UpdatedBy\") FROM STDIN (FORMAT csv)", ct))
        {
            parsed = SafeRead(content, fileName, options, row =>
            {
                ct.ThrowIfCancellationRequested();
                progress?.RowRead();
                if (existing.Contains(row.ControlNumber))
                {
                    known.Add(row);
                    return;
                }
                var id = Guid.CreateVersion7();
                createdIds.Add(id);
                Write(copy, id, row);
                copy.Write(tail);
                Quoted(copy, actorName);
                copy.Write('\n');
                interfaces.AddRange(row.Interfaces(id));
            });
            // Reading overlaps the COPY, so this is when the last row was read, not reading alone.
            readMs = clock.ElapsedMilliseconds;
        }
        // No row after the first error was sent; what was sent goes with the rollback.
        if (!parsed.Succeeded) return new AssetImportReport(fileName, sha, parsed, 0, 0, false) { ReadMilliseconds = readMs };
        progress?.StartWriting();
        var created = parsed.RowsRead - known.Count;
        var changed = 0;
        Guid[] updatedIds = [];
        if (known.Count > 0)
        {
            var (updated, recreated) = await UpdateAsync(conn, organizationId, parsed, known, now, actorName, ct);
            (changed, created) = (updated.Count, created + recreated.Count);
            updatedIds = [.. updated.Keys];
            createdIds.AddRange(recreated.Keys);
            var byNumber = known.ToDictionary(r => r.ControlNumber, StringComparer.Ordinal);
            foreach (var (id, number) in recreated) interfaces.AddRange(byNumber[number].Interfaces(id));
            // Several addresses in one cell (or a segment) are the device's interfaces: on the rows a file with an
            // address column changes, they follow the file's addresses (a segment or MAC the file lacks is kept).
            if (updated.Count > 0 && Carries(parsed, AssetField.IpAddress))
            {
                var before = await TakeInterfacesAsync(conn, updated.Keys.ToArray(), ct);
                var (withSegment, withMac) = (Carries(parsed, AssetField.NetworkSegment), Carries(parsed, AssetField.MacAddress));
                foreach (var (id, number) in updated)
                    interfaces.AddRange(byNumber[number].InterfacesReplacing(id, before[id], withSegment, withMac));
            }
        }
        if (interfaces.Count > 0) await CopyAsync(conn, interfaces, ct);
        // Each row's change in the device's history: one INSERT … SELECT per kind, built by PostgreSQL from the rows just written.
        await LedgerChanges.RecordAsync(db, organizationId, LedgerChange.Create, LedgerChanges.Import, createdIds, now, actorName, ct);
        await LedgerChanges.RecordAsync(db, organizationId, LedgerChange.Update, LedgerChanges.Import, updatedIds, now, actorName, ct);

        var unchanged = parsed.RowsRead - created - changed;
        db.Audit(AuditActions.AssetsImported, "Asset", null,
            new { file = fileName, sha256 = sha, rows = parsed.RowsRead, created, updated = changed, unchanged }, organizationId);
        db.CacheChanged(DbCache.Ledger(organizationId)); // the rows went by COPY and SQL, unseen by the change tracker
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AssetImportReport(fileName, sha, parsed, created, changed, true)
            { Unchanged = unchanged, ReadMilliseconds = readMs, WriteMilliseconds = clock.ElapsedMilliseconds - readMs };
    }

    /// <summary>
    /// The rows whose 管理番号 was in the ledger: staged and compared; the rows the file changes are updated, and rows
    /// deleted by someone else since the plan are created again (their history is written by the caller, interfaces included).
    /// Returns the ids of the updated and of the re-created rows with their 管理番号.
    /// </summary>
    static async Task<(Dictionary<Guid, string> Updated, Dictionary<Guid, string> Created)> UpdateAsync(NpgsqlConnection conn, Guid organizationId,
        AssetImportResult parsed, List<AssetImportRow> known, DateTime now, string actorName, CancellationToken ct)
    {
        await StageAsync(conn, parsed, known, organizationId, ct);
        var differs = Differs(parsed, "a", "i");
        // Only the columns present in the file are written; an unchanged row is not touched at all.
        var set = string.Join(", ", Mapped(parsed).Select(c => $"\"{c.Column}\" = i.\"{c.Column}\"").Append("\"UpdatedAt\" = @now").Append("\"UpdatedBy\" = @actor"));
        var updated = await IdsAsync(conn, $"""
            UPDATE assets a SET {set}
            FROM asset_import i WHERE a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber" AND {differs}
            RETURNING a."Id", a."ControlNumber"
            """, organizationId, now, actorName, ct);
        var created = await IdsAsync(conn, $"""
            INSERT INTO assets ("Id", "OrganizationId", {Columns}, "UpdatedAt", "UpdatedBy")
            SELECT "Id", @org, {Columns}, @now, @actor FROM asset_import i
            WHERE NOT EXISTS (SELECT FROM assets a WHERE a."OrganizationId" = @org AND a."ControlNumber" = i."ControlNumber")
            RETURNING "Id", "ControlNumber"
            """, organizationId, now, actorName, ct);
        await ExecAsync(conn, "DROP TABLE asset_import", organizationId, now, actorName, ct);
        return (updated, created);
    }

    static async Task CopyAsync(NpgsqlConnection conn, List<AssetInterface> interfaces, CancellationToken ct)
    {
        await using var copy = await conn.BeginTextImportAsync(
            """COPY asset_interfaces ("Id", "AssetId", "IpAddress", "MacAddress", "Segment") FROM STDIN (FORMAT csv)""", ct);
        foreach (var i in interfaces)
        {
            copy.Write($"{i.Id},{i.AssetId},");
            Quoted(copy, i.IpAddress);
            copy.Write(',');
            Quoted(copy, i.MacAddress);
            copy.Write(',');
            Quoted(copy, i.Segment);
            copy.Write('\n');
        }
    }

    static bool Carries(AssetImportResult parsed, AssetField field) => parsed.Columns.Any(c => c.Field == field);

    /// <summary>Deletes the interfaces of the given devices and returns them, by device (an empty list for none).</summary>
    static async Task<ILookup<Guid, AssetInterface>> TakeInterfacesAsync(NpgsqlConnection conn, Guid[] assetIds, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """DELETE FROM asset_interfaces WHERE "AssetId" = ANY(@ids) RETURNING "AssetId", "IpAddress", "MacAddress", "Segment" """, conn);
        cmd.Parameters.AddWithValue("ids", assetIds);
        var taken = new List<AssetInterface>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            taken.Add(new AssetInterface
            {
                AssetId = reader.GetGuid(0), IpAddress = reader.IsDBNull(1) ? null : reader.GetString(1),
                MacAddress = reader.IsDBNull(2) ? null : reader.GetString(2), Segment = reader.IsDBNull(3) ? null : reader.GetString(3),
            });
        return taken.ToLookup(i => i.AssetId);
    }

    /// <summary>The organisation's 管理番号 as stored (exact text, as the unique index compares them).</summary>
    static async Task<HashSet<string>> ControlNumbersAsync(NpgsqlConnection conn, Guid organizationId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""SELECT "ControlNumber" FROM assets WHERE "OrganizationId" = @org""", conn);
        cmd.Parameters.AddWithValue("org", organizationId);
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) numbers.Add(reader.GetString(0));
        return numbers;
    }

    static AssetImportResult SafeRead(byte[] content, string fileName, AssetImportOptions? options, Action<AssetImportRow> accepted)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            return Read(stream, fileName, options, accepted: accepted);
        }
        catch (ImportFileException e)
        {
            return new AssetImportResult { FileError = e.Error };
        }
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
        var differs = $"ROW({string.Join(", ", columns.Select(c => $"{ledger}.\"{c}\""))}) IS DISTINCT FROM ROW({string.Join(", ", columns.Select(c => $"{file}.\"{c}\""))})";
        if (!Carries(parsed, AssetField.IpAddress)) return differs;
        // A row also differs when its addresses (2枚挿し: several in one cell) do, e.g. only the second one changed or
        // one of two was removed; with a segment column, the segments too. Same form as AssetImportRow.InterfaceKey.
        // The ledger's side of devices with interfaces is in the staged row's "LedgerInterfaces" (StageAsync).
        var single = Carries(parsed, AssetField.NetworkSegment) ? $"""{ledger}."IpAddress" || '|'""" : $"""{ledger}."IpAddress" """;
        return $"""({differs} OR {file}."Interfaces" IS DISTINCT FROM coalesce({file}."LedgerInterfaces", {single}, ''))""";
    }

    static async Task ExecAsync(NpgsqlConnection conn, string sql, Guid organizationId, DateTime now, string actor, CancellationToken ct)
    {
        await using var cmd = Command(conn, sql, organizationId, now, actor);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The (id, 管理番号) pairs a statement returns.</summary>
    static async Task<Dictionary<Guid, string>> IdsAsync(NpgsqlConnection conn, string sql, Guid organizationId, DateTime now, string actor, CancellationToken ct)
    {
        await using var cmd = Command(conn, sql, organizationId, now, actor);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var ids = new Dictionary<Guid, string>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0), reader.GetString(1));
        return ids;
    }

    static NpgsqlCommand Command(NpgsqlConnection conn, string sql, Guid organizationId, DateTime now, string actor)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("org", organizationId);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("actor", actor);
        return cmd;
    }

    /// <summary>A ledger column an import writes: text or date, read from the checked row without boxing.</summary>
    sealed record CopiedColumn(AssetField Field, string Column, Func<AssetImportRow, string?>? Text = null, Func<AssetImportRow, DateOnly?>? Date = null);

    /// <summary>
    /// Every importable ledger column (<see cref="LedgerFields"/>), read from the <see cref="AssetImportRow"/> property of
    /// the same name: text as it is, a choice by its enum name, a date as a date; of several addresses, the first.
    /// </summary>
    static readonly CopiedColumn[] Copied = LedgerFields.Importable.Where(f => f.Property is not null).Select(Copy).ToArray();

    static CopiedColumn Copy(LedgerField field)
    {
        var column = field.Property!.Name;
        if (field.Field == AssetField.IpAddress) return new(field.Field, column, r => r.IpAddresses.Count > 0 ? r.IpAddresses[0] : null);
        var row = Expression.Parameter(typeof(AssetImportRow));
        var value = Expression.Property(row, typeof(AssetImportRow).GetProperty(column)
            ?? throw new InvalidOperationException($"AssetImportRow has no property {column} for the ledger field {field.Field}."));
        if (field.Kind == LedgerFieldKind.Date) return new(field.Field, column, Date: Expression.Lambda<Func<AssetImportRow, DateOnly?>>(value, row).Compile());
        Expression text = value.Type == typeof(string) ? value : Expression.Call(value, value.Type.GetMethod("ToString", Type.EmptyTypes)!);
        return new(field.Field, column, Expression.Lambda<Func<AssetImportRow, string?>>(text, row).Compile());
    }

    /// <summary>
    /// The rows to compare, by COPY into a temp table (dropped at commit), with the interfaces each device has in the
    /// ledger when the file carries addresses, in the form of <see cref="AssetImportRow.InterfaceKey"/>.
    /// </summary>
    static async Task StageAsync(NpgsqlConnection conn, AssetImportResult parsed, List<AssetImportRow> rows, Guid organizationId, CancellationToken ct)
    {
        var defs = string.Join(", ", Copied.Select(c => $"\"{c.Column}\" {(c.Date is null ? "text" : "date")}"));
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE asset_import (\"Id\" uuid, {defs}, \"Interfaces\" text, \"LedgerInterfaces\" text) ON COMMIT DROP", conn))
            await create.ExecuteNonQueryAsync(ct);
        var withSegments = Carries(parsed, AssetField.NetworkSegment);
        await using (var copy = await conn.BeginTextImportAsync($"COPY asset_import (\"Id\", {Columns}, \"Interfaces\") FROM STDIN (FORMAT csv)", ct))
            foreach (var row in rows)
            {
                Write(copy, Guid.CreateVersion7(), row);
                copy.Write(',');
                Quoted(copy, row.InterfaceKey(withSegments));
                copy.Write('\n');
            }
        if (!Carries(parsed, AssetField.IpAddress)) return;
        // One join for all rows: most devices have no interfaces, and a lookup per staged row cost 0.35 s per 100,000.
        var key = withSegments ? """coalesce(f."IpAddress", '') || '|' || coalesce(f."Segment", '')""" : """coalesce(f."IpAddress", '')""";
        await using var ledger = new NpgsqlCommand($"""
            UPDATE asset_import i SET "LedgerInterfaces" = x."Key"
            FROM (SELECT a."ControlNumber", string_agg({key}, ';' ORDER BY {key} COLLATE "C") AS "Key"
                  FROM assets a JOIN asset_interfaces f ON f."AssetId" = a."Id" WHERE a."OrganizationId" = @org
                  GROUP BY a."ControlNumber") x
            WHERE x."ControlNumber" = i."ControlNumber"
            """, conn);
        ledger.Parameters.AddWithValue("org", organizationId);
        await ledger.ExecuteNonQueryAsync(ct);
    }

    static string Columns => string.Join(", ", Copied.Select(c => $"\"{c.Column}\""));

    /// <summary>
    /// The id and the ledger columns of a row as CSV for COPY (CSV rather than binary: the client only writes text, where
    /// Npgsql's per-value binary writer cost more than the reading itself in a fresh process).
    /// </summary>
    static void Write(TextWriter copy, Guid id, AssetImportRow row)
    {
        copy.Write(id.ToString());
        foreach (var c in Copied)
        {
            copy.Write(',');
            if (c.Date is { } date)
            {
                if (date(row) is { } d) copy.Write(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            else Quoted(copy, c.Text!(row));
        }
    }

    /// <summary>Text always quoted (an unquoted empty field is NULL); null as nothing.</summary>
    static void Quoted(TextWriter copy, string? text)
    {
        if (text is null) return;
        copy.Write('"');
        copy.Write(text.Contains('"') ? text.Replace("\"", "\"\"") : text);
        copy.Write('"');
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
