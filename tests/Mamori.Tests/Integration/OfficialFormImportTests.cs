using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Mamori.Tests.Unit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>The official checklist Excel imported: revision published, answers kept by id or flagged 要確認, drafts, CLI, web upload.</summary>
public sealed partial class OfficialFormImportTests : IAsyncLifetime
{
    const string Title = "医療機関・薬局におけるサイバーセキュリティ対策チェックリスト（令和８年度版）";
    readonly string knownPath = Path.Combine(Directory.CreateTempSubdirectory("mamori-known-").FullName, "files.yaml");
    readonly MamoriApp app;
    Organization org = null!;
    MamoriApp.TestUser admin = null!, viewer = null!;

    public OfficialFormImportTests() => app = new MamoriApp().With(OfficialFiles.Setting, knownPath);

    public async Task InitializeAsync()
    {
        File.WriteAllText(knownPath, "files: []\n");
        (org, var users) = await app.CreateOrganizationAsync("form", true, OrganizationRole.Administrator, OrganizationRole.Viewer);
        (admin, viewer) = (users[OrganizationRole.Administrator], users[OrganizationRole.Viewer]);
        await app.MakeSystemAdminAsync(admin);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    Task<T> Db<T>(Func<MamoriDb, Task<T>> use) => app.ScopedAsync(sp => use(sp.GetRequiredService<MamoriDb>()));

    sealed record Section(string Ref, string Label, List<(string Number, string Wording)> Items);

    /// <summary>The sheet as the catalogue has it now (whatever items the edition holds), to build a matching workbook.</summary>
    Task<List<Section>> CurrentSheetAsync() => Db(async db =>
    {
        var edition = (await CatalogIndex.GetAsync(db)).Edition("checklist-r8")!;
        return edition.ById["site-and-pharmacy"].Children.Where(c => c.Row.Kind == "section")
            .Select(s => new Section(s.Row.Ref!, s.Row.Label!, s.Children.Where(i => i.Row.Kind == "checklist-item")
                .Select(i => (i.Row.Ref!.Split('-')[^1], i.Row.Label!)).ToList())).ToList();
    });

    static byte[] Workbook(IEnumerable<Section> sections, string title = Title) =>
        FormWorkbook.Checklist(title, sections.Select(s => (s.Ref, s.Label, s.Items.ToArray())));

    static List<Section> With(List<Section> sheet, Func<Section, List<(string, string)>, List<(string, string)>> change) =>
        sheet.Select(s => s with { Items = change(s, [.. s.Items]) }).ToList();

    static string KnownYaml(byte[] file, string sheet = "site-and-pharmacy") =>
        $"files:\n  - id: test-form\n    title: テスト用の公式ファイル\n    file_name: test.xlsx\n    edition: checklist-r8\n    sheet: {sheet}\n" +
        $"    size: {file.Length}\n    sha256_prefix: {Convert.ToHexStringLower(SHA256.HashData(file))[..16]}\n    source: tests\n    confidence: confirmed\n";

    Task<OfficialFormResult> ImportAsync(byte[] file, OfficialFiles known, string name = "test.xlsx", bool dryRun = false) => Db(db =>
        OfficialFormImport.ImportAsync(db, TimeProvider.System, new OfficialFormRequest(file, name, "checklist-r8", "site-and-pharmacy", "test", "test", dryRun), known));

    [Fact]
    public async Task Publishing_keeps_answers_by_number_and_flags_answers_to_removed_or_renumbered_items()
    {
        var sheet = await CurrentSheetAsync();
        var last = sheet[^1].Ref;
        // Revision A: the catalogue's items as they are, plus two items the file adds to the last section.
        var a = Workbook(With(sheet, (s, items) => s.Ref == last ? [.. items, ("⑧", "テスト用の追加項目A"), ("⑨", "テスト用の追加項目B")] : items));
        var first = await ImportAsync(a, FormWorkbook.Known(a));
        Assert.True(first.Ok, string.Join("\n", first.Problems));
        Assert.True(first.Published);
        Assert.Equal(["テスト用の追加項目A", "テスト用の追加項目B"], first.Diff!.Added.Select(x => x.Label));
        Assert.Empty(first.Diff.Removed);
        Assert.Equal(sheet.Sum(s => s.Items.Count), first.Diff.Unchanged);

        var nodes = await Db(db => db.CatalogNodes.AsNoTracking().Where(n => n.EditionId == first.Edition!.Id).ToListAsync());
        // Every section and item of the sheet is now confirmed from the file (carried-over 未照合 items included).
        Assert.All(nodes.Where(n => n.NodeId.StartsWith("site-and-pharmacy.") && n.Kind is "section" or "checklist-item"), n => Assert.Equal("confirmed", n.Confidence));
        var kept = nodes.Single(n => n.NodeId == "site-and-pharmacy.1.1");
        Assert.Equal("confirmed", kept.Confidence);
        using (var fields = JsonDocument.Parse(kept.Fields))
        {
            Assert.Equal("xlsx-" + first.Sha256[..12], fields.RootElement.GetProperty("source").GetProperty("doc").GetString());
            Assert.True(fields.RootElement.GetProperty("label_verbatim").GetBoolean());
        }
        var header = await Db(db => db.CatalogEditions.Where(e => e.Id == first.Edition!.Id).Select(e => e.Header).SingleAsync());
        Assert.Contains(first.Sha256, header);
        var idA = nodes.Single(n => n.Label == "テスト用の追加項目A").NodeId;
        var idB = nodes.Single(n => n.Label == "テスト用の追加項目B").NodeId;

        // A site answers three items on revision A.
        var assessmentId = await Db(async db =>
        {
            db.EnterOrganizationForCommandLine(org);
            var assessment = new ChecklistAssessment
            {
                OrganizationId = org.Id, EditionFileId = "checklist-r8", EditionRevision = first.Edition!.Revision,
                SheetNodeId = "site-and-pharmacy", FiscalYear = 2026, CreatedBy = "test",
            };
            db.ChecklistAssessments.Add(assessment);
            foreach (var (node, answer) in new[] { ("site-and-pharmacy.1.1", "yes"), (idA, "no"), (idB, "yes") })
                db.ChecklistAnswers.Add(new ChecklistAnswer { OrganizationId = org.Id, AssessmentId = assessment.Id, NodeId = node, General = answer });
            await db.SaveChangesAsync();
            return assessment.Id;
        });

        // Revision B: 1-① reworded, A removed, B's wording now under another number.
        var b = Workbook(With(sheet, (s, items) =>
        {
            if (s.Ref == "1") items[0] = (items[0].Item1, items[0].Item2 + "（原本の文言）");
            return s.Ref == last ? [.. items, ("⑩", "テスト用の追加項目B")] : items;
        }));
        var second = await ImportAsync(b, FormWorkbook.Known(b));
        Assert.True(second.Ok, string.Join("\n", second.Problems));
        Assert.Equal(["site-and-pharmacy.1.1"], second.Diff!.Reworded.Select(p => p.Old.NodeId));
        Assert.Equal([idA], second.Diff.Removed.Select(r => r.NodeId));
        Assert.Equal([(idB, $"{last}-⑩")], second.Diff.Renumbered.Select(p => (p.Old.NodeId, p.New.Ref)));
        Assert.Empty(second.Diff.Added);
        Assert.Equal((1, 2), (second.MovedAssessments, second.FlaggedAnswers));

        var (revision, answers, newNodes) = await Db(async db => (
            await db.ChecklistAssessments.IgnoreQueryFilters().Where(x => x.Id == assessmentId).Select(x => x.EditionRevision).SingleAsync(),
            await db.ChecklistAnswers.IgnoreQueryFilters().Where(x => x.AssessmentId == assessmentId).ToDictionaryAsync(x => x.NodeId),
            await db.CatalogNodes.AsNoTracking().Where(n => n.EditionId == second.Edition!.Id).ToListAsync()));
        Assert.Equal(second.Edition!.Revision, revision);
        Assert.Equal(3, answers.Count); // never dropped
        Assert.Equal(("yes", null), (answers["site-and-pharmacy.1.1"].General, answers["site-and-pharmacy.1.1"].NeedsReview));
        Assert.Equal(("no", "removed"), (answers[idA].General, answers[idA].NeedsReview));
        Assert.Equal(("yes", "renumbered"), (answers[idB].General, answers[idB].NeedsReview));
        Assert.EndsWith("（原本の文言）", newNodes.Single(n => n.NodeId == "site-and-pharmacy.1.1").Label);
        Assert.DoesNotContain(newNodes, n => n.NodeId == idA || n.NodeId == idB);
        Assert.NotNull(newNodes.SingleOrDefault(n => n.Ref == $"{last}-⑩"));
        var current = await Db(async db => (await CatalogIndex.GetAsync(db)).Edition("checklist-r8")!.Row.Revision);
        Assert.Equal(second.Edition.Revision, current);
    }

    [Fact]
    public async Task A_file_not_on_the_list_is_only_a_draft_until_an_administrator_confirms_it()
    {
        var sheet = await CurrentSheetAsync();
        var file = Workbook(With(sheet, (s, items) => s.Ref == "1" ? [(items[0].Item1, items[0].Item2 + "（写し）")] : items));
        var before = await Db(async db => (await CatalogIndex.GetAsync(db)).Edition("checklist-r8")!.Row.Revision);

        var result = await ImportAsync(file, new OfficialFiles([]), "copy.xlsx");
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Null(result.Official);
        Assert.False(result.Published);
        Assert.True(result.Edition!.IsDraft);
        Assert.Equal(before, await Db(async db => (await CatalogIndex.GetAsync(db)).Edition("checklist-r8")!.Row.Revision));

        var unconfirmed = await Db(db => OfficialFormImport.PublishDraftAsync(db, TimeProvider.System, result.Edition.Id, confirmUnofficial: false));
        Assert.Contains("公式ファイルと一致しません", Assert.Single(unconfirmed.Problems).Ja);
        // The general catalogue import page cannot publish it either (it would skip the answers).
        var generic = await Db(db => CatalogImport.PublishAsync(db, TimeProvider.System, result.Edition.Id));
        Assert.Contains("公式様式（Excel）の取り込み", Assert.Single(generic).Ja);

        var confirmed = await Db(db => OfficialFormImport.PublishDraftAsync(db, TimeProvider.System, result.Edition.Id, confirmUnofficial: true));
        Assert.True(confirmed.Ok, string.Join("\n", confirmed.Problems));
        Assert.Equal(result.Edition.Revision, await Db(async db => (await CatalogIndex.GetAsync(db)).Edition("checklist-r8")!.Row.Revision));
        Assert.EndsWith("（写し）", await Db(db => db.CatalogNodes.Where(n => n.EditionId == result.Edition.Id && n.NodeId == "site-and-pharmacy.1.1").Select(n => n.Label).SingleAsync()));
    }

    [Fact]
    public async Task Bad_files_get_a_japanese_reason_and_nothing_is_written()
    {
        var sheet = await CurrentSheetAsync();
        var count = await Db(db => db.CatalogEditions.CountAsync());

        var r7 = Workbook(sheet, "医療機関等におけるサイバーセキュリティ対策チェックリスト（令和７年度版）");
        Assert.Contains("令和7年度の様式です", Assert.Single((await ImportAsync(r7, FormWorkbook.Known(r7))).Problems).Ja);

        var site = Workbook(sheet);
        Assert.Contains("版とシートを合わせて", Assert.Single((await ImportAsync(site, FormWorkbook.Known(site, sheet: "vendor"))).Problems).Ja);

        var ledger = FormWorkbook.Build([["機器台帳"], ["管理番号", "機器名", "OS"], ["PC-1", "受付PC", "Windows 11"]]);
        Assert.Contains("機器台帳のようです", Assert.Single((await ImportAsync(ledger, new OfficialFiles([]))).Problems).Ja);

        var duplicate = Workbook(With(sheet, (s, items) => s.Ref == "1" ? [.. items, items[0]] : items));
        Assert.Contains("が重複しています", Assert.Single((await ImportAsync(duplicate, new OfficialFiles([]))).Problems).Ja);

        var other = await Db(db => OfficialFormImport.ImportAsync(db, TimeProvider.System,
            new OfficialFormRequest(site, "x.xlsx", "checklist-r8", "nowhere", "test", "test"), new OfficialFiles([])));
        Assert.Contains("シート「nowhere」がありません", Assert.Single(other.Problems).Ja);

        Assert.Equal(count, await Db(db => db.CatalogEditions.CountAsync()));
    }

    [Fact]
    public async Task The_command_line_shows_the_diff_then_publishes_an_official_file()
    {
        var sheet = await CurrentSheetAsync();
        var file = Workbook(With(sheet, (s, items) => s.Ref == "1" ? [.. items, ("②", "テスト用のコマンドライン項目")] : items));
        var dir = Directory.CreateTempSubdirectory("mamori-form-").FullName;
        var path = Path.Combine(dir, "r8.xlsx");
        File.WriteAllBytes(path, file);
        File.WriteAllText(Path.Combine(dir, "known.yaml"), KnownYaml(file));
        var env = new Dictionary<string, string?> { ["MAMORI_DB"] = app.ConnectionString, [OfficialFiles.Setting] = Path.Combine(dir, "known.yaml") };
        var args = new[] { "catalog", "import-form", path, "--edition", "checklist-r8", "--sheet", "site-and-pharmacy" };

        var before = await Db(db => db.CatalogEditions.CountAsync());
        var (dryCode, json) = await MamoriProcess.RunAsync(env, [.. args, "--dry-run", "--json"]);
        Assert.True(dryCode == 0, json);
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal("dry-run", doc.RootElement.GetProperty("result").GetString());
            Assert.Equal("test-form", doc.RootElement.GetProperty("file").GetProperty("official").GetProperty("id").GetString());
            Assert.Equal("1-②", doc.RootElement.GetProperty("diff").GetProperty("added")[0].GetProperty("ref").GetString());
        }
        Assert.Equal(before, await Db(db => db.CatalogEditions.CountAsync()));

        var (code, output) = await MamoriProcess.RunAsync(env, args);
        Assert.True(code == 0, output);
        Assert.Contains("公式ファイル「テスト用の公式ファイル」と一致しました", output);
        Assert.Matches(@"checklist-r8 リビジョン \d+ を公開しました", output);
        // The new revision's YAML stays readable: the wording is written as it is, not escaped.
        var yamlText = await Db(db => db.CatalogEditions.Where(e => e.FileId == "checklist-r8" && e.IsCurrent).Select(e => e.SourceText).SingleAsync());
        Assert.Contains("\"テスト用のコマンドライン項目\"", yamlText);

        var r7 = Path.Combine(dir, "r7.xlsx");
        File.WriteAllBytes(r7, Workbook(sheet, "医療機関等におけるサイバーセキュリティ対策チェックリスト（令和７年度版）"));
        var (badCode, badOutput) = await MamoriProcess.RunAsync(env, "catalog", "import-form", r7, "--edition", "checklist-r8", "--sheet", "site-and-pharmacy");
        Assert.Equal(1, badCode);
        Assert.Contains("令和7年度の様式です", badOutput);
        Assert.Contains("取り込みませんでした", badOutput);
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex Csrf();

    static async Task<string> UploadAsync(HttpClient client, byte[] file, string name)
    {
        var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync("/o/form/catalog/import-form")).Groups[1].Value);
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__csrf" },
            { new StringContent("checklist-r8|site-and-pharmacy"), "target" },
            { new ByteArrayContent(file), "file", name },
        };
        var response = await client.PostAsync("/o/form/catalog/import-form?handler=Upload", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_system_administrator_uploads_reviews_the_diff_and_publishes()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SignedInClientAsync(viewer)).GetAsync("/o/form/catalog/import-form")).StatusCode);
        var client = await app.SignedInClientAsync(admin);
        var sheet = await CurrentSheetAsync();
        var file = Workbook(With(sheet, (s, items) => s.Ref == "1" ? [.. items, ("②", "テスト用の画面項目")] : items));
        File.WriteAllText(knownPath, KnownYaml(file));

        var page = await UploadAsync(client, file, "001716187.xlsx");
        Assert.Contains("公式ファイル「テスト用の公式ファイル」と一致しました", page);
        Assert.Matches("id=\"count-added\">1<", page);
        Assert.Contains("テスト用の画面項目", page);
        Assert.Contains("下書きとして取り込みました", page);
        var draftId = await Db(db => db.CatalogEditions.Where(e => e.Origin == OfficialFormImport.Origin && e.PublishedAt == null).Select(e => e.Id).SingleAsync());
        var published = await client.PostFormAsync("/o/form/catalog/import-form?handler=Publish", new() { ["id"] = draftId.ToString() }, "/o/form/catalog/import-form");
        Assert.Contains("を公開しました", await published.Content.ReadAsStringAsync());
        Assert.Contains("テスト用の画面項目", await client.GetStringAsync("/o/form/catalog/checklist-r8"));

        // A file that is not on the list is marked and needs the confirmation box.
        var copy = Workbook(With(sheet, (s, items) => s.Ref == "1" ? [.. items, ("②", "テスト用の画面項目（写し）")] : items));
        var draftPage = await UploadAsync(client, copy, "copy.xlsx");
        Assert.Contains("公式ファイルと一致しません", draftPage);
        Assert.Contains("name=\"confirmUnofficial\"", draftPage);

        // Not a checklist, not an Excel: a Japanese reason, no error page.
        Assert.Contains("機器台帳のようです", await UploadAsync(client, FormWorkbook.Build([["管理番号", "機器名", "OS"], ["PC-1", "受付PC", "Windows 11"]]), "ledger.xlsx"));
        Assert.Contains("Excel（.xlsx）ファイルとして読めません", await UploadAsync(client, RandomNumberGenerator.GetBytes(4096), "garbled.xlsx"));
        Assert.Contains("ファイルが大きすぎます", await UploadAsync(client, new byte[CatalogImport.MaxFileBytes + 1], "huge.xlsx"));
        Assert.Equal(2, await Db(db => db.CatalogEditions.CountAsync(e => e.Origin == OfficialFormImport.Origin))); // the published one and the copy's draft
    }
}
