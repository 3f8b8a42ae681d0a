using Mamori.Features.Assets.Import;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>
/// One version of a 機器台帳 row, written whenever it is created or changed (form, import, scan): the row's
/// full history. Imports write these in bulk; the audit chain holds one event per import with the file's hash.
/// </summary>
public sealed class AssetHistory : IOrganizationOwned
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid AssetId { get; set; }
    public DateTime ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    /// <summary>form, import, scan or delete.</summary>
    public required string Source { get; set; }
    /// <summary>The row as JSON after the change (before it, for a delete).</summary>
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
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

public static class ImportUploads
{
    /// <summary>Keeps an uploaded file until its import is confirmed; this organisation's uploads older than a day are dropped.</summary>
    public static async Task<ImportUpload> KeepAsync(MamoriDb db, Guid organizationId, Guid userId, string fileName, string kind, byte[] content,
        CancellationToken ct)
    {
        var stale = DateTime.UtcNow.AddDays(-1);
        await db.ImportUploads.Where(u => u.CreatedAt < stale).ExecuteDeleteAsync(ct);
        var upload = new ImportUpload
        {
            OrganizationId = organizationId, UserId = userId, FileName = Path.GetFileName(fileName), Kind = kind,
            Content = content, Sha256 = AssetImporter.Sha256(content),
        };
        db.ImportUploads.Add(upload);
        await db.SaveChangesAsync(ct);
        return upload;
    }
}
