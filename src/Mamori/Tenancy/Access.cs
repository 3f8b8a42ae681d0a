using Mamori.Organizations;
using Microsoft.AspNetCore.Authorization;

namespace Mamori.Tenancy;

/// <summary>
/// Every endpoint states who may reach it with exactly one of these attributes. The isolation test
/// (EndpointIsolationTests) fails for any endpoint without a decision, and the fallback policy denies it at run time.
/// </summary>
public interface IAccessDecision
{
    string Describe();
}

/// <summary>Reachable without signing in (sign-in page, setup, health check).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class PublicAttribute : AllowAnonymousAttribute, IAccessDecision
{
    public string Describe() => "public";
}

/// <summary>Any signed-in user, about their own account only (no organisation data).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SignedInAttribute : AuthorizeAttribute, IAccessDecision
{
    public string Describe() => "signed-in";
}

/// <summary>
/// Members of the organisation named by the route's {org}, optionally only some roles.
/// Membership is resolved by TenantMiddleware; non-members get 404 before this requirement runs.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class OrgAccessAttribute(params OrganizationRole[] roles) : AuthorizeAttribute, IAccessDecision, IAuthorizationRequirementData
{
    public OrganizationRole[] AllowedRoles { get; } = roles;
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [new OrgRoleRequirement(AllowedRoles)];
    public string Describe() => AllowedRoles.Length == 0 ? "org:any-member" : "org:" + string.Join("|", AllowedRoles);
}

public sealed record OrgRoleRequirement(OrganizationRole[] Roles) : IAuthorizationRequirement;

public sealed class OrgRoleHandler(TenantContext tenant) : AuthorizationHandler<OrgRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OrgRoleRequirement requirement)
    {
        if (tenant.IsMember && (requirement.Roles.Length == 0 || tenant.Has(requirement.Roles)))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

public static class Roles
{
    public static readonly OrganizationRole[] Admin = [OrganizationRole.Administrator];
    /// <summary>Roles that may change records (経営層 and 閲覧者 read only).</summary>
    public static readonly OrganizationRole[] Editors = [OrganizationRole.Administrator, OrganizationRole.Manager, OrganizationRole.Operator];
}
