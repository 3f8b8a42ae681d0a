using System.Net;
using System.Text.RegularExpressions;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Infrastructure;

/// <summary>The real Mamori server (real HTTP pipeline, real PostgreSQL database of its own).</summary>
public sealed partial class MamoriApp : WebApplicationFactory<Program>
{
    public string ConnectionString { get; }
    readonly Dictionary<string, string> settings = [];

    readonly List<Action<IServiceCollection>> services = [];

    public MamoriApp() : this(TestCluster.NewDatabase()) { }

    internal MamoriApp(string connectionString) => ConnectionString = connectionString;

    public MamoriApp With(string key, string value) { settings[key] = value; return this; }

    /// <summary>
    /// Stops the server and closes its idle pooled connections: every test has a database (and so a pool) of its own,
    /// and pools left open would exhaust the test cluster's connection slots over a whole run.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var pool in new[] { ConnectionString, HostConnectionString })
        {
            using var connection = new Npgsql.NpgsqlConnection(pool);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
    }

    /// <summary>The in-process server's connections are named apart from a real server's ("Mamori server"), so a test's own
    /// `db restore` on the same database is not refused because of the test host.</summary>
    string HostConnectionString => new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = "Mamori test host" }.ConnectionString;
    /// <summary>Replaces services for this app (e.g. the clock), after Mamori's own registrations.</summary>
    public MamoriApp WithServices(Action<IServiceCollection> configure) { services.Add(configure); return this; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("MAMORI_DB", HostConnectionString);
        builder.UseSetting("MAMORI_AUTH_RATE_PER_MINUTE", "100000"); // tests sign in often from one address; a test may set its own
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
        foreach (var configure in services) builder.ConfigureTestServices(configure);
        builder.UseEnvironment("Testing");
    }

    /// <summary>Starts real Kestrel on a free port (for the browser) and returns http://localhost:PORT.</summary>
    public string StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return address.Replace("127.0.0.1", "localhost").Replace("[::]", "localhost");
    }

    public T Scoped<T>(Func<IServiceProvider, T> use) where T : notnull
    {
        using var scope = Services.CreateScope();
        return use(scope.ServiceProvider);
    }

    public async Task<T> ScopedAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    public sealed record TestUser(Guid Id, string Email, string Password, string? TotpKey);

    public const string Password = "correct-horse-42-battery";

    /// <summary>Creates an organisation directly (as setup would) with one user per requested role.</summary>
    public async Task<(Organization Org, Dictionary<OrganizationRole, TestUser> Users)> CreateOrganizationAsync(
        string code, bool withTotp = false, params OrganizationRole[] roles)
    {
        if (roles.Length == 0) roles = [OrganizationRole.Administrator];
        return await ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var users = sp.GetRequiredService<UserManager<User>>();
            var org = new Organization { Code = code, Name = code + " 病院", Kind = OrganizationKind.Hospital, Prefecture = "東京都", RequireTwoFactor = withTotp };
            db.Organizations.Add(org);
            await db.SaveChangesAsync();
            var result = new Dictionary<OrganizationRole, TestUser>();
            foreach (var role in roles)
                result[role] = await AddMemberAsync(db, users, org, role.ToString().ToLowerInvariant(), $"{code} {role}", withTotp, [role]);
            return (org, result);
        });
    }

    /// <summary>
    /// One person holding several roles in an organisation (one membership row per role), e.g. a clinic's 院長 who is
    /// 管理者 and 経営層. The e-mail is <c>{localPart}@{org code}.example</c>.
    /// </summary>
    public Task<TestUser> CreateMemberAsync(Organization org, string localPart, bool withTotp, params OrganizationRole[] roles) =>
        ScopedAsync(sp => AddMemberAsync(sp.GetRequiredService<MamoriDb>(), sp.GetRequiredService<UserManager<User>>(), org, localPart,
            $"{org.Code} {localPart}", withTotp, roles));

    /// <summary>A user <c>{localPart}@{org code}.example</c> with the test password, an authenticator if asked, and a membership row per role.</summary>
    static async Task<TestUser> AddMemberAsync(MamoriDb db, UserManager<User> users, Organization org, string localPart, string displayName,
        bool withTotp, OrganizationRole[] roles)
    {
        var email = $"{localPart}@{org.Code}.example";
        var user = new User { UserName = email, Email = email, DisplayName = displayName, EmailConfirmed = true };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        string? key = null;
        if (withTotp)
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
        }
        foreach (var role in roles) db.Memberships.Add(new Membership { OrganizationId = org.Id, UserId = user.Id, Role = role });
        await db.SaveChangesAsync();
        return new TestUser(user.Id, email, Password, key);
    }

    /// <summary>A vendor (事業者) organisation with one user per requested role.</summary>
    public async Task<(Organization Org, Dictionary<OrganizationRole, TestUser> Users)> CreateVendorAsync(string code, params OrganizationRole[] roles)
    {
        var (org, users) = await CreateOrganizationAsync(code, true, roles);
        await ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var row = await db.Organizations.SingleAsync(o => o.Id == org.Id);
            (row.Kind, row.Name) = (OrganizationKind.Vendor, code + " 株式会社");
            return await db.SaveChangesAsync();
        });
        (org.Kind, org.Name) = (OrganizationKind.Vendor, code + " 株式会社");
        return (org, users);
    }

    /// <summary>Lets the user administer the installation (the shared catalogue), like the first-run administrator.</summary>
    public Task MakeSystemAdminAsync(TestUser user) => ScopedAsync(async sp =>
    {
        var db = sp.GetRequiredService<MamoriDb>();
        (await db.Users.SingleAsync(u => u.Id == user.Id)).IsSystemAdmin = true;
        return await db.SaveChangesAsync();
    });

    /// <summary>An HTTP client with cookies that does not follow redirects.</summary>
    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real login form (password, then TOTP if enabled).</summary>
    public async Task<HttpClient> SignedInClientAsync(TestUser user)
    {
        var client = Client();
        var response = await client.PostFormAsync("/account/login", new() { ["Email"] = user.Email, ["Password"] = user.Password });
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/login/2fa"))
            response = await client.PostFormAsync("/account/login/2fa", new() { ["Code"] = TotpCodes.Fresh(user.TotpKey!) });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }
}

