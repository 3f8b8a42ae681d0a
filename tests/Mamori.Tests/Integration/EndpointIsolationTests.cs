using System.Net;
using System.Text.RegularExpressions;
using Mamori.Data;
using Mamori.Organizations;
using Mamori.Tenancy;
using Mamori.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>
/// Enumerates every endpoint from the route table and tries it as a member of another organisation and as an
/// anonymous user. Fails for any leak, and for any endpoint that does not state its access decision.
/// </summary>
public sealed partial class EndpointIsolationTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    Organization victim = null!;
    Dictionary<OrganizationRole, MamoriApp.TestUser> victimUsers = null!;
    MamoriApp.TestUser attacker = null!;

    public async Task InitializeAsync()
    {
        (victim, victimUsers) = await app.CreateOrganizationAsync("victim", withTotp: true, OrganizationRole.Administrator);
        attacker = (await app.CreateOrganizationAsync("attacker", withTotp: true)).Users[OrganizationRole.Administrator];
        // Both may administer the shared catalogue: even so, neither reaches the other's organisation routes.
        await app.MakeSystemAdminAsync(victimUsers[OrganizationRole.Administrator]);
        await app.MakeSystemAdminAsync(attacker);
        (victimAsset, victimConnection, victimChecklist) = await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var asset = db.Assets.Add(new Mamori.Assets.Asset { OrganizationId = victim.Id, ControlNumber = "VPN-1", Name = victim.Name + " VPN", UpdatedBy = "test" }).Entity;
            var connection = db.Connections.Add(new Mamori.Assets.Connection { OrganizationId = victim.Id, VendorName = victim.Name + " 保守", ApplianceAssetId = asset.Id }).Entity;
            var checklist = db.ChecklistAssessments.Add(new Mamori.Checklists.ChecklistAssessment
                { OrganizationId = victim.Id, EditionFileId = "checklist-r7", EditionRevision = 1, SheetNodeId = "site", FiscalYear = 2025, CreatedBy = "test" }).Entity;
            await db.SaveChangesAsync();
            return (asset.Id, connection.Id, checklist.Id);
        });
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    sealed record Probe(string Method, string Url, string Pattern, IAccessDecision Decision);

    List<RouteEndpoint> AllEndpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    [Fact]
    public void Every_endpoint_states_exactly_one_access_decision_and_org_routes_are_org_scoped()
    {
        var endpoints = AllEndpoints();
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} endpoints found");
        var problems = new List<string>();
        foreach (var e in endpoints)
        {
            var decisions = e.Metadata.OfType<IAccessDecision>().Distinct().ToList();
            var hasOrg = e.RoutePattern.Parameters.Any(p => p.Name == TenantMiddleware.RouteKey);
            if (decisions.Count != 1) problems.Add($"{e.RoutePattern.RawText}: {decisions.Count} access decisions (add [Public], [SignedIn] or [OrgAccess])");
            else if (hasOrg != decisions[0] is OrgAccessAttribute) problems.Add($"{e.RoutePattern.RawText}: {{org}} in the route must go with [OrgAccess] and only there");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public async Task No_endpoint_leaks_another_organisations_data_to_a_member_of_another_organisation_or_to_anonymous()
    {
        var probes = Probes();
        Assert.Contains(probes, p => p.Url == "/o/victim/settings" && p.Method == "POST");
        var member = await app.SignedInClientAsync(victimUsers[OrganizationRole.Administrator]);
        var outsider = await app.SignedInClientAsync(attacker);
        var anonymous = app.Client();
        var outsiderToken = await TokenAsync(outsider, "/o/attacker");
        var leaks = new List<string>();

        foreach (var p in probes)
        {
            // The victim's own member reaches every organisation GET: the probe URLs are real, so the test is not vacuous.
            if (p.Decision is OrgAccessAttribute && p.Method == "GET")
            {
                var own = await member.GetAsync(p.Url);
                if (own.StatusCode != HttpStatusCode.OK) leaks.Add($"member could not open {p.Url}: {(int)own.StatusCode}");
            }
            if (p.Decision is PublicAttribute) continue;

            if (p.Url != "/account/logout") // signing the outsider out would turn the rest into anonymous probes
            {
                var asOutsider = await Send(outsider, p, outsiderToken);
                var body = await asOutsider.Content.ReadAsStringAsync();
                if (p.Decision is OrgAccessAttribute && asOutsider.StatusCode != HttpStatusCode.NotFound)
                    leaks.Add($"outsider {p.Method} {p.Url}: {(int)asOutsider.StatusCode}");
                if (body.Contains(victim.Name) || body.Contains(victimUsers[OrganizationRole.Administrator].Email))
                    leaks.Add($"outsider {p.Method} {p.Url}: response names the victim organisation");
            }

            var asAnonymous = await Send(anonymous, p, null);
            var status = (int)asAnonymous.StatusCode;
            var toLogin = asAnonymous.StatusCode == HttpStatusCode.Redirect && asAnonymous.Headers.Location!.OriginalString.Contains("/account/login");
            var refused = p.Url.StartsWith("/api/") ? status == 401 : toLogin || status == 400; // 400: POST without a CSRF token
            if (!refused) leaks.Add($"anonymous {p.Method} {p.Url}: {status}");
            if ((await asAnonymous.Content.ReadAsStringAsync()).Contains(victim.Name)) leaks.Add($"anonymous {p.Method} {p.Url}: names the victim");
        }
        Assert.Empty(leaks);
    }

    [Fact]
    public async Task A_foreign_id_posted_to_ones_own_organisation_is_not_found_and_changes_nothing()
    {
        var victimMembership = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Memberships
            .IgnoreQueryFilters([MamoriDb.TenantFilter]).FirstAsync(m => m.OrganizationId == victim.Id));
        var outsider = await app.SignedInClientAsync(attacker);
        var response = await outsider.PostFormAsync("/o/attacker/settings?handler=Remove", new() { ["userId"] = victimMembership.UserId.ToString() }, "/o/attacker/settings");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Memberships
            .IgnoreQueryFilters([MamoriDb.TenantFilter]).AnyAsync(m => m.Id == victimMembership.Id)));
    }

    [Fact]
    public async Task A_viewer_cannot_open_administrator_pages_of_their_own_organisation()
    {
        var (_, users) = await app.CreateOrganizationAsync("roles", withTotp: true, OrganizationRole.Administrator, OrganizationRole.Viewer);
        var viewer = await app.SignedInClientAsync(users[OrganizationRole.Viewer]);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/o/roles")).StatusCode);
        foreach (var url in new[] { "/o/roles/settings", "/o/roles/audit", "/api/v1/o/roles/audit" })
        {
            var r = await viewer.GetAsync(url);
            Assert.True(r.StatusCode is HttpStatusCode.Forbidden || r.Headers.Location?.OriginalString.Contains("/error/403") == true, $"{url}: {(int)r.StatusCode}");
        }
    }

    List<Probe> Probes()
    {
        var probes = new List<Probe>();
        foreach (var e in AllEndpoints())
        {
            var decision = e.Metadata.OfType<IAccessDecision>().First();
            var raw = e.RoutePattern.RawText ?? "";
            var url = "/" + string.Join("/", e.RoutePattern.PathSegments.Select(s => Segment(s, raw))).TrimStart('/');
            var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]; // Razor pages: GET and POST handlers
            foreach (var m in methods.Distinct()) probes.Add(new Probe(m, url, e.RoutePattern.RawText ?? "", decision));
        }
        return probes;
    }

    /// <summary>Real records of the victim, so that id routes are probed with ids that exist.</summary>
    Guid victimAsset, victimConnection, victimChecklist;

    string Segment(RoutePatternPathSegment s, string route) => string.Concat(s.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart l => l.Content,
        RoutePatternSeparatorPart sep => sep.Content,
        RoutePatternParameterPart p when p.Name == TenantMiddleware.RouteKey => "victim",
        RoutePatternParameterPart p when p.Name == "area" => "vendors",
        RoutePatternParameterPart p when p.Name == "file" => "checklist-r7",
        RoutePatternParameterPart p when p.Name == "node" => "site.2.7",
        RoutePatternParameterPart p when p.ParameterPolicies.Any(pp => pp.Content == "int") => "404",
        RoutePatternParameterPart p when p.ParameterPolicies.Any(pp => pp.Content == "guid") =>
            (route.Contains("connections") ? victimConnection : route.Contains("checklists") ? victimChecklist : victimAsset).ToString(),
        RoutePatternParameterPart => "probe",
        _ => "",
    }));

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"|<meta name=\"csrf-token\" content=\"([^\"]+)\"")] private static partial Regex Csrf();

    static async Task<string> TokenAsync(HttpClient client, string page)
    {
        var m = Csrf().Match(await client.GetStringAsync(page));
        return WebUtility.HtmlDecode(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
    }

    static Task<HttpResponseMessage> Send(HttpClient client, Probe p, string? token)
    {
        if (p.Method == "GET") return client.GetAsync(p.Url);
        var request = new HttpRequestMessage(new HttpMethod(p.Method), p.Url)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token ?? "", ["name"] = "x" }),
        };
        if (token is not null) request.Headers.Add("RequestVerificationToken", token);
        return client.SendAsync(request);
    }
}
