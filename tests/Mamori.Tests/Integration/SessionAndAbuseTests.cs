using System.Net;
using System.Net.Http.Headers;
using Mamori.Features.Audit;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>
/// Issue 13 points 4–6 and the 500s of point 10, against one server that sits behind a (trusted) reverse proxy at
/// 10.9.9.9: each test's clients come "from" their own addresses through X-Forwarded-For, as behind a real proxy.
/// </summary>
public sealed class SessionAndAbuseTests : IAsyncLifetime
{
    const string Proxy = "10.9.9.9";
    const int PostsPerMinute = 12;
    readonly MamoriApp app = new MamoriApp()
        .With("MAMORI_TRUSTED_PROXIES", Proxy)
        .With("MAMORI_AUTH_RATE_PER_MINUTE", PostsPerMinute.ToString())
        .WithServices(s => s.AddSingleton<IStartupFilter>(new ConnectionFrom(Proxy)));
    Organization org = null!;
    Dictionary<OrganizationRole, MamoriApp.TestUser> users = null!;

    /// <summary>The test server's connections come from this address (the proxy, as they would behind nginx).</summary>
    sealed class ConnectionFrom(string address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => a =>
        {
            a.Use((ctx, n) => { ctx.Connection.RemoteIpAddress = IPAddress.Parse(address); return n(ctx); });
            next(a);
        };
    }

