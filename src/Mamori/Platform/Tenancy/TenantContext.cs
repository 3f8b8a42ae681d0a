using Mamori.Features.Organizations;

namespace Mamori.Platform.Tenancy;

/// <summary>The organisation of the current request, resolved from the route by TenantMiddleware (and only there).</summary>
public sealed class TenantContext
{
    public Organization? Organization { get; private set; }
    /// <summary>Every role the signed-in user holds in the organisation (empty for the command line).</summary>
    public IReadOnlyList<OrganizationRole> Roles { get; private set; } = [];
    public Guid? OrganizationId => Organization?.Id;
    public bool IsMember => Roles.Count > 0;

    public void Enter(Organization organization, IReadOnlyList<OrganizationRole>? roles)
    {
        if (Organization is not null && Organization.Id != organization.Id)
            throw new InvalidOperationException("A request cannot switch organisations.");
        Organization = organization;
        Roles = roles ?? [];
    }

    /// <summary>True when one of the user's roles grants the permission (the map is <see cref="Permissions.ByRole"/>).</summary>
    public bool Can(Permission permission) => Permissions.Grants(Roles, permission);
}
