using System.Security.Claims;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Organizations;

/// <summary>The organisation switcher: remembers the choice and opens that organisation's dashboard.</summary>
[SignedIn]
public sealed class SwitchModel(MamoriDb db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? code)
    {
        var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var target = (await MyOrganizations.LoadAsync(db, userId)).FirstOrDefault(o => o.Code == code?.ToLowerInvariant());
        if (target is null) return NotFound();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, target.Id));
        return Redirect("/o/" + target.Code);
    }
}
