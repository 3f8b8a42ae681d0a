using System.Text.RegularExpressions;
using Mamori.Organizations;
using Mamori.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>A clinic answers this year's sheet, attaches evidence, the 院長 (administrator) signs and the 事務長 (経営層) reviews.</summary>
public sealed class ChecklistBrowserTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    string url = "";
    Dictionary<OrganizationRole, MamoriApp.TestUser> users = null!;

    public async Task InitializeAsync()
    {
        url = app.StartKestrel();
        users = (await app.CreateOrganizationAsync("chk-clinic", true, OrganizationRole.Administrator, OrganizationRole.Executive)).Users;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    static async Task AnswerAsync(IPage page, string node, string answer, string? target = null)
    {
        var item = page.Locator($"[id='item-{node}']");
        await item.Locator($"input[name='a.general'][value='{answer}']").CheckAsync();
        await item.Locator("input[name=checkedOn1]").FillAsync("2026-10-01");
        if (target is not null) await item.Locator("input[name=targetDate]").FillAsync(target);
        await item.Locator("button", new() { HasText = "この項目を保存" }).ClickAsync();
    }

    [Fact]
    public async Task Answer_with_help_attach_evidence_sign_and_review()
    {
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, users[OrganizationRole.Administrator]);
            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "チェックリスト" }).ClickAsync();
            await page.Locator("#start button", new() { HasText = "令和8年度" }).ClickAsync();
            await Expect(page.Locator("#progress-count")).ToHaveTextAsync("0 / 3");

            // Help in plain words with the guideline references from the catalogue.
            var first = page.Locator("[id='item-site-and-pharmacy.1.1']");
            await first.Locator("details.help summary").ClickAsync();
            await Expect(first.Locator("details.help")).ToContainTextAsync("「はい」と言える目安");

            // いいえ without a target date is refused in Japanese; with one inside the fiscal year it saves.
            await AnswerAsync(page, "site-and-pharmacy.3.3", "no");
            await Expect(page.Locator("[id='item-site-and-pharmacy.3.3'] .item-errors")).ToContainTextAsync("目標日");
            await AnswerAsync(page, "site-and-pharmacy.3.3", "no", "2027-03-01");
            await Expect(page.Locator("[id='item-site-and-pharmacy.3.3'] .item-notice")).ToContainTextAsync("保存しました");
            await AnswerAsync(page, "site-and-pharmacy.1.1", "yes");
            await Expect(page.Locator("[id='item-site-and-pharmacy.1.1'] .flag-no-evidence")).ToBeVisibleAsync();

            // Evidence: a PDF file removes the flag.
            var pdf = Path.Combine(Directory.CreateTempSubdirectory("mamori-evidence-").FullName, "任命書.pdf");
            await File.WriteAllTextAsync(pdf, "%PDF-1.4\n% test\n");
            await first.Locator("input[type=file]").SetInputFilesAsync(pdf);
            await first.Locator("button", new() { HasText = "添付" }).ClickAsync();
            await Expect(first.Locator(".evidence-list")).ToContainTextAsync("任命書.pdf");
            await Expect(first.Locator(".flag-no-evidence")).ToHaveCountAsync(0);

            await AnswerAsync(page, "site-and-pharmacy.4.1", "yes");
            await Expect(page.Locator("#progress-count")).ToHaveTextAsync("3 / 3");
            await page.Locator("#seal").ClickAsync();
            await Expect(page.Locator("#sheet-message")).ToContainTextAsync("1回目の確認に署名しました");
            await Expect(page.Locator("#seal-1 code")).ToHaveTextAsync(new Regex("^[0-9a-f]{64}$"));

            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "ダッシュボード" }).ClickAsync();
            await Expect(page.Locator("#checklist-summary")).ToContainTextAsync("経営層の確認待ち");
            await Expect(page.Locator("#checklist-summary .no-items")).ToContainTextAsync("2027/3/1");
        });

        // The 経営層 member reviews.
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, users[OrganizationRole.Executive]);
            await page.Locator("#checklist-summary a").First.ClickAsync();
            await page.Locator("#review-form-1 input[name=comment]").FillAsync("確認しました。BCP は年度内に策定すること。");
            await page.Locator("#review-form-1 button").ClickAsync();
            await Expect(page.Locator("#seal-1")).ToContainTextAsync("BCP は年度内に策定すること");
            await Expect(page.Locator("#seal-1")).ToContainTextAsync("chk-clinic Executive");
        }, name: "review");
    }
}
