using Mamori.Features.Shared;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Features.Areas;

/// <summary>An area that does not exist yet says so plainly.</summary>
[Requires(Permission.View)]
public sealed class PlannedModel : PageModel
{
    public ProductArea Area { get; private set; } = null!;
    public void OnGet(string area) => Area = ProductArea.Find(area)!;
}
