using System.Net;
using System.Text.RegularExpressions;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Features.Vendors;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>
/// 事業者確認用 requested inside Mamori: the vendor sees only what is addressed to it, answers and submits once, the site
/// returns it with a comment, and a vendor not yet in Mamori joins through the invitation link.
/// </summary>
public sealed partial class VendorRequestTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    MamoriApp.TestUser site = null!, vendor = null!, otherVendor = null!;
    Organization vendorOrg = null!;

    public async Task InitializeAsync()
    {
        site = (await app.CreateOrganizationAsync("vr-site", true)).Users[OrganizationRole.Administrator];
        (vendorOrg, var users) = await app.CreateVendorAsync("vr-vendor", OrganizationRole.Operator);
        vendor = users[OrganizationRole.Operator];
        otherVendor = (await app.CreateVendorAsync("vr-other", OrganizationRole.Administrator)).Users[OrganizationRole.Administrator];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex Csrf();
    [GeneratedRegex("id=\"request-([0-9a-f-]{36})\"")] private static partial Regex RequestRow();

    static Task<HttpResponseMessage> SaveAsync(HttpClient client, string sheet, string node, string answer) =>
        client.PostFormAsync($"{sheet}?handler=Save&node={node}", new() { ["version"] = "0", ["a.general"] = answer, ["checkedOn1"] = "2025-10-01" }, sheet);

    static async Task<HttpResponseMessage> AttachAsync(HttpClient client, string sheet, string node, string name, byte[] content)
    {
        var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync(sheet)).Groups[1].Value);
        return await client.PostAsync($"{sheet}?handler=Evidence&node={node}",
            new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(content), "file", name } });
    }

    /// <summary>The vendor-request page of a sheet (提出・差戻し); the sheet's own address with ?handler=Submit/Return reaches it too.</summary>
    static string Submission(string sheet) => sheet.Replace("/checklists/", "/vendors/sheets/");

    async Task<(Guid Request, string SiteSheet)> RequestFromVendorAsync(HttpClient siteClient, string system, DateOnly? dueOn = null)
    {
        var response = await siteClient.PostFormAsync("/o/vr-site/checklists?handler=Request",
            new() { ["file"] = "checklist-r7", ["system"] = system, ["vendorOrganization"] = vendorOrg.Id.ToString(), ["dueOn"] = dueOn?.ToString("yyyy-MM-dd") ?? "" }, "/o/vr-site/checklists");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("に依頼しました", page);
        var id = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().VendorRequests.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(r => r.SystemName == system).Select(r => new { r.Id, r.SiteAssessmentId }).SingleAsync());
        return (id.Id, $"/o/vr-site/checklists/{id.SiteAssessmentId}");
    }

    [Fact]
    public async Task The_vendor_answers_submits_once_and_the_site_returns_it_with_a_comment()
    {
        var siteClient = await app.SignedInClientAsync(site);
        var (requestId, siteSheet) = await RequestFromVendorAsync(siteClient, "電子カルテ");
        Assert.Contains("依頼中", await siteClient.GetStringAsync("/o/vr-site/checklists"));

        // Only the addressed vendor sees it; another vendor cannot open it or the site's copy, even by id.
        var other = await app.SignedInClientAsync(otherVendor);
        Assert.DoesNotContain("電子カルテ", await other.GetStringAsync("/o/vr-other/checklists"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostFormAsync($"/o/vr-other/checklists?handler=Answer&request={requestId}", new(), "/o/vr-other/checklists")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/o/vr-other{siteSheet["/o/vr-site".Length..]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(siteSheet)).StatusCode);

        var client = await app.SignedInClientAsync(vendor);
        var inbox = await client.GetStringAsync("/o/vr-vendor/checklists");
        Assert.Contains("vr-site 病院", inbox);
        Assert.Equal([requestId.ToString()], RequestRow().Matches(inbox).Select(m => m.Groups[1].Value));
        var started = await client.PostFormAsync($"/o/vr-vendor/checklists?handler=Answer&request={requestId}", new(), "/o/vr-vendor/checklists");
        var sheet = started.Headers.Location!.OriginalString;
        Assert.StartsWith("/o/vr-vendor/checklists/", sheet);
        // The vendor's own sheet is not the site's: the site cannot open it.
        Assert.Equal(HttpStatusCode.NotFound, (await siteClient.GetAsync($"/o/vr-site{sheet["/o/vr-vendor".Length..]}")).StatusCode);

        // Submitting an incomplete sheet is refused and nothing reaches the site.
        var early = await client.PostFormAsync($"{Submission(sheet)}?handler=Submit", new(), sheet);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("まだ提出できません", await early.Content.ReadAsStringAsync());
        var noTarget = await SaveAsync(client, sheet, "vendor.2.8", "no");
        Assert.Contains("目標日", await noTarget.Content.ReadAsStringAsync()); // the same fiscal-year rules as the site's sheet
        foreach (var node in new[] { "vendor.1.responsible-person", "vendor.2.3", "vendor.2.8" })
            Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(client, sheet, node, "yes")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AttachAsync(client, sheet, "vendor", "MDS_電子カルテ.pdf", "%PDF-1.4 MDS"u8.ToArray())).StatusCode);

        // Two submissions at once: exactly one goes through.
        var second = await app.SignedInClientAsync(vendor);
        var token1 = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync(sheet)).Groups[1].Value);
        var token2 = WebUtility.HtmlDecode(Csrf().Match(await second.GetStringAsync(sheet)).Groups[1].Value);
        var submits = await Task.WhenAll(
            client.PostAsync($"{Submission(sheet)}?handler=Submit", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token1 })),
            second.PostAsync($"{Submission(sheet)}?handler=Submit", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token2 })));
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Conflict], submits.Select(r => r.StatusCode).Order());
        Assert.Contains("既に提出済み", await submits.Single(r => r.StatusCode == HttpStatusCode.Conflict).Content.ReadAsStringAsync());
        // After submission the vendor's answers are frozen.
        var locked = await SaveAsync(client, sheet, "vendor.2.3", "no");
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Contains("提出済みのため変更できません", await locked.Content.ReadAsStringAsync());

        // The site sees the answers and the document on its copy, cannot edit them, and returns with a comment.
        var copy = await siteClient.GetStringAsync(siteSheet);
        Assert.Contains("回答済", copy);
        Assert.Contains("MDS_電子カルテ.pdf", copy);
        Assert.Contains("id=\"progress-count\">3 / 3<", copy);
        Assert.Equal(HttpStatusCode.Conflict, (await SaveAsync(siteClient, siteSheet, "vendor.2.3", "no")).StatusCode);
        var noComment = await siteClient.PostFormAsync($"{Submission(siteSheet)}?handler=Return", new() { ["comment"] = " " }, siteSheet);
        Assert.Contains("差し戻す理由", await noComment.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await siteClient.PostFormAsync($"{siteSheet}?handler=Return",
            new() { ["comment"] = "2-⑧ の確認日を今年度にしてください" }, siteSheet)).StatusCode);

        // The vendor reads the comment, changes the answer and submits again; the site's copy is replaced, not doubled.
        Assert.Contains("2-⑧ の確認日を今年度にしてください", await client.GetStringAsync("/o/vr-vendor/checklists"));
        var version = Regex.Match(await client.GetStringAsync(sheet), @"id=""item-vendor\.2\.8""[\s\S]*?name=""version"" value=""(\d+)""").Groups[1].Value;
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{sheet}?handler=Save&node=vendor.2.8",
            new() { ["version"] = version, ["a.general"] = "yes", ["checkedOn1"] = "2025-11-01" }, sheet)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{sheet}?handler=Submit", new(), sheet)).StatusCode);
        var (answers, files, audit) = await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var siteSheetId = Guid.Parse(siteSheet.Split('/').Last());
            return (await db.ChecklistAnswers.IgnoreQueryFilters([MamoriDb.TenantFilter]).Where(a => a.AssessmentId == siteSheetId).ToListAsync(),
                await db.ChecklistEvidence.IgnoreQueryFilters([MamoriDb.TenantFilter]).CountAsync(e => e.AssessmentId == siteSheetId),
                await db.AuditEntries.IgnoreQueryFilters().Where(a => a.EntityId == requestId.ToString()).Select(a => new { a.Action, a.OrganizationId }).ToListAsync());
        });
        Assert.Equal(3, answers.Count);
        Assert.Equal(new DateOnly(2025, 11, 1), answers.Single(a => a.NodeId == "vendor.2.8").CheckedOn1);
        Assert.Equal(1, files);
        // Each step is in both organisations' audit chains.
        Assert.Equal(2, audit.Count(a => a.Action == "vendor_request.returned"));
        Assert.Equal(4, audit.Count(a => a.Action == "vendor_request.submitted"));
        Assert.Equal(2, audit.Where(a => a.Action == "vendor_request.submitted").Select(a => a.OrganizationId).Distinct().Count());

        // The site's inspection pack of the year carries the vendor's sheet, its document and the request status.
        var r7 = (await siteClient.PostFormAsync("/o/vr-site/checklists?handler=Start", new() { ["file"] = "checklist-r7", ["sheet"] = "site" }, "/o/vr-site/checklists"))
            .Headers.Location!.OriginalString;
        var pack = new System.IO.Compression.ZipArchive(new MemoryStream(await siteClient.GetByteArrayAsync($"{r7}?handler=Pack")));
        Assert.Contains(pack.Entries, e => e.FullName == "事業者確認用/電子カルテ（vr-vendor 株式会社）.xlsx");
        Assert.Contains(pack.Entries, e => e.FullName == "事業者確認用/電子カルテ（vr-vendor 株式会社）.pdf");
        Assert.Contains(pack.Entries, e => e.FullName == "事業者確認用/電子カルテ（vr-vendor 株式会社）/evidence/提出書類/MDS_電子カルテ.pdf");
        using var status = new StreamReader(pack.GetEntry("事業者確認用/依頼の状況.csv")!.Open());
        Assert.Contains("電子カルテ,回答済", await status.ReadToEndAsync());
    }

    [Fact]
    public async Task A_vendor_not_in_Mamori_joins_through_the_invitation_link_once()
    {
        var siteClient = await app.SignedInClientAsync(site);
        var bad = await siteClient.PostFormAsync("/o/vr-site/checklists?handler=Request",
            new() { ["file"] = "checklist-r8", ["system"] = "PACS", ["vendorName"] = "サンプル画像株式会社", ["inviteEmail"] = "not-an-address" }, "/o/vr-site/checklists");
        Assert.Contains("メールアドレスを入力してください", await bad.Content.ReadAsStringAsync());
        var made = await (await siteClient.PostFormAsync("/o/vr-site/checklists?handler=Request",
            new() { ["file"] = "checklist-r8", ["system"] = "PACS", ["vendorName"] = "サンプル画像株式会社", ["inviteEmail"] = "lead@pacs.example" }, "/o/vr-site/checklists"))
            .Content.ReadAsStringAsync();
        var link = new Uri(Regex.Match(made, "id=\"vendor-invite-link\" readonly value=\"([^\"]+)\"").Groups[1].Value).PathAndQuery;
        Assert.StartsWith("/vendor-invite/", link);
        Assert.Contains("依頼中 1 件", await siteClient.GetStringAsync("/o/vr-site")); // outstanding on the dashboard
        // The same request twice is refused.
        var again = await siteClient.PostFormAsync("/o/vr-site/checklists?handler=Request",
            new() { ["file"] = "checklist-r8", ["system"] = "PACS", ["vendorName"] = "サンプル画像株式会社", ["inviteEmail"] = "lead@pacs.example" }, "/o/vr-site/checklists");
        Assert.Contains("既にあります", await again.Content.ReadAsStringAsync());

        // Someone signed in with another address cannot take it.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SignedInClientAsync(vendor)).GetAsync(link)).StatusCode);

        var anonymous = app.Client();
        var invite = await anonymous.GetStringAsync(link);
        Assert.Contains("vr-site 病院 から", invite);
        Assert.Contains("lead@pacs.example", invite);
        var accepted = await anonymous.PostFormAsync(link, new()
        {
            ["Account.DisplayName"] = "画像 太郎", ["Account.Password"] = MamoriApp.Password,
            ["Org.Name"] = "サンプル画像株式会社", ["Org.Prefecture"] = "京都府", ["Org.Code"] = "sample-pacs",
        });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("/o/sample-pacs/checklists#vendor-inbox", accepted.Headers.Location!.OriginalString);
        var org = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Organizations.SingleAsync(o => o.Code == "sample-pacs"));
        Assert.Equal(OrganizationKind.Vendor, org.Kind);
        // Its first user administers it, so a second factor comes first (シス14).
        var gate = await anonymous.GetAsync("/o/sample-pacs/checklists");
        Assert.Equal(HttpStatusCode.Redirect, gate.StatusCode);
        Assert.Contains("two-factor", gate.Headers.Location!.OriginalString);
        var key = await app.ScopedAsync(async sp =>
        {
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>();
            var user = (await users.FindByEmailAsync("lead@pacs.example"))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            return (await users.GetAuthenticatorKeyAsync(user))!;
        });

        var newVendor = await app.SignedInClientAsync(new MamoriApp.TestUser(Guid.Empty, "lead@pacs.example", MamoriApp.Password, key));
        var inbox = await newVendor.GetStringAsync("/o/sample-pacs/checklists");
        Assert.Contains("PACS", inbox);
        // R8's vendor items are R7's known ones carried over (未照合): the vendor is told so in plain words, not catalogue notes.
        var requestId = Guid.Parse(RequestRow().Match(inbox).Groups[1].Value);
        var sheet = (await newVendor.PostFormAsync($"/o/sample-pacs/checklists?handler=Answer&request={requestId}", new(), "/o/sample-pacs/checklists")).Headers.Location!.OriginalString;
        var vendorPage = await newVendor.GetStringAsync(sheet);
        var item23 = vendorPage[vendorPage.IndexOf("id=\"item-vendor.2.3\"", StringComparison.Ordinal)..];
        Assert.Contains("class=\"badge conf-unconfirmed unreconciled\">未照合<", item23);
        Assert.Contains("令和7年度版から引き継いだ項目です。令和8年度の原本とまだ照合していません。", item23);
        Assert.DoesNotContain("事実資料", vendorPage);
        Assert.Contains("回答や確認日のない項目が 3 件", await (await newVendor.PostFormAsync($"{sheet}?handler=Submit", new(), sheet)).Content.ReadAsStringAsync());
        foreach (var node in new[] { "vendor.1.responsible-person", "vendor.2.3", "vendor.2.8" })
            Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(newVendor, sheet, node, "yes")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AttachAsync(newVendor, sheet, "vendor", "事業者確認用_PACS.pdf", "%PDF-1.4 filled"u8.ToArray())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await newVendor.PostFormAsync($"{sheet}?handler=Submit", new(), sheet)).StatusCode);
        Assert.Contains("回答済", await siteClient.GetStringAsync("/o/vr-site/checklists"));

        // The link works once.
        var used = await app.Client().GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, used.StatusCode);
        Assert.Contains("この招待リンクは無効です", await used.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_expired_invitation_is_refused()
    {
        var siteClient = await app.SignedInClientAsync(site);
        var made = await (await siteClient.PostFormAsync("/o/vr-site/checklists?handler=Request",
            new() { ["file"] = "checklist-r8", ["system"] = "給食管理", ["vendorName"] = "サンプル給食株式会社", ["inviteEmail"] = "it@food.example" }, "/o/vr-site/checklists"))
            .Content.ReadAsStringAsync();
        var link = new Uri(Regex.Match(made, "id=\"vendor-invite-link\" readonly value=\"([^\"]+)\"").Groups[1].Value).PathAndQuery;
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            (await db.VendorRequests.IgnoreQueryFilters([MamoriDb.TenantFilter]).SingleAsync(r => r.SystemName == "給食管理")).InviteExpiresAt = DateTime.UtcNow.AddMinutes(-1);
            return await db.SaveChangesAsync();
        });
        var expired = await app.Client().GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("期限切れ", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_vendors_page_lists_a_sites_requests_and_a_vendors_inbox_and_nothing_of_others()
    {
        var siteClient = await app.SignedInClientAsync(site);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        var past = await siteClient.PostFormAsync("/o/vr-site/checklists?handler=Request", new()
            { ["file"] = "checklist-r7", ["system"] = "臨床検査", ["vendorOrganization"] = vendorOrg.Id.ToString(), ["dueOn"] = today.AddDays(-1).ToString("yyyy-MM-dd") }, "/o/vr-site/checklists");
        Assert.Contains("回答期限は今日以降の日付にしてください", await past.Content.ReadAsStringAsync());
        var due = today.AddDays(30);
        var (requestId, siteSheet) = await RequestFromVendorAsync(siteClient, "臨床検査", due);

        // The site: its request with vendor, status, 回答期限 and a link to the request on its sheet.
        var mine = await siteClient.GetStringAsync("/o/vr-site/vendors");
        var row = Regex.Match(mine, $@"<tr id=""request-{requestId}"">[\s\S]*?</tr>").Value;
        Assert.Contains("臨床検査", row);
        Assert.Contains("vr-vendor 株式会社", row);
        Assert.Contains("依頼中", row);
        Assert.Contains(due.ToString("yyyy/M/d", System.Globalization.CultureInfo.InvariantCulture), row);
        Assert.Contains($"href=\"{siteSheet}#vendor-request\"", row);

        // The vendor: the requests addressed to it, and only those.
        var vendorClient = await app.SignedInClientAsync(vendor);
        var inbox = await vendorClient.GetStringAsync("/o/vr-vendor/vendors");
        Assert.Contains("臨床検査", inbox);
        var addressed = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().VendorRequests.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(r => r.VendorOrganizationId == vendorOrg.Id).Select(r => r.Id.ToString()).ToListAsync());
        Assert.Contains(requestId.ToString(), RequestRow().Matches(inbox).Select(m => m.Groups[1].Value));
        Assert.All(RequestRow().Matches(inbox), m => Assert.Contains(m.Groups[1].Value, addressed));

        // Another vendor and another site see none of it; a non-member cannot open the site's page at all.
        var other = await app.SignedInClientAsync(otherVendor);
        Assert.DoesNotContain("臨床検査", await other.GetStringAsync("/o/vr-other/vendors"));
        var stranger = await app.SignedInClientAsync((await app.CreateOrganizationAsync("vr-site2", true)).Users[OrganizationRole.Administrator]);
        var theirs = await stranger.GetStringAsync("/o/vr-site2/vendors");
        Assert.Empty(RequestRow().Matches(theirs));
        Assert.Contains("依頼はまだありません", theirs);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/o/vr-site/vendors")).StatusCode);
    }
}
