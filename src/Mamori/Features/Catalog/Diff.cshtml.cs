using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Catalog;

/// <summary>Items added, removed and changed between two editions (or two revisions: file@rev).</summary>
[Requires(Permission.View)]
public sealed class DiffModel(MamoriDb db, Text t) : PageModel
{
    public CatalogIndex Index { get; private set; } = null!;
    public CatalogDiffResult? Result { get; private set; }
    public string? Error { get; private set; }
    public string From { get; private set; } = "";
    public string To { get; private set; } = "";
    public bool All { get; private set; }
    public string Org => (string)RouteData.Values["org"]!;

    public async Task OnGetAsync(string? from, string? to, bool all = false)
    {
        var ct = HttpContext.RequestAborted;
        Index = await CatalogIndex.GetAsync(db, ct);
        (From, To, All) = (from ?? "checklist-r7", to ?? "checklist-r8", all);
        var old = await LoadAsync(From, ct);
        var @new = await LoadAsync(To, ct);
        if (old is null || @new is null)
        {
            Error = t["指定された版が見つかりません。一覧から選んでください。", "Edition not found; pick one from the list."];
            return;
        }
        if (old.FileId == @new.FileId && old.Row.Revision == @new.Row.Revision)
        {
            Error = t["同じ版どうしは比較できません。別の版を選んでください。", "Pick two different editions."];
            return;
        }
        Result = CatalogDiff.Compare(Index, old, @new, itemsOnly: !All);
    }

    /// <summary>"file" is the current revision; "file@3" is revision 3.</summary>
    async Task<IndexedEdition?> LoadAsync(string spec, CancellationToken ct)
    {
        var at = spec.IndexOf('@');
        if (at < 0) return Index.Edition(spec);
        return int.TryParse(spec[(at + 1)..], out var rev) ? await CatalogPages.LoadEditionAsync(db, spec[..at], rev, ct) : null;
    }
}
