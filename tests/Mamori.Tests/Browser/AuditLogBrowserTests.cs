using System.Text;
using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>The administrator reads, filters and exports the organisation's audit log.</summary>
public sealed class AuditLogBrowserTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    string url = "";
    MamoriApp.TestUser admin = null!;

    public async Task InitializeAsync()
    {
        url = app.StartKestrel();
        admin = (await app.CreateOrganizationAsync("audit-hp", withTotp: true)).Users[OrganizationRole.Administrator];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    static ILocator Rows(IPage page, string action) => page.Locator($"#audit-table tbody tr[data-action='{action}']");

    [Fact]
    public async Task The_administrator_sees_their_sign_in_filters_by_kind_and_exports_a_csv_with_bom()
    {
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, admin);
            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "監査ログ" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/o/audit-hp/audit$"));
            await Expect(page.Locator("main h1")).ToHaveTextAsync("監査ログ");

            var signIn = Rows(page, "auth.sign_in");
            await Expect(signIn).ToHaveCountAsync(1);
            await Expect(signIn).ToContainTextAsync("サインイン"); // the event's Japanese name
            await Expect(signIn).ToContainTextAsync(admin.Email); // the actor is recorded by sign-in name
            await Expect(signIn).ToContainTextAsync("JST");
            // Details on demand: the stored event type and its record.
            await Expect(signIn.Locator("details code").First).Not.ToBeVisibleAsync();
            await signIn.Locator("details summary").ClickAsync();
            await Expect(signIn.Locator("details code").First).ToHaveTextAsync("auth.sign_in");
            // Unfiltered, other kinds are listed too (the accounts and organisation being created).
            await Expect(Rows(page, "record.create").First).ToBeVisibleAsync();
            await Expect(Rows(page, "record.create").First).ToContainTextAsync("作成：");

            await page.Locator("select[name=area]").SelectOptionAsync("signin");
            await page.Locator("#filter").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"[?&]area=signin(&|$)"));
            await Expect(page.Locator("select[name=area]")).ToHaveValueAsync("signin");
            await Expect(page.Locator("#audit-areas a.active")).ToHaveTextAsync("サインイン・セキュリティ");
            await Expect(signIn).ToHaveCountAsync(1);
            await Expect(page.Locator("#audit-table tbody tr[data-action]:not([data-action^='auth.']):not([data-action^='security.'])")).ToHaveCountAsync(0);

            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export").ClickAsync());
            Assert.Matches(@"^audit-audit-hp-\d{8}-\d{6}\.csv$", download.SuggestedFilename);
            var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
            Assert.True(bytes.Length > 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "the CSV starts with the UTF-8 BOM (for Excel)");
            var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("番号,日時(JST),日時(UTC),実行者,種類", lines[0]);
            var actions = lines.Skip(1).Select(l => l.Split(',')[4]).ToList();
            Assert.Contains("auth.sign_in", actions);
            Assert.All(actions, a => Assert.True(a.StartsWith("auth.") || a.StartsWith("security."), a)); // the export honours the filter on screen
        });
    }
}
