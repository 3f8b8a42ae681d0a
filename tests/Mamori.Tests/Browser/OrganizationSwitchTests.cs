using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>A member of two organisations switches between them in the header; other organisations stay invisible.</summary>
public sealed class OrganizationSwitchTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    string url = "";
    MamoriApp.TestUser user = null!;

    public async Task InitializeAsync()
    {
        url = app.StartKestrel();
        user = (await app.CreateOrganizationAsync("sw-a", withTotp: true)).Users[OrganizationRole.Administrator];
        var second = (await app.CreateOrganizationAsync("sw-b", withTotp: true)).Org;
        await app.CreateOrganizationAsync("sw-c", withTotp: true); // someone else's organisation
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            db.Memberships.Add(new Membership { OrganizationId = second.Id, UserId = user.Id, Role = OrganizationRole.Viewer });
            return await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task The_header_switcher_opens_the_other_organisation_and_a_foreign_organisation_is_not_found()
    {
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, user);
            await Expect(page).ToHaveURLAsync(new Regex("/o/sw-a$"));
            await Expect(page.Locator("#current-org")).ToContainTextAsync("sw-a 病院");
            await Expect(page.Locator("#switch-org option")).ToHaveCountAsync(2);
            await Expect(page.Locator("#switch-org")).ToHaveValueAsync("sw-a");

            await page.Locator("#switch-org").SelectOptionAsync("sw-b"); // submits on change
            await Expect(page).ToHaveURLAsync(new Regex("/o/sw-b$"));
            await Expect(page.Locator("#current-org")).ToContainTextAsync("sw-b 病院");
            await Expect(page.Locator("#current-org")).Not.ToContainTextAsync("sw-a");
            await Expect(page.Locator("#switch-org")).ToHaveValueAsync("sw-b");
            await Expect(page.Locator("main")).ToContainTextAsync("閲覧者"); // the role in sw-b, not sw-a's 管理者

            // The choice is remembered: the start page now opens sw-b.
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new Regex("/o/sw-b$"));

            var response = await page.GotoAsync("/o/sw-c");
            Assert.Equal(404, response!.Status);
            await Expect(page.Locator("h1")).ToHaveTextAsync("ページが見つかりません");
            await Expect(page.Locator("body")).Not.ToContainTextAsync("sw-c 病院");
            await Expect(page.Locator("#current-org")).ToHaveCountAsync(0);

            response = await page.GotoAsync("/orgs/switch?code=sw-c");
            Assert.Equal(404, response!.Status);
            await Expect(page.Locator("h1")).ToHaveTextAsync("ページが見つかりません");
        });
    }
}
