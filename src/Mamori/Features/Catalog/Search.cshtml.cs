using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Catalog;

/// <summary>Search across every published edition, Japanese and English; exact official references first.</summary>
[Requires(Permission.View)]
public sealed class SearchModel(MamoriDb db) : PageModel
{
    public string Query { get; private set; } = "";
    public List<SearchHit> Hits { get; private set; } = [];

    public async Task OnGetAsync(string? q)
    {
        Query = (q ?? "").Trim();
        if (Query.Length > 200) Query = Query[..200];
        Hits = (await CatalogIndex.GetAsync(db, HttpContext.RequestAborted)).Search(Query);
    }
}
