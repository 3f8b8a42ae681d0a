using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Catalog;

/// <summary>One edition: its sources, known gaps and the tree of items. ?rev=N shows an older revision or a draft.</summary>
[Requires(Permission.View)]
public sealed class EditionModel(MamoriDb db) : PageModel
{
    public IndexedEdition Edition { get; private set; } = null!;
    public sealed record RevisionRow(int Revision, bool IsCurrent, DateTime? PublishedAt, DateTime ImportedAt, string ImportedBy, string Sha256);
    public List<RevisionRow> Revisions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string file, int? rev)
    {
        var loaded = await CatalogPages.LoadEditionAsync(db, file, rev, HttpContext.RequestAborted);
        if (loaded is null) return NotFound();
        Edition = loaded;
        Revisions = await db.CatalogEditions.AsNoTracking().Where(e => e.FileId == file).OrderByDescending(e => e.Revision)
            .Select(e => new RevisionRow(e.Revision, e.IsCurrent, e.PublishedAt, e.ImportedAt, e.ImportedBy, e.Sha256)).ToListAsync();
        return Page();
    }
}

static class CatalogPages
{
    /// <summary>The current revision from the in-memory index, or a given revision (old or draft) from the database.</summary>
    public static async Task<IndexedEdition?> LoadEditionAsync(MamoriDb db, string file, int? revision, CancellationToken ct)
    {
        var index = await CatalogIndex.GetAsync(db, ct);
        if (index.Edition(file) is { } current && (revision is null || revision == current.Row.Revision)) return current;
        if (revision is null) revision = await db.CatalogEditions.Where(e => e.FileId == file).MaxAsync(e => (int?)e.Revision, ct);
        if (revision is null) return null;
        var rows = await CatalogIndex.LoadAsync(db, db.CatalogEditions.Where(e => e.FileId == file && e.Revision == revision), ct);
        return rows.Count == 0 ? null : CatalogIndex.Build(rows).Edition(file);
    }
}
