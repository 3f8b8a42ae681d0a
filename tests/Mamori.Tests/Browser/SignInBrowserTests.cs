using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>Password + authenticator-app sign-in, sign-out and lockout, as a person does them in the browser.</summary>
public sealed class SignInBrowserTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    string url = "";
    MamoriApp.TestUser admin = null!;

    public async Task InitializeAsync()
    {
        url = app.StartKestrel();
        admin = (await app.CreateOrganizationAsync("signin-hp", withTotp: true)).Users[OrganizationRole.Administrator];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Password_and_totp_lead_to_the_dashboard_and_sign_out_returns_to_the_login_page()
    {
        await Chromium.RunAsync(url, async page =>
        {
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
            await Expect(page.Locator("h1")).ToHaveTextAsync("サインイン");

            await page.Locator("#Email").FillAsync(admin.Email);
            await page.Locator("#Password").FillAsync(admin.Password);
            await page.Locator("#sign-in").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/account/login/2fa"));
            await Expect(page.Locator("h1")).ToHaveTextAsync("二要素認証");

            await page.Locator("#Code").FillAsync(TotpCodes.Fresh(admin.TotpKey!));
            await page.Locator("#verify").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/o/signin-hp$"));
            await Expect(page.Locator("#current-org")).ToContainTextAsync("signin-hp 病院");
            await Expect(page.Locator("main h1")).ToContainTextAsync("ダッシュボード");

            await page.Locator("#sign-out").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
            await Expect(page.Locator("h1")).ToHaveTextAsync("サインイン");
            await Expect(page.Locator("#sign-out")).ToHaveCountAsync(0);

            // Signed out means signed out: the dashboard asks for the password again.
            await page.GotoAsync("/o/signin-hp");
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
            await Expect(page.Locator("#current-org")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Five_wrong_passwords_stop_this_browser_for_the_account_and_the_page_says_so_in_japanese()
    {
        await Chromium.RunAsync(url, async page =>
        {
            await page.GotoAsync("/account/login");
            for (var i = 1; i <= 5; i++)
            {
                await page.Locator("#Email").FillAsync(admin.Email);
                await page.Locator("#Password").FillAsync($"wrong-password-{i}23");
                await page.Locator("#sign-in").ClickAsync();
                await Expect(page.Locator("#login-error")).ToBeVisibleAsync();
                await Expect(page.Locator("#login-error")).ToContainTextAsync("メールアドレスまたはパスワードが違います");
            }

            await page.Locator("#Email").FillAsync(admin.Email);
            await page.Locator("#Password").FillAsync(admin.Password);
            await page.Locator("#sign-in").ClickAsync();
            await Expect(page.Locator("#login-error")).ToContainTextAsync("一時的に止めています"); // even the right password, from here
            await Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
            await Expect(page.Locator("#Code")).ToHaveCountAsync(0); // not let through to the TOTP step
        });
    }
}