    public async Task InitializeAsync() =>
        (org, users) = await app.CreateOrganizationAsync("trust", true, OrganizationRole.Administrator, OrganizationRole.Viewer);

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>A browser at <paramref name="address"/> (its own cookies, which <paramref name="jar"/> may share).</summary>
    HttpClient From(string address, CookieContainer? jar = null)
    {
        var client = app.CreateDefaultClient(new CookieContainerHandler(jar ?? new CookieContainer()));
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    static async Task<HttpResponseMessage> SignInAsync(HttpClient client, MamoriApp.TestUser user, string? password = null, string returnUrl = "")
    {
        var response = await client.PostFormAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl),
            new() { ["Email"] = user.Email, ["Password"] = password ?? user.Password }, "/account/login");
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/login/2fa"))
            response = await client.PostFormAsync(response.Headers.Location.OriginalString, new() { ["Code"] = TotpCodes.Fresh(user.TotpKey!) }, "/account/login/2fa");
        return response;
    }

    async Task<HttpClient> SignedInAsync(string address, MamoriApp.TestUser user, CookieContainer? jar = null)
    {
        var client = From(address, jar);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client, user)).StatusCode);
        return client;
    }

    Task<List<AuditEntry>> AuditAsync() => app.ScopedAsync(sp =>
        sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters().AsNoTracking().OrderBy(a => a.Seq).ToListAsync());

    [Fact]
    public async Task A_4_mb_email_and_a_long_url_leave_small_audit_rows()
    {
        var huge = new string('a', 4_000_000) + "@x.example";
        var failed = await From("192.0.2.10").PostFormAsync("/account/login", new() { ["Email"] = huge, ["Password"] = "whatever-2026" });
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Contains("メールアドレスまたはパスワードが違います", await failed.Content.ReadAsStringAsync());

        // A signed-in stranger probing the organisation with a 7 KB path.
        var (_, others) = await app.CreateOrganizationAsync("stranger", true, OrganizationRole.Administrator);
        var stranger = await SignedInAsync("192.0.2.11", others[OrganizationRole.Administrator]);
        var probe = await stranger.GetAsync("/o/trust/catalog/file/" + new string('x', 7000));
        Assert.True(probe.StatusCode == HttpStatusCode.NotFound, $"{probe.StatusCode} {probe.Headers.Location}");

        var rows = await AuditAsync();
        var signIn = rows.Last(a => a.Action == AuditActions.SignInFailed);
        Assert.InRange(signIn.Details!.Length, 1, 600);
        Assert.Contains("aaaa…", signIn.Details);
        var denied = rows.Last(a => a.Action == AuditActions.AccessDenied);
        Assert.Equal(org.Id, denied.OrganizationId);
        Assert.InRange(denied.Details!.Length, 1, 700);
    }

    [Fact]
    public async Task Behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent_and_untrusted_forwarding_is_ignored()
    {
        await using var https = new MamoriApp().With("MAMORI_TRUSTED_PROXIES", Proxy).With("MAMORI_PUBLIC_URL", "https://mamori.example")
            .WithServices(s => s.AddSingleton<IStartupFilter>(new ConnectionFrom(Proxy)));
        var client = https.CreateDefaultClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.90");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", "mamori.example");
        var page = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("max-age=31536000", page.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        // A client connecting directly (not through the configured proxy) cannot choose the address the audit log records.
        await using var direct = new MamoriApp().With("MAMORI_TRUSTED_PROXIES", Proxy)
            .WithServices(s => s.AddSingleton<IStartupFilter>(new ConnectionFrom("192.0.2.91")));
        var forged = direct.Client();
        forged.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.99");
        await forged.PostFormAsync("/account/login", new() { ["Email"] = "someone@x.example", ["Password"] = "whatever-2026" });
        var rows = await direct.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters().Select(a => a.IpAddress).ToListAsync());
        Assert.DoesNotContain("198.51.100.99", rows);
        Assert.Contains("192.0.2.91", rows);
    }

    [Fact]
    public async Task Failures_stop_the_address_that_made_them_not_the_account_and_unknown_accounts_answer_the_same()
    {
        var (_, own) = await app.CreateOrganizationAsync("trust-lock", false, OrganizationRole.Viewer);
        var victim = own[OrganizationRole.Viewer];
        var attacker = From("198.51.100.1");
        for (var i = 0; i < 5; i++)
            Assert.Contains("パスワードが違います", await (await SignInAsync(attacker, victim, "wrong-password-123")).Content.ReadAsStringAsync());
        var blocked = await SignInAsync(attacker, victim);
        Assert.Equal(HttpStatusCode.OK, blocked.StatusCode); // even the right password is not tried from there now
        var blockedText = Message(await blocked.Content.ReadAsStringAsync());
        Assert.Contains("一時的に止めています", blockedText);

        // An address without an account behaves exactly the same.
        var nobody = victim with { Email = "nobody@trust-lock.example" };
        var prober = From("198.51.100.2");
        for (var i = 0; i < 5; i++)
            Assert.Contains("パスワードが違います", await (await SignInAsync(prober, nobody, "wrong-password-123")).Content.ReadAsStringAsync());
        Assert.Equal(blockedText, Message(await (await SignInAsync(prober, nobody, "wrong-password-123")).Content.ReadAsStringAsync()));

        // The owner, from their own desk, is not locked out; the audit log records the client's address, not the proxy's.
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(From("198.51.100.3"), victim)).StatusCode);
        var rows = await AuditAsync();
        Assert.Contains(rows, a => a.Action == AuditActions.SignIn && a.EntityId == victim.Id.ToString() && a.IpAddress == "198.51.100.3");
        Assert.Contains(rows, a => a.Action == AuditActions.SignInFailed && a.IpAddress == "198.51.100.1");
        Assert.DoesNotContain(rows, a => a.IpAddress == Proxy);
        Assert.DoesNotContain(rows, a => a.Action == AuditActions.LockedOut);
    }

    static string Message(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "id=\"login-error\" role=\"alert\">([^<]*)<").Groups[1].Value;

    [Fact]
    public async Task Too_many_posts_from_one_address_get_the_japanese_429_page_and_other_addresses_do_not()
    {
        var client = From("203.0.113.7");
        var nobody = new MamoriApp.TestUser(Guid.Empty, "flood@trust.example", "x", null);
        HttpResponseMessage last = null!;
        for (var i = 0; i <= PostsPerMinute; i++) last = await SignInAsync(client, nobody, $"guess-{i}-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Contains("操作が多すぎます", await last.Content.ReadAsStringAsync());
        Assert.NotNull(last.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode); // reading is not limited
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(From("203.0.113.8"), nobody, "guess-password")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_on_the_server_even_for_a_copy_of_the_cookie()
    {
        var jar = new CookieContainer();
        var browser = await SignedInAsync("192.0.2.20", users[OrganizationRole.Viewer], jar);
        var copy = new CookieContainer();
        copy.Add(jar.GetAllCookies());
        var thief = From("192.0.2.21", copy);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/o/trust")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/account/logout", [], "/o/trust")).StatusCode);
        var after = await thief.GetAsync("/o/trust");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery());
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_and_sign_out_everywhere_ends_them_all()
    {
        var user = await app.CreateMemberAsync(org, "sessions", true, OrganizationRole.Viewer);
        var desk = await SignedInAsync("192.0.2.30", user);
        var laptop = await SignedInAsync("192.0.2.31", user);
        var page = await desk.GetStringAsync("/account/security");
        Assert.Contains("192.0.2.30", page);
        Assert.Contains("192.0.2.31", page); // both sessions listed, with where they came from

        var changed = await desk.PostFormAsync("/account/security?handler=Password",
            new() { ["CurrentPassword"] = user.Password, ["NewPassword"] = "a-fresh-passphrase-77" }, "/account/security");
        Assert.Contains("パスワードを変更しました", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.GetAsync("/o/trust")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("/o/trust")).StatusCode);

        var phone = From("192.0.2.32");
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(phone, user, "a-fresh-passphrase-77")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await desk.PostFormAsync("/account/security?handler=SignOutEverywhere", [], "/account/security")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await desk.GetAsync("/o/trust")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/o/trust")).StatusCode);
    }

    [Fact]
    public async Task A_newly_required_second_factor_and_an_administrators_sign_out_apply_at_the_next_request()
    {
        var (open, members) = await app.CreateOrganizationAsync("trust-open", false, OrganizationRole.Viewer);
        var member = await SignedInAsync("192.0.2.40", members[OrganizationRole.Viewer]);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/o/trust-open")).StatusCode);
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            (await db.Organizations.SingleAsync(o => o.Id == open.Id)).RequireTwoFactor = true;
            return await db.SaveChangesAsync();
        });
        var confined = await member.GetAsync("/o/trust-open");
        Assert.Equal(HttpStatusCode.Redirect, confined.StatusCode);
        Assert.Equal("/account/two-factor", confined.Headers.Location!.OriginalString);

        // An administrator signs a member out everywhere; removal from the organisation does the same.
        var target = users[OrganizationRole.Viewer];
        var targetBrowser = await SignedInAsync("192.0.2.41", target);
        var admin = await SignedInAsync("192.0.2.42", users[OrganizationRole.Administrator]);
        var done = await admin.PostFormAsync("/o/trust/settings?handler=SignOutMember", new() { ["userId"] = target.Id.ToString() }, "/o/trust/settings");
        Assert.Contains("すべての端末でサインアウトさせました", await done.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await targetBrowser.GetAsync("/o/trust")).StatusCode);

        var leaving = await app.CreateMemberAsync(org, "leaving", true, OrganizationRole.Viewer);
        var leavingBrowser = await SignedInAsync("192.0.2.43", leaving);
        await admin.PostFormAsync("/o/trust/settings?handler=Remove", new() { ["userId"] = leaving.Id.ToString() }, "/o/trust/settings");
        var afterRemoval = await leavingBrowser.GetAsync("/account/security");
        Assert.Equal(HttpStatusCode.Redirect, afterRemoval.StatusCode);
        Assert.StartsWith("/account/login", afterRemoval.Headers.Location!.PathAndQuery());
    }

    [Theory]
    [InlineData("/o/trust\t")]
    [InlineData("/o/trust\u3000x")]
    [InlineData("/o/trust\r\nSet-Cookie: x=1")]
    public async Task A_return_url_with_a_tab_ideographic_space_or_crlf_goes_home_instead_of_failing(string returnUrl)
    {
        var response = await SignInAsync(From($"192.0.2.{50 + returnUrl.Length % 40}"), users[OrganizationRole.Viewer], returnUrl: returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_empty_organisation_name_and_a_nul_in_an_uploaded_file_name_get_answers_not_500s()
    {
        var admin = await SignedInAsync("192.0.2.60", users[OrganizationRole.Administrator]);
        var empty = await admin.PostFormAsync("/orgs/new", new() { ["Org.Kind"] = "Clinic", ["Org.Name"] = "", ["Org.Prefecture"] = "東京都", ["Org.Code"] = "new-clinic" });
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("名称を 1〜200 文字で入力してください", await empty.Content.ReadAsStringAsync());

        var importPage = await admin.GetStringAsync("/o/trust/assets/import");
        var token = System.Text.RegularExpressions.Regex.Match(importPage, "name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        // Written by hand: HttpClient itself would refuse a NUL in a header, a hand-made request does not.
        const string boundary = "----mamori-test";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"__csrf\"\r\n\r\n{WebUtility.HtmlDecode(token)}\r\n" +
                   $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ledger\0.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
                   "管理番号,機器名\r\nPC-001,受付PC\r\n" + $"\r\n--{boundary}--\r\n";
        var form = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        form.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        var upload = await admin.PostAsync("/o/trust/assets/import?handler=Upload", form);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var stored = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().ImportUploads.IgnoreQueryFilters().Select(u => u.FileName).ToListAsync());
        Assert.Contains("ledger.csv", stored);
    }

    [Fact]
    public async Task Two_people_accepting_one_invitation_at_once_get_one_account_and_a_clear_answer()
    {
        var (token, hash) = Invitations.NewToken();
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            db.Invitations.Add(new Invitation { OrganizationId = org.Id, Email = "twice@trust.example", Role = OrganizationRole.Viewer, TokenHash = hash,
                ExpiresAt = DateTime.UtcNow.AddDays(1), CreatedByUserId = users[OrganizationRole.Administrator].Id });
            return await db.SaveChangesAsync();
        });
        var fields = new Dictionary<string, string> { ["Account.DisplayName"] = "二重 受諾", ["Account.Password"] = "concurrent-accept-2026" };
        var first = From("192.0.2.70");
        var second = From("192.0.2.71");
        // Both open the form first, then post at the same moment.
        var pages = await Task.WhenAll(first.GetStringAsync($"/invite/{token}"), second.GetStringAsync($"/invite/{token}"));
        Assert.All(pages, p => Assert.Contains("twice@trust.example", p));
        var answers = await Task.WhenAll(
            first.PostFormAsync($"/invite/{token}", fields),
            second.PostFormAsync($"/invite/{token}", fields));
        Assert.All(answers, a => Assert.True((int)a.StatusCode < 500, $"status {(int)a.StatusCode}"));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect);
        Assert.Equal(1, await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Users.CountAsync(u => u.Email == "twice@trust.example")));
    }
}

static class UriPaths
{
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
