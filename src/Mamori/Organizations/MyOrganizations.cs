using Mamori.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Organizations;

public sealed record MyOrganization(Guid Id, string Code, string Name, OrganizationKind Kind, OrganizationRole Role, bool IsDemo);

/// <summary>The organisations a user belongs to: the only query that reads memberships across tenants, and only the user's own.</summary>
public static class MyOrganizations
{
    public static Task<List<MyOrganization>> LoadAsync(MamoriDb db, Guid userId, CancellationToken ct = default) =>
        db.Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking()
            .Where(m => m.UserId == userId)
            .OrderBy(m => m.Organization!.Name)
            .Select(m => new MyOrganization(m.OrganizationId, m.Organization!.Code, m.Organization.Name, m.Organization.Kind, m.Role, m.Organization.IsDemo))
            .ToListAsync(ct);
}
