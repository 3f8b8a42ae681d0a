using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Organizations;

/// <summary>An organisation the user belongs to, with every role they hold there (管理者 first).</summary>
public sealed record MyOrganization(Guid Id, string Code, string Name, OrganizationKind Kind, IReadOnlyList<OrganizationRole> Roles, bool IsDemo)
{
    /// <summary>The first of the roles held (管理者 before 企画管理者 … before 閲覧者).</summary>
    public OrganizationRole Role => Roles[0];
}

/// <summary>The organisations a user belongs to: the only query that reads memberships across tenants, and only the user's own.</summary>
public static class MyOrganizations
{
    public static async Task<List<MyOrganization>> LoadAsync(MamoriDb db, Guid userId, CancellationToken ct = default)
    {
        var rows = await db.Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking()
            .Where(m => m.UserId == userId)
            .OrderBy(m => m.Organization!.Name).ThenBy(m => m.OrganizationId)
            .Select(m => new { m.OrganizationId, m.Organization!.Code, m.Organization.Name, m.Organization.Kind, m.Role, m.Organization.IsDemo })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.OrganizationId)
            .Select(g => new MyOrganization(g.Key, g.First().Code, g.First().Name, g.First().Kind, g.Select(r => r.Role).Order().ToList(), g.First().IsDemo))
            .ToList();
    }
}
