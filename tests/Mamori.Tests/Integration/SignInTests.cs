using System.Net;
using Mamori.Features.Audit;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

public sealed class SignInTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    MamoriApp.TestUser admin = null!;

    public async Task InitializeAsync() => admin = (await app.CreateOrganizationAsync("signin", withTotp: true)).Users[OrganizationRole.Administrator];
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Password_then_totp_signs_in_and_the_dashboard_shows_the_organisation()
    {
        var client = await app.SignedInClientAsync(admin);
        var html = await client.GetStringAsync("/o/signin");
        Assert.Contains("signin 病院", html);
        Assert.Contains("ダッシュボード", html);
    }

    [Fact]
    public async Task A_totp_code_is_never_accepted_twice()
    {
        var client = app.Client();
        await client.PostFormAsync("/account/login", new() { ["Email"] = admin.Email, ["Password"] = admin.Password });
        var code = TotpCodes.Fresh(admin.TotpKey!);
        var first = await client.PostFormAsync("/account/login/2fa", new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        var attacker = app.Client();
        await attacker.PostFormAsync("/account/login", new() { ["Email"] = admin.Email, ["Password"] = admin.Password });
        var replay = await attacker.PostFormAsync("/account/login/2fa", new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("既に使われたコード", await replay.Content.ReadAsStringAsync());
        Assert.True(await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters()
            .AnyAsync(a => a.Action == AuditActions.SecondFactorFailed)));
    }

    [Fact]
    public async Task Five_wrong_passwords_stop_that_client_for_the_account_even_for_the_right_password_without_locking_the_account()
    {
        var user = (await app.CreateOrganizationAsync("signin-five", false, OrganizationRole.Viewer)).Users[OrganizationRole.Viewer];
        var client = app.Client();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostFormAsync("/account/login", new() { ["Email"] = user.Email, ["Password"] = "wrong-password-123" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        var right = await client.PostFormAsync("/account/login", new() { ["Email"] = user.Email, ["Password"] = user.Password });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("一時的に止めています", await right.Content.ReadAsStringAsync());
        var rows = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters()
            .Where(a => a.Action == AuditActions.SignInFailed || a.Action == AuditActions.LockedOut).Select(a => a.Details!).ToListAsync());
        Assert.Equal(5, rows.Count(d => d.Contains("wrong-password") && d.Contains(user.Email)));
        Assert.Single(rows, d => d.Contains("throttled") && d.Contains(user.Email));
        // The account itself is not locked (a stranger cannot lock someone out; see SessionAndAbuseTests for other addresses).
        Assert.Null(await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync()));
    }

    [Fact]
    public async Task A_form_posted_without_its_csrf_token_is_refused_with_a_japanese_message()
    {
        var client = app.Client();
        var response = await client.PostAsync("/account/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = admin.Email, ["Password"] = admin.Password }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("不正な送信", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("mamori=")));
    }

    [Fact]
    public async Task An_expired_token_on_the_language_switch_gets_the_japanese_400_page_not_a_crash()
    {
        var response = await app.Client().PostAsync("/lang",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["lang"] = "en", ["__csrf"] = "expired" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("不正な送信", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Security_headers_are_on_every_response()
    {
        var response = await app.Client().GetAsync("/account/login");
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }
}
