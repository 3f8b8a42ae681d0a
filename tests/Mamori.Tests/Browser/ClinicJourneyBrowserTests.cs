using System.Diagnostics;
using System.IO.Compression;
using Mamori.Features.Assets;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Mail;
using Mamori.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>
/// Issue 11's "done when", in the browser: a one-doctor clinic whose only member, the 院長, is 管理者 and 経営層 asks its
/// EHR vendor for the 事業者確認用 (the vendor gets the mail), answers the whole 令和8年度 sheet, the vendor answers its
/// sheet, the 院長 alone signs and records the review, and the inspection pack downloads with the cover and the ledger.
/// The elapsed time of the clinic's part is written to the test output (measured, never asserted).
/// </summary>
public sealed class ClinicJourneyBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    readonly SmtpSink sink = new();
    MamoriApp app = null!;
    string url = "";
    MamoriApp.TestUser director = null!, vendor = null!;

    public async Task InitializeAsync()
    {
        sink.Start();
        app = new MamoriApp().With("MAMORI_SMTP_HOST", "127.0.0.1").With("MAMORI_SMTP_PORT", sink.Port.ToString())
            .With("MAMORI_SMTP_TLS", "none").With("MAMORI_SMTP_FROM", "mamori@clinic.example");
        url = app.StartKestrel();
        // The clinic and its ledger as kept in Mamori before this year's check: three devices and the vendor's remote connection.
        var clinic = await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var org = new Organization { Code = "solo", Name = "ひとり内科クリニック", Kind = OrganizationKind.Clinic, Prefecture = "東京都", RequireTwoFactor = false };
            db.Organizations.Add(org);
            var updated = DateTime.UtcNow;
            var router = new Asset { OrganizationId = org.Id, ControlNumber = "NW-01", Category = AssetCategory.VpnAppliance, Name = "保守用 VPN ルータ", UpdatedAt = updated, UpdatedBy = "院長" };
            db.Assets.AddRange(router,
                new Asset { OrganizationId = org.Id, ControlNumber = "PC-01", Category = AssetCategory.TerminalPc, Name = "電子カルテ端末（診察室）", OperatingSystem = "Windows 11 Pro", UpdatedAt = updated, UpdatedBy = "院長" },
                new Asset { OrganizationId = org.Id, ControlNumber = "PC-02", Category = AssetCategory.TerminalPc, Name = "電子カルテ端末（受付）", OperatingSystem = "Windows 11 Pro", UpdatedAt = updated, UpdatedBy = "院長" });
            db.Connections.Add(new Connection { OrganizationId = org.Id, VendorName = "solo-vendor 株式会社", Purpose = ConnectionPurpose.Ehr, Method = ConnectionMethod.IpsecVpn, ApplianceAssetId = router.Id });
            await db.SaveChangesAsync();
            return org;
        });
        director = await app.CreateMemberAsync(clinic, "director", true, OrganizationRole.Administrator, OrganizationRole.Executive);
        vendor = (await app.CreateVendorAsync("solo-vendor", OrganizationRole.Administrator)).Users[OrganizationRole.Administrator];
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        sink.Dispose();
    }

    /// <summary>はい in every column of every item still open (いいえ with a 目標日 for <paramref name="noRef"/>), one save per item.</summary>
    static async Task AnswerAllAsync(IPage page, string checkedOn, string? noRef = null, string? target = null)
    {
        var open = page.Locator("section.item:not(:has(.badge.conf-confirmed))");
        while (await open.CountAsync() > 0)
        {
            var item = open.First;
            var id = await item.GetAttributeAsync("id");
            var no = noRef is not null && await item.Locator("h3 .ref").TextContentAsync() == noRef;
            foreach (var radio in await item.Locator($"input[type=radio][value={(no ? "no" : "yes")}]").AllAsync()) await radio.CheckAsync();
            if (await item.Locator("input[name=checkedOn1]").CountAsync() > 0) await item.Locator("input[name=checkedOn1]").FillAsync(checkedOn);
            if (no) await item.Locator("input[name=targetDate]").FillAsync(target!);
            await item.Locator("button", new() { HasText = "この項目を保存" }).ClickAsync();
            await Expect(page.Locator($"[id='{id}'] .item-notice")).ToContainTextAsync("保存しました");
        }
    }

    [Fact]
    public async Task A_one_person_clinic_answers_the_R8_sheet_signs_reviews_and_downloads_the_pack()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).ToString("yyyy-MM-dd");
        var clinicTime = Stopwatch.StartNew();
        string sheetUrl = "";
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, director);
            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "チェックリスト" }).ClickAsync();
            // 事業者確認用 first, so the vendor works while the clinic answers.
            var form = page.Locator("#request-form");
            await form.Locator("select[name=file]").SelectOptionAsync("checklist-r8");
            await form.Locator("input[name=system]").FillAsync("電子カルテ");
            await form.Locator("select[name=vendorOrganization]").SelectOptionAsync(new SelectOptionValue { Label = "solo-vendor 株式会社（東京都）" });
            await page.Locator("#request-vendor-sheet").ClickAsync();
            await Expect(page.Locator("#request-notice")).ToContainTextAsync("solo-vendor 株式会社 に依頼しました");

            await page.Locator("#start button", new() { HasText = "令和8年度" }).ClickAsync();
            await Expect(page.Locator("#progress-count")).ToHaveTextAsync("0 / 19");
            sheetUrl = new Uri(page.Url).PathAndQuery;
            await AnswerAllAsync(page, today, "2-⑩", $"{AnswerYearEnd(today)}");
            await Expect(page.Locator("#progress-count")).ToHaveTextAsync("19 / 19");
        }, name: "clinic-answers");
        clinicTime.Stop();
        var answering = clinicTime.Elapsed;

        // The vendor was told by mail, and answers in Mamori.
        await app.Services.GetRequiredService<MailSender>().RunOnceAsync();
        Assert.Contains(sink.To(vendor.Email), m => (m.Subject ?? "").Contains("事業者確認用", StringComparison.Ordinal));
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, vendor);
            await page.GotoAsync("/o/solo-vendor/checklists");
            await page.Locator("#vendor-inbox button", new() { HasText = "回答する" }).ClickAsync();
            await AnswerAllAsync(page, today);
            await page.Locator("#submit-request").ClickAsync();
            await Expect(page.Locator("#request-status")).ToHaveTextAsync("回答済");
        }, name: "vendor-answers");

        clinicTime.Start();
        var signing = Stopwatch.StartNew();
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, director);
            await page.GotoAsync(sheetUrl);
            await page.Locator("#seal").ClickAsync();
            await Expect(page.Locator("#sheet-message")).ToContainTextAsync("1回目の確認に署名しました");
            // The same person records the 経営層 review; the record says so.
            await page.Locator("#review-form-1 button").ClickAsync();
            await Expect(page.Locator("#seal-1 .same-person")).ToContainTextAsync("同一人物（管理者と経営層を兼務）");

            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-pack").ClickAsync(new() { Timeout = 60_000 }), new() { Timeout = 60_000 });
            using var pack = new ZipArchive(File.OpenRead(await download.PathAsync()));
            var names = pack.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("00_表紙と目次.pdf", names);
            Assert.Contains("00_表紙と目次.xlsx", names);
            Assert.Contains(names, n => n.StartsWith("機器台帳_", StringComparison.Ordinal));
            Assert.Contains(names, n => n.StartsWith("外部接続一覧_", StringComparison.Ordinal));
            Assert.Contains(names, n => n.StartsWith("事業者確認用/電子カルテ", StringComparison.Ordinal) && n.EndsWith(".xlsx", StringComparison.Ordinal));
        }, name: "clinic-signs");
        clinicTime.Stop();
        output.WriteLine($"Clinic journey in the browser: {clinicTime.Elapsed.TotalSeconds:F1} s " +
                         $"(request + 19 items {answering.TotalSeconds:F1} s; sign, review and pack {signing.Elapsed.TotalSeconds:F1} s); vendor's part not counted.");
    }

    /// <summary>A 目標日 inside the fiscal year of <paramref name="today"/> (yyyy-MM-dd): 3月1日 of its end.</summary>
    static string AnswerYearEnd(string today)
    {
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        var endYear = day.Month >= 4 ? day.Year + 1 : day.Year;
        return $"{endYear}-03-01";
    }
}
