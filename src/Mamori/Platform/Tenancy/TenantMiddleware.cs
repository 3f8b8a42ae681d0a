using System.Security.Claims;
using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Platform.Tenancy;

/// <summary>
/// The one place where the organisation of a request is decided: from the route value {org} and the
/// signed-in user's membership. Non-members get 404 (the organisation's existence is not revealed).
/// </summary>
public sealed class TenantMiddleware(RequestDelegate next)
{
    public const string RouteKey = "org";

    public async Task InvokeAsync(HttpContext ctx, TenantContext tenant, MamoriDb db)
    {
        if (ctx.GetRouteValue(RouteKey) is string code && ctx.User.Identity?.IsAuthenticated == true
            && Guid.TryParse(ctx.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            code = code.ToLowerInvariant();
            var memberships = db.Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter]);
            var found = await db.Organizations.AsNoTracking()
                .Where(o => o.Code == code)
                .Select(o => new
                {
                    Organization = o,
                    Roles = memberships.Where(m => m.OrganizationId == o.Id && m.UserId == userId).Select(m => m.Role).ToList(),
                })
                .SingleOrDefaultAsync(ctx.RequestAborted);
            if (found is null || found.Roles.Count == 0)
            {
                if (found is not null)
                    await db.RecordAsync(AuditActions.AccessDenied, "Organization", found.Organization.Id.ToString(),
                        new { path = Web.InputLimits.Cap(ctx.Request.Path.Value, Web.InputLimits.Path) }, found.Organization.Id, ctx.RequestAborted);
                ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            tenant.Enter(found.Organization, found.Roles.Order().ToList());
        }
        await next(ctx);
    }
}
