using System.Security.Claims;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Dashboard;

/// <summary>The start page sends everyone where they belong: setup, sign-in, or their organisation's dashboard.</summary>
[Public]
public sealed class HomeModel(MamoriDb db) : PageModel
{
    public bool NeedsSetup { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            NeedsSetup = !await db.Organizations.AnyAsync();
            return NeedsSetup ? Page() : Redirect("/account/login");
        }
        var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var mine = await MyOrganizations.LoadAsync(db, userId);
        if (mine.Count == 0) return Page();
        var last = await db.Users.Where(u => u.Id == userId).Select(u => u.LastOrganizationId).FirstOrDefaultAsync();
        return Redirect("/o/" + (mine.FirstOrDefault(o => o.Id == last) ?? mine[0]).Code);
    }
}
