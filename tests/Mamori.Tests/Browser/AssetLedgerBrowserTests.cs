using System.Text;
using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mamori.Tests.Browser;

/// <summary>An operator imports the hospital's Excel-era CSV ledger, fixes a mistake, commits, and registers a vendor VPN.</summary>
public sealed class AssetLedgerBrowserTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    string url = "";
    MamoriApp.TestUser operatorUser = null!;

    public async Task InitializeAsync()
    {
        url = app.StartKestrel();
        operatorUser = (await app.CreateOrganizationAsync("ledger-hp", false, OrganizationRole.Operator)).Users[OrganizationRole.Operator];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    static string CsvFile(string content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mamori-ledger-ui-").FullName, "機器台帳.csv");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        File.WriteAllBytes(path, Encoding.GetEncoding(932).GetBytes(content.Replace("\n", "\r\n")));
        return path;
    }

    const string Header = "管理番号,種別,メーカー,型番,OS,ファームウェア,IPアドレス,設置場所,登録日,状態\n";

    [Fact]
    public async Task Import_preview_fix_commit_then_register_a_vendor_vpn_and_see_the_findings()
    {
        await Chromium.RunAsync(url, async page =>
        {
            await Chromium.SignInAsync(page, operatorUser);
            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "機器台帳" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/o/ledger-hp/assets$"));
            await page.Locator("#import-assets").ClickAsync();

            // First attempt: an impossible date → row-numbered message, nothing imported.
            await page.Locator("#file").SetInputFilesAsync(CsvFile(Header +
                "PC-001,端末PC,A社,X1,Windows 8.1,,10.0.0.11,外来1診察室,令和2年2月30日,稼働\n" +
                "VPN-01,VPN装置,B社,V100,,,10.0.0.1,サーバ室,R3.4.1,稼働\n"));
            await page.Locator("#upload").ClickAsync();
            await Expect(page.Locator("#import-errors")).ToContainTextAsync("2行目");
            await Expect(page.Locator("#import-errors")).ToContainTextAsync("令和2年2月30日");
            await Expect(page.Locator("#commit")).ToHaveCountAsync(0);

            // Fixed file: preview shows what will happen, then import.
            await page.GotoAsync($"{url}/o/ledger-hp/assets/import");
            await page.Locator("#file").SetInputFilesAsync(CsvFile(Header +
                "PC-001,端末PC,A社,X1,Windows 8.1,,10.0.0.11,外来1診察室,令和2年2月28日,稼働\n" +
                "VPN-01,VPN装置,B社,V100,,,10.0.0.1,サーバ室,R3.4.1,稼働\n"));
            await page.Locator("#upload").ClickAsync();
            await Expect(page.Locator("#to-create")).ToHaveTextAsync("2");
            await Expect(page.Locator("#error-count")).ToHaveTextAsync("0");
            await Expect(page.Locator("#mapping select[name='Map[8]']")).ToHaveValueAsync("RegisteredOn");
            await page.Locator("#commit").ClickAsync();
            await Expect(page.Locator("#import-done")).ToContainTextAsync("新規 2 台");
            await Expect(page.Locator("#asset-table tbody tr")).ToHaveCountAsync(2);

            // Register the vendor's VPN through that appliance.
            await page.Locator(".tabs a", new() { HasText = "外部接続" }).ClickAsync();
            await page.Locator("#add-connection").ClickAsync();
            await page.Locator("#VendorName").FillAsync("サンプル給食サービス株式会社");
            await page.Locator("#Purpose").SelectOptionAsync("FoodService");
            await page.Locator("#Method").SelectOptionAsync("SslVpn");
            await page.Locator("#ApplianceAssetId").SelectOptionAsync(new SelectOptionValue { Label = "VPN-01  V100 " });
            await page.Locator("#AccountType").SelectOptionAsync("Shared");
            await page.Locator("#SecondFactor").SelectOptionAsync("no");
            await page.Locator("#save-connection").ClickAsync();
            var row = page.Locator("#connections tbody tr", new() { HasText = "サンプル給食サービス株式会社" });
            await Expect(row).ToContainTextAsync("VPN-01");
            await Expect(row).ToContainTextAsync("未確認");
            await Expect(row.Locator(".badge")).Not.ToHaveCountAsync(0);

            // The findings name the weak spots in plain Japanese.
            await page.Locator(".tabs a", new() { HasText = "要対応の指摘" }).ClickAsync();
            await Expect(page.Locator("#finding-UnsupportedOs")).ToContainTextAsync("PC-001");
            await Expect(page.Locator("#finding-SharedAccount")).ToBeVisibleAsync();
            await Expect(page.Locator("#finding-VpnFirmwareUnknown")).ToContainTextAsync("VPN-01");
            // One kind on its own, and back to all kinds.
            await page.Locator(".finding-kinds a", new() { HasText = "ファームウェアが分からない VPN 装置" }).ClickAsync();
            await Expect(page.Locator("#finding-VpnFirmwareUnknown")).ToContainTextAsync("VPN-01");
            await Expect(page.Locator("#finding-UnsupportedOs")).ToHaveCountAsync(0);
            await page.Locator(".finding-kinds a", new() { HasText = "すべての種類" }).ClickAsync();
            await Expect(page.Locator("#finding-UnsupportedOs")).ToContainTextAsync("PC-001");
            await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "ダッシュボード" }).ClickAsync();
            await Expect(page.Locator("#dashboard-findings")).ToContainTextAsync("サポート");
            // A kind on the dashboard opens the findings of that kind.
            await page.Locator("#dashboard-findings a", new() { HasText = "サポートが終了した OS" }).ClickAsync();
            await Expect(page.Locator("#finding-UnsupportedOs")).ToContainTextAsync("PC-001");
            await Expect(page.Locator("#finding-VpnFirmwareUnknown")).ToHaveCountAsync(0);
        });
    }
}
