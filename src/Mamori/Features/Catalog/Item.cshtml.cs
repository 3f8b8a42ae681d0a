using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Catalog;

/// <summary>One item: official reference and label, our summary, source, mappings both ways, the editions that contain it and its revision history.</summary>
[Requires(Permission.View)]
public sealed class ItemModel(MamoriDb db) : PageModel
{
    public CatalogIndex Index { get; private set; } = null!;
    public IndexedNode Node { get; private set; } = null!;
    public List<(IndexedNode Node, string Relation)> Editions { get; private set; } = [];
    public List<(int Revision, DateTime? PublishedAt, bool Changed)> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string file, string node, int? rev)
    {
        var ct = HttpContext.RequestAborted;
        Index = await CatalogIndex.GetAsync(db, ct);
        var edition = await CatalogPages.LoadEditionAsync(db, file, rev, ct);
        if (edition?.ById.GetValueOrDefault(node) is not { } found) return NotFound();
        Node = found;
        Editions = Index.Node(file, node) is { } current ? Index.EditionsContaining(current) : [];

        var versions = await db.CatalogNodes.AsNoTracking()
            .Join(db.CatalogEditions.Where(e => e.FileId == file), n => n.EditionId, e => e.Id, (n, e) => new { n.NodeId, n.Fields, e.Revision, e.PublishedAt })
            .Where(x => x.NodeId == node).OrderBy(x => x.Revision).ToListAsync(ct);
        string? previous = null;
        foreach (var v in versions)
        {
            History.Add((v.Revision, v.PublishedAt, previous is not null && previous != v.Fields));
            previous = v.Fields;
        }
        return Page();
    }

    /// <summary>The other end of a mapping as a node of the published catalogue (null if that edition was withdrawn).</summary>
    public IndexedNode? Resolve(string file, string node) => Index.Node(file, node);
}
