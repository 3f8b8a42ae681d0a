using Mamori.Organizations;

namespace Mamori.Tenancy;

/// <summary>The organisation of the current request, resolved from the route by TenantMiddleware (and only there).</summary>
public sealed class TenantContext
{
    public Organization? Organization { get; private set; }
    public OrganizationRole? Role { get; private set; }
    public Guid? OrganizationId => Organization?.Id;

    public void Enter(Organization organization, OrganizationRole? role)
    {
        if (Organization is not null && Organization.Id != organization.Id)
            throw new InvalidOperationException("A request cannot switch organisations.");
        Organization = organization;
        Role = role;
    }

    public bool Has(params OrganizationRole[] roles) => Role is { } r && roles.Contains(r);
}
