using System.Reflection;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mamori.Platform.Tenancy;

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
/// Members of the organisation named by the route's {org} who hold the permission (through one of their roles, see
/// <see cref="Permissions.ByRole"/>). On a page model class it is the default of every handler; on a handler method
/// (OnPostSeal…) it replaces the default for that handler. Membership is resolved by TenantMiddleware; non-members get
/// 404 before this runs. Pages are checked by <see cref="PermissionFilter"/> once the handler is known; other endpoints
/// by <see cref="PermissionHandler"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresAttribute(Permission permission) : Attribute, IAccessDecision, IAuthorizeData, IAuthorizationRequirementData
{
    public Permission Permission { get; } = permission;
    // IAuthorizeData (a signed-in user, no named policy) keeps the refusing fallback policy off declared endpoints.
    public string? Policy { get; set; }
    public string? Roles { get; set; }
    public string? AuthenticationSchemes { get; set; }
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [new PermissionRequirement(Permission)];
    public string Describe() => "org:" + Permission;

    /// <summary>The permission a page handler needs: its own [Requires], else its page's; null when neither declares one.</summary>
    public static Permission? Of(Type page, MethodInfo? handler) =>
        (handler?.GetCustomAttribute<RequiresAttribute>() ?? page.GetCustomAttribute<RequiresAttribute>())?.Permission;

    /// <summary>The one decision: a member of the request's organisation whose roles grant the permission
    /// (<see cref="Permission.CatalogAdminister"/>: a member who is a system administrator).</summary>
    public static async Task<bool> AllowsAsync(HttpContext http, Permission permission)
    {
        var tenant = http.RequestServices.GetRequiredService<TenantContext>();
        if (!tenant.IsMember) return false;
        if (permission != Permission.CatalogAdminister) return tenant.Can(permission);
        var users = http.RequestServices.GetRequiredService<UserManager<User>>();
        return (await users.GetUserAsync(http.User))?.IsSystemAdmin == true;
    }
}

public sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

/// <summary>[Requires] on minimal API endpoints; on pages only membership here, the handler's permission in <see cref="PermissionFilter"/>.</summary>
public sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (context.Resource is not HttpContext http) return;
        var isPage = http.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is not null;
        if (isPage ? http.RequestServices.GetRequiredService<TenantContext>().IsMember : await RequiresAttribute.AllowsAsync(http, requirement.Permission))
            context.Succeed(requirement);
    }
}

/// <summary>
/// Checks the selected page handler's permission (its own [Requires] or its page's) before it runs: 403 when the member's
/// roles do not grant it. A page of an organisation with no permission at all is refused (fail closed).
/// </summary>
public sealed class PermissionFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var page = context.ActionDescriptor.HandlerTypeInfo.AsType();
        var permission = RequiresAttribute.Of(page, context.HandlerMethod?.MethodInfo);
        var open = permission is null && page.GetCustomAttributes().OfType<IAccessDecision>().Any(d => d is PublicAttribute or SignedInAttribute);
        if (!open && (permission is not { } p || !await RequiresAttribute.AllowsAsync(context.HttpContext, p)))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }
        await next();
    }
}

