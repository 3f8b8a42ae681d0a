using System.Net;
using System.Text.RegularExpressions;
using Mamori.Features.Assets;
using Mamori.Features.Audit;
using Mamori.Features.Checklists;
using Mamori.Features.Organizations;
using Mamori.Features.Vendors;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>
/// People and the home page: a member holding several roles (a one-person clinic's 院長 signs and reviews), roles
/// edited in settings with an administrator always kept, a home page that says what to do next (site and vendor),
/// the organisation switcher only with more than one organisation, and an audit log people can read.
/// </summary>
public sealed partial class PeopleAndHomeTests : IAsyncLifetime
{
    readonly MamoriApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await app.DisposeAsync();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")] private static partial Regex CsrfMeta();

    /// <summary>Posts a form with repeated fields (checkboxes), with the page's antiforgery token, like a browser.</summary>
    static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string formPage, params (string Name, string Value)[] fields)
    {
        var token = WebUtility.HtmlDecode(CsrfMeta().Match(await client.GetStringAsync(formPage)).Groups[1].Value);
        return await client.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))
            .Append(KeyValuePair.Create("__csrf", token))));
    }

    static Task<HttpResponseMessage> SetRolesAsync(HttpClient client, string org, Guid userId, params OrganizationRole[] roles) =>
        PostAsync(client, $"/o/{org}/settings?handler=Roles", $"/o/{org}/settings",
            roles.Select(r => ("roles", r.ToString())).Prepend(("userId", userId.ToString())).ToArray());

    async Task<List<OrganizationRole>> RolesOfAsync(Guid orgId, Guid userId) => (await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Memberships
        .IgnoreQueryFilters([MamoriDb.TenantFilter]).Where(m => m.OrganizationId == orgId && m.UserId == userId)
        .Select(m => m.Role).ToListAsync())).Order().ToList(); // stored as text: ordered here, 管理者 first

    Task SetKindAsync(Organization org, OrganizationKind kind) => app.ScopedAsync(async sp =>
    {
        var db = sp.GetRequiredService<MamoriDb>();
        (await db.Organizations.SingleAsync(o => o.Id == org.Id)).Kind = kind;
        return await db.SaveChangesAsync();
    });

    static async Task<string> StartSheetAsync(HttpClient client, string org)
    {
        var started = await client.PostFormAsync($"/o/{org}/checklists?handler=Start", new() { ["file"] = "checklist-r8", ["sheet"] = "site-and-pharmacy" }, $"/o/{org}/checklists");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        return started.Headers.Location!.OriginalString;
    }

    static DateOnly TodayJst => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));

    /// <summary>
    /// Answers items of the sheet as the answer form would store them (every column はい, 確認日 today), except the
    /// <paramref name="skip"/> first items; <paramref name="no"/> is answered いいえ with the given 目標日. Returns the items in order.
    /// </summary>
    Task<List<ItemSpec>> AnswerAsync(string sheetUrl, int skip = 0, (string NodeId, DateOnly Target)? no = null) => app.ScopedAsync(async sp =>
    {
        var db = sp.GetRequiredService<MamoriDb>();
        var id = Guid.Parse(sheetUrl.Split('/').Last());
        var assessment = await db.ChecklistAssessments.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking().SingleAsync(a => a.Id == id);
        var sheet = (await ChecklistSheets.LoadAsync(db, assessment))!;
        var items = sheet.Items.Select(ItemSpec.From).ToList();
        foreach (var item in items.Skip(skip))
        {
            var isNo = no is { } n && n.NodeId == item.NodeId;
            var answer = new ChecklistAnswer { OrganizationId = assessment.OrganizationId, AssessmentId = id, NodeId = item.NodeId, CheckedOn1 = TodayJst, UpdatedAt = DateTime.UtcNow, UpdatedBy = "test" };
            foreach (var column in item.Columns)
            {
                var value = isNo ? "no" : "yes";
                _ = column switch
                {
                    "server" => answer.Server = value, "terminal" => answer.Terminal = value, "network" => answer.Network = value, _ => answer.General = value,
                };
            }
            if (isNo) answer.TargetDate = no!.Value.Target;
            db.ChecklistAnswers.Add(answer);
        }
        await db.SaveChangesAsync();
        return items;
    });

    [Fact]
    public async Task A_one_person_clinic_signs_and_records_the_management_review_as_the_same_person()
    {
        var (clinic, users) = await app.CreateOrganizationAsync("solo", true, OrganizationRole.Administrator);
        await SetKindAsync(clinic, OrganizationKind.Clinic);
        var director = users[OrganizationRole.Administrator];
        var client = await app.SignedInClientAsync(director);

        // The 院長 (the only member) ticks 経営層 for himself in settings.
        Assert.Equal(HttpStatusCode.OK, (await SetRolesAsync(client, "solo", director.Id, OrganizationRole.Administrator, OrganizationRole.Executive)).StatusCode);
        Assert.Equal([OrganizationRole.Administrator, OrganizationRole.Executive], await RolesOfAsync(clinic.Id, director.Id));

        var sheetUrl = await StartSheetAsync(client, "solo");
        await AnswerAsync(sheetUrl);
        var sealedPage = await (await client.PostFormAsync($"{sheetUrl}?handler=Seal", [], sheetUrl)).Content.ReadAsStringAsync();
        Assert.Contains("1回目の確認に署名しました", sealedPage);
        Assert.Contains("review-form-1", sealedPage); // the same person may now record the 経営層 review

        var today = TodayJst.ToString("yyyy-MM-dd");
        var reviewed = await client.PostFormAsync($"{sheetUrl}?handler=Review", new() { ["round"] = "1", ["reviewedOn"] = today, ["comment"] = "院長として確認" }, sheetUrl);
        Assert.Equal(HttpStatusCode.Redirect, reviewed.StatusCode);

        var page = await client.GetStringAsync(sheetUrl);
        Assert.Contains("同一人物（管理者と経営層を兼務）", page);
        Assert.Contains("「院長として確認」", page);
        var (seal, review) = await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            return (await db.ChecklistSeals.IgnoreQueryFilters([MamoriDb.TenantFilter]).SingleAsync(s => s.OrganizationId == clinic.Id),
                await db.AuditEntries.IgnoreQueryFilters().SingleAsync(a => a.OrganizationId == clinic.Id && a.Action == AuditActions.ChecklistReviewed));
        });
        Assert.True(seal.ReviewedBySigner);
        Assert.Equal((TodayJst, "solo Administrator"), (seal.ReviewedOn!.Value, seal.ReviewedBy));
        Assert.Contains("同一人物（管理者と経営層を兼務）", review.Details);
        // The sign-off in the exported sheet says so too.
        Assert.Contains("同一人物（管理者と経営層を兼務）", await client.GetStringAsync($"{sheetUrl}?handler=Print"));
    }

    [Fact]
    public async Task A_review_by_another_executive_is_not_marked_as_the_same_person()
    {
        var (org, users) = await app.CreateOrganizationAsync("two", true, OrganizationRole.Administrator, OrganizationRole.Executive);
        var admin = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var sheetUrl = await StartSheetAsync(admin, "two");
        await AnswerAsync(sheetUrl);
        await admin.PostFormAsync($"{sheetUrl}?handler=Seal", [], sheetUrl);
        var exec = await app.SignedInClientAsync(users[OrganizationRole.Executive]);
        Assert.Equal(HttpStatusCode.Redirect, (await exec.PostFormAsync($"{sheetUrl}?handler=Review",
            new() { ["round"] = "1", ["reviewedOn"] = TodayJst.ToString("yyyy-MM-dd"), ["comment"] = "" }, sheetUrl)).StatusCode);
        Assert.DoesNotContain("同一人物", await exec.GetStringAsync(sheetUrl));
        Assert.False((await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().ChecklistSeals.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .SingleAsync(s => s.OrganizationId == org.Id))).ReviewedBySigner);
    }

    [Fact]
    public async Task Roles_are_edited_in_settings_and_the_last_administrator_is_always_kept()
    {
        var (org, users) = await app.CreateOrganizationAsync("team", true, OrganizationRole.Administrator);
        var admin = users[OrganizationRole.Administrator];
        var nurse = await app.CreateMemberAsync(org, "nurse", true, OrganizationRole.Viewer);
        var client = await app.SignedInClientAsync(admin);

        // Several roles for one member: each role check sees all of them.
        Assert.Equal(HttpStatusCode.OK, (await SetRolesAsync(client, "team", nurse.Id, OrganizationRole.Operator, OrganizationRole.Executive)).StatusCode);
        Assert.Equal([OrganizationRole.Operator, OrganizationRole.Executive], await RolesOfAsync(org.Id, nurse.Id));
        var settings = await client.GetStringAsync("/o/team/settings");
        var nurseRow = Regex.Match(settings, $@"<tr data-member=""{Regex.Escape(nurse.Email)}"">[\s\S]*?</tr>").Value;
        Assert.Matches(@"value=""Operator"" checked", nurseRow);
        Assert.Matches(@"value=""Executive"" checked", nurseRow);
        Assert.DoesNotMatch(@"value=""Viewer"" checked", nurseRow);
        var changed = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters()
            .SingleAsync(a => a.OrganizationId == org.Id && a.Action == AuditActions.MemberRolesChanged));
        Assert.Contains("\"before\":[\"Viewer\"]", changed.Details);
        Assert.Contains("\"after\":[\"Operator\",\"Executive\"]", changed.Details);
        var nurseClient = await app.SignedInClientAsync(nurse);
        Assert.Contains("システム運用担当者・経営層", await nurseClient.GetStringAsync("/o/team"));
        var refused = await nurseClient.GetAsync("/o/team/settings"); // 経営層 and 運用担当者, not 管理者
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden || refused.Headers.Location?.OriginalString.Contains("/error/403") == true, $"{(int)refused.StatusCode}");

        // The only administrator cannot drop the role, nor be removed, nor be left with no role at all.
        var drop = await SetRolesAsync(client, "team", admin.Id, OrganizationRole.Executive);
        Assert.Equal(HttpStatusCode.BadRequest, drop.StatusCode);
        Assert.Contains("最後の管理者から管理者の役割は外せません", await drop.Content.ReadAsStringAsync());
        var remove = await PostAsync(client, "/o/team/settings?handler=Remove", "/o/team/settings", ("userId", admin.Id.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, remove.StatusCode);
        Assert.Contains("最後の管理者は外せません", await remove.Content.ReadAsStringAsync());
        var none = await SetRolesAsync(client, "team", nurse.Id);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("役割を1つ以上選んでください", await none.Content.ReadAsStringAsync());
        Assert.Equal([OrganizationRole.Administrator], await RolesOfAsync(org.Id, admin.Id));
        Assert.Equal([OrganizationRole.Operator, OrganizationRole.Executive], await RolesOfAsync(org.Id, nurse.Id));

        // With a second administrator, the first may step down to 経営層.
        Assert.Equal(HttpStatusCode.OK, (await SetRolesAsync(client, "team", nurse.Id, OrganizationRole.Administrator, OrganizationRole.Executive)).StatusCode);
        var stepDown = await SetRolesAsync(client, "team", admin.Id, OrganizationRole.Executive);
        Assert.Equal((HttpStatusCode.Redirect, "/o/team"), (stepDown.StatusCode, stepDown.Headers.Location!.OriginalString)); // settings are no longer theirs
        Assert.Equal([OrganizationRole.Executive], await RolesOfAsync(org.Id, admin.Id));

        // A member of another organisation is not found.
        var (_, others) = await app.CreateOrganizationAsync("team-other", true);
        Assert.Equal(HttpStatusCode.NotFound, (await SetRolesAsync(await app.SignedInClientAsync(others[OrganizationRole.Administrator]), "team-other", nurse.Id, OrganizationRole.Viewer)).StatusCode);
        Assert.Equal([OrganizationRole.Administrator, OrganizationRole.Executive], await RolesOfAsync(org.Id, nurse.Id));
    }

    [Fact]
    public async Task A_sites_home_page_shows_the_sheet_the_next_item_targets_coming_due_and_vendor_requests_and_no_admin_counters()
    {
        var (org, users) = await app.CreateOrganizationAsync("home", true, OrganizationRole.Administrator);
        var (vendor, _) = await app.CreateVendorAsync("home-vendor", OrganizationRole.Administrator);
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);

        var fresh = await client.GetStringAsync("/o/home");
        Assert.Contains("id=\"start-checklist\"", fresh);
        Assert.DoesNotContain("id=\"switch-org\"", fresh); // one organisation: nothing to switch to

        var sheetUrl = await StartSheetAsync(client, "home");
        var items = await AnswerAsync(sheetUrl, skip: int.MaxValue); // nothing answered yet: just the items, in order
        var due = new[] { TodayJst.AddDays(10), AnswerRules.FiscalYearEnd(AnswerRules.FiscalYearOf(TodayJst)) }.Min();
        var noItem = items.Last(i => !i.IsPrerequisite);
        var first = items.First(i => i.NodeId != noItem.NodeId);
        await AnswerAsync(sheetUrl, skip: items.IndexOf(first) + 1, no: (noItem.NodeId, due));

        var home = await client.GetStringAsync("/o/home");
        Assert.Contains($"href=\"{sheetUrl}#item-{first.NodeId}\" id=\"next-item-link\"", home);
        var dueList = Regex.Match(home, @"<ul id=""due-items"">[\s\S]*?</ul>").Value;
        Assert.Contains($"#item-{noItem.NodeId}", dueList);
        Assert.Contains(due.ToString("yyyy/M/d"), dueList);
        Assert.Contains("id=\"ledger-summary\"", home);
        Assert.True(home.IndexOf("id=\"checklist-summary\"", StringComparison.Ordinal) < home.IndexOf("id=\"coming-due\"", StringComparison.Ordinal)
                    && home.IndexOf("id=\"coming-due\"", StringComparison.Ordinal) < home.IndexOf("id=\"vendor-request-summary\"", StringComparison.Ordinal)
                    && home.IndexOf("id=\"vendor-request-summary\"", StringComparison.Ordinal) < home.IndexOf("id=\"ledger-summary\"", StringComparison.Ordinal),
            "sheet, targets, vendor requests, then findings");
        // Administrative counters live on the settings page and the audit log, not the home page.
        Assert.DoesNotContain("id=\"count-members\"", home);
        Assert.DoesNotContain("id=\"count-audit\"", home);
        Assert.Matches(@"id=""count-members"">1<", await client.GetStringAsync("/o/home/settings"));
        Assert.Matches(@"id=""count-audit"">\d+<", await client.GetStringAsync("/o/home/audit"));

        // A vendor request waiting for the site's check is listed.
        var requested = await client.PostFormAsync("/o/home/checklists?handler=Request",
            new() { ["file"] = "checklist-r7", ["system"] = "電子カルテ", ["vendorOrganization"] = vendor.Id.ToString() }, "/o/home/checklists");
        Assert.Contains("に依頼しました", await requested.Content.ReadAsStringAsync());
        var withRequest = await client.GetStringAsync("/o/home");
        Assert.Matches(@"<ul id=""waiting-requests"">[\s\S]*?依頼中[\s\S]*?home-vendor 株式会社・電子カルテ[\s\S]*?事業者の回答待ち", withRequest);

        // With a second organisation the switcher appears, listing both with the roles held.
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            db.Memberships.Add(new Membership { OrganizationId = vendor.Id, UserId = users[OrganizationRole.Administrator].Id, Role = OrganizationRole.Viewer });
            return await db.SaveChangesAsync();
        });
        var two = await client.GetStringAsync("/o/home");
        Assert.Contains("id=\"switch-org\"", two);
        Assert.Contains("home-vendor 株式会社（閲覧者）", two);
    }

    [Fact]
    public async Task A_vendors_home_page_lists_its_incoming_requests_first_not_a_hospital_dashboard()
    {
        var site = (await app.CreateOrganizationAsync("vh-site", true)).Users[OrganizationRole.Administrator];
        var (vendor, vendorUsers) = await app.CreateVendorAsync("vh-vendor", OrganizationRole.Operator);
        var vendorClient = await app.SignedInClientAsync(vendorUsers[OrganizationRole.Operator]);
        var empty = await vendorClient.GetStringAsync("/o/vh-vendor");
        Assert.Contains("id=\"vendor-home\"", empty);
        Assert.Contains("依頼はまだ届いていません", empty);

        var siteClient = await app.SignedInClientAsync(site);
        await siteClient.PostFormAsync("/o/vh-site/checklists?handler=Request",
            new() { ["file"] = "checklist-r7", ["system"] = "画像管理システム", ["vendorOrganization"] = vendor.Id.ToString() }, "/o/vh-site/checklists");
        var home = await vendorClient.GetStringAsync("/o/vh-vendor");
        var table = Regex.Match(home, @"<table class=""table"" id=""incoming-requests"">[\s\S]*?</table>").Value;
        Assert.Contains("vh-site 病院", table);
        Assert.Contains("画像管理システム", table);
        Assert.Contains("依頼中", table);
        Assert.Contains("回答する", table);
        // Not a hospital dashboard: no checklist of its own, no 目標日, no ledger findings.
        foreach (var id in new[] { "checklist-summary", "coming-due", "ledger-summary", "start-checklist" })
            Assert.DoesNotContain($"id=\"{id}\"", home);
    }

    [Fact]
    public async Task The_home_pages_ledger_stamp_query_logs_no_warning()
    {
        var (org, _) = await app.CreateOrganizationAsync("quiet", true);
        var logged = new List<string>();
        await app.ScopedAsync(async sp =>
        {
            // The same database, with EF's log captured at Warning and above (a `First without OrderBy` warning included).
            var options = new DbContextOptionsBuilder<MamoriDb>(sp.GetRequiredService<DbContextOptions<MamoriDb>>())
                .LogTo(logged.Add, Microsoft.Extensions.Logging.LogLevel.Warning).Options;
            var tenant = new TenantContext();
            tenant.Enter(org, [OrganizationRole.Administrator]);
            await using var db = new MamoriDb(options, tenant, sp.GetRequiredService<AuditActor>(), sp.GetRequiredService<DbCache>());
            var findings = await AssetFindings.EvaluateCachedAsync(db, org.Id);
            return findings.DeviceCount;
        });
        Assert.Empty(logged);
    }

    [Fact]
    public async Task The_audit_log_reads_in_japanese_filters_by_area_in_the_query_string_and_pages()
    {
        var (org, users) = await app.CreateOrganizationAsync("alog", true, OrganizationRole.Administrator);
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var sheetUrl = await StartSheetAsync(client, "alog");
        // 60 views of checklist evidence: more than a page.
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            for (var i = 0; i < 60; i++) db.Audit(AuditActions.View, "ChecklistEvidence", Guid.NewGuid().ToString(), new { Title = $"証跡{i}.pdf" }, org.Id);
            return await db.SaveChangesAsync();
        });

        var all = await client.GetStringAsync("/o/alog/audit");
        Assert.Contains("サインイン", all);
        Assert.Contains("閲覧：チェックリストの証跡「証跡59.pdf」", all);
        Assert.Contains("<details>", all);

        var checklist = await client.GetStringAsync("/o/alog/audit?area=checklist");
        var actions = Regex.Matches(checklist, @"<tr data-action=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(50, actions.Count);
        Assert.All(actions, a => Assert.True(a.StartsWith("checklist.") || a.StartsWith("record."), a));
        Assert.Contains("<option value=\"checklist\" selected=\"selected\">", checklist);
        Assert.Contains("href=\"?area=checklist&amp;p=2\" id=\"older\"", checklist);
        var second = await client.GetStringAsync("/o/alog/audit?area=checklist&p=2");
        Assert.Contains("href=\"?area=checklist\" id=\"newer\"", second);
        Assert.Contains("作成：チェックリスト", second); // the sheet started, oldest
        Assert.Contains(sheetUrl.Split('/').Last(), second);

        var signIn = await client.GetStringAsync("/o/alog/audit?area=signin");
        var signInActions = Regex.Matches(signIn, @"<tr data-action=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(AuditActions.SignIn, signInActions);
        Assert.All(signInActions, a => Assert.True(a.StartsWith("auth.") || a.StartsWith("security."), a));

        var organisation = await client.GetStringAsync("/o/alog/audit?area=organization");
        Assert.Contains("閲覧：監査ログ", organisation);
        Assert.DoesNotContain("証跡", organisation);
        // The export honours the area too.
        var csv = System.Text.Encoding.UTF8.GetString(await client.GetByteArrayAsync("/o/alog/audit?area=signin&handler=Export"));
        Assert.Contains("auth.sign_in", csv);
        Assert.DoesNotContain("ChecklistEvidence", csv);
    }
}
