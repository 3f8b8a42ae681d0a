using Mamori.Features.Assets.Import;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>
/// One version of a 機器台帳 row, written by <see cref="LedgerChanges"/> whenever a device is created, changed or deleted
/// (form, import, scan): the device's full history, append-only (the database refuses UPDATE and DELETE). Imports write
/// these set-based; the audit chain holds one event per import with the file's name and SHA-256.
/// </summary>
public sealed class AssetHistory : IOrganizationOwned
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid AssetId { get; set; }
    public DateTime ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    /// <summary>How: form, import or scan (<see cref="LedgerChanges.Form"/> …).</summary>
    public required string Source { get; set; }
    /// <summary>
    /// What: create, update or delete (<see cref="LedgerChanges.Name"/>). Rows written before December 2026 say
    /// "replaced": they hold the version a change replaced, not the one it made.
    /// </summary>
    public required string Change { get; set; }
    /// <summary>The device as JSON (row, interfaces, open ports) after the change; for a delete, as it was before it.</summary>
    public required string Snapshot { get; set; }
}

/// <summary>An uploaded file kept until the user confirms (or abandons) the import preview; removed on commit.</summary>
public sealed class ImportUpload : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid UserId { get; set; }
    public required string FileName { get; set; }
    public required string Kind { get; set; }
    public required byte[] Content { get; set; }
    public required string Sha256 { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class ImportUploads
{
    /// <summary>Keeps an uploaded file until its import is confirmed; this organisation's uploads older than a day are dropped.</summary>
    public static async Task<ImportUpload> KeepAsync(MamoriDb db, TimeProvider clock, Guid organizationId, Guid userId, string fileName, string kind,
        byte[] content, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now.AddDays(-1);
        await db.ImportUploads.Where(u => u.CreatedAt < stale).ExecuteDeleteAsync(ct);
        var upload = new ImportUpload
        {
            OrganizationId = organizationId, UserId = userId, FileName = Path.GetFileName(fileName), Kind = kind,
            Content = content, Sha256 = AssetImporter.Sha256(content), CreatedAt = now,
        };
        db.ImportUploads.Add(upload);
        await db.SaveChangesAsync(ct);
        return upload;
    }
}
