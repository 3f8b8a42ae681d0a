using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Mamori.Features.Assets;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>The 令和8年度 sheet of a hospital: answers with fiscal-year rules, conflicts, evidence, seal into the audit chain, review.</summary>
public sealed partial class ChecklistTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    Dictionary<OrganizationRole, MamoriApp.TestUser> users = null!;
    string sheetUrl = "";

    public async Task InitializeAsync()
    {
        users = (await app.CreateOrganizationAsync("chk", true, OrganizationRole.Administrator, OrganizationRole.Operator,
            OrganizationRole.Executive, OrganizationRole.Viewer)).Users;
        var client = await app.SignedInClientAsync(users[OrganizationRole.Operator]);
        var started = await client.PostFormAsync("/o/chk/checklists?handler=Start", new() { ["file"] = "checklist-r8", ["sheet"] = "site-and-pharmacy" }, "/o/chk/checklists");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        sheetUrl = started.Headers.Location!.OriginalString;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [GeneratedRegex(@"id=""item-(?<node>[^""]+)""[\s\S]*?name=""version"" value=""(?<v>\d+)""")] private static partial Regex Versions();

    static async Task<uint> VersionAsync(HttpClient client, string url, string node) =>
        uint.Parse(Versions().Matches(await client.GetStringAsync(url)).First(m => m.Groups["node"].Value == node).Groups["v"].Value);

    Task<HttpResponseMessage> SaveAsync(HttpClient client, string node, uint version, Dictionary<string, string> fields) =>
        client.PostFormAsync($"{sheetUrl}?handler=Save&node={node}", new Dictionary<string, string>(fields) { ["version"] = version.ToString() }, sheetUrl);

    [Fact]
    public async Task Answers_follow_the_fiscal_year_rules_and_a_stale_form_never_overwrites()
    {
        var client = await app.SignedInClientAsync(users[OrganizationRole.Operator]);
        var noTarget = await SaveAsync(client, "site-and-pharmacy.3.3", 0, new() { ["a.general"] = "no", ["checkedOn1"] = "2026-10-01" });
        Assert.Contains("目標日（いつまでに対応するか）が必要", await noTarget.Content.ReadAsStringAsync());
        var outside = await SaveAsync(client, "site-and-pharmacy.3.3", 0, new() { ["a.general"] = "no", ["checkedOn1"] = "2026-10-01", ["targetDate"] = "2027-04-01" });
        var outsideHtml = await outside.Content.ReadAsStringAsync();
        Assert.Contains("令和8年度中（2026年4月1日〜2027年3月31日）", outsideHtml);
        Assert.Contains("value=\"2027-04-01\"", outsideHtml); // what was typed is kept
        var ok = await SaveAsync(client, "site-and-pharmacy.3.3", 0, new() { ["a.general"] = "no", ["checkedOn1"] = "2026-10-01", ["targetDate"] = "2027-03-01", ["responsible"] = "情報システム課" });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);

        // Two people open the same item; the first saves; the second's save is refused and says who changed it.
        var other = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var version = await VersionAsync(client, sheetUrl, "site-and-pharmacy.3.3");
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(other, "site-and-pharmacy.3.3", version,
            new() { ["a.general"] = "yes", ["checkedOn1"] = "2026-10-02" })).StatusCode);
        var stale = await SaveAsync(client, "site-and-pharmacy.3.3", version, new() { ["a.general"] = "no", ["checkedOn1"] = "2026-10-01", ["targetDate"] = "2027-02-01" });
        var staleHtml = await stale.Content.ReadAsStringAsync();
        Assert.Contains("保存できませんでした", staleHtml);
        Assert.Contains("chk Administrator", staleHtml);
        var saved = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().ChecklistAnswers.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .SingleAsync(a => a.NodeId == "site-and-pharmacy.3.3"));
        Assert.Equal(("yes", (DateOnly?)null), (saved.General, saved.TargetDate));

        // Read-only roles cannot answer.
        var viewer = await app.SignedInClientAsync(users[OrganizationRole.Viewer]);
        Assert.DoesNotContain("この項目を保存", await viewer.GetStringAsync(sheetUrl));
        var refused = await SaveAsync(viewer, "site-and-pharmacy.1.1", 0, new() { ["a.general"] = "yes", ["checkedOn1"] = "2026-10-01" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex Csrf();
    [GeneratedRegex("<section class=\"card item[^\"]*\" id=\"item-([^\"]+)\"")] private static partial Regex ItemIds();

    async Task<string> AttachAsync(HttpClient client, string node, string name, byte[] content)
    {
        var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync(sheetUrl)).Groups[1].Value);
        var form = new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(content), "file", name } };
        var response = await client.PostAsync($"{sheetUrl}/evidence?handler=Attach&node={node}", form);
        return response.StatusCode == HttpStatusCode.Redirect ? await client.GetStringAsync(sheetUrl) : await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Evidence_is_checked_kept_with_its_hash_and_the_sealed_snapshot_hash_is_in_the_audit_chain()
    {
        var op = await app.SignedInClientAsync(users[OrganizationRole.Operator]);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 医療情報システム安全管理責任者 任命書\n");
        var page = await AttachAsync(op, "site-and-pharmacy.1.1", "任命書.pdf", pdf);
        Assert.Contains("任命書.pdf", page);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf))[..12], page);
        Assert.Contains("拡張子（.pdf）と一致しません", await AttachAsync(op, "site-and-pharmacy.1.1", "virus.pdf", [0x4D, 0x5A, 0x90, 0x00]));
        var link = Regex.Match(page, @"href=""(/o/chk/checklists/[^""]+handler=File[^""]+)""").Groups[1].Value.Replace("&amp;", "&");
        Assert.Equal(pdf, await op.GetByteArrayAsync(link));
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SignedInClientAsync((await app.CreateOrganizationAsync("chk-other", true)).Users[OrganizationRole.Administrator]))
            .GetAsync(link.Replace("/o/chk/", "/o/chk-other/"))).StatusCode);

        var admin = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var before = await admin.GetStringAsync(sheetUrl);
        Assert.Contains("あと 19 項目の記入が必要", before); // 18 items and the pre-question
        foreach (var node in ItemIds().Matches(before).Select(m => m.Groups[1].Value))
            Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(op, node, 0, new()
            {
                ["a.general"] = "yes", ["a.server"] = "yes", ["a.terminal"] = "yes", ["a.network"] = "yes", ["checkedOn1"] = "2026-10-01", // each item reads its own columns
            })).StatusCode);
        var sealedPage = await (await admin.PostFormAsync($"{sheetUrl}/signoff?handler=Seal", [], sheetUrl)).Content.ReadAsStringAsync();
        Assert.Contains("1回目の確認に署名しました", Regex.Match(sealedPage, "id=\"sheet-message\">[^<]*").Value + Regex.Match(sealedPage, "id=\"missing\">[^<]*").Value);

        var (seal, audit) = await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var s = await db.ChecklistSeals.IgnoreQueryFilters([MamoriDb.TenantFilter]).SingleAsync();
            var a = await db.AuditEntries.IgnoreQueryFilters().SingleAsync(x => x.Action == "checklist.sealed");
            return (s, a);
        });
        Assert.Contains(seal.Sha256, audit.Details);
        Assert.Equal(seal.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(seal.Snapshot))));
        Assert.Contains("任命書.pdf", seal.Snapshot);
        Assert.Contains("2026-10-01", seal.Snapshot);

        // 経営層 records the review; the date cannot be before the signature.
        var exec = await app.SignedInClientAsync(users[OrganizationRole.Executive]);
        var early = await exec.PostFormAsync($"{sheetUrl}/signoff?handler=Review", new() { ["round"] = "1", ["reviewedOn"] = "2026-01-01", ["comment"] = "" }, sheetUrl);
        Assert.Contains("署名の日から今日まで", await early.Content.ReadAsStringAsync());
        var today = DateTime.UtcNow.AddHours(9).ToString("yyyy-MM-dd");
        var reviewed = await exec.PostFormAsync($"{sheetUrl}/signoff?handler=Review", new() { ["round"] = "1", ["reviewedOn"] = today, ["comment"] = "内容を確認した" }, sheetUrl);
        Assert.Equal(HttpStatusCode.Redirect, reviewed.StatusCode);
        Assert.Contains("「内容を確認した」", await exec.GetStringAsync(sheetUrl));
        var frozen = await exec.GetStringAsync($"{sheetUrl}/signoff?handler=Round&round=1");
        Assert.Contains(seal.Sha256, frozen);
        Assert.Matches(@"<td>1-①</td><td>はい</td>", frozen);
        // The addresses these used to have (handlers of the sheet's own address) are served by the same pages.
        Assert.Equal(Regex.Match(frozen, "<table[^>]*id=\"sealed-answers\"[\\s\\S]*?</table>").Value, Regex.Match(await exec.GetStringAsync($"{sheetUrl}?handler=Sealed&round=1"), "<table[^>]*id=\"sealed-answers\"[\\s\\S]*?</table>").Value);
        Assert.Contains("署名の日から今日まで", await (await exec.PostFormAsync($"{sheetUrl}?handler=Review", new() { ["round"] = "1", ["reviewedOn"] = "2026-01-01" }, sheetUrl)).Content.ReadAsStringAsync());
        Assert.Equal(pdf, await op.GetByteArrayAsync(link.Replace("/evidence?handler=File", "?handler=File")));
        // The use-case pages answer only their own actions.
        foreach (var usecase in new[] { "evidence", "signoff", "export", "export?handler=Nothing" })
            Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"{sheetUrl}/{usecase}")).StatusCode);

        // The exported sheet reads back as entered.
        var xlsx = await op.GetByteArrayAsync($"{sheetUrl}/export?handler=Xlsx");
        var rows = ReadSheet(xlsx);
        Assert.Contains("医療機関等名称：chk 病院", rows[1][0]);
        Assert.Equal(["項番", "確認項目", "全般", "サーバ", "端末PC", "ネットワーク機器", "確認日（1回目）", "確認日（2回目）", "目標日", "備考", "担当者"], rows[3].Take(11));
        var item = rows.Single(r => r.Count > 0 && r[0] == "1-①");
        Assert.Equal(("はい", "／", DateTime.FromOADate(double.Parse(item[6], System.Globalization.CultureInfo.InvariantCulture)).ToString("yyyy/M/d", System.Globalization.CultureInfo.InvariantCulture)), (item[2], item[3], "2026/10/1")); // ／: no サーバ column; 確認日 a real date
        Assert.Contains(rows, r => r.Count > 0 && r[0].Contains($"SHA-256 {seal.Sha256}"));

        // The inspection pack: sheet (xlsx + PDF), evidence, sign-off and sealed snapshot, all listed with SHA-256.
        var pack = new System.IO.Compression.ZipArchive(new MemoryStream(await op.GetByteArrayAsync($"{sheetUrl}/export?handler=Pack")));
        byte[] Entry(string name) { using var m = new MemoryStream(); pack.GetEntry(name)!.Open().CopyTo(m); return m.ToArray(); }
        Assert.Equal(pdf, Entry("evidence/1-①/任命書.pdf"));
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(Entry("checklist-2026-site-and-pharmacy.pdf"), 0, 4));
        Assert.Equal(seal.Snapshot, Encoding.UTF8.GetString(Entry("sealed/round-1.json")));
        Assert.Contains(seal.Sha256, Encoding.UTF8.GetString(Entry("sign-off.json")));
        var manifest = Encoding.UTF8.GetString(Entry("MANIFEST.csv")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[2]);
        Assert.Equal(pack.Entries.Count - 1, manifest.Count);
        foreach (var (name, sha) in manifest)
            Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Entry(name))));

        // The command line writes the same pack.
        var dir = Directory.CreateTempSubdirectory("mamori-pack-").FullName;
        var (code, output) = await MamoriProcess.RunAsync(new Dictionary<string, string?> { ["MAMORI_DB"] = app.ConnectionString },
            "checklist", "export", "--org", "chk", "--year", "2026", "--out", dir);
        Assert.True(code == 0, output);
        var cliPack = new System.IO.Compression.ZipArchive(File.OpenRead(Directory.GetFiles(dir, "*.zip").Single()));
        Assert.Equal(pack.Entries.Select(e => e.FullName).Order(), cliPack.Entries.Select(e => e.FullName).Order());
    }

    [Fact]
    public async Task Next_year_carries_same_items_forward_as_proposals_and_marks_new_or_changed_ones()
    {
        var (carryOrg, carryUsers) = await app.CreateOrganizationAsync("carry", true);
        var admin = carryUsers[OrganizationRole.Administrator];
        // A vendor VPN with a shared account: the ledgers' finding is offered on 2-②, never answered for the site.
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            db.Connections.Add(new Connection { OrganizationId = carryOrg.Id, VendorName = "サンプル給食株式会社", AccountType = ConnectionAccountType.Shared });
            return await db.SaveChangesAsync();
        });
        var client = await app.SignedInClientAsync(admin);
        var r7 = (await client.PostFormAsync("/o/carry/checklists?handler=Start", new() { ["file"] = "checklist-r7", ["sheet"] = "site" }, "/o/carry/checklists"))
            .Headers.Location!.OriginalString;
        var r7Page = await client.GetStringAsync(r7);
        var item22 = r7Page[r7Page.IndexOf("id=\"item-site.2.2\"", StringComparison.Ordinal)..r7Page.IndexOf("id=\"item-site.2.3\"", StringComparison.Ordinal)];
        Assert.Contains("この項目に関わる指摘が", item22);
        Assert.Contains("サンプル給食株式会社", item22);
        Assert.DoesNotContain("checked=\"checked\"", item22); // no answer chosen for the site
        async Task Save(string url, string node, Dictionary<string, string> fields) =>
            Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{url}?handler=Save&node={node}", new Dictionary<string, string>(fields) { ["version"] = "0" }, url)).StatusCode);
        await Save(r7, "site.1.1", new() { ["a.general"] = "yes", ["checkedOn1"] = "2025-10-01", ["responsible"] = "事務長" });
        await Save(r7, "site.3.3", new() { ["a.general"] = "no", ["checkedOn1"] = "2025-10-01", ["targetDate"] = "2026-03-01" });
        await Save(r7, "site.2.2", new() { ["a.general"] = "yes", ["checkedOn1"] = "2025-10-02" });
        await Save(r7, "site.operations-policy", new() { ["a.general"] = "yes", ["checkedOn1"] = "2025-10-01" });
        var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync(r7)).Groups[1].Value);
        var form = new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent("%PDF-1.4 任命書"u8.ToArray()), "file", "任命書.pdf" } };
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync($"{r7}?handler=Evidence&node=site.1.1", form)).StatusCode);

        // A vendor's returned 事業者確認用, entered by the site for one system, travels in the site's inspection pack.
        var system = "電子カルテ（サンプル医療システム株式会社）";
        var vendorSheet = (await client.PostFormAsync("/o/carry/checklists?handler=StartVendor", new() { ["file"] = "checklist-r7", ["system"] = system }, "/o/carry/checklists"))
            .Headers.Location!.OriginalString;
        Assert.Equal(vendorSheet, (await client.PostFormAsync("/o/carry/checklists?handler=StartVendor", new() { ["file"] = "checklist-r7", ["system"] = system }, "/o/carry/checklists"))
            .Headers.Location!.OriginalString); // one sheet per vendor and system
        await Save(vendorSheet, "vendor.2.3", new() { ["a.general"] = "yes", ["checkedOn1"] = "2025-10-01" });
        token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync(vendorSheet)).Groups[1].Value);
        form = new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent("%PDF-1.4 MDS/SDS"u8.ToArray()), "file", "MDS_SDS.pdf" } };
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync($"{vendorSheet}?handler=Evidence&node=vendor.2.3", form)).StatusCode);
        var pack = new System.IO.Compression.ZipArchive(new MemoryStream(await client.GetByteArrayAsync($"{r7}?handler=Pack")));
        Assert.Contains(pack.Entries, e => e.FullName == $"事業者確認用/{system}.xlsx");
        Assert.Contains(pack.Entries, e => e.FullName == $"事業者確認用/{system}/evidence/2-③/MDS_SDS.pdf");

        var r8 = (await client.PostFormAsync("/o/carry/checklists?handler=Start", new() { ["file"] = "checklist-r8", ["sheet"] = "site-and-pharmacy" }, "/o/carry/checklists"))
            .Headers.Location!.OriginalString;
        var r8Id = Guid.Parse(r8.Split('/').Last());
        var answers = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().ChecklistAnswers.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(a => a.AssessmentId == r8Id).ToListAsync());
        var carried = answers.Where(a => a.CarriedFrom != null).ToDictionary(a => a.NodeId);
        // 2-② is in R8 only as R7's item carried over (未照合); the same-item mapping takes last year's answer there too.
        Assert.Equal(["site-and-pharmacy.1.1", "site-and-pharmacy.2.2", "site-and-pharmacy.3.3"], carried.Keys.Order());
        Assert.Equal(("yes", "checklist-r7/site.2.2"), (carried["site-and-pharmacy.2.2"].General, carried["site-and-pharmacy.2.2"].CarriedFrom));
        Assert.Contains("令和7年度 2-②", carried["site-and-pharmacy.2.2"].Note);
        Assert.Equal(("yes", null, "checklist-r7/site.1.1"), (carried["site-and-pharmacy.1.1"].General, carried["site-and-pharmacy.1.1"].CheckedOn1, carried["site-and-pharmacy.1.1"].CarriedFrom));
        Assert.Contains("確認日 2025/10/1", carried["site-and-pharmacy.1.1"].Note);
        Assert.Contains("目標日 2026/3/1", carried["site-and-pharmacy.3.3"].Note);
        Assert.Null(carried["site-and-pharmacy.3.3"].TargetDate); // last year's target is history, not this year's

        var page = await client.GetStringAsync(r8);
        Assert.Contains("id=\"progress-count\">0 / 19<", page); // nothing is assumed: carried answers wait for this year's check
        Assert.Equal(3, Regex.Matches(page, "前年度から引き継ぎ・今年度の確認日を入れて確定").Count);
        // The ledger finding numbered for R7 2-② is offered on R8's 2-② (the same item), and only there.
        var r8Item22 = page[page.IndexOf("id=\"item-site-and-pharmacy.2.2\"", StringComparison.Ordinal)..page.IndexOf("id=\"item-site-and-pharmacy.2.3\"", StringComparison.Ordinal)];
        Assert.Contains("この項目に関わる指摘が", r8Item22);
        Assert.Contains("サンプル給食株式会社", r8Item22);
        Assert.Equal(Regex.Matches(r8Item22, "サンプル給食株式会社の接続").Count, Regex.Matches(page, "サンプル給食株式会社の接続").Count);
        Assert.Contains("要回答", page); // 4-① only relates to last year's 運用管理規程等 item (narrower): no carry-over
        Assert.Contains("任命書.pdf", page);

        // The same system's 事業者確認用 carries over too: R7's 2-③ answer and MDS/SDS to R8's carried-over 2-③.
        var r8Vendor = (await client.PostFormAsync("/o/carry/checklists?handler=StartVendor", new() { ["file"] = "checklist-r8", ["system"] = system }, "/o/carry/checklists"))
            .Headers.Location!.OriginalString;
        var r8VendorId = Guid.Parse(r8Vendor.Split('/').Last());
        var vendorAnswer = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().ChecklistAnswers.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .SingleAsync(a => a.AssessmentId == r8VendorId));
        Assert.Equal(("vendor.2.3", "yes", "checklist-r7/vendor.2.3"), (vendorAnswer.NodeId, vendorAnswer.General, vendorAnswer.CarriedFrom));
        Assert.Contains("MDS_SDS.pdf", await client.GetStringAsync(r8Vendor));
    }

    [Fact]
    public async Task An_r8_sheet_shows_the_items_carried_over_from_r7_with_a_plain_note_and_no_catalogue_notes()
    {
        var client = await app.SignedInClientAsync(users[OrganizationRole.Operator]);
        var page = await client.GetStringAsync(sheetUrl);
        string Item(string node)
        {
            var start = page.IndexOf($"id=\"item-{node}\"", StringComparison.Ordinal);
            Assert.True(start > 0, node);
            var end = page.IndexOf("<section class=\"card item", start, StringComparison.Ordinal);
            return end < 0 ? page[start..] : page[start..end];
        }
        Assert.Contains("2 医療情報システムの管理・運用", page);
        var ledger = Item("site-and-pharmacy.2.1");
        Assert.Contains("サーバ、端末PC、ネットワーク機器の台帳管理を行っている", ledger);
        Assert.Contains("class=\"badge conf-unconfirmed unreconciled\">未照合<", ledger);
        Assert.Contains("令和7年度版から引き継いだ項目です。令和8年度の原本とまだ照合していません。", ledger);
        Assert.Contains("昨年度と同じ考え方で回答してください。", ledger);
        Assert.Contains("機器台帳を開く", ledger); // last year's item's help comes with it
        Assert.Contains("class=\"badge conf-unconfirmed unreconciled\">未照合<", Item("site-and-pharmacy.3.1"));
        // An item the facts give for R8 is not marked.
        Assert.DoesNotContain("未照合", Item("site-and-pharmacy.4.1"));
        Assert.Equal(16, Regex.Matches(page, "unreconciled-note").Count); // 2-①〜2-⑬, 3-①, 3-② and the pre-question
        // The catalogue team's notes stay in the catalogue.
        Assert.DoesNotContain("事実資料にない", page);
        Assert.DoesNotContain("資料で確かめられていない", page);

        // The answer form says it the same way, and no longer sends the reader to the official Excel.
        var rows = ReadSheet(await client.GetByteArrayAsync($"{sheetUrl}?handler=Xlsx"));
        Assert.Equal("【未照合】サーバ、端末PC、ネットワーク機器の台帳管理を行っている", rows.Single(r => r.Count > 0 && r[0] == "2-①")[1]);
        Assert.Equal("医療情報システム安全管理責任者を設置している", rows.Single(r => r.Count > 0 && r[0] == "1-①")[1]);
        var text = string.Join("\n", rows.SelectMany(r => r));
        Assert.Contains("【未照合】の項目: 令和7年度版から引き継いだ項目です。", text);
        Assert.DoesNotContain("原本の様式で補って", text);
    }

    [Fact]
    public async Task Answering_no_to_the_pre_question_makes_the_other_items_not_required_on_the_page_in_exports_and_for_the_seal()
    {
        var op = await app.SignedInClientAsync(users[OrganizationRole.Operator]);
        var admin = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        Assert.Contains("あと 19 項目の記入が必要", await admin.GetStringAsync(sheetUrl));
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(op, "site-and-pharmacy.prerequisite", 0, new() { ["a.general"] = "no" })).StatusCode);

        var id = Guid.Parse(sheetUrl.Split('/').Last());
        var assessment = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().ChecklistAssessments.IgnoreQueryFilters([MamoriDb.TenantFilter]).SingleAsync(a => a.Id == id));
        Assert.False(assessment.SystemInUse);
        var page = await admin.GetStringAsync(sheetUrl);
        Assert.Contains("id=\"not-required\"", page);
        Assert.Contains("id=\"progress-count\">1 / 1<", page);
        Assert.DoesNotContain("id=\"missing\"", page);
        Assert.DoesNotContain("disabled=\"disabled\"", page[page.IndexOf("id=\"seals\"", StringComparison.Ordinal)..]);

        var rows = ReadSheet(await op.GetByteArrayAsync($"{sheetUrl}?handler=Xlsx"));
        Assert.Equal("（不要）", rows.Single(r => r.Count > 0 && r[0] == "2-①")[2]);
        Assert.Contains(rows, r => r.Count > 0 && r[0].Contains("「医療情報システムを導入、運用している」が「いいえ」のため"));

        var sealedPage = await (await admin.PostFormAsync($"{sheetUrl}?handler=Seal", [], sheetUrl)).Content.ReadAsStringAsync();
        Assert.Contains("1回目の確認に署名しました", sealedPage);
        var seal = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().ChecklistSeals.IgnoreQueryFilters([MamoriDb.TenantFilter]).SingleAsync(s => s.AssessmentId == id));
        Assert.Contains("\"systemInUse\":false", seal.Snapshot);
    }

    [Fact]
    public async Task Changing_the_pre_question_back_to_yes_makes_the_items_required_again()
    {
        var op = await app.SignedInClientAsync(users[OrganizationRole.Operator]);
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(op, "site-and-pharmacy.prerequisite", 0, new() { ["a.general"] = "no" })).StatusCode);
        var version = await VersionAsync(op, sheetUrl, "site-and-pharmacy.prerequisite");
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(op, "site-and-pharmacy.prerequisite", version, new() { ["a.general"] = "yes" })).StatusCode);
        var page = await op.GetStringAsync(sheetUrl);
        Assert.DoesNotContain("id=\"not-required\"", page);
        Assert.Contains("id=\"progress-count\">1 / 19<", page);
    }

    static List<List<string>> ReadSheet(byte[] xlsx)
    {
        using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var rows = new List<List<string>>();
        foreach (var row in doc.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>())
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>())
            {
                var column = cell.CellReference!.Value!.TakeWhile(char.IsLetter).Aggregate(0, (n, ch) => n * 26 + ch - 'A' + 1) - 1;
                while (cells.Count < column) cells.Add("");
                cells.Add(cell.InnerText);
            }
            while (rows.Count < row.RowIndex!.Value - 1) rows.Add([]);
            rows.Add(cells);
        }
        return rows;
    }
}
