using System.Globalization;
using Mamori.Features.Audit;
using Mamori.Features.Dashboard;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Platform.Web;

/// <summary>Non-page endpoints: health, language switch, passkey ceremonies and the JSON API (/api/v1).</summary>
public static class Endpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", async (MamoriDb db, CancellationToken ct) =>
            {
                // A pooled round trip (CanConnectAsync would open an unpooled connection on every call).
                try
                {
                    await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
                    return Results.Json(new { status = "ok" });
                }
                catch (Npgsql.NpgsqlException)
                {
                    return Results.Json(new { status = "database unreachable" }, statusCode: 503);
                }
            })
            .WithMetadata(new PublicAttribute()).ExcludeFromDescription();

        app.MapPost("/lang", async (HttpContext ctx, IAntiforgery antiforgery, UserManager<User> users) =>
            {
                if (!await antiforgery.IsRequestValidAsync(ctx)) return Results.StatusCode(StatusCodes.Status400BadRequest); // → the Japanese 400 page
                var form = await ctx.Request.ReadFormAsync();
                Language.Set(ctx.Response, form["lang"].ToString());
                // Remembered on the account too, so e-mail to this person is written in the language they chose.
                if (await users.GetUserAsync(ctx.User) is { } user && user.Language != Language.Code(form["lang"].ToString()))
                {
                    user.Language = Language.Code(form["lang"].ToString());
                    await users.UpdateAsync(user);
                }
                return Results.LocalRedirect(Features.Identity.LoginModel.SafeReturn(form["returnUrl"].ToString()));
            })
            .WithMetadata(new PublicAttribute()).ExcludeFromDescription();

        MapPasskeys(app.MapGroup("/account/passkeys").ExcludeFromDescription().AddEndpointFilter(ValidateAntiforgery).RequireRateLimiting(RateLimits.SignIn));
        MapApi(app.MapGroup("/api/v1"));
    }

    static async ValueTask<object?> ValidateAntiforgery(EndpointFilterInvocationContext c, EndpointFilterDelegate next)
    {
        var antiforgery = c.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(c.HttpContext))
            return Results.Json(new { error = "CSRF トークンが無効です。ページを再読み込みしてください。" }, statusCode: 400);
        return await next(c);
    }

    static void MapPasskeys(RouteGroupBuilder pk)
    {
        pk.MapPost("/creation-options", async (HttpContext ctx, UserManager<User> users, SignInManager<User> signIn) =>
        {
            var user = await users.GetUserAsync(ctx.User);
            if (user is null) return Results.Unauthorized();
            var json = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
                { Id = user.Id.ToString(), Name = user.Email!, DisplayName = user.DisplayName });
            return Results.Content(json, "application/json");
        }).WithMetadata(new SignedInAttribute());

        pk.MapPost("/register", async (HttpContext ctx, UserManager<User> users, SignInManager<User> signIn, MamoriDb db, TimeProvider clock) =>
        {
            var user = await users.GetUserAsync(ctx.User);
            if (user is null) return Results.Unauthorized();
            var attestation = await signIn.PerformPasskeyAttestationAsync(await new StreamReader(ctx.Request.Body).ReadToEndAsync());
            if (!attestation.Succeeded)
                return Results.Json(new { error = "パスキーを登録できませんでした: " + attestation.Failure?.Message }, statusCode: 400);
            attestation.Passkey.Name = "パスキー " + clock.Today().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var added = await users.AddOrUpdatePasskeyAsync(user, attestation.Passkey);
            if (!added.Succeeded) return Results.Json(new { error = string.Join(" ", added.Errors.Select(e => e.Description)) }, statusCode: 400);
            await db.RecordAsync(AuditActions.PasskeyAdded, "User", user.Id.ToString());
            await signIn.RefreshSignInAsync(user);
            return Results.Ok(new { ok = true });
        }).WithMetadata(new SignedInAttribute());

        pk.MapPost("/request-options", async (SignInManager<User> signIn) =>
            Results.Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json"))
            .WithMetadata(new PublicAttribute());

        pk.MapPost("/login", async (HttpContext ctx, SignInManager<User> signIn, UserManager<User> users, MamoriDb db) =>
        {
            var result = await signIn.PasskeySignInAsync(await new StreamReader(ctx.Request.Body).ReadToEndAsync());
            if (!result.Succeeded)
            {
                await db.RecordAsync(AuditActions.SignInFailed, details: new { method = "passkey", lockedOut = result.IsLockedOut });
                return Results.Json(new { error = result.IsLockedOut
                    ? "アカウントがロックされています。しばらくしてから再度お試しください。"
                    : "パスキーでサインインできませんでした。" }, statusCode: 401);
            }
            return Results.Ok(new { redirect = "/" });
        }).WithMetadata(new PublicAttribute());
    }

    static void MapApi(RouteGroupBuilder api)
    {
        api.MapGet("/me", async (HttpContext ctx, UserManager<User> users, MamoriDb db) =>
        {
            var user = await users.GetUserAsync(ctx.User);
            if (user is null) return Results.Unauthorized();
            var orgs = await MyOrganizations.LoadAsync(db, user.Id);
            return Results.Ok(new MeResponse(user.Id, user.Email!, user.DisplayName,
                orgs.Select(o => new MyOrganizationResponse(o.Code, o.Name, o.Kind.ToString(), o.Role.ToString())).ToList()));
        }).WithMetadata(new SignedInAttribute()).WithSummary("The signed-in user and their organisations");

        api.MapGet("/o/{org}", async (TenantContext tenant, MamoriDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var o = tenant.Organization!;
            var summary = await DashboardSummary.LoadAsync(db, clock, ct);
            return Results.Ok(new OrganizationResponse(o.Code, o.Name, o.Kind.ToString(), o.Prefecture, o.MedicalInstitutionCode,
                o.RequireTwoFactor, summary.Members, summary.OpenInvitations));
        }).WithMetadata(new RequiresAttribute(Permission.View)).WithSummary("The organisation and its counts");

        api.MapGet("/o/{org}/audit", async (MamoriDb db, DateOnly? from, DateOnly? to, string? action, int? limit, CancellationToken ct) =>
        {
            var rows = await new AuditFilter(from, to, action).Apply(db).Take(Math.Clamp(limit ?? 100, 1, 1000)).ToListAsync(ct);
            return Results.Ok(rows.Select(a => new AuditEntryResponse(a.Seq, a.OccurredAt, a.ActorName, a.Action, a.EntityType, a.EntityId,
                a.Details, a.IpAddress, a.Hash)));
        }).WithMetadata(new RequiresAttribute(Permission.AuditRead)).WithSummary("The organisation's audit log, newest first");
    }

    public sealed record MeResponse(Guid Id, string Email, string DisplayName, List<MyOrganizationResponse> Organizations);
    public sealed record MyOrganizationResponse(string Code, string Name, string Kind, string Role);
    public sealed record OrganizationResponse(string Code, string Name, string Kind, string Prefecture, string? MedicalInstitutionCode,
        bool RequireTwoFactor, int Members, int OpenInvitations);
    public sealed record AuditEntryResponse(long Seq, DateTime OccurredAt, string Actor, string Action, string? EntityType,
        string? EntityId, string? Details, string? IpAddress, string Hash);
}