public static partial class HttpClientForms
{
    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex CsrfField();
    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")] private static partial Regex CsrfMeta();

    /// <summary>GETs the form page to obtain the antiforgery token, then posts the form with it, like a browser.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetStringAsync(formPage ?? url.Split('?')[0]);
        var token = CsrfField().Match(page) is { Success: true } m ? m.Groups[1].Value : CsrfMeta().Match(page).Groups[1].Value;
        fields = new Dictionary<string, string>(fields) { ["__csrf"] = WebUtility.HtmlDecode(token) };
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }
}

/// <summary>
/// The authenticator app of the tests. Codes come from a test clock shared with the server's TOTP check
/// (<see cref="ReplayProtectedTotpProvider.Clock"/>): when a key has already used the current 30-second step,
/// the clock moves on one step instead of the test sleeping until the real clock does.
/// </summary>
public static class TotpCodes
{
    static readonly Dictionary<string, long> LastStep = [];

    /// <summary>Real time plus whole steps skipped by the tests; the server's TOTP check reads the same clock.</summary>
    public sealed class SkippingClock : TimeProvider
    {
        long skippedSteps;
        public void SkipStep() => Interlocked.Increment(ref skippedSteps);
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddSeconds(30 * Interlocked.Read(ref skippedSteps));
    }

    public static readonly SkippingClock Clock = new();

    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void UseTestClock() => ReplayProtectedTotpProvider.Clock = Clock;

    /// <summary>A code for a time step not used before by this test run (the server refuses replays).</summary>
    public static string Fresh(string key)
    {
        lock (LastStep)
        {
            var step = Totp.CurrentStep(Clock);
            if (LastStep.TryGetValue(key, out var last) && last >= step)
            {
                Clock.SkipStep();
                step = Totp.CurrentStep(Clock);
            }
            LastStep[key] = step;
            return Totp.Code(Totp.FromBase32(key), step);
        }
    }

    /// <summary>The current code for a key shown on the enrolment page.</summary>
    public static string Now(byte[] key) => Totp.Code(key, Totp.CurrentStep(Clock));
}
