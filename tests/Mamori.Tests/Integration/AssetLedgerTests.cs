using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Mamori.Features.Assets;
using Mamori.Features.Assets.Import;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>機器台帳 import (command line and web), all-or-nothing on bad input, export round trip, isolation.</summary>
public sealed partial class AssetLedgerTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    Organization org = null!, other = null!;
    MamoriApp.TestUser admin = null!, outsider = null!;
    Dictionary<string, string?> Env => new() { ["MAMORI_DB"] = app.ConnectionString };

    static TestFile Write(string name, byte[] content)
    {
        var dir = Directory.CreateTempSubdirectory("mamori-ledger-").FullName;
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, content);
        return new TestFile(path);
    }

    sealed record TestFile(string Path);

    public async Task InitializeAsync()
    {
        (org, var users) = await app.CreateOrganizationAsync("ledger", withTotp: true);
        admin = users[OrganizationRole.Administrator];
        (other, var others) = await app.CreateOrganizationAsync("other-hp", withTotp: true);
        outsider = others[OrganizationRole.Administrator];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    Task<List<Asset>> AssetsOf(Guid organizationId) => app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Assets
        .IgnoreQueryFilters([MamoriDb.TenantFilter]).Include(a => a.Interfaces).Where(a => a.OrganizationId == organizationId).ToListAsync());

    // Shift_JIS as Excel writes it, 和暦 and western dates, full-width digits, a title row above the header.
    const string Ledger = """
        機器台帳
        最終更新日：2024年7月1日
        管理番号,メーカー,OS,ソフトウェア,ソフトウェアバージョン,IPアドレス,コンピュータ名,設置場所,利用者,登録日,状態,説明,種別
        001,A社,Win11,○○電子カルテ,2.0,192.168.0.11,Room1のPC1,Room1,a医師（○○科）,令和2年12月1日,稼働,,端末PC
        002,A社,Win11,○○電子カルテ,1.2,192.168.0.12,Room1のPC2,Room1,b医師（○○科）,R2.12.1,停止,メンテナンス,端末PC
        003,A社,Win8,○○電子カルテ,2.0,"192.168.0.13 / 10.1.0.13",Room2のPC1,Room2,c医師（△△科）,H26/10/1,稼働,,パソコン
        004,B社,Windows Server 2012 R2,○○管理システム,5.0.1,１９２.１６８.０.１４,SV1,サーバ室,情報システム課,2021/8/1,稼働,,サーバ
        """;

    static byte[] ShiftJis(string text) => Encoding.GetEncoding(932).GetBytes(text.Replace("\n", "\r\n"));

    static AssetLedgerTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    async Task<(int Code, JsonElement Report, string Output)> CliAsync(TestFile file, params string[] extra)
    {
        var (code, output) = await MamoriProcess.RunAsync(Env, ["assets", "import", file.Path, "--org", "ledger", "--json", .. extra]);
        var json = output[output.IndexOf('{')..];
        return (code, JsonDocument.Parse(json).RootElement.Clone(), output);
    }

    [Fact]
    public async Task The_command_line_imports_a_shift_jis_ledger_with_japanese_dates_and_updates_it_by_control_number()
    {
        var file = Write("台帳.csv", ShiftJis(Ledger));
        var web = await app.SignedInClientAsync(admin);
        Assert.Contains("台帳から見つかった要対応の指摘はありません", await web.GetStringAsync("/o/ledger")); // findings cached as none
        var (dryCode, dry, dryOutput) = await CliAsync(file, "--dry-run");
        Assert.True(dryCode == 0, dryOutput);
        Assert.Equal((4, 4, 0, false), (dry.GetProperty("rows_read").GetInt32(), dry.GetProperty("to_create").GetInt32(), dry.GetProperty("to_update").GetInt32(), dry.GetProperty("committed").GetBoolean()));
        Assert.Empty(await AssetsOf(org.Id));
        // The preview the web page shows, as JSON: each row as it will be stored.
        var preview = dry.GetProperty("preview").EnumerateArray().ToList();
        Assert.Equal(4, preview.Count);
        Assert.Equal((4, "create", "001", "2020/12/1", "端末PC"), (preview[0].GetProperty("row").GetInt32(), preview[0].GetProperty("action").GetString(),
            preview[0].GetProperty("values").GetProperty("control_number").GetString(), preview[0].GetProperty("values").GetProperty("registered_on").GetString(),
            preview[0].GetProperty("values").GetProperty("category").GetString()));
        Assert.Equal("192.168.0.13, 10.1.0.13", preview[2].GetProperty("values").GetProperty("ip_address").GetString());

        var (code, report, output) = await CliAsync(file);
        Assert.True(code == 0, output);
        // An import by another process (the command line) is seen by the server's dashboard at once.
        Assert.Contains("サポートが終了した OS", await web.GetStringAsync("/o/ledger"));
        Assert.Equal(3, report.GetProperty("header_row").GetInt32());
        var assets = (await AssetsOf(org.Id)).ToDictionary(a => a.ControlNumber);
        Assert.Equal(4, assets.Count);
        Assert.Equal(new DateOnly(2020, 12, 1), assets["001"].RegisteredOn);
        Assert.Equal(new DateOnly(2020, 12, 1), assets["002"].RegisteredOn);
        Assert.Equal(new DateOnly(2014, 10, 1), assets["003"].RegisteredOn);
        Assert.Equal(AssetStatus.Stopped, assets["002"].Status);
        Assert.Equal("192.168.0.14", assets["004"].IpAddress); // full-width digits
        Assert.Equal(AssetCategory.Server, assets["004"].Category);
        Assert.Equal(["10.1.0.13", "192.168.0.13"], assets["003"].Interfaces.Select(i => i.IpAddress).Order()); // two networks

        var changed = Write("台帳.csv", ShiftJis(Ledger.Replace("Room1のPC2,Room1", "Room1のPC2,Room9")));
        var (againCode, again, _) = await CliAsync(changed);
        Assert.Equal(0, againCode);
        Assert.Equal((0, 1, 3), (again.GetProperty("to_create").GetInt32(), again.GetProperty("to_update").GetInt32(), again.GetProperty("unchanged").GetInt32()));
        Assert.Equal("Room9", (await AssetsOf(org.Id)).Single(a => a.ControlNumber == "002").Location);

        // History holds each import's versions: the four devices as the first import created them, then the one row the
        // second import changed, as it made it.
        var history = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AssetHistory.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(h => h.OrganizationId == org.Id && h.Source == "import").Select(h => new { h.Change, h.Snapshot }).ToListAsync());
        Assert.Equal(4, history.Count(h => h.Change == "create"));
        Assert.Contains("Room1", history.Single(h => h.Change == "create" && h.Snapshot.Contains("\"ControlNumber\": \"002\"")).Snapshot);
        Assert.Contains("Room9", Assert.Single(history, h => h.Change == "update").Snapshot);
        var audit = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters()
            .Where(a => a.OrganizationId == org.Id && a.Action == "assets.imported").Select(a => a.Details!).ToListAsync());
        Assert.Equal(2, audit.Count);
        Assert.Contains(AssetImporter.Sha256(ShiftJis(Ledger)), audit[0]);
    }

    /// <summary>
    /// The command line with a bad file, once (each kind of bad file is a unit test: BadLedgerFileTests): a non-zero exit,
    /// the row-numbered Japanese message a person reads, and the ledger as it was, the file's good rows included.
    /// </summary>
    [Fact]
    public async Task A_bad_file_on_the_command_line_exits_with_a_row_numbered_japanese_message_and_changes_nothing()
    {
        await app.ScopedAsync(sp => AssetImporter.ImportAsync(sp.GetRequiredService<MamoriDb>(), org.Id,
            Encoding.UTF8.GetBytes("管理番号,設置場所\nPC-1,外来\n"), "seed.csv", null, "test", CancellationToken.None));
        var file = Write("台帳.csv", Encoding.UTF8.GetBytes("管理番号,設置場所,IPアドレス\nPC-1,病棟,\nPC-2,外来,10.0.0.2\nPC-3,外来,192.168.1.300\n"));

        var (code, output) = await MamoriProcess.RunAsync(Env, "assets", "import", file.Path, "--org", "ledger");

        Assert.True(code != 0, output);
        Assert.Contains("エラー 4行目: ", output);
        Assert.Contains("192.168.1.300", output);
        Assert.Contains("何も取り込んでいません", output);
        var asset = Assert.Single(await AssetsOf(org.Id));
        Assert.Equal(("PC-1", "外来"), (asset.ControlNumber, asset.Location));
        Assert.Equal(1, await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters()
            .CountAsync(a => a.OrganizationId == org.Id && a.Action == "assets.imported")));
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex Csrf();
    [GeneratedRegex("name=\"upload\" value=\"([0-9a-f-]+)\"")] private static partial Regex UploadId();

    [Fact]
    public async Task Web_upload_previews_then_imports_and_the_export_re_imports_identically_with_formulas_escaped()
    {
        // A device with a formula-like description, saved through the form (the form accepts text as typed).
        var client = await app.SignedInClientAsync(admin);
        var saved = await client.PostFormAsync("/o/ledger/assets/edit", new()
        {
            ["Input.ControlNumber"] = "SV-001", ["Input.Category"] = "Server", ["Input.OperatingSystem"] = "Windows Server 2012 R2",
            ["Input.IpAddress"] = "10.10.0.5", ["Input.Description"] = "=1+1", ["Input.Status"] = "InUse", ["Input.SecurityUpdatesBy"] = "Vendor",
            ["Input.Interfaces"] = "10.10.0.5, 電子カルテ系\n192.168.10.5, インターネット系",
        }, "/o/ledger/assets/edit");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var badIp = await client.PostFormAsync("/o/ledger/assets/edit", new() { ["Input.ControlNumber"] = "SV-002", ["Input.IpAddress"] = "10.10.0.999" }, "/o/ledger/assets/edit");
        Assert.Contains("正しいアドレスではありません", await badIp.Content.ReadAsStringAsync());

        var xlsx = await client.GetByteArrayAsync("/o/ledger/assets?handler=Export&format=xlsx");
        using (var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false))
        {
            var cells = doc.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Cell>().Select(c => c.InnerText).ToList();
            Assert.StartsWith("機器台帳", cells[0]);
            Assert.StartsWith("最終更新日：", cells[1]);
            Assert.Contains("管理番号", cells);
            Assert.Contains("'=1+1", cells);
            Assert.DoesNotContain("=1+1", cells);
        }
        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync("/o/ledger/assets?handler=Export&format=csv"));
        Assert.StartsWith("\uFEFF管理番号,メーカー,OS", csv);
        Assert.Contains("'=1+1", csv);

        // Upload the export into another organisation: preview first, then import.
        var otherClient = await app.SignedInClientAsync(outsider);
        var token = WebUtility.HtmlDecode(Csrf().Match(await otherClient.GetStringAsync("/o/other-hp/assets/import")).Groups[1].Value);
        var form = new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(xlsx), "file", "export.xlsx" } };
        var preview = await (await otherClient.PostAsync("/o/other-hp/assets/import?handler=Upload", form)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"to-create\">1<", preview);
        Assert.Contains("id=\"header-row\">5行目<", preview);
        // The escaped description imports as the text it was, not as a formula error.
        Assert.Contains("id=\"error-count\" class=\"ok\">0<", preview);
        Assert.Empty(await AssetsOf(other.Id));

        var upload = UploadId().Match(preview).Groups[1].Value;
        var fields = new Dictionary<string, string> { ["upload"] = upload, ["headerRow"] = "5" };
        var commit = await otherClient.PostFormAsync("/o/other-hp/assets/import?handler=Commit", fields, "/o/other-hp/assets/import");
        Assert.Equal(HttpStatusCode.Redirect, commit.StatusCode);
        Assert.Contains("imported=1", commit.Headers.Location!.OriginalString);
        var copy = Assert.Single(await AssetsOf(other.Id));
        var original = Assert.Single(await AssetsOf(org.Id));
        foreach (var field in AssetLedgerExport.Columns)
            Assert.True(AssetLedgerExport.Value(original, field) == AssetLedgerExport.Value(copy, field), $"{field}: {AssetLedgerExport.Value(original, field)} ≠ {AssetLedgerExport.Value(copy, field)}");

        // Each organisation sees only its own device, also when it guesses the other's id.
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/o/other-hp/assets/{original.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/o/ledger/assets/{original.Id}")).StatusCode);
        var list = await otherClient.GetStringAsync("/o/other-hp/assets");
        Assert.Contains("SV-001", list);
        Assert.DoesNotContain(original.Id.ToString(), list);
    }

    [Fact]
    public async Task The_list_filters_and_sorts_by_any_column_and_pages()
    {
        var (listOrg, users) = await app.CreateOrganizationAsync("list-hp", withTotp: true);
        await AddPcsAsync(listOrg.Id, 120, (pc, i) =>
        {
            pc.Category = i % 10 == 0 ? AssetCategory.Server : AssetCategory.TerminalPc;
            (pc.Location, pc.IpAddress) = (i % 2 == 0 ? "外来" : "病棟", $"10.0.{i / 256}.{i % 256}");
        });
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var page = await client.GetStringAsync("/o/list-hp/assets?f.Category=Server&f.Location=外来&sort=ControlNumber&desc=true");
        var numbers = ControlNumbers().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["PC-120", "PC-110", "PC-100", "PC-090", "PC-080", "PC-070", "PC-060", "PC-050", "PC-040", "PC-030", "PC-020", "PC-010"], numbers);
        var search = await client.GetStringAsync("/o/list-hp/assets?q=pc-11"); // case-insensitive, across the searched columns
        Assert.Equal(Enumerable.Range(110, 10).Select(i => $"PC-{i}"), ControlNumbers().Matches(search).Select(m => m.Groups[1].Value));
        var second = await client.GetStringAsync("/o/list-hp/assets?p=3");
        Assert.Equal(20, ControlNumbers().Matches(second).Count);
        Assert.Contains("3 / 3 ページ", second);
    }

    [GeneratedRegex(@"/assets/[0-9a-f-]{36}"">(PC-\d+)</a>")] private static partial Regex ControlNumbers();

    /// <summary>Terminal PCs PC-001 … PC-<paramref name="count"/> in the organisation, each completed by <paramref name="describe"/>.</summary>
    Task<int> AddPcsAsync(Guid organizationId, int count, Action<Asset, int> describe) => app.ScopedAsync(sp =>
    {
        var db = sp.GetRequiredService<MamoriDb>();
        for (var i = 1; i <= count; i++)
        {
            var pc = new Asset { OrganizationId = organizationId, ControlNumber = $"PC-{i:000}", Category = AssetCategory.TerminalPc, UpdatedBy = "test" };
            describe(pc, i);
            db.Assets.Add(pc);
        }
        return db.SaveChangesAsync();
    });

    [Fact]
    public async Task A_large_ledgers_findings_are_shown_a_few_per_kind_then_in_pages_and_stay_within_the_organisation()
    {
        // 250 PCs never stocktaken, 3 of them on Windows 8.1: a finding per PC, and then some.
        var (bigOrg, users) = await app.CreateOrganizationAsync("big-hp", withTotp: true);
        await AddPcsAsync(bigOrg.Id, 250, (pc, i) => pc.OperatingSystem = i <= 3 ? "Windows 8.1" : "Windows 11");
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var dashboard = await client.GetStringAsync("/o/big-hp");
        Assert.Contains("要対応の指摘 253 件", dashboard);
        Assert.Contains("/o/big-hp/assets/findings?code=StocktakeOverdue\">1年以上棚卸していない機器</a>（250）", dashboard);

        var overview = await client.GetStringAsync("/o/big-hp/assets/findings");
        var stocktake = Section(overview, "StocktakeOverdue");
        Assert.Equal(20, ControlNumbers().Matches(stocktake).Count);
        Assert.Contains("残り 230 件を含めてすべて見る", stocktake);
        Assert.Equal(["PC-001", "PC-002", "PC-003"], ControlNumbers().Matches(Section(overview, "UnsupportedOs")).Select(m => m.Groups[1].Value));

        var first = await client.GetStringAsync("/o/big-hp/assets/findings?code=StocktakeOverdue");
        Assert.Equal(200, ControlNumbers().Matches(first).Count);
        Assert.Contains("1 / 2 ページ", first);
        Assert.DoesNotContain("id=\"finding-UnsupportedOs\"", first);
        var second = await client.GetStringAsync("/o/big-hp/assets/findings?code=StocktakeOverdue&p=2");
        Assert.Equal(50, ControlNumbers().Matches(second).Count);
        Assert.DoesNotContain("次へ", second);

        // Another organisation's findings page knows nothing of these devices.
        var outsiderClient = await app.SignedInClientAsync(outsider);
        var theirs = await outsiderClient.GetStringAsync("/o/other-hp/assets/findings?code=StocktakeOverdue");
        Assert.Empty(ControlNumbers().Matches(theirs));
        Assert.Equal(HttpStatusCode.NotFound, (await outsiderClient.GetAsync("/o/big-hp/assets/findings")).StatusCode);
    }

    static string Section(string page, string code)
    {
        var start = page.IndexOf($"id=\"finding-{code}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section finding-{code}");
        var end = page.IndexOf("</section>", start, StringComparison.Ordinal);
        return page[start..end];
    }

    [Fact]
    public async Task Editing_a_device_someone_else_changed_meanwhile_is_refused_and_loses_nothing()
    {
        var (editOrg, users) = await app.CreateOrganizationAsync("edit-hp", withTotp: true);
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var created = await client.PostFormAsync("/o/edit-hp/assets/edit", new()
            { ["Input.ControlNumber"] = "PC-1", ["Input.Interfaces"] = "10.0.0.1, 電子カルテ系\n192.168.0.1, インターネット系" }, "/o/edit-hp/assets/edit");
        var id = created.Headers.Location!.OriginalString.Split('/').Last();
        var form = await client.GetStringAsync($"/o/edit-hp/assets/edit/{id}");
        var version = Regex.Match(form, "name=\"Input.Version\" value=\"(\\d+)\"").Groups[1].Value;

        // First editor saves; the second, with the same (now stale) form, is told and nothing of theirs overwrites.
        var first = await client.PostFormAsync($"/o/edit-hp/assets/edit/{id}", new()
            { ["Input.Version"] = version, ["Input.ControlNumber"] = "PC-1", ["Input.Location"] = "外来", ["Input.Interfaces"] = "10.0.0.1, 電子カルテ系" }, $"/o/edit-hp/assets/edit/{id}");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var second = await client.PostFormAsync($"/o/edit-hp/assets/edit/{id}", new()
            { ["Input.Version"] = version, ["Input.ControlNumber"] = "PC-1", ["Input.Location"] = "病棟" }, $"/o/edit-hp/assets/edit/{id}");
        Assert.Contains("保存できません", await second.Content.ReadAsStringAsync());
        var asset = Assert.Single(await AssetsOf(editOrg.Id));
        Assert.Equal("外来", asset.Location);
        Assert.Equal(["10.0.0.1"], asset.Interfaces.Select(i => i.IpAddress));
        var history = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AssetHistory.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(h => h.AssetId == asset.Id).OrderBy(h => h.Id).Select(h => new { h.Change, h.Snapshot }).ToListAsync());
        // The device as added, then the one saved change; the refused one is nowhere.
        Assert.Equal(["create", "update"], history.Select(h => h.Change));
        Assert.DoesNotContain("外来", history[0].Snapshot);
        Assert.Contains("外来", history[1].Snapshot);
        Assert.DoesNotContain(history, h => h.Snapshot.Contains("病棟"));
    }

    [Fact]
    public async Task The_demo_hospital_has_a_realistic_ledger_whose_findings_reach_the_dashboard()
    {
        await app.ScopedAsync(async sp => { await DemoData.EnsureAsync(sp, TextWriter.Null); return 0; });
        var demoAdmin = new MamoriApp.TestUser(Guid.Empty, "admin@demo.example", DemoData.Password, null);
        var client = await app.SignedInClientAsync(demoAdmin);
        var dashboard = await client.GetStringAsync("/o/demo");
        Assert.Matches(@"機器 [23]\d\d 台", dashboard);
        foreach (var heading in new[] { "サポートが終了した OS", "2枚挿し", "今年度、事業者と確認していない外部接続", "ファームウェアが分からない VPN 装置" })
            Assert.Contains(heading, dashboard);
        // … and this fiscal year's 令和8年度 sheet answered in full: はい with 確認日, いいえ with 目標日 for 2-⑩ and 3-③.
        Assert.Contains("目標日 2027/1/31", dashboard); // 3-③ BCP (2-⑩ is 2027/2/28)
        var (assessment, answers, seal, audit) = await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var orgId = await db.Organizations.Where(o => o.Code == DemoData.Code).Select(o => o.Id).SingleAsync();
            var a = await db.ChecklistAssessments.IgnoreQueryFilters([MamoriDb.TenantFilter])
                .SingleAsync(x => x.OrganizationId == orgId && x.SheetNodeId != "vendor" && x.SystemName == null);
            var ans = await db.ChecklistAnswers.IgnoreQueryFilters([MamoriDb.TenantFilter]).Where(x => x.AssessmentId == a.Id).ToListAsync();
            var s = await db.ChecklistSeals.IgnoreQueryFilters([MamoriDb.TenantFilter]).SingleAsync(x => x.AssessmentId == a.Id);
            var events = await db.AuditEntries.IgnoreQueryFilters().Where(e => e.EntityId == a.Id.ToString() || e.EntityId == s.Id.ToString()).Select(e => e.Action).ToListAsync();
            return (a, ans, s, events);
        });
        Assert.Equal(("checklist-r8", 2026, 2), (assessment.EditionFileId, assessment.FiscalYear, assessment.Round)); // round 1 sealed, the 2回目 open
        Assert.Equal(19, answers.Count);
        Assert.Single(answers, x => x.CheckedOn1 is null); // the pre-question (医療情報システムを導入、運用している) has no 確認日
        var no = answers.Where(x => new[] { x.General, x.Server, x.Terminal, x.Network }.Contains("no")).ToList();
        Assert.Equal(2, no.Count);
        Assert.All(no, x => Assert.InRange(x.TargetDate!.Value, new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31)));
        Assert.Equal(("佐藤 一郎", "山本 事務長", false), (seal.SealedBy, seal.ReviewedBy, seal.ReviewedBySigner));
        Assert.NotNull(seal.ReviewedOn);
        Assert.Contains(AuditActions.ChecklistSealed, audit);
        Assert.Contains(AuditActions.ChecklistReviewed, audit);
        var sheetPage = await client.GetStringAsync($"/o/demo/checklists/{assessment.Id}");
        Assert.Contains("id=\"progress-count\">19 / 19<", sheetPage);
        Assert.Contains("山本 事務長", sheetPage);
        // Words for the site: no catalogue 「推定」 badge; the items carried over from 令和7年度 keep their 未照合 badge and sentence.
        Assert.DoesNotContain(">推定<", sheetPage);
        Assert.Contains("class=\"badge conf-unconfirmed unreconciled\"", sheetPage);

        // Its inspection pack (the page's download) holds the cover and index, the 機器台帳, the connection register and
        // the 事業者確認用 the demo vendor answered.
        var pack = await client.GetAsync($"/o/demo/checklists/{assessment.Id}?handler=Pack");
        Assert.Equal(HttpStatusCode.OK, pack.StatusCode);
        using var zip = new System.IO.Compression.ZipArchive(await pack.Content.ReadAsStreamAsync());
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("00_表紙と目次.xlsx", names);
        Assert.Contains(names, n => n.StartsWith("機器台帳_", StringComparison.Ordinal) && n.EndsWith(".xlsx", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("外部接続一覧_", StringComparison.Ordinal) && n.EndsWith(".xlsx", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("事業者確認用/電子カルテ", StringComparison.Ordinal) && n.EndsWith(".xlsx", StringComparison.Ordinal));
        using (var reader = new StreamReader(zip.GetEntry("事業者確認用/依頼の状況.csv")!.Open()))
            Assert.Contains("回答済", await reader.ReadToEndAsync());
        // The one-doctor demo clinic: its only member, the 院長, holds 管理者 and 経営層.
        var clinicRoles = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(m => m.Organization!.Code == DemoData.ClinicCode).Select(m => new { m.User!.Email, m.Role }).ToListAsync());
        Assert.Equal([(DemoData.ClinicDirector.Email, OrganizationRole.Administrator), (DemoData.ClinicDirector.Email, OrganizationRole.Executive)],
            clinicRoles.Select(m => (m.Email, m.Role)).Order());
        var connections = await client.GetStringAsync("/o/demo/assets/connections");
        Assert.Contains("給食", connections);
        Assert.Contains("生体モニタ", connections);
    }

    [Fact]
    public async Task Cloud_services_are_added_edited_and_stay_within_their_organisation()
    {
        var client = await app.SignedInClientAsync(admin);
        var added = await client.PostFormAsync("/o/ledger/assets/cloud?handler=Add", new()
            { ["Input.Provider"] = "サンプルクラウド株式会社", ["Input.NameAndPurpose"] = "予約システム", ["Input.AuthenticationMethod"] = "ID・パスワード" }, "/o/ledger/assets/cloud");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var id = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().CloudServices.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(c => c.OrganizationId == org.Id).Select(c => c.Id).SingleAsync());
        Assert.Contains("value=\"予約システム\"", await client.GetStringAsync($"/o/ledger/assets/cloud?edit={id}"));
        var updated = await client.PostFormAsync($"/o/ledger/assets/cloud?handler=Update&id={id}", new()
            { ["Input.Provider"] = "サンプルクラウド株式会社", ["Input.NameAndPurpose"] = "予約システム", ["Input.AuthenticationMethod"] = "ID・パスワード＋ワンタイムコード" }, "/o/ledger/assets/cloud");
        Assert.Equal(HttpStatusCode.Redirect, updated.StatusCode);
        Assert.Contains("ID・パスワード＋ワンタイムコード", await client.GetStringAsync("/o/ledger/assets/cloud"));
        Assert.Contains("提供事業者とサービス名称・用途を入力してください", await (await client.PostFormAsync($"/o/ledger/assets/cloud?handler=Update&id={id}",
            new() { ["Input.Provider"] = "", ["Input.NameAndPurpose"] = "" }, "/o/ledger/assets/cloud")).Content.ReadAsStringAsync());

        var other = await app.SignedInClientAsync(outsider);
        var foreign = await other.PostFormAsync($"/o/other-hp/assets/cloud?handler=Update&id={id}", new()
            { ["Input.Provider"] = "x", ["Input.NameAndPurpose"] = "x" }, "/o/other-hp/assets/cloud");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/o/other-hp/assets/cloud?edit={id}")).StatusCode);
    }

    [Fact]
    public async Task A_connections_vendor_confirmation_is_attached_with_its_hash_and_stays_within_the_organisation()
    {
        var client = await app.SignedInClientAsync(admin);
        var saved = await client.PostFormAsync("/o/ledger/assets/connections/edit", new()
            { ["Input.VendorName"] = "サンプル生体モニタ株式会社", ["Input.Purpose"] = "VitalMonitor", ["Input.Method"] = "LteRouter", ["Input.LastConfirmedOn"] = "2026-10-01" },
            "/o/ledger/assets/connections/edit");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Connections.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(c => c.OrganizationId == org.Id && c.VendorName == "サンプル生体モニタ株式会社").Select(c => c.Id).SingleAsync());
        var url = $"/o/ledger/assets/connections/edit/{id}";

        async Task<HttpResponseMessage> Attach(string name, byte[] content)
        {
            var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync(url)).Groups[1].Value);
            var form = new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(content), "file", name } };
            return await client.PostAsync($"{url}?handler=Evidence", form);
        }
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 confirmation");
        Assert.Equal(HttpStatusCode.Redirect, (await Attach("確認書.pdf", pdf)).StatusCode);
        Assert.Contains("拡張子（.pdf）と一致しません", await (await Attach("確認書2.pdf", [0x4D, 0x5A])).Content.ReadAsStringAsync());
        var page = await client.GetStringAsync(url);
        Assert.Contains("確認書.pdf", page);
        Assert.Contains(AssetImporter.Sha256(pdf)[..12], page);
        var link = Regex.Match(page, "href=\"([^\"]+handler=File[^\"]+)\"").Groups[1].Value.Replace("&amp;", "&");
        Assert.Equal(pdf, await client.GetByteArrayAsync(link));
        var other = await app.SignedInClientAsync(outsider);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(link.Replace("/o/ledger/", "/o/other-hp/"))).StatusCode);
    }

    const string Scan = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE nmaprun>
        <nmaprun scanner="nmap" start="1763700000">
          <host><status state="up"/><address addr="10.20.0.5" addrtype="ipv4"/>
            <ports><port protocol="tcp" portid="3389"><state state="open"/><service name="ms-wbt-server"/></port></ports></host>
          <host><status state="up"/><address addr="10.20.0.99" addrtype="ipv4"/><address addr="00:1A:2B:3C:4D:5E" addrtype="mac" vendor="Dell"/>
            <hostnames><hostname name="unknown-pc"/></hostnames>
            <ports><port protocol="tcp" portid="445"><state state="open"/><service name="microsoft-ds"/></port></ports></host>
        </nmaprun>
        """;

    [Fact]
    public async Task An_nmap_scan_matches_devices_by_address_records_open_ports_and_adds_the_chosen_unknown_hosts()
    {
        var (scanOrg, users) = await app.CreateOrganizationAsync("scan-hp", withTotp: true);
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            db.Assets.Add(new Asset { OrganizationId = scanOrg.Id, ControlNumber = "SV-01", IpAddress = "10.20.0.5", UpdatedBy = "test" });
            return await db.SaveChangesAsync();
        });
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync("/o/scan-hp/assets/scan")).Groups[1].Value);
        var form = new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(Encoding.UTF8.GetBytes(Scan)), "file", "scan.xml" } };
        var matches = await (await client.PostAsync("/o/scan-hp/assets/scan?handler=Upload", form)).Content.ReadAsStringAsync();
        Assert.Contains("SV-01</a>", matches);
        Assert.Contains("台帳にない機器", matches);
        var upload = UploadId().Match(matches).Groups[1].Value;
        var applied = await client.PostFormAsync("/o/scan-hp/assets/scan?handler=Apply", new() { ["upload"] = upload, ["create"] = "10.20.0.99" }, "/o/scan-hp/assets/scan");
        Assert.True(applied.Headers.Location is not null, $"{(int)applied.StatusCode} {await applied.Content.ReadAsStringAsync()}");
        Assert.Contains("scanned=1&created=1", applied.Headers.Location!.OriginalString);

        var assets = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Assets.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Include(a => a.OpenPorts).Where(a => a.OrganizationId == scanOrg.Id).ToListAsync());
        Assert.Equal([3389], assets.Single(a => a.ControlNumber == "SV-01").OpenPorts.Select(p => p.Port));
        var added = assets.Single(a => a.ControlNumber == "SCAN-10.20.0.99");
        Assert.Equal(("unknown-pc", "00:1A:2B:3C:4D:5E", 445), (added.ComputerName, added.MacAddress, added.OpenPorts.Single().Port));
    }

    /// <summary>A long import shows how far it is: rows read of the expected, then writing; only to its own organisation.</summary>
    [Fact]
    public async Task A_running_import_reports_its_progress_to_its_own_organisation_only()
    {
        var upload = Guid.NewGuid();
        var (progress, running) = ImportProgress.Start(org.Id, upload, 4);
        using (running)
        {
            var report = await app.ScopedAsync(sp => AssetImporter.ImportAsync(sp.GetRequiredService<MamoriDb>(), org.Id,
                ShiftJis(Ledger), "台帳.csv", null, "test", default, progress));
            Assert.True(report.Committed);
            Assert.Equal((4, 4, true), (progress.RowsRead, progress.RowsExpected, progress.Writing));

            var member = await app.SignedInClientAsync(admin);
            var seen = System.Text.Json.JsonDocument.Parse(await member.GetStringAsync($"/o/ledger/assets/import?handler=Progress&upload={upload}")).RootElement;
            Assert.Equal((true, 4, 4, true), (seen.GetProperty("running").GetBoolean(), seen.GetProperty("read").GetInt32(),
                seen.GetProperty("expected").GetInt32(), seen.GetProperty("writing").GetBoolean()));
            // Another organisation asking about the same upload id learns nothing.
            var foreign = await app.SignedInClientAsync(outsider);
            Assert.Equal("""{"running":false}""", await foreign.GetStringAsync($"/o/other-hp/assets/import?handler=Progress&upload={upload}"));
        }
        Assert.Null(ImportProgress.Of(org.Id, upload)); // gone when the import ends
    }
}
