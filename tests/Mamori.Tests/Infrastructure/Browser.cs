using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Mamori.Tests.Infrastructure;

/// <summary>
/// Real-browser tests: one Playwright driver and one headless Debian Chromium per test process (created on first use),
/// a fresh browser context (cookies, storage) per test, Japanese locale and Tokyo time zone.
/// A failing test leaves a full-page screenshot in bin/…/screenshots/{test}.png.
/// The class is not called Browser: that would clash with the Mamori.Tests.Browser namespace.
/// </summary>
public static class Chromium
{
    /// <summary>Debian's chromium (never `playwright install`): see shared/stack-notes.md §5.</summary>
    public static readonly BrowserTypeLaunchOptions Launch = new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
    };

    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Tablet = new() { Width = 820, Height = 1180 };

    static readonly string ScreenshotDir = Path.Combine(AppContext.BaseDirectory, "screenshots");
    static readonly SemaphoreSlim Gate = new(1, 1);
    static IPlaywright? playwright;
    static IBrowser? browser;

    static Chromium()
    {
        // Generous for a 2-core machine running two test classes at once; still far below the ~20 s per test budget.
        Assertions.SetDefaultExpectTimeout(10_000);
    }

    static async Task<IBrowser> InstanceAsync()
    {
        if (browser is { IsConnected: true }) return browser;
        await Gate.WaitAsync();
        try
        {
            if (browser is { IsConnected: true }) return browser;
            if (playwright is null)
            {
                // Screenshots describe this run's failures only.
                try { Directory.Delete(ScreenshotDir, recursive: true); } catch (DirectoryNotFoundException) { }
                playwright = await Playwright.CreateAsync();
            }
            browser = await playwright.Chromium.LaunchAsync(Launch);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();
            return browser;
        }
        finally { Gate.Release(); }
    }

    static void Shutdown()
    {
        try { browser?.CloseAsync().Wait(TimeSpan.FromSeconds(5)); } catch (Exception) { /* exiting anyway */ }
        try { playwright?.Dispose(); } catch (Exception) { /* exiting anyway */ }
    }

    /// <summary>
    /// Runs <paramref name="test"/> in a new browser context whose relative URLs resolve against <paramref name="baseUrl"/>.
    /// On failure a screenshot is saved and the exception is rethrown unchanged.
    /// </summary>
    public static async Task RunAsync(string baseUrl, Func<IPage, Task> test, ViewportSize? viewport = null,
        [CallerMemberName] string name = "")
    {
        var context = await (await InstanceAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            Locale = "ja-JP",
            TimezoneId = "Asia/Tokyo",
            ViewportSize = viewport ?? Desktop,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(10_000);
        context.SetDefaultNavigationTimeout(15_000);
        try
        {
            var page = await context.NewPageAsync();
            try
            {
                await test(page);
            }
            catch (Exception)
            {
                await ScreenshotAsync(page, name);
                throw;
            }
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    static async Task ScreenshotAsync(IPage page, string name)
    {
        try
        {
            Directory.CreateDirectory(ScreenshotDir);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true, Timeout = 5_000 });
        }
        catch (Exception)
        {
            // A screenshot is only a help: never hide the real failure behind a screenshot problem.
        }
    }

    /// <summary>Password form, then the TOTP page when the user has an authenticator app (as a person would).</summary>
    public static async Task SignInAsync(IPage page, MamoriApp.TestUser user)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#Email").FillAsync(user.Email);
        await page.Locator("#Password").FillAsync(user.Password);
        await page.Locator("#sign-in").ClickAsync();
        if (user.TotpKey is not null)
        {
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login/2fa"));
            await page.Locator("#Code").FillAsync(TotpCodes.Fresh(user.TotpKey));
            await page.Locator("#verify").ClickAsync();
        }
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }
}
