using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Mamori.Platform.Web;

/// <summary>
/// Requests a stranger can send without signing in (sign-in, second factor, first-run setup, invitation links, password
/// reset, passkey ceremonies) are limited per client address with ASP.NET Core's rate limiter: at most
/// <c>MAMORI_AUTH_RATE_PER_MINUTE</c> (default 30) posts a minute from one address; more get the Japanese 429 page.
/// Pages are only limited when posted, so reading them never is. Per-account counting is <c>SignInThrottle</c>'s.
/// The client address is the connection's, or the forwarded one from a configured proxy (see <see cref="Proxies"/>).
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";

    public static void Add(IServiceCollection services, IConfiguration config)
    {
        var perMinute = Math.Max(1, config.GetValue("MAMORI_AUTH_RATE_PER_MINUTE", 30));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (c, _) =>
            {
                c.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(SignIn, ctx => HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "-", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
                }));
        });
    }
}
