using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>Passkey (WebAuthn) registration and sign-in with Chromium's virtual authenticator (CDP).</summary>
public sealed class PasskeyTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    string url = "";
    MamoriApp.TestUser admin = null!;

    public async Task InitializeAsync()
    {
        url = app.StartKestrel();
        admin = (await app.CreateOrganizationAsync("passkey-hp", withTotp: true)).Users[OrganizationRole.Administrator];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_registered_passkey_signs_the_user_in_without_a_password()
    {
        await Chromium.RunAsync(url, async page =>
        {
            var cdp = await page.Context.NewCDPSessionAsync(page);
            await cdp.SendAsync("WebAuthn.enable");
            await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
            {
                ["options"] = new Dictionary<string, object>
                {
                    ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true,
                    ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
                },
            });

            await Chromium.SignInAsync(page, admin);
            await page.GotoAsync("/account/security");
            await page.Locator("[data-passkey-register]").ClickAsync();
            await Expect(page.Locator("#passkeys tbody")).ToContainTextAsync("パスキー 20");

            await page.Locator("#sign-out").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
            await page.Locator("#passkey-sign-in").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/o/passkey-hp$"));
            await Expect(page.Locator("#current-org")).ToContainTextAsync("passkey-hp 病院");
        });
    }
}
