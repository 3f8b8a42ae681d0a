using System.Text.RegularExpressions;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Web;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>The first run, in a real browser: setup URL → organisation and administrator → TOTP enrolment → dashboard.</summary>
public sealed class FirstRunTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    string url = "";

    public Task InitializeAsync() { url = app.StartKestrel(); return Task.CompletedTask; }
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Setup_creates_the_organisation_and_administrator_who_must_enrol_totp_before_seeing_the_dashboard()
    {
        var token = app.Services.GetRequiredService<SetupTokens>().Issue();
        await Chromium.RunAsync(url, async page =>
        {
            await page.GotoAsync($"/setup/{token}");
            await Expect(page.Locator("h1")).ToHaveTextAsync("初回セットアップ");
            await page.Locator("#Org_Kind").SelectOptionAsync(new SelectOptionValue { Label = "病院" });
            await page.Locator("#Org_Name").FillAsync("さくら総合病院");
            await page.Locator("#Org_Prefecture").SelectOptionAsync(new SelectOptionValue { Label = "東京都" });
            await page.Locator("#Org_Code").FillAsync("sakura-hp");
            await page.Locator("#Org_MedicalInstitutionCode").FillAsync("１３１２３４５６７８"); // typed in full-width, as people do
            await page.Locator("#Account_DisplayName").FillAsync("山田 花子");
            await page.Locator("#Account_Email").FillAsync("hanako@sakura-hp.example");
            await page.Locator("#Account_Password").FillAsync("sakura-2026-kanri");
            await page.Locator("#create").ClickAsync();

            await Expect(page).ToHaveURLAsync(new Regex("/account/two-factor$"));
            await Expect(page.Locator("#totp-key")).ToBeVisibleAsync();

            // Nothing else is reachable before a second factor exists.
            await page.GotoAsync("/o/sakura-hp");
            await Expect(page).ToHaveURLAsync(new Regex("/account/two-factor$"));
            await Expect(page.Locator("#current-org")).ToHaveCountAsync(0);

            var shown = (await page.Locator("#totp-key").TextContentAsync())!.Trim();
            Assert.Matches("^[a-z2-7]{4}( [a-z2-7]{1,4})+$", shown); // lower-case base32 in groups of four
            var key = Totp.FromBase32(shown.Replace(" ", "").ToUpperInvariant());
            await page.Locator("#Code").FillAsync(TotpCodes.Now(key));
            await page.Locator("#enable").ClickAsync();

            await Expect(page.Locator("#twofactor-enabled")).ToBeVisibleAsync();
            await Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
            var codes = await page.Locator("#recovery-codes li").AllTextContentsAsync();
            Assert.Equal(10, codes.Select(c => c.Trim()).Where(c => c.Length >= 8).Distinct().Count());

            await page.Locator("#continue").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/o/sakura-hp$"));
            await Expect(page.Locator("#current-org")).ToContainTextAsync("さくら総合病院");
            await Expect(page.Locator("#current-org")).ToContainTextAsync("病院");
            await Expect(page.Locator("main h1")).ToContainTextAsync("ダッシュボード");
            await Expect(page.Locator("dl.props")).ToContainTextAsync("東京都");
            await Expect(page.Locator("dl.props")).ToContainTextAsync("1312345678");

            // The setup URL is spent.
            await page.GotoAsync($"/setup/{token}");
            await Expect(page.Locator("#setup-problem")).ToContainTextAsync("既に完了");
        });
    }

    [Fact]
    public async Task A_wrong_setup_url_shows_a_japanese_error_and_creates_nothing()
    {
        app.Services.GetRequiredService<SetupTokens>().Issue(); // a real token exists; the browser just does not have it
        await Chromium.RunAsync(url, async page =>
        {
            var response = await page.GotoAsync("/setup/wrong-token");
            Assert.Equal(404, response!.Status);
            await Expect(page.Locator("#setup-problem")).ToContainTextAsync("このセットアップ用 URL は無効か期限切れです");
            await Expect(page.Locator("#create")).ToHaveCountAsync(0);
            await Expect(page.Locator("#Org_Name")).ToHaveCountAsync(0);
        });
        var (orgs, users) = await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            return (await db.Organizations.CountAsync(), await db.Users.CountAsync());
        });
        Assert.Equal(0, orgs);
        Assert.Equal(0, users);
    }
}
