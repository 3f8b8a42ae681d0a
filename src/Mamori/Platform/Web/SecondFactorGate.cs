using Mamori.Features.Identity;

namespace Mamori.Platform.Web;

/// <summary>
/// A signed-in user who must have a second factor and has none can only enrol one (or sign out):
/// everything else redirects to the enrolment page (API: 403).
/// </summary>
public sealed class SecondFactorGate(RequestDelegate next)
{
    public const string EnrolPath = "/account/two-factor";
    static readonly string[] Allowed = [EnrolPath, "/account/logout", "/account/passkeys", "/lang", "/error", "/healthz", "/css", "/js"];

    public Task InvokeAsync(HttpContext ctx)
    {
        var user = ctx.User;
        if (user.Identity?.IsAuthenticated == true
            && user.HasClaim(MamoriClaimsFactory.NeedsSecondFactor, "1")
            && !user.HasClaim(MamoriClaimsFactory.HasSecondFactor, "1")
            && !Allowed.Any(p => ctx.Request.Path.StartsWithSegments(p)))
        {
            if (ctx.Request.Path.StartsWithSegments("/api"))
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            else
                ctx.Response.Redirect(EnrolPath);
            return Task.CompletedTask;
        }
        return next(ctx);
    }
}
