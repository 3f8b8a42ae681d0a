using System.Security.Claims;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Identity;

/// <summary>
/// One signed-in browser. The sign-in cookie carries the row's id (<see cref="UserSessions.ClaimType"/>); every request
/// checks the row, so sign-out, a password change, removal from an organisation or "sign out everywhere" end the session
/// at its next request, not when the cookie expires.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
}

/// <summary>
/// The server-side session store (<c>user_sessions</c>). Rows are written with plain SQL, not through the change tracker:
/// a session is bookkeeping (sign-in and sign-out are audited as events), not a record. Checked on each request by one
/// query (<see cref="ValidateAsync"/>) that also answers whether a second factor is now required.
/// </summary>
public static class UserSessions
{
    public const string ClaimType = "mamori:sid";
    /// <summary>How often "last seen" is written (a write on every request would be wasteful).</summary>
    static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);
    /// <summary>Rows of sessions unused this long are deleted when the user next signs in.</summary>
    static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);

    public static Guid? IdOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(ClaimType), out var id) ? id : null;

    public static async Task<Guid> StartAsync(MamoriDb db, Guid userId, HttpContext http, TimeProvider time)
    {
        var id = Guid.NewGuid();
        var now = time.GetUtcNow().UtcDateTime;
        var ip = InputLimits.Cap(http.Connection.RemoteIpAddress?.ToString(), 64);
        var agent = InputLimits.Cap(http.Request.Headers.UserAgent.ToString(), InputLimits.UserAgent);
        var old = now - KeptFor;
        await db.Database.ExecuteSqlInterpolatedAsync($"""DELETE FROM user_sessions WHERE "UserId" = {userId} AND "LastSeenAt" < {old}""");
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO user_sessions ("Id", "UserId", "CreatedAt", "LastSeenAt", "IpAddress", "UserAgent") VALUES ({id}, {userId}, {now}, {now}, {ip}, {agent})""");
        return id;
    }

    /// <summary>Ends one session (sign-out).</summary>
    public static Task RevokeAsync(MamoriDb db, Guid sessionId, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Set<UserSession>().Where(s => s.Id == sessionId && s.RevokedAt == null).ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now));
    }

    /// <summary>Ends every session of a user, except <paramref name="keep"/> (the one asking, after a password change); returns how many.</summary>
    public static Task<int> RevokeAllAsync(MamoriDb db, Guid userId, TimeProvider time, Guid? keep = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Set<UserSession>().Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != keep)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now));
    }

    /// <summary>The user's open sessions (not revoked, used within the idle timeout), newest first (account security page).</summary>
    public static Task<List<UserSession>> OpenAsync(MamoriDb db, Guid userId, TimeSpan idleTimeout, TimeProvider time)
    {
        var since = time.GetUtcNow().UtcDateTime - idleTimeout - LastSeenResolution;
        return db.Set<UserSession>().AsNoTracking().Where(s => s.UserId == userId && s.RevokedAt == null && s.LastSeenAt > since)
            .OrderByDescending(s => s.LastSeenAt).Take(50).ToListAsync();
    }

    /// <summary>
    /// The cookie's check on each request: the session row must exist, belong to the user and not be revoked; the
    /// "a second factor is required" claim follows the memberships at once (an administrator switching the requirement on
    /// confines open sessions at their next request). One query; "last seen" is written at most once a minute.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal?.Identity is not ClaimsIdentity identity || !identity.IsAuthenticated) return;
        var services = context.HttpContext.RequestServices;
        var userId = Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var u) ? u : Guid.Empty;
        if (IdOf(principal) is not { } sessionId)
        {
            await RejectAsync(context);
            return;
        }
        var db = services.GetRequiredService<MamoriDb>();
        var time = services.GetRequiredService<TimeProvider>();
        var memberships = db.Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter]);
        var row = await db.Set<UserSession>().AsNoTracking()
            .Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null)
            .Select(s => new
            {
                s.LastSeenAt,
                NeedsSecondFactor = memberships.Any(m => m.UserId == s.UserId
                    && ((m.Role == OrganizationRole.Administrator && !m.Organization!.IsDemo) || m.Organization!.RequireTwoFactor)),
            })
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (row is null)
        {
            await RejectAsync(context);
            return;
        }
        var hasNeedsClaim = principal.HasClaim(MamoriClaimsFactory.NeedsSecondFactor, "1");
        if (row.NeedsSecondFactor != hasNeedsClaim)
        {
            if (row.NeedsSecondFactor) identity.AddClaim(new Claim(MamoriClaimsFactory.NeedsSecondFactor, "1"));
            else foreach (var c in identity.FindAll(MamoriClaimsFactory.NeedsSecondFactor).ToList()) identity.RemoveClaim(c);
            context.ShouldRenew = true;
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (now - row.LastSeenAt > LastSeenResolution)
            await db.Set<UserSession>().Where(s => s.Id == sessionId).ExecuteUpdateAsync(x => x.SetProperty(s => s.LastSeenAt, now));
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    /// <summary>On every sign-in to the cookie: a refresh of the same user keeps its session; a new sign-in starts one.</summary>
    public static async Task SigningInAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity) return;
        var services = context.HttpContext.RequestServices;
        var userId = Guid.Parse(identity.FindFirst(ClaimTypes.NameIdentifier)!.Value);
        var current = context.HttpContext.User;
        var sessionId = IdOf(current) is { } existing && current.FindFirstValue(ClaimTypes.NameIdentifier) == userId.ToString()
            ? existing
            : await StartAsync(services.GetRequiredService<MamoriDb>(), userId, context.HttpContext, services.GetRequiredService<TimeProvider>());
        foreach (var c in identity.FindAll(ClaimType).ToList()) identity.RemoveClaim(c);
        identity.AddClaim(new Claim(ClaimType, sessionId.ToString()));
    }

    /// <summary>The security stamp check rebuilds the principal now and then; the new one keeps the session id.</summary>
    public static Task KeepSessionAsync(SecurityStampRefreshingPrincipalContext context)
    {
        if (IdOf(context.CurrentPrincipal) is { } id && context.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == ClaimType))
            identity.AddClaim(new Claim(ClaimType, id.ToString()));
        return Task.CompletedTask;
    }

    /// <summary>Sign-out ends the session on the server too, so a copy of the cookie no longer works.</summary>
    public static async Task SigningOutAsync(CookieSigningOutContext context)
    {
        if (IdOf(context.HttpContext.User) is { } id)
        {
            var services = context.HttpContext.RequestServices;
            await RevokeAsync(services.GetRequiredService<MamoriDb>(), id, services.GetRequiredService<TimeProvider>());
        }
    }
}
