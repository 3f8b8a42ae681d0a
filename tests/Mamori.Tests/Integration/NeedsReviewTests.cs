using System.Net;
using Mamori.Features.Catalog;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Mamori.Tests.Unit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>
/// 要確認 on the sheet: after a new official form removed one answered item and renumbered another, the site sees both
/// answers (nothing lost), a plain sentence on each, and the flag goes when the renumbered item is saved again.
/// </summary>
public sealed class NeedsReviewTests : IAsyncLifetime
{
    const string Title = "医療機関・薬局におけるサイバーセキュリティ対策チェックリスト（令和８年度版）";
    readonly MamoriApp app = new();
    Organization org = null!;
    MamoriApp.TestUser admin = null!;

    public async Task InitializeAsync()
    {
        (org, var users) = await app.CreateOrganizationAsync("review", true, OrganizationRole.Administrator);
        admin = users[OrganizationRole.Administrator];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    Task<T> Db<T>(Func<MamoriDb, Task<T>> use) => app.ScopedAsync(sp => use(sp.GetRequiredService<MamoriDb>()));

    Task<OfficialFormResult> ImportAsync(byte[] file) => Db(db =>
        OfficialFormImport.ImportAsync(db, TimeProvider.System, new OfficialFormRequest(file, "test.xlsx", "checklist-r8", "site-and-pharmacy", "test", "test", false), FormWorkbook.Known(file)));

    [Fact]
    public async Task Answers_to_removed_or_renumbered_items_are_shown_to_check_and_saving_again_clears_the_flag()
    {
        var sheet = await Db(async db => (await CatalogIndex.GetAsync(db)).Edition("checklist-r8")!.ById["site-and-pharmacy"].Children
            .Where(c => c.Row.Kind == "section")
            .Select(s => (Ref: s.Row.Ref!, Label: s.Row.Label!, Items: s.Children.Where(i => i.Row.Kind == "checklist-item").Select(i => (i.Row.Ref!.Split('-')[^1], i.Row.Label!)).ToList()))
            .ToList());
        var last = sheet[^1].Ref;
        byte[] Form(params (string, string)[] extra) =>
            FormWorkbook.Checklist(Title, sheet.Select(s => (s.Ref, s.Label, (s.Ref == last ? [.. s.Items, .. extra] : s.Items).ToArray())));
        // Revision A adds two items, which the site answers.
        var a = await ImportAsync(Form(("⑧", "テスト用の追加項目A"), ("⑨", "テスト用の追加項目B")));
        Assert.True(a.Published, string.Join("\n", a.Problems));
        var client = await app.SignedInClientAsync(admin);
        var url = (await client.PostFormAsync("/o/review/checklists?handler=Start", new() { ["file"] = "checklist-r8", ["sheet"] = "site-and-pharmacy" }, "/o/review/checklists"))
            .Headers.Location!.OriginalString.Split('#')[0];
        var ids = await Db(db => db.CatalogNodes.Where(n => n.EditionId == a.Edition!.Id && n.Label!.StartsWith("テスト用の追加項目")).OrderBy(n => n.Label).Select(n => n.NodeId).ToListAsync());
        async Task Save(string node, Dictionary<string, string> fields, string version = "0") =>
            Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{url}?handler=Save&node={node}", new Dictionary<string, string>(fields) { ["version"] = version }, url)).StatusCode);
        await Save(ids[0], new() { ["a.general"] = "no", ["checkedOn1"] = "2026-10-01", ["targetDate"] = "2027-03-01", ["note"] = "旧項目Aの備考" });
        await Save(ids[1], new() { ["a.general"] = "yes", ["checkedOn1"] = "2026-10-02" });

        // Revision B: A is gone, B's wording is now ⑩.
        var b = await ImportAsync(Form(("⑩", "テスト用の追加項目B")));
        Assert.True(b.Published, string.Join("\n", b.Problems));
        var renumbered = await Db(db => db.CatalogNodes.Where(n => n.EditionId == b.Edition!.Id && n.Ref == $"{last}-⑩").Select(n => n.NodeId).SingleAsync());

        var page = await client.GetStringAsync(url);
        var item = page[page.IndexOf($"id=\"item-{renumbered}\"", StringComparison.Ordinal)..];
        item = item[..item.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains("要確認", item);
        Assert.Contains($"この項目の番号が変わりました（旧 {last}-⑨）。以前の回答（はい・確認日 2026/10/2）を確かめて", item);
        var gone = page[page.IndexOf("id=\"outdated-answers\"", StringComparison.Ordinal)..];
        Assert.Contains("新しい様式にない項目への回答", gone);
        Assert.Contains("テスト用の追加項目A", gone);
        Assert.Contains("いいえ・確認日 2026/10/1・目標日 2027/3/1", gone);
        Assert.Contains("旧項目Aの備考", gone);
        Assert.DoesNotContain("テスト用の追加項目B", gone[..gone.IndexOf("</section>", StringComparison.Ordinal)]);

        Assert.Contains("要確認 1 件: 公式の様式が更新され、番号が変わった項目があります", await client.GetStringAsync("/o/review"));

        // Saving the item under its new number settles it; the removed item's answer stays on record.
        await Save(renumbered, new() { ["a.general"] = "yes", ["checkedOn1"] = "2026-10-02" });
        var flags = await Db(db => db.ChecklistAnswers.IgnoreQueryFilters().Where(x => x.OrganizationId == org.Id).ToDictionaryAsync(x => x.NodeId, x => x.NeedsReview));
        Assert.Equal((ReviewReason.Removed, null, null), (flags[ids[0]], flags[ids[1]], flags[renumbered]));
        page = await client.GetStringAsync(url);
        Assert.DoesNotContain("番号が変わりました", page);
        Assert.DoesNotContain("要確認", await client.GetStringAsync("/o/review"));
        Assert.Contains("テスト用の追加項目A", page[page.IndexOf("id=\"outdated-answers\"", StringComparison.Ordinal)..]);
    }
}
