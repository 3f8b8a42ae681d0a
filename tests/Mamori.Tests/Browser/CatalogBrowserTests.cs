using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>A clinic director browses the catalogue, searches, opens an item and compares two checklist editions.</summary>
public sealed class CatalogBrowserTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    string url = "";
    MamoriApp.TestUser viewer = null!;

    public async Task InitializeAsync()
    {
        url = app.StartKestrel();
        viewer = (await app.CreateOrganizationAsync("cat-hp", false, OrganizationRole.Viewer)).Users[OrganizationRole.Viewer];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Browse_search_open_an_item_and_compare_r7_with_r8()
    {
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, viewer);
            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "カタログ" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/o/cat-hp/catalog$"));
            await Expect(page.Locator("#editions tbody tr")).ToHaveCountAsync(14);
            // A hospital sees which editions apply to it.
            await Expect(page.Locator("#editions tr.applies").Filter(new() { HasText = "令和7年度版" })).ToHaveCountAsync(1);

            // Tree of an edition, with the known gaps shown.
            await page.Locator("#editions a", new() { HasText = "令和8年度版" }).ClickAsync();
            await Expect(page.Locator("#gaps")).ToContainTextAsync("区分2");
            await Expect(page.Locator("#tree")).ToContainTextAsync("4-①");
            await page.GoBackAsync();

            // Search: the exact reference comes first, this year's (R8, carried over from R7 and 未照合) before last year's.
            await page.Locator("#q").FillAsync("2-⑦");
            await page.Locator("#q").PressAsync("Enter");
            var first = page.Locator("#results li").First;
            await Expect(first).ToContainTextAsync("2-⑦");
            await Expect(first).ToContainTextAsync("パスワード");
            await Expect(first).ToContainTextAsync("令和8年度版");
            await Expect(page.Locator("#results li").Nth(1)).ToContainTextAsync("令和7年度版");

            await page.Locator("#q").FillAsync("二要素");
            await page.Locator("#q").PressAsync("Enter");
            await Expect(page.Locator("#result-count")).ToContainTextAsync("「二要素」");
            await Expect(page.Locator("#results")).ToContainTextAsync("2-⑩");

            // Item page: label, our summary, source, confidence and mappings both ways.
            await page.Locator("#results li", new() { HasText = "令和7年度版" }).Locator("a", new() { HasText = "2-⑩" }).First.ClickAsync();
            await Expect(page.Locator("#item-title")).ToContainTextAsync("二要素認証");
            await Expect(page.Locator("#item-title .badge")).ToHaveTextAsync("推定");
            await Expect(page.Locator("#estimated-warning")).ToBeVisibleAsync();
            await Expect(page.Locator("#summary")).Not.ToBeEmptyAsync();
            await Expect(page.Locator("#source")).ToContainTextAsync("チェックリスト");
            await Expect(page.Locator("#mappings-out tr").First).ToBeVisibleAsync();

            // Compare two editions.
            await page.GotoAsync($"{url}/o/cat-hp/catalog");
            await page.Locator("#diff-form button").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("from=checklist-r7&to=checklist-r8"));
            await Expect(page.Locator("#count-added")).ToHaveTextAsync("0");
            await Expect(page.Locator("#gap-warning")).ToBeVisibleAsync();
            await Expect(page.Locator("#changed")).ToContainTextAsync("運用管理規程");
            await Expect(page.Locator("#removed")).Not.ToContainTextAsync("2-⑦"); // carried over into R8 (未照合), not removed
        });
    }
}
