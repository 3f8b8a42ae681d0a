using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>The signed-in layout on desktop and tablet, the areas not built yet, and the language switch.</summary>
public sealed class LayoutTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    string url = "";
    MamoriApp.TestUser admin = null!;

    public async Task InitializeAsync()
    {
        url = app.StartKestrel();
        admin = (await app.CreateOrganizationAsync("layout-hp", withTotp: true)).Users[OrganizationRole.Administrator];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    static readonly string[] NavLinks = ["ダッシュボード", "カタログ", "チェックリスト", "機器台帳", "事業者", "リスク", "BCP・インシデント", "レポート", "監査ログ", "設定"];

    static async Task AssertNoHorizontalScrollAsync(IPage page, string where)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scroll, client) = (widths[0], widths[1]);
        Assert.True(scroll <= client, $"{where}: horizontal scrollbar (scrollWidth {scroll} > clientWidth {client})");
    }

    [Fact]
    public async Task The_dashboard_fits_desktop_and_tablet_without_sideways_scrolling_and_unbuilt_areas_say_so()
    {
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, admin);
            await Expect(page).ToHaveURLAsync(new Regex("/o/layout-hp$"));

            foreach (var (size, label) in new[] { (Chromium.Desktop, "1280x800"), (Chromium.Tablet, "820x1180") })
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                await page.ReloadAsync();
                await Expect(page.Locator("#current-org")).ToBeVisibleAsync();
                var nav = page.Locator("nav.sidenav");
                foreach (var name in NavLinks)
                {
                    var link = nav.GetByRole(AriaRole.Link, new() { Name = name });
                    await Expect(link.First).ToBeVisibleAsync();
                    await Expect(link.First).ToBeInViewportAsync();
                }
                await AssertNoHorizontalScrollAsync(page, label);
            }

            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "リスク" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/o/layout-hp/risks$"));
            await Expect(page.Locator("#not-built")).ToContainTextAsync("この機能はまだ作られていません");
            await Expect(page.Locator("main h1")).ToHaveTextAsync("リスク");
            await AssertNoHorizontalScrollAsync(page, "risks at 820x1180");

            // The catalogue's widest pages fit the tablet too.
            await page.GotoAsync(page.Url.Replace("/risks", "/catalog"));
            await AssertNoHorizontalScrollAsync(page, "catalog at 820x1180");
            await page.GotoAsync(page.Url + "/diff?from=mhlw-guideline-6.0&to=mhlw-guideline-7.0");
            await AssertNoHorizontalScrollAsync(page, "catalog diff at 820x1180");
            // The wide ledger table scrolls inside its frame, not the page; the checklist sheet fits as well.
            var org = page.Url[..page.Url.IndexOf("/catalog", StringComparison.Ordinal)];
            await page.GotoAsync(org + "/assets");
            await AssertNoHorizontalScrollAsync(page, "asset ledger at 820x1180");
            await page.GotoAsync(org + "/checklists");
            await page.Locator("#start button").First.ClickAsync();
            await Expect(page.Locator("#progress")).ToBeVisibleAsync();
            await AssertNoHorizontalScrollAsync(page, "checklist sheet at 820x1180");
        });
    }

    [Fact]
    public async Task The_english_button_switches_the_dashboard_to_english_and_back()
    {
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, admin);
            await Expect(page.Locator("main h1")).ToContainTextAsync("ダッシュボード");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");

            await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/o/layout-hp$"));
            await Expect(page.Locator("main h1")).ToContainTextAsync("Dashboard");
            await Expect(page.Locator("main h1")).Not.ToContainTextAsync("ダッシュボード");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await Expect(page.Locator("nav.sidenav")).ToContainTextAsync("Catalogue");
            await Expect(page.Locator("#sign-out")).ToHaveTextAsync("Sign out");

            // It sticks across pages.
            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
            await Expect(page.Locator("main h1")).ToHaveTextAsync("Audit log");

            await page.Locator("header").GetByRole(AriaRole.Button, new() { Name = "日本語" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/o/layout-hp/audit$"));
            await Expect(page.Locator("main h1")).ToHaveTextAsync("監査ログ");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "ダッシュボード" }).ClickAsync();
            await Expect(page.Locator("main h1")).ToContainTextAsync("ダッシュボード");
        });
    }
}
