using System.Security.Claims;

namespace Mamori.Platform.Audit;

/// <summary>Who is acting and from where: the signed-in user of the request, or the command line.</summary>
public sealed class AuditActor(IHttpContextAccessor http)
{
    /// <summary>Set by the command-line tool; null in the web server.</summary>
    public string? CommandLineName { get; set; }

    public (Guid? UserId, string Name, string? Ip, string? UserAgent) Current()
    {
        var ctx = http.HttpContext;
        if (ctx is null)
            return (null, CommandLineName ?? "system", null, CommandLineName is null ? null : "mamori-cli");
        var principal = ctx.User;
        Guid? id = Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var g) ? g : null;
        var name = principal.Identity?.IsAuthenticated == true ? principal.Identity.Name ?? "?" : "anonymous";
        var ua = ctx.Request.Headers.UserAgent.ToString();
        return (id, name, ctx.Connection.RemoteIpAddress?.ToString(), ua.Length > 300 ? ua[..300] : ua);
    }
}
