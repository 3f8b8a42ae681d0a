using System.Net;
using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Mail;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace Mamori.Tests.Integration;

/// <summary>
/// E-mail through a real SMTP server (aiosmtpd): invitations, vendor requests, 回答済 and 差戻し notices and 目標日
/// reminders arrive in the recipient's language with text and escaped HTML; a server that is down or refuses the
/// password never fails the action, the mail waits with its error where administrators see it, and goes out later.
/// Sending is driven by calling the sender's round directly (and a shifted clock), so nothing waits on timers.
/// </summary>
public sealed partial class MailTests : IAsyncLifetime
{
    readonly List<IAsyncDisposable> apps = [];
    readonly List<SmtpSink> sinks = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in apps) await app.DisposeAsync();
        foreach (var sink in sinks) sink.Dispose();
    }

    /// <summary>Real time, moved forward (or to a day) when a test says so.</summary>
    sealed class ShiftedClock : TimeProvider
    {
        TimeSpan offset;
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
        public void Advance(TimeSpan by) => offset += by;
        public void MoveTo(DateTimeOffset at) => offset = at - System.GetUtcNow();
    }

    SmtpSink Sink((string, string)? credentials = null)
    {
        var sink = new SmtpSink(credentials);
        sinks.Add(sink);
        return sink;
    }

    MamoriApp App(SmtpSink sink, ShiftedClock? clock = null, string? user = null, string? password = null, string? database = null)
    {
        var app = new MamoriApp().With("MAMORI_SMTP_HOST", "127.0.0.1").With("MAMORI_SMTP_PORT", sink.Port.ToString())
            .With("MAMORI_SMTP_TLS", "none").With("MAMORI_SMTP_FROM", "mamori@hospital.example").With("MAMORI_SMTP_FROM_NAME", "Mamori 通知");
        if (user is not null) app.With("MAMORI_SMTP_USER", user).With("MAMORI_SMTP_PASSWORD", password!);
        if (database is not null) app.With("MAMORI_DB", database);
        if (clock is not null) app.WithServices(s => s.AddSingleton<TimeProvider>(clock));
        apps.Add(app);
        return app;
    }

    /// <summary>
    /// One round of the sender, as its background loop runs it. The loop may have sent a mail first (it is woken when one
    /// is queued), so tests look at what arrived rather than at the count returned; rounds never overlap, so once this
    /// returns, everything due has been tried.
    /// </summary>
    static Task<int> SendAsync(MamoriApp app) => app.Services.GetRequiredService<MailSender>().RunOnceAsync();

    static Task<List<OutboxMail>> OutboxAsync(MamoriApp app) => app.ScopedAsync(sp =>
        sp.GetRequiredService<MamoriDb>().OutboxMails.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking().OrderBy(m => m.CreatedAt).ToListAsync());

    static Task<HttpResponseMessage> InviteAsync(HttpClient client, string org, string email) =>
        client.PostFormAsync($"/o/{org}/settings?handler=Invite", new() { ["inviteEmail"] = email, ["inviteRole"] = "Operator", ["inviteDays"] = "7" }, $"/o/{org}/settings");

    [GeneratedRegex("id=\"invitation-link\" readonly value=\"([^\"]+)\"")] private static partial Regex InvitationLink();

    [Fact]
    public async Task An_invitation_arrives_in_Japanese_with_its_link_and_the_organisations_name_escaped()
    {
        var sink = Sink().Start();
        var app = App(sink);
        var (org, users) = await app.CreateOrganizationAsync("ml-inv", true);
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            (await db.Organizations.SingleAsync(o => o.Id == org.Id)).Name = "<b>まもり</b> & 病院";
            return await db.SaveChangesAsync();
        });
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var response = await InviteAsync(client, "ml-inv", "new.nurse@example.test");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("招待メールも送ります", page);
        var link = WebUtility.HtmlDecode(InvitationLink().Match(page).Groups[1].Value); // still shown on screen too
        Assert.Contains("/invite/", link);

        await SendAsync(app);
        var mail = Assert.Single(sink.To("new.nurse@example.test"));
        Assert.Equal("【Mamori】<b>まもり</b> & 病院 への招待", mail.Subject);
        Assert.Equal("mamori@hospital.example", mail.From.Mailboxes.Single().Address);
        Assert.Equal("Mamori 通知", mail.From.Mailboxes.Single().Name);
        Assert.Contains(link, mail.TextBody);
        Assert.Contains("役割は「システム運用担当者」", mail.TextBody);
        Assert.Contains("(English)", mail.TextBody); // an address Mamori does not know: Japanese first, then English
        Assert.Contains($"<a href=\"{link}\">", mail.HtmlBody);
        Assert.Contains("&lt;b&gt;まもり&lt;/b&gt; &amp; 病院", mail.HtmlBody);
        Assert.DoesNotContain("<b>まもり", mail.HtmlBody);

        // The link in the mail opens the invitation; the sent mail no longer keeps the link (its token is stored only hashed).
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync(new Uri(link).PathAndQuery)).StatusCode);
        var row = Assert.Single(await OutboxAsync(app));
        Assert.NotNull(row.SentAt);
        Assert.Null(row.TextBody);
        Assert.Null(row.HtmlBody);
        Assert.Equal(0, await SendAsync(app)); // sent once
        Assert.Single(sink.Messages());
    }

    [GeneratedRegex("id=\"request-([0-9a-f-]{36})\"")] private static partial Regex RequestRow();

    [Fact]
    public async Task Vendor_request_answer_and_return_each_reach_the_other_side_in_their_language()
    {
        var sink = Sink().Start();
        var app = App(sink);
        var site = (await app.CreateOrganizationAsync("ml-site", true, OrganizationRole.Administrator, OrganizationRole.Manager, OrganizationRole.Viewer)).Users;
        var (vendorOrg, vendor) = await app.CreateVendorAsync("ml-vendor", OrganizationRole.Administrator, OrganizationRole.Operator);
        var siteClient = await app.SignedInClientAsync(site[OrganizationRole.Administrator]);
        // The 企画管理者 reads Mamori in English: mail to them is in English.
        var manager = await app.SignedInClientAsync(site[OrganizationRole.Manager]);
        Assert.Equal(HttpStatusCode.Redirect, (await manager.PostFormAsync("/lang", new() { ["lang"] = "en", ["returnUrl"] = "/" }, "/o/ml-site/checklists")).StatusCode);

        // 依頼: to the vendor organisation's administrators.
        var requested = await siteClient.PostFormAsync("/o/ml-site/checklists?handler=Request",
            new() { ["file"] = "checklist-r7", ["system"] = "電子カルテ", ["vendorOrganization"] = vendorOrg.Id.ToString(), ["message"] = "11月末までに<お願い>します" }, "/o/ml-site/checklists");
        Assert.Contains("依頼のメールも送ります", await requested.Content.ReadAsStringAsync());
        await SendAsync(app);
        var request = Assert.Single(sink.To(vendor[OrganizationRole.Administrator].Email));
        Assert.Equal("【Mamori】ml-site 病院 から事業者確認用の依頼（電子カルテ）", request.Subject);
        Assert.Contains("/o/ml-vendor/checklists#vendor-inbox", request.TextBody);
        Assert.Contains("11月末までに&lt;お願い&gt;します", request.HtmlBody);
        Assert.Empty(sink.To(vendor[OrganizationRole.Operator].Email));

        // A vendor not yet in Mamori: the invited address gets the invitation link.
        await siteClient.PostFormAsync("/o/ml-site/checklists?handler=Request",
            new() { ["file"] = "checklist-r7", ["system"] = "PACS", ["vendorName"] = "画像システム株式会社", ["inviteEmail"] = "sales@pacs.example" }, "/o/ml-site/checklists");
        await SendAsync(app);
        var invite = Assert.Single(sink.To("sales@pacs.example"));
        Assert.Equal("【Mamori】ml-site 病院 から事業者確認用の依頼（PACS）", invite.Subject);
        Assert.Matches("/vendor-invite/[A-Za-z0-9_-]{20,}", invite.TextBody);

        // 提出 → 回答済: to the site's members who manage the checklist (not the 閲覧者), each in their language.
        var vendorClient = await app.SignedInClientAsync(vendor[OrganizationRole.Operator]);
        var requestId = RequestRow().Match(await vendorClient.GetStringAsync("/o/ml-vendor/checklists")).Groups[1].Value;
        var sheet = (await vendorClient.PostFormAsync($"/o/ml-vendor/checklists?handler=Answer&request={requestId}", new(), "/o/ml-vendor/checklists")).Headers.Location!.OriginalString;
        foreach (var node in new[] { "vendor.1.responsible-person", "vendor.2.3", "vendor.2.8" })
            Assert.Equal(HttpStatusCode.Redirect, (await vendorClient.PostFormAsync($"{sheet}?handler=Save&node={node}",
                new() { ["version"] = "0", ["a.general"] = "yes", ["checkedOn1"] = "2025-10-01" }, sheet)).StatusCode);
        var token = WebUtility.HtmlDecode(Regex.Match(await vendorClient.GetStringAsync(sheet), "name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
        await vendorClient.PostAsync($"{sheet}?handler=Evidence&node=vendor",
            new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent("%PDF-1.4 MDS"u8.ToArray()), "file", "MDS.pdf" } });
        Assert.Equal(HttpStatusCode.Redirect, (await vendorClient.PostFormAsync($"{sheet}?handler=Submit", new(), sheet)).StatusCode);
        await SendAsync(app);
        var answered = Assert.Single(sink.To(site[OrganizationRole.Administrator].Email));
        Assert.Equal("【Mamori】ml-vendor 株式会社 が事業者確認用に回答しました（電子カルテ）", answered.Subject);
        Assert.DoesNotContain("(English)", answered.TextBody); // a member who never switched language reads Japanese
        var siteSheet = Regex.Match(answered.TextBody!, @"http://[^\s]+/o/ml-site/checklists/[0-9a-f-]{36}").Value;
        Assert.Equal(HttpStatusCode.OK, (await siteClient.GetAsync(new Uri(siteSheet).PathAndQuery)).StatusCode);
        var english = Assert.Single(sink.To(site[OrganizationRole.Manager].Email));
        Assert.Equal("[Mamori] ml-vendor 株式会社 answered the vendor sheet (電子カルテ)", english.Subject);
        Assert.DoesNotContain("回答し、提出しました", english.TextBody);
        Assert.Empty(sink.To(site[OrganizationRole.Viewer].Email));

        // 差戻し: to the vendor's members who answer, with the comment as written (escaped in HTML).
        Assert.Equal(HttpStatusCode.Redirect, (await siteClient.PostFormAsync($"{new Uri(siteSheet).PathAndQuery}?handler=Return",
            new() { ["comment"] = "<script>alert(1)</script> 2-⑧ の確認日を今年度にしてください" }, new Uri(siteSheet).PathAndQuery)).StatusCode);
        await SendAsync(app);
        foreach (var member in new[] { vendor[OrganizationRole.Administrator], vendor[OrganizationRole.Operator] })
        {
            var returned = sink.To(member.Email).Single(m => m.Subject?.Contains("差し戻されました") == true);
            Assert.Equal("【Mamori】ml-site 病院 から事業者確認用が差し戻されました（電子カルテ）", returned.Subject);
            Assert.Contains("> <script>alert(1)</script> 2-⑧ の確認日を今年度にしてください", returned.TextBody);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; 2-⑧", returned.HtmlBody);
            Assert.DoesNotContain("<script>", returned.HtmlBody);
            Assert.Contains(sheet, returned.TextBody);
        }
    }

    [Fact]
    public async Task With_the_server_down_the_invitation_is_made_the_mail_waits_visibly_and_goes_out_once_the_server_is_up()
    {
        var clock = new ShiftedClock();
        var sink = Sink(); // not started: nothing listens on its port
        var app = App(sink, clock);
        var admin = (await app.CreateOrganizationAsync("ml-down", true)).Users[OrganizationRole.Administrator];
        var client = await app.SignedInClientAsync(admin);
        var response = await InviteAsync(client, "ml-down", "late@example.test");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(InvitationLink(), await response.Content.ReadAsStringAsync()); // the action itself completed

        Assert.Equal(0, await SendAsync(app));
        var failed = Assert.Single(await OutboxAsync(app));
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("に接続できません", failed.LastError);
        Assert.Equal(failed.LastAttemptAt + TimeSpan.FromMinutes(1), failed.NextAttemptAt);
        Assert.Contains("送信待ち・送れなかったメールが 1 件あります", await client.GetStringAsync("/o/ml-down/settings"));
        var status = await client.GetStringAsync("/o/ml-down/settings/mail");
        Assert.Contains("late@example.test", status);
        Assert.Contains("送れませんでした（1 回）", status);
        Assert.Contains("に接続できません", status);

        // Retried after a minute, then after two more (back-off); the server is still down the first time.
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(0, await SendAsync(app));
        var again = Assert.Single(await OutboxAsync(app));
        Assert.Equal(2, again.Attempts);
        Assert.Equal(again.LastAttemptAt + TimeSpan.FromMinutes(2), again.NextAttemptAt);
        sink.Start();
        Assert.Equal(0, await SendAsync(app)); // not due yet
        clock.Advance(TimeSpan.FromSeconds(121));
        await SendAsync(app);
        Assert.Single(sink.To("late@example.test"));
        Assert.Contains("送信待ちのメールはありません", await client.GetStringAsync("/o/ml-down/settings/mail"));
    }

    [Fact]
    public async Task A_wrong_password_is_shown_to_administrators_retried_on_request_and_sent_once_corrected()
    {
        var sink = Sink(("mamori", "right-password")).Start();
        var app = App(sink, user: "mamori", password: "wrong-password");
        var admin = (await app.CreateOrganizationAsync("ml-auth", true)).Users[OrganizationRole.Administrator];
        var client = await app.SignedInClientAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await InviteAsync(client, "ml-auth", "auth@example.test")).StatusCode);
        Assert.Equal(0, await SendAsync(app));
        var status = await client.GetStringAsync("/o/ml-auth/settings/mail");
        Assert.Contains("SMTP サーバーにサインインできません", status);
        Assert.Contains("MAMORI_SMTP_PASSWORD", status);

        // 再送 by an administrator: tried at once (still refused here), and recorded in the audit log.
        var id = Assert.Single(await OutboxAsync(app)).Id;
        var retried = await client.PostFormAsync("/o/ml-auth/settings/mail?handler=Retry", new() { ["mailId"] = id.ToString() }, "/o/ml-auth/settings/mail");
        Assert.Contains("もう一度送ります", await retried.Content.ReadAsStringAsync());
        Assert.Equal(0, await SendAsync(app));
        Assert.Equal(2, Assert.Single(await OutboxAsync(app)).Attempts);
        Assert.Empty(sink.Messages());
        Assert.True(await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters().AnyAsync(a => a.Action == "mail.retried" && a.EntityId == id.ToString())));
        // Another organisation's administrator neither sees nor retries it.
        var other = await app.SignedInClientAsync((await app.CreateOrganizationAsync("ml-other", true)).Users[OrganizationRole.Administrator]);
        Assert.DoesNotContain("auth@example.test", await other.GetStringAsync("/o/ml-other/settings/mail"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostFormAsync("/o/ml-other/settings/mail?handler=Retry", new() { ["mailId"] = id.ToString() }, "/o/ml-other/settings/mail")).StatusCode);

        // The operator corrects the password and restarts Mamori: the waiting mail goes out.
        var corrected = App(sink, user: "mamori", password: "right-password", database: app.ConnectionString);
        await app.DisposeAsync();
        apps.Remove(app);
        await corrected.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().OutboxMails.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, DateTime.UtcNow.AddMinutes(-1))));
        await SendAsync(corrected);
        Assert.Single(sink.To("auth@example.test"));
    }

    [Fact]
    public async Task A_no_answer_with_a_target_date_is_reminded_seven_days_before_and_once_overdue()
    {
        var clock = new ShiftedClock();
        var sink = Sink().Start();
        var app = App(sink, clock);
        var users = (await app.CreateOrganizationAsync("ml-remind", true, OrganizationRole.Administrator, OrganizationRole.Manager, OrganizationRole.Viewer)).Users;
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var sheet = (await client.PostFormAsync("/o/ml-remind/checklists?handler=Start", new() { ["file"] = "checklist-r8", ["sheet"] = "site-and-pharmacy" }, "/o/ml-remind/checklists"))
            .Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{sheet}?handler=Save&node=site-and-pharmacy.3.3",
            new() { ["version"] = "0", ["a.general"] = "no", ["checkedOn1"] = "2026-10-01", ["targetDate"] = "2027-03-01" }, sheet)).StatusCode);
        var jst = TimeSpan.FromHours(9);
        var admin = users[OrganizationRole.Administrator].Email;
        var manager = users[OrganizationRole.Manager].Email;

        clock.MoveTo(new DateTimeOffset(2027, 2, 21, 12, 0, 0, jst)); // 8 days before: nothing yet
        await SendAsync(app);
        Assert.Empty(sink.Messages());

        clock.MoveTo(new DateTimeOffset(2027, 2, 22, 8, 0, 0, jst));
        await SendAsync(app);
        await SendAsync(app);
        foreach (var to in new[] { admin, manager })
        {
            var soon = Assert.Single(sink.To(to));
            Assert.StartsWith("【Mamori】目標日まであと 7 日: ", soon.Subject);
            Assert.Contains("2027-03-01", soon.TextBody);
        }
        Assert.Empty(sink.To(users[OrganizationRole.Viewer].Email));

        clock.MoveTo(new DateTimeOffset(2027, 2, 26, 8, 0, 0, jst));
        await SendAsync(app);
        Assert.Equal(2, sink.Messages().Count);

        clock.MoveTo(new DateTimeOffset(2027, 3, 2, 8, 0, 0, jst));
        await SendAsync(app);
        // A second sender, as after a restart: the outbox remembers what was queued, so nothing is sent twice.
        var restarted = new MailSender(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Services.GetRequiredService<SmtpSettings>(),
            clock, app.Services.GetRequiredService<MailSignal>(), NullLogger<MailSender>.Instance);
        Assert.Equal(0, await restarted.RunOnceAsync());
        foreach (var to in new[] { admin, manager })
        {
            var mails = sink.To(to);
            Assert.Equal(2, mails.Count);
            Assert.StartsWith("【Mamori】目標日を過ぎています: ", mails[1].Subject);
        }
    }

    [Fact]
    public async Task A_wrong_setting_does_not_stop_Mamori_and_is_named_where_administrators_look()
    {
        var sink = Sink().Start();
        var app = App(sink).With("MAMORI_SMTP_TLS", "yes");
        var admin = (await app.CreateOrganizationAsync("ml-conf", true)).Users[OrganizationRole.Administrator];
        var client = await app.SignedInClientAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await InviteAsync(client, "ml-conf", "conf@example.test")).StatusCode);
        await SendAsync(app);
        Assert.Contains("MAMORI_SMTP_TLS", Assert.Single(await OutboxAsync(app)).LastError);
        Assert.Contains("メールの設定に誤りがあります: MAMORI_SMTP_TLS の値が正しくありません", await client.GetStringAsync("/o/ml-conf/settings/mail"));
        Assert.Empty(sink.Messages());
    }

    [Fact]
    public async Task Without_SMTP_the_link_is_shown_and_nothing_is_queued()
    {
        var app = new MamoriApp();
        apps.Add(app);
        var admin = (await app.CreateOrganizationAsync("ml-off", true)).Users[OrganizationRole.Administrator];
        var client = await app.SignedInClientAsync(admin);
        var page = await (await InviteAsync(client, "ml-off", "someone@example.test")).Content.ReadAsStringAsync();
        Assert.Matches(InvitationLink(), page);
        Assert.DoesNotContain("招待メールも送ります", page);
        Assert.Empty(await OutboxAsync(app));
        Assert.Contains("メールの送信は設定されていません", await client.GetStringAsync("/o/ml-off/settings/mail"));
    }
}
