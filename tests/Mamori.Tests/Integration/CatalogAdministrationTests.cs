using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mamori.Features.Catalog;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Mamori.Tests.Integration;

/// <summary>The shipped catalogue in PostgreSQL, imports by upload and command line, revisions, immutability and export.</summary>
public sealed partial class CatalogAdministrationTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    MamoriApp.TestUser admin = null!, viewer = null!;
    Dictionary<string, string?> Env => new() { ["MAMORI_DB"] = app.ConnectionString };
    static string R8Yaml => File.ReadAllText(Path.Combine(TestCluster.RepoRoot, "catalog/checklist-r8.yaml"));

    public async Task InitializeAsync()
    {
        var users = (await app.CreateOrganizationAsync("cat", true, OrganizationRole.Administrator, OrganizationRole.Viewer)).Users;
        (admin, viewer) = (users[OrganizationRole.Administrator], users[OrganizationRole.Viewer]);
        await app.MakeSystemAdminAsync(admin);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    Task<T> Db<T>(Func<MamoriDb, Task<T>> use) => app.ScopedAsync(sp => use(sp.GetRequiredService<MamoriDb>()));

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex Csrf();

    static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string yaml, string name, bool asRevision)
    {
        var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync("/o/cat/catalog/import")).Groups[1].Value);
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__csrf" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(yaml)), "file", name },
        };
        if (asRevision) form.Add(new StringContent("true"), "asRevision");
        return await client.PostAsync("/o/cat/catalog/import?handler=Upload", form);
    }

    [Fact]
    public async Task The_shipped_catalogue_is_in_the_database_once_with_every_node_and_mapping()
    {
        var (editions, nodes, mappings) = await Db(async db => (
            await db.CatalogEditions.CountAsync(e => e.IsCurrent),
            await db.CatalogNodes.CountAsync(),
            await db.CatalogMappings.CountAsync()));
        Assert.Equal((14, 645, 188), (editions, nodes, mappings));
        // Starting again with the same files imports nothing.
        Assert.Equal(0, await Db(db => CatalogImport.SyncShippedAsync(db, TimeProvider.System, CatalogImport.ShippedDirectory)));
    }

    [Fact]
    public async Task A_broken_upload_shows_line_numbered_japanese_problems_and_imports_nothing()
    {
        var client = await app.SignedInClientAsync(admin);
        var before = await Db(db => db.CatalogNodes.CountAsync());
        var broken = R8Yaml.Replace("checklist-r8", "checklist-r9").Replace("to: checklist-r9/site-and-pharmacy.2\n", "to: checklist-r8/nowhere\n")
            .Replace("  - id: site-and-pharmacy.4.1\n", "  - id: site-and-pharmacy.3.3\n");
        var page = await (await UploadAsync(client, broken, "checklist-r9.yaml", false)).Content.ReadAsStringAsync();
        Assert.Contains("取り込みませんでした", page);
        Assert.Matches(@"\d+行目</strong>\s+対応付けの先「checklist-r8/nowhere」が見つかりません", page);
        Assert.Matches(@"\d+行目</strong>\s+id「site-and-pharmacy.3.3」が重複しています（最初は\d+行目）", page);

        var existing = await (await UploadAsync(client, R8Yaml, "checklist-r8.yaml", false)).Content.ReadAsStringAsync();
        Assert.Contains("版「checklist-r8」は既にカタログにあります", existing);
        Assert.Equal(before, await Db(db => db.CatalogNodes.CountAsync()));
    }

    [Fact]
    public async Task A_correction_becomes_a_new_revision_and_the_published_one_is_never_altered()
    {
        var client = await app.SignedInClientAsync(admin);
        var corrected = R8Yaml.Replace("label: 医療情報システム安全管理責任者を設置している", "label: 医療情報システム安全管理責任者を設置している（原本で確認）");
        Assert.NotEqual(R8Yaml, corrected);
        var uploaded = await (await UploadAsync(client, corrected, "checklist-r8.yaml", true)).Content.ReadAsStringAsync();
        Assert.Contains("リビジョン 2 を下書きとして取り込みました", uploaded);

        // The draft is not what users see until it is published.
        Assert.DoesNotContain("原本で確認", await client.GetStringAsync("/o/cat/catalog/checklist-r8/site-and-pharmacy.1.1"));
        Assert.Contains("原本で確認", await client.GetStringAsync("/o/cat/catalog/checklist-r8/site-and-pharmacy.1.1?rev=2"));
        var draftId = await Db(db => db.CatalogEditions.Where(e => e.FileId == "checklist-r8" && e.Revision == 2).Select(e => e.Id).SingleAsync());
        var published = await client.PostFormAsync("/o/cat/catalog/import?handler=Publish", new() { ["id"] = draftId.ToString() }, "/o/cat/catalog/import");
        Assert.Contains("公開しました", await published.Content.ReadAsStringAsync());

        var item = await client.GetStringAsync("/o/cat/catalog/checklist-r8/site-and-pharmacy.1.1");
        Assert.Contains("原本で確認", item);
        Assert.Contains("（この項目を修正）", item);
        Assert.DoesNotContain("原本で確認", await client.GetStringAsync("/o/cat/catalog/checklist-r8/site-and-pharmacy.1.1?rev=1"));

        // The database itself refuses to change published content.
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            new NpgsqlCommand("UPDATE catalog_nodes SET \"Label\" = 'x' WHERE \"NodeId\" = 'site-and-pharmacy.1.1'", conn).ExecuteNonQueryAsync());
        Assert.Contains("変更・削除できません", update.MessageText);
        var delete = await Assert.ThrowsAsync<PostgresException>(() =>
            new NpgsqlCommand("DELETE FROM catalog_editions WHERE \"FileId\" = 'checklist-r8' AND \"Revision\" = 1", conn).ExecuteNonQueryAsync());
        Assert.Contains("削除できません", delete.MessageText);

        var actions = await Db(db => db.AuditEntries.IgnoreQueryFilters().Where(a => a.Action.StartsWith("catalog.") && a.EntityId == "checklist-r8@2")
            .Select(a => a.Action).ToListAsync());
        Assert.Equal(["catalog.imported", "catalog.published"], actions);
    }

    [Fact]
    public async Task Only_system_administrators_may_import()
    {
        var client = await app.SignedInClientAsync(viewer);
        var response = await client.GetAsync("/o/cat/catalog/import");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("この操作の権限がありません", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("catalog-admin", await client.GetStringAsync("/o/cat/catalog"));
    }

    [Fact]
    public async Task The_command_line_validates_imports_and_exports_the_whole_catalogue()
    {
        var (code, output) = await MamoriProcess.RunAsync(Env, "catalog", "validate", Path.Combine(TestCluster.RepoRoot, "catalog"));
        Assert.True(code == 0, output);
        Assert.Contains("問題なし: 14 ファイル、645 項目、188 対応付け", output);

        var dir = Directory.CreateTempSubdirectory("mamori-catalog-").FullName;
        File.WriteAllText(Path.Combine(dir, "checklist-r8.yaml"), R8Yaml.Replace("    source: {doc: gl7-08, facts: \"7.0 §2.1\", via: [jmg, yr-m]}\n", ""));
        var (badCode, badOutput) = await MamoriProcess.RunAsync(Env, "catalog", "validate", dir);
        Assert.Equal(1, badCode);
        Assert.Matches(@"checklist-r8\.yaml \d+行目: 項目「[^」]+」に出典", badOutput);

        // The same fault in a new edition given to import: refused with the line, and nothing of it reaches the catalogue.
        var newEdition = Path.Combine(dir, "checklist-r9.yaml");
        var r9Yaml = R8Yaml.Replace("id: checklist-r8\n", "id: checklist-r9\n").Replace("checklist-r8/", "checklist-r9/");
        File.WriteAllText(newEdition, r9Yaml.Replace("    source: {doc: gl7-08, facts: \"7.0 §2.1\", via: [jmg, yr-m]}\n", ""));
        var (brokenCode, brokenOutput) = await MamoriProcess.RunAsync(Env, "catalog", "import", newEdition);
        Assert.True(brokenCode != 0, brokenOutput);
        Assert.Matches(@"\d+行目: 項目「[^」]+」に出典", brokenOutput);
        Assert.Equal(0, await Db(db => db.CatalogEditions.CountAsync(e => e.FileId == "checklist-r9")));

        File.WriteAllText(newEdition, r9Yaml);
        var (importCode, importOutput) = await MamoriProcess.RunAsync(Env, "catalog", "import", newEdition);
        Assert.True(importCode == 0, importOutput);
        Assert.Contains("checklist-r9 リビジョン 1 を取り込み、公開しました: 30 項目", importOutput);
        var (againCode, againOutput) = await MamoriProcess.RunAsync(Env, "catalog", "import", newEdition);
        Assert.Equal(1, againCode);
        Assert.Contains("既にカタログにあります", againOutput);

        var (exportCode, json) = await MamoriProcess.RunAsync(Env, "catalog", "export", "--format", "json");
        Assert.Equal(0, exportCode);
        using var doc = JsonDocument.Parse(json);
        var editions = doc.RootElement.GetProperty("editions").EnumerateArray().ToList();
        Assert.Equal(15, editions.Count);
        Assert.Equal(645 + 30, editions.Sum(e => e.GetProperty("nodes").GetArrayLength()));
        var item = editions.Single(e => e.GetProperty("id").GetString() == "checklist-r7").GetProperty("nodes").EnumerateArray()
            .Single(n => n.GetProperty("id").GetString() == "site.2.7");
        Assert.Equal("2-⑦", item.GetProperty("ref").GetString());
        Assert.Equal(8, item.GetProperty("params").GetProperty("password_min_length").GetInt32());
        Assert.Equal("site.2", item.GetProperty("parent").GetString());
    }
}
