using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Mamori.Features.Assets;
using Mamori.Features.Checklists;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Razor.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>
/// Enumerates every endpoint from the route table and every handler of every page (OnGet…/OnPost… by reflection) and
/// tries each with every role of the organisation, a member of another organisation and an anonymous user; the expected
/// outcome comes from the one role → permission map (Tenancy/Permissions.cs). Fails for any leak, any handler refused to
/// a role the map allows or allowed to a role it does not, and any endpoint or handler that does not state its decision.
/// </summary>
public sealed partial class EndpointIsolationTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    Organization victim = null!;
    Dictionary<OrganizationRole, MamoriApp.TestUser> victimUsers = null!;
    MamoriApp.TestUser attacker = null!;

    public async Task InitializeAsync()
    {
        (victim, victimUsers) = await app.CreateOrganizationAsync("victim", withTotp: true, Enum.GetValues<OrganizationRole>());
        attacker = (await app.CreateOrganizationAsync("attacker", withTotp: true)).Users[OrganizationRole.Administrator];
        // Both may administer the shared catalogue: even so, neither reaches the other's organisation routes.
        await app.MakeSystemAdminAsync(victimUsers[OrganizationRole.Administrator]);
        await app.MakeSystemAdminAsync(attacker);
        (victimAsset, victimConnection, victimChecklist) = await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var asset = db.Assets.Add(new Asset { OrganizationId = victim.Id, ControlNumber = "VPN-1", Name = victim.Name + " VPN", UpdatedBy = "test" }).Entity;
            var connection = db.Connections.Add(new Connection { OrganizationId = victim.Id, VendorName = victim.Name + " 保守", ApplianceAssetId = asset.Id }).Entity;
            var checklist = db.ChecklistAssessments.Add(new ChecklistAssessment
                { OrganizationId = victim.Id, EditionFileId = "checklist-r7", EditionRevision = 1, SheetNodeId = "site", FiscalYear = 2025, CreatedBy = "test" }).Entity;
            await db.SaveChangesAsync();
            return (asset.Id, connection.Id, checklist.Id);
        });
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>One handler of one endpoint: Handler is the page handler's name ("" for the default OnGet/OnPost).</summary>
    sealed record Probe(string Method, string Url, string Pattern, IAccessDecision Decision, string Handler, Permission? Permission)
    {
        public string Target => Handler == "" ? Url : $"{Url}?handler={Handler}";
        public override string ToString() => $"{Method} {Target}";
    }

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
            if (decisions.Count != 1) problems.Add($"{e.RoutePattern.RawText}: {decisions.Count} access decisions (add [Public], [SignedIn] or [Requires(Permission.…)])");
            else if (hasOrg != decisions[0] is RequiresAttribute) problems.Add($"{e.RoutePattern.RawText}: {{org}} in the route must go with [Requires] and only there");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_page_handler_states_its_permission()
    {
        var problems = new List<string>();
        var handlers = 0;
        foreach (var (page, _, methods) in PageModels())
        {
            var decision = page.GetCustomAttributes(true).OfType<IAccessDecision>().ToList();
            foreach (var m in methods)
            {
                handlers++;
                var own = m.GetCustomAttributes(true).OfType<IAccessDecision>().ToList();
                if (own.Any(d => d is not RequiresAttribute)) problems.Add($"{page.Name}.{m.Name}: only [Requires] can be put on a handler");
                if (decision.Count == 0 && own.Count == 0) problems.Add($"{page.Name}.{m.Name}: no decision (add [Requires(Permission.…)] to the handler or the page)");
                if (own.Count > 0 && decision.Any(d => d is not RequiresAttribute))
                    problems.Add($"{page.Name}.{m.Name}: [Requires] on a handler of a [Public]/[SignedIn] page");
                // A POST changes something: on an organisation page it needs more than reading (a forgotten handler-level
                // [Requires] would otherwise fall back to the page's View).
                if (m.Name.StartsWith("OnPost") && RequiresAttribute.Of(page, m) == Permission.View)
                    problems.Add($"{page.Name}.{m.Name}: a POST handler allowed with View only (declare what it changes)");
            }
        }
        Assert.True(handlers >= 80, $"only {handlers} page handlers found");
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_permission_but_catalogue_administration_is_granted_to_some_role_and_view_to_every_role()
    {
        foreach (var p in Enum.GetValues<Permission>())
            Assert.Equal(p != Permission.CatalogAdminister, Enum.GetValues<OrganizationRole>().Any(r => Permissions.Grants([r], p)));
        Assert.All(Enum.GetValues<OrganizationRole>(), r => Assert.True(Permissions.Grants([r], Permission.View)));
    }

    /// <summary>
    /// Handlers that refuse a clinic whatever the role, because of what the record is (not who asks): answering and
    /// submitting are the vendor's side of a 事業者確認用 request; 差戻し needs a request behind the sheet.
    /// </summary>
    static readonly Dictionary<(string Page, string Handler), string> RefusedByState = new()
    {
        [("o/{org}/checklists", "Answer")] = "a vendor's action",
        [("o/{org}/vendors/sheets/{id:guid}", "Submit")] = "the vendor side of a request",
        [("o/{org}/vendors/sheets/{id:guid}", "Return")] = "a sheet without a vendor request",
    };

    [Fact]
    public async Task Every_handler_is_allowed_to_exactly_the_roles_the_permission_map_grants()
    {
        var probes = Probes().Where(p => p.Decision is RequiresAttribute).ToList();
        Assert.Contains(probes, p => p is { Handler: "Seal", Permission: Permission.ChecklistSeal });
        Assert.Contains(probes, p => p is { Handler: "Roles", Permission: Permission.MembersManage });
        Assert.Contains(probes, p => PrintsPdf(p) && p.Handler == "Pdf");
        Assert.Contains(probes, p => PrintsPdf(p) && p.Handler == "Pack");
        var director = await app.CreateMemberAsync(victim, "director", withTotp: true, OrganizationRole.Executive, OrganizationRole.Operator);
        var members = new List<(string Name, OrganizationRole[] Roles, bool SystemAdmin, HttpClient Client, string Token)>();
        foreach (var (role, user) in victimUsers)
        {
            var client = await app.SignedInClientAsync(user);
            members.Add((role.ToString(), [role], role == OrganizationRole.Administrator, client, await TokenAsync(client, "/o/victim")));
        }
        var both = await app.SignedInClientAsync(director);
        members.Add(("Executive+Operator", [OrganizationRole.Executive, OrganizationRole.Operator], false, both, await TokenAsync(both, "/o/victim")));

        var wrong = new List<string>();
        bool Allowed(Probe p, OrganizationRole[] roles, bool systemAdmin) =>
            p.Permission == Permission.CatalogAdminister ? systemAdmin : Permissions.Grants(roles, p.Permission!.Value);
        // Sealing changes what later probes see, so the seal comes last.
        // One handler at a time; the members (each with a client of their own) probe it at once.
        foreach (var p in probes.OrderBy(p => p.Handler == "Seal"))
        {
            // A handler that prints PDFs with chromium (seconds each) prints once, for the first member it is allowed to; the
            // other members ask for a sheet that does not exist. The permission is decided before the handler runs, so a
            // refused role is still refused and an allowed one gets past the check (the handler then answers 404).
            var printer = PrintsPdf(p) ? members.First(m => Allowed(p, m.Roles, m.SystemAdmin)).Name : null;
            Probe ProbeFor(string member) => printer is null || member == printer ? p
                : p with { Url = p.Url.Replace(victimChecklist.ToString(), Guid.NewGuid().ToString()) };
            foreach (var ((name, roles, systemAdmin, _, _), response) in await Task.WhenAll(members.Select(async m => (m, await Send(m.Client, ProbeFor(m.Name), m.Token, emptyForm: true)))))
            {
                var allowed = Allowed(p, roles, systemAdmin);
                var status = (int)response.StatusCode;
                var location = response.Headers.Location?.OriginalString ?? "";
                var refused = status == 403 || location.Contains("/error/403");
                if (allowed && status >= 500) wrong.Add($"{name} {p}: {status}");
                else if (allowed && (refused || status == 401 || location.Contains("/account/login"))
                         && !(status == 403 && RefusedByState.ContainsKey((p.Pattern, p.Handler))))
                    wrong.Add($"{name} {p} ({p.Permission}): refused ({status} {location}) but the map allows it");
                else if (!allowed && !refused) wrong.Add($"{name} {p} ({p.Permission}): {status} but the map refuses it");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task No_endpoint_leaks_another_organisations_data_to_a_member_of_another_organisation_or_to_anonymous()
    {
        var probes = Probes();
        Assert.Contains(probes, p => p.Url == "/o/victim/settings" && p is { Method: "POST", Handler: "Remove" });
        var member = await app.SignedInClientAsync(victimUsers[OrganizationRole.Administrator]);
        var outsider = await app.SignedInClientAsync(attacker);
        var anonymous = app.Client();
        var outsiderToken = await TokenAsync(outsider, "/o/attacker");
        var leaks = new List<string>();

        foreach (var p in probes)
        {
            // The victim's own member reaches every organisation page: the probe URLs are real, so the test is not vacuous.
            if (p.Decision is RequiresAttribute && p.Method == "GET" && p.Handler == "")
            {
                var own = await member.GetAsync(p.Url);
                if (own.StatusCode != HttpStatusCode.OK) leaks.Add($"member could not open {p.Url}: {(int)own.StatusCode}");
            }
            if (p.Decision is PublicAttribute) continue;

            // Signing the outsider out (log-out, or out everywhere) would turn the rest into anonymous probes.
            if (!p.Url.StartsWith("/account/logout") && p.Handler != "SignOutEverywhere")
            {
                var asOutsider = await Send(outsider, p, outsiderToken);
                var body = await asOutsider.Content.ReadAsStringAsync();
                if (p.Decision is RequiresAttribute && asOutsider.StatusCode != HttpStatusCode.NotFound)
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

    /// <summary>The checklist's PDF and inspection-pack downloads: each runs chromium.</summary>
    bool PrintsPdf(Probe p) => p.Method == "GET" && p.Handler is ("Pdf" or "Pack") && p.Url.Contains(victimChecklist.ToString());

    /// <summary>Every endpoint; a page endpoint once per handler (its OnGet…/OnPost… methods), with the permission it needs.</summary>
    List<Probe> Probes()
    {
        var models = PageModels().ToDictionary(m => m.Path);
        var probes = new List<Probe>();
        foreach (var e in AllEndpoints())
        {
            var decision = e.Metadata.OfType<IAccessDecision>().First();
            var raw = e.RoutePattern.RawText ?? "";
            var url = "/" + string.Join("/", e.RoutePattern.PathSegments.Select(s => Segment(s, raw))).TrimStart('/');
            if (e.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var (model, _, handlers) = models[page.RelativePath];
                foreach (var m in handlers)
                {
                    var method = m.Name.StartsWith("OnGet") ? "GET" : "POST";
                    var name = m.Name[(method == "GET" ? 5 : 6)..].Replace("Async", "");
                    probes.Add(new Probe(method, url, raw, decision, name, RequiresAttribute.Of(model, m)));
                }
                continue;
            }
            var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            foreach (var m in methods.Distinct()) probes.Add(new Probe(m, url, raw, decision, "", (decision as RequiresAttribute)?.Permission));
        }
        return probes;
    }

    /// <summary>The page models of the application (from the compiled pages) with their handler methods.</summary>
    static List<(Type Model, string Path, List<MethodInfo> Handlers)> PageModels() =>
        typeof(Program).Assembly.GetCustomAttributes<RazorCompiledItemAttribute>()
            .Where(i => i.Kind == "mvc.1.0.razor-page")
            .Select(i => (Model: i.Type.GetProperty("Model")!.PropertyType, Path: i.Identifier))
            .Select(x => (x.Model, x.Path, x.Model.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => (m.Name.StartsWith("OnGet") || m.Name.StartsWith("OnPost")) && !m.IsSpecialName).ToList()))
            .ToList();

    /// <summary>Real records of the victim, so that id routes are probed with ids that exist.</summary>
    Guid victimAsset, victimConnection, victimChecklist;

    string Segment(RoutePatternPathSegment s, string route) => string.Concat(s.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart l => l.Content,
        RoutePatternSeparatorPart sep => sep.Content,
        RoutePatternParameterPart p when p.Name == TenantMiddleware.RouteKey => "victim",
        RoutePatternParameterPart p when p.Name == "area" => "risks",
        RoutePatternParameterPart p when p.Name == "file" => "checklist-r7",
        RoutePatternParameterPart p when p.Name == "node" => "site.2.7",
        RoutePatternParameterPart p when p.ParameterPolicies.Any(pp => pp.Content == "int") => "404",
        RoutePatternParameterPart p when p.ParameterPolicies.Any(pp => pp.Content == "guid") =>
            (route.Contains("connections") ? victimConnection : route.Contains("checklists") || route.Contains("vendors/sheets") ? victimChecklist : victimAsset).ToString(),
        RoutePatternParameterPart => "probe",
        _ => "",
    }));

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"|<meta name=\"csrf-token\" content=\"([^\"]+)\"")] private static partial Regex Csrf();

    static async Task<string> TokenAsync(HttpClient client, string page)
    {
        var m = Csrf().Match(await client.GetStringAsync(page));
        return WebUtility.HtmlDecode(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
    }

    /// <summary>The probe with the antiforgery token; emptyForm: nothing else, so an allowed handler changes nothing
    /// (its own validation answers, which counts as allowed).</summary>
    static Task<HttpResponseMessage> Send(HttpClient client, Probe p, string? token, bool emptyForm = false)
    {
        if (p.Method == "GET") return client.GetAsync(p.Target);
        var form = new Dictionary<string, string> { ["__csrf"] = token ?? "" };
        if (!emptyForm) form["name"] = "x";
        var request = new HttpRequestMessage(new HttpMethod(p.Method), p.Target) { Content = new FormUrlEncodedContent(form) };
        if (token is not null) request.Headers.Add("RequestVerificationToken", token);
        return client.SendAsync(request);
    }
}
