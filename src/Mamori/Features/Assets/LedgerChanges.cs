using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Mamori.Features.Assets;

/// <summary>What happened to a device: the values of <see cref="AssetHistory.Change"/>.</summary>
public enum LedgerChange { Create, Update, Delete }

/// <summary>
/// The one writer of <c>asset_history</c> (機器台帳の変更履歴), used by every path that changes a device: the form
/// (add, edit, delete), the import (COPY pipeline) and the nmap scan. Each change writes one row per device with the
/// device's image as PostgreSQL holds it in the same transaction — all its columns (<c>to_jsonb</c> of the row, without
/// the search text), its interfaces and its open ports in a fixed order — after a create or update, and the last image
/// before a delete. The image is built by one SQL statement for any number of devices, so an import of 100,000 rows
/// records them set-based, and the three paths cannot write different rows. The table is append-only: the database
/// refuses UPDATE, DELETE and TRUNCATE (migration LedgerHistoryAppendOnly), like the audit log.
/// </summary>
public static class LedgerChanges
{
    /// <summary>Values of <see cref="AssetHistory.Source"/>: how the change was made.</summary>
    public const string Form = "form", Import = "import", Scan = "scan";

    /// <summary>The stored word of a change (create, update, delete).</summary>
    public static string Name(LedgerChange change) => change.ToString().ToLowerInvariant();

    /// <summary>
    /// Records the devices' images: call after SaveChanges (or the import's SQL) for a create or update, and before the
    /// delete is written for a delete, inside the transaction of the change. Only devices of the organisation are recorded.
    /// </summary>
    public static Task<int> RecordAsync(MamoriDb db, Guid organizationId, LedgerChange change, string source, IReadOnlyCollection<Guid> assetIds,
        DateTime at, string by, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A ledger change is recorded in the transaction of the change.");
        if (assetIds.Count == 0) return Task.FromResult(0);
        return db.Database.ExecuteSqlRawAsync(Sql, [
            new NpgsqlParameter("org", organizationId),
            new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = assetIds as Guid[] ?? assetIds.ToArray() },
            new NpgsqlParameter("at", at),
            new NpgsqlParameter("by", by),
            new NpgsqlParameter("source", source),
            new NpgsqlParameter("change", Name(change)),
        ], ct);
    }

    /// <summary>
    /// The image of a device: the row without its search text, with "Interfaces" and "OpenPorts" as arrays (no ids:
    /// an import replaces interface rows, and the image is what the device is, not how it is stored).
    /// </summary>
    const string Sql = """
        INSERT INTO asset_history ("OrganizationId", "AssetId", "ChangedAt", "ChangedBy", "Source", "Change", "Snapshot")
        SELECT a."OrganizationId", a."Id", @at, @by, @source, @change,
               (to_jsonb(a) - 'SearchText')
               || jsonb_build_object('Interfaces', coalesce(i.list, '[]'::jsonb), 'OpenPorts', coalesce(p.list, '[]'::jsonb))
        FROM assets a
        LEFT JOIN (SELECT "AssetId", jsonb_agg(jsonb_build_object('Name', "Name", 'IpAddress', "IpAddress", 'MacAddress', "MacAddress", 'Segment', "Segment")
                                     ORDER BY "IpAddress" COLLATE "C", "Segment" COLLATE "C", "MacAddress" COLLATE "C", "Name" COLLATE "C") AS list
                   FROM asset_interfaces WHERE "AssetId" = ANY(@ids) GROUP BY "AssetId") i ON i."AssetId" = a."Id"
        LEFT JOIN (SELECT "AssetId", jsonb_agg(jsonb_build_object('Port', "Port", 'Protocol', "Protocol", 'Service', "Service", 'SeenAt', "SeenAt", 'Source', "Source")
                                     ORDER BY "Port", "Protocol" COLLATE "C", "Source" COLLATE "C") AS list
                   FROM asset_open_ports WHERE "AssetId" = ANY(@ids) GROUP BY "AssetId") p ON p."AssetId" = a."Id"
        WHERE a."OrganizationId" = @org AND a."Id" = ANY(@ids)
        """;
}
