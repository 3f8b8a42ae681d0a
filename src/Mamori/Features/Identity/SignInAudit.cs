using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Identity;

public static class SignInAudit
{
    /// <summary>Sign-in events are filed under the user's last (or first) organisation, so its administrators see them.</summary>
    public static async Task<Guid?> OrganizationOfAsync(MamoriDb db, User? user)
    {
        if (user is null) return null;
        if (user.LastOrganizationId is { } last) return last;
        return await db.Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter]).Where(m => m.UserId == user.Id)
            .OrderBy(m => m.CreatedAt).Select(m => (Guid?)m.OrganizationId).FirstOrDefaultAsync();
    }
}
