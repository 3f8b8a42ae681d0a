using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
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

    MamoriApp.TestUser vendor = null!;

    public async Task InitializeAsync()
    {
        url = app.StartKestrel();
        users = (await app.CreateOrganizationAsync("chk-clinic", true, OrganizationRole.Administrator, OrganizationRole.Executive)).Users;
        vendor = (await app.CreateVendorAsync("chk-vendor", OrganizationRole.Operator)).Users[OrganizationRole.Operator];
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
            await Expect(page.Locator("#progress-count")).ToHaveTextAsync("0 / 19");

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
            await Expect(page.Locator("#progress-count")).ToHaveTextAsync("3 / 19");
            // The items carried over from R7 (未照合): はい in every column they have.
            var open = page.Locator("section.item:not(:has(.badge.conf-confirmed))");
            while (await open.CountAsync() > 0)
            {
                var item = open.First;
                var id = await item.GetAttributeAsync("id");
                foreach (var yes in await item.Locator("input[type=radio][value=yes]").AllAsync()) await yes.CheckAsync();
                if (await item.Locator("input[name=checkedOn1]").CountAsync() > 0) await item.Locator("input[name=checkedOn1]").FillAsync("2026-10-01");
                await item.Locator("button", new() { HasText = "この項目を保存" }).ClickAsync();
                await Expect(page.Locator($"[id='{id}'] .item-notice")).ToContainTextAsync("保存しました");
            }
            await Expect(page.Locator("#progress-count")).ToHaveTextAsync("19 / 19");
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

    /// <summary>
    /// 事業者確認用 through Mamori: the clinic requests it, the vendor answers, attaches its MDS and submits, the clinic
    /// returns it once with a comment, the vendor submits again, and the clinic downloads the inspection pack, whose
    /// vendor sheet reads back as the vendor entered it.
    /// </summary>
    [Fact]
    public async Task Request_a_vendor_sheet_the_vendor_answers_and_it_travels_in_the_pack()
    {
        var mds = Path.Combine(Directory.CreateTempSubdirectory("mamori-mds-").FullName, "MDS_電子カルテ.pdf");
        await File.WriteAllTextAsync(mds, "%PDF-1.4\n% MDS\n");
        string siteSheet = "";
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, users[OrganizationRole.Administrator]);
            await page.GotoAsync($"{url}/o/chk-clinic/checklists");
            var form = page.Locator("#request-form");
            await form.Locator("select[name=file]").SelectOptionAsync("checklist-r7");
            await form.Locator("input[name=system]").FillAsync("電子カルテ");
            await form.Locator("select[name=vendorOrganization]").SelectOptionAsync(new SelectOptionValue { Label = "chk-vendor 株式会社（東京都）" });
            await page.Locator("#request-vendor-sheet").ClickAsync();
            await Expect(page.Locator("#request-notice")).ToContainTextAsync("chk-vendor 株式会社 に依頼しました");
            await Expect(page.Locator("#vendor-requests")).ToContainTextAsync("依頼中");
            siteSheet = (await page.Locator("#vendor-requests a", new() { HasText = "電子カルテ" }).GetAttributeAsync("href"))!;
        }, name: "site-request");

        async Task VendorAsync(Func<IPage, Task> steps, string name) => await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, vendor);
            await page.GotoAsync($"{url}/o/chk-vendor/checklists");
            await Expect(page.Locator("#vendor-inbox")).ToContainTextAsync("chk-clinic 病院");
            await page.Locator("#vendor-inbox button", new() { HasText = "回答する" }).ClickAsync();
            await steps(page);
        }, name: name);

        await VendorAsync(async page =>
        {
            foreach (var node in new[] { "vendor.1.responsible-person", "vendor.2.3", "vendor.2.8" })
            {
                var item = page.Locator($"[id='item-{node}']");
                await item.Locator("input[name='a.general'][value='yes']").CheckAsync();
                await item.Locator("input[name=checkedOn1]").FillAsync("2025-10-01");
                await item.Locator("button", new() { HasText = "この項目を保存" }).ClickAsync();
                await Expect(page.Locator($"[id='item-{node}'] .item-notice")).ToContainTextAsync("保存しました");
            }
            await page.Locator("#document-form input[type=file]").SetInputFilesAsync(mds);
            await page.Locator("#document-form button").ClickAsync();
            await Expect(page.Locator("#documents")).ToContainTextAsync("MDS_電子カルテ.pdf");
            await page.Locator("#submit-request").ClickAsync();
            await Expect(page.Locator("#sheet-message")).ToContainTextAsync("提出しました");
            await Expect(page.Locator("#request-status")).ToHaveTextAsync("回答済");
            await Expect(page.Locator("#submit-request")).ToHaveCountAsync(0);
            await Expect(page.Locator("[id='item-vendor.2.3'] form")).ToHaveCountAsync(0); // frozen once submitted
        }, "vendor-answer");

        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, users[OrganizationRole.Administrator]);
            await page.GotoAsync(url + siteSheet);
            await Expect(page.Locator("#request-status")).ToHaveTextAsync("回答済");
            await Expect(page.Locator("#progress-count")).ToHaveTextAsync("3 / 3");
            await Expect(page.Locator("#documents")).ToContainTextAsync("MDS_電子カルテ.pdf");
            await page.Locator("#return-form input[name=comment]").FillAsync("MDS の版数を最新にしてください");
            await page.Locator("#return-request").ClickAsync();
            await Expect(page.Locator("#request-status")).ToHaveTextAsync("差戻し");
        }, name: "site-return");

        await VendorAsync(async page =>
        {
            await Expect(page.Locator("#return-comment")).ToContainTextAsync("MDS の版数を最新にしてください");
            await page.Locator("#submit-request").ClickAsync();
            await Expect(page.Locator("#request-status")).ToHaveTextAsync("回答済");
        }, "vendor-resubmit");

        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, users[OrganizationRole.Administrator]);
            await page.GotoAsync($"{url}/o/chk-clinic/checklists");
            await Expect(page.Locator("#vendor-requests")).ToContainTextAsync("回答済");
            await page.Locator("#start button", new() { HasText = "令和7年度" }).ClickAsync();
            // The pack prints several PDFs with chromium (seconds on a busy 2-core machine): wait for it as a user would.
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-pack").ClickAsync(new() { Timeout = 60_000 }), new() { Timeout = 60_000 });
            var pack = new System.IO.Compression.ZipArchive(File.OpenRead(await download.PathAsync()));
            const string folder = "事業者確認用/電子カルテ（chk-vendor 株式会社）";
            Assert.NotNull(pack.GetEntry($"{folder}/evidence/提出書類/MDS_電子カルテ.pdf"));
            using var xlsx = new MemoryStream();
            await pack.GetEntry($"{folder}.xlsx")!.Open().CopyToAsync(xlsx);
            using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(xlsx.ToArray()), false);
            var rows = doc.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>()
                .Select(r => r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(c => c.InnerText).ToList()).ToList();
            foreach (var itemRef in new[] { "2-③", "2-⑧" })
            {
                var row = rows.Single(r => r.Count > 6 && r[0] == itemRef);
                var checkedOn = DateTime.FromOADate(double.Parse(row[6], System.Globalization.CultureInfo.InvariantCulture)); // 確認日 is a real Excel date
                Assert.Equal(("はい", "2025/10/1"), (row[2], checkedOn.ToString("yyyy/M/d", System.Globalization.CultureInfo.InvariantCulture)));
            }
            Assert.Contains(rows, r => r.Count > 0 && r[0].Contains("提出書類: MDS_電子カルテ.pdf"));
        }, name: "site-pack");
    }
}
