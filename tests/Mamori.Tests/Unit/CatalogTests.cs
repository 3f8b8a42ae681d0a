using System.Text.RegularExpressions;
using Mamori.Features.Assets;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Tests.Infrastructure;

namespace Mamori.Tests.Unit;

/// <summary>The catalogue as shipped in catalog/: valid, counted against the facts, searchable and diffable (no database).</summary>
public sealed partial class CatalogTests
{
    static readonly string Directory = Path.Combine(TestCluster.RepoRoot, "catalog");
    static readonly Lazy<(List<(CatalogFile File, string Yaml)> Files, List<CatalogProblem> Problems)> Shipped =
        new(() => CatalogImport.ReadDirectory(Directory));
    static readonly Lazy<CatalogIndex> Index = new(() => CatalogIndex.Build(Shipped.Value.Files.Select(f =>
    {
        var edition = CatalogImport.ToEdition(f.File, new CatalogImportRequest(f.Yaml, f.File.FileId + ".yaml", "test", "test", false, true), 1, DateTime.UnixEpoch);
        edition.IsCurrent = true;
        return edition;
    })));

    [Fact]
    public void Every_shipped_file_validates_unique_ids_resolving_mappings_sources_and_confidence()
    {
        Assert.Empty(Shipped.Value.Problems.Select(p => p.ToString()));
        Assert.Equal(14, Shipped.Value.Files.Count);
    }

    [GeneratedRegex(@"^\| `(?<file>[a-z0-9.-]+)` \| (?<total>\d+) \|(?<kinds>( \d+ \|){12})$", RegexOptions.Multiline)]
    private static partial Regex CountsRow();

    [Fact]
    public void Node_counts_per_file_and_kind_equal_catalog_counts_md()
    {
        var md = File.ReadAllText(Path.Combine(Directory, "COUNTS.md"));
        string[] kinds = ["volume", "chapter", "section", "requirement", "checklist-item", "question", "stage", "activity", "row", "sheet"];
        var rows = CountsRow().Matches(md);
        Assert.Equal(14, rows.Count);
        foreach (Match row in rows)
        {
            var file = Shipped.Value.Files.Single(f => f.File.FileId == row.Groups["file"].Value).File;
            var numbers = row.Groups["kinds"].Value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            Assert.Equal(int.Parse(row.Groups["total"].Value), file.Nodes.Count);
            for (var i = 0; i < kinds.Length; i++)
                Assert.True(numbers[i] == file.Nodes.Count(n => n.Kind == kinds[i]), $"{file.FileId} {kinds[i]}: COUNTS.md {numbers[i]}");
            Assert.Equal(numbers[10], file.Mappings.Count);
        }
    }

    [Theory]
    // The facts: R5 医療機関確認用 10 items (1-(1), 2-(1)〜(8), 3-(1)); R6 13; R7 18 (13 + 5 added, none removed);
    // R8: 1-①, 3-③ and 4-① are known; 2-①〜2-⑬ and 3-①② are carried over from R7 as 未照合 (facts 7.0 §2.2), and so
    // are the three known R7 vendor items.
    [InlineData("checklist-r5", "site", 10)]
    [InlineData("checklist-r6", "site", 13)]
    [InlineData("checklist-r7", "site", 18)]
    [InlineData("checklist-r7", "vendor", 3)]
    [InlineData("checklist-r8", "site-and-pharmacy", 18)]
    [InlineData("checklist-r8", "vendor", 3)]
    public void Checklist_item_counts_per_sheet_match_the_facts(string fileId, string sheet, int items)
    {
        var file = Shipped.Value.Files.Single(f => f.File.FileId == fileId).File;
        bool Under(CatalogFileNode n) => n.ParentId == sheet || n.ParentId is { } p && Under(file.Nodes.Single(x => x.Id == p));
        Assert.Equal(items, file.Nodes.Count(n => n.Kind == "checklist-item" && Under(n)));
    }

    [Fact]
    public void Every_known_hole_is_listed_and_r8_section_2_is_one_of_them()
    {
        var r8 = Shipped.Value.Files.Single(f => f.File.FileId == "checklist-r8").File;
        Assert.Contains(r8.Header["gaps"]!.AsArray(), g => g!.ToString().Contains("区分2") && g.ToString().Contains("未照合"));
    }

    [Fact]
    public void R8_items_carried_over_from_r7_are_unconfirmed_point_at_their_r7_item_and_are_the_same_item_by_edition_mapping()
    {
        var index = Index.Value;
        var r8 = index.Edition("checklist-r8")!;
        var carried = r8.Nodes.Where(n => n.IsItem && n.CarriedFrom is not null).ToList();
        Assert.Equal(19, carried.Count); // the pre-question, 2-①〜2-⑬, 3-①②, and three vendor items
        foreach (var node in carried)
        {
            Assert.Equal("unconfirmed", node.Row.Confidence);
            Assert.True(node.IsUnreconciled);
            Assert.Contains("令和7年度版から引継ぎ（未照合）", node.Value("note"));
            var origin = index.Node(node.CarriedFrom!);
            Assert.NotNull(origin);
            Assert.Equal("checklist-r7", origin.FileId);
            Assert.Equal((origin.Row.Ref, origin.Row.Label), (node.Row.Ref, node.Row.Label));
            Assert.Contains(index.EditionsContaining(origin), x => x.Node.FullId == node.FullId && x.Relation == "same");
            if (node.Row.Kind == "checklist-item" && origin.List("date_fields").Any())
            {
                Assert.Equal(origin.List("date_fields"), node.List("date_fields"));
                Assert.Equal("estimated", node.Fields["attr_confidence"]!["date_fields"]!.ToString());
            }
            if (origin.List("devices").Any()) Assert.Equal("estimated", node.Fields["attr_confidence"]!["devices"]!.ToString());
        }
        // What the facts give for R8 is kept as it was, and is not "unreconciled".
        Assert.All(new[] { "site-and-pharmacy.1.1", "site-and-pharmacy.3.3", "site-and-pharmacy.4.1" }, id =>
        {
            Assert.False(r8.ById[id].IsUnreconciled);
            Assert.Equal("estimated", r8.ById[id].Row.Confidence);
        });
        Assert.False(index.Node("checklist-r7", "site.2.1")!.IsUnreconciled);
        Assert.True(ChecklistSheets.Of(r8, "site-and-pharmacy")!.Prerequisite is { IsUnreconciled: true });
    }

    [Fact]
    public void Ledger_findings_numbered_for_r7_land_on_the_same_r8_item_and_never_on_a_vendor_sheet()
    {
        var index = Index.Value;
        var vpn = new Finding(FindingCode.SharedAccount, FindingSeverity.Medium, null, Guid.NewGuid(), "保守接続: 共用のアカウントです", "shared", "…", "2-②");
        var ledger = new Finding(FindingCode.StocktakeOverdue, FindingSeverity.Low, Guid.NewGuid(), null, "PC-001: 1年以上棚卸していません", "stocktake", "…", "2-①");
        var findings = new LedgerFindings([vpn, ledger], 1);
        var r8 = ChecklistSheets.FindingsByItem(ChecklistSheets.Of(index.Edition("checklist-r8")!, "site-and-pharmacy")!, index, findings);
        Assert.Equal([vpn], r8["site-and-pharmacy.2.2"]);
        Assert.Equal([ledger], r8["site-and-pharmacy.2.1"]);
        Assert.Equal(2, r8.Sum(g => g.Count()));
        var r7 = ChecklistSheets.FindingsByItem(ChecklistSheets.Of(index.Edition("checklist-r7")!, "site")!, index, findings);
        Assert.Equal([vpn], r7["site.2.2"]);
        // R6 2-(2) is the same item as R7 2-② (R6→R7 edition mapping).
        Assert.Equal([vpn], ChecklistSheets.FindingsByItem(ChecklistSheets.Of(index.Edition("checklist-r6")!, "site")!, index, findings)["site.2.2"]);
        Assert.Empty(ChecklistSheets.FindingsByItem(ChecklistSheets.Of(index.Edition("checklist-r8")!, "vendor")!, index, findings));
    }

    [Fact]
    public void Wave2_facts_close_their_holes_with_the_grade_as_confidence()
    {
        var index = Index.Value;
        // 企7①〜⑤: grade A (確定版) → confirmed; 企6①〜⑥ and 経5.1①②: A(案) → estimated, with a note that it is the draft.
        Assert.All(Enumerable.Range(1, 5), n => Assert.Equal("confirmed", index.Node("mhlw-guideline-6.0", $"management.7.r{n}")!.Row.Confidence));
        foreach (var id in Enumerable.Range(1, 6).Select(n => $"management.6.r{n}").Concat(["governance.5.1.r1", "governance.5.1.r2"]))
        {
            var node = index.Node("mhlw-guideline-6.0", id)!;
            Assert.Equal("estimated", node.Row.Confidence);
            Assert.Contains("案", node.Value("note"));
        }
        var gaps = index.Edition("mhlw-guideline-6.0")!.Gaps.ToList();
        Assert.DoesNotContain(gaps, g => g.Contains("7章の遵守事項は未確認"));
        // BCP 1-1: the original wording.
        var q = index.Node("bcp-checklist-hospital-2024", "1-1.q2")!;
        Assert.Equal(("ネットワーク構成図・システム構成図が整備できているか。", "true"), (q.Row.Label, q.Value("label_verbatim")?.ToLowerInvariant()));
        // R5 manual: 2-(1) 台帳管理 cites 経1.2.1〈管理責任〉② and 企9.1.
        var refs = index.MappingsFrom(index.Node("checklist-r5", "site.2.1")!).Where(m => m.Kind == "reference").Select(m => m.ToNode).ToList();
        Assert.Equal(["governance.1.2.1.management.r2", "management.9.1"], refs.Order());
    }

    // ---- bad input: line-numbered Japanese messages ----

    const string Valid = """
        id: test-edition
        framework: test
        title: テスト版
        publisher: テスト
        edition: "1.0"
        kind: guideline
        sources:
          - {id: doc, title: 原本}
        gaps: []
        nodes:
          - id: a
            kind: chapter
            label: 第1章
            confidence: confirmed
            source: {doc: doc}
            children:
              - id: a.r1
                ref: テ1①
                kind: requirement
                label: 要件
                confidence: estimated
                source: {doc: doc, page: 3}
        mappings:
          - from: test-edition/a.r1
            to: test-edition/a
            relation: narrower
            confidence: confirmed
        """;

    static List<CatalogProblem> Problems(string yaml)
    {
        var (file, problems) = CatalogReader.Read(yaml, "test-edition.yaml");
        if (file is not null) problems.AddRange(CatalogReader.CheckReferences(file, (f, n) => f == file.FileId && file.Nodes.Any(x => x.Id == n), f => f == file.FileId, "test-edition.yaml"));
        return problems;
    }

    [Fact]
    public void A_yaml_alias_bomb_is_refused_with_its_line_before_anything_expands()
    {
        // 375 bytes like this expanded to 850 MB when the catalogue was read (issue 13): nine levels of nine aliases.
        var bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n" + string.Concat(Enumerable.Range(1, 8).Select(i =>
            $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(",", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 9))}]\n"));
        var (file, problems) = CatalogReader.Read(bomb, "bomb.yaml");
        Assert.Null(file);
        var problem = Assert.Single(problems);
        Assert.Equal(2, problem.Line);
        Assert.Contains("YAML の別名", problem.Ja);
        // A valid file may still contain an asterisk in its text.
        Assert.Empty(CatalogReader.Read(Valid.Replace("テ1①", "テ1① *注"), "test-edition.yaml").Problems);
    }

    [Fact]
    public void A_valid_file_reads_with_inherited_fields_and_line_numbers()
    {
        var (file, problems) = CatalogReader.Read(Valid, "test-edition.yaml");
        Assert.Empty(problems);
        var r1 = file!.Nodes.Single(n => n.Id == "a.r1");
        Assert.Equal(("a", 1, 17), (r1.ParentId, r1.Depth, r1.Line));
        Assert.Equal("テ1①", r1.Ref);
    }

    [Theory]
    [InlineData("      - id: a.r1\n", "      - id: a\n", 17, "id「a」が重複しています（最初は11行目）")]
    [InlineData("    to: test-edition/a\n", "    to: test-edition/missing\n", 24, "対応付けの先「test-edition/missing」が見つかりません")]
    [InlineData("    source: {doc: doc}\n", "    note: 出典なし\n", 11, "項目「a」に出典（source の doc）がありません")]
    [InlineData("        confidence: estimated\n", "", 17, "項目「a.r1」に確からしさ（confidence")]
    [InlineData("source: {doc: doc, page: 3}", "source: {doc: other}", 17, "出典「other」がファイルの sources にありません")]
    [InlineData("        kind: requirement\n", "        kind: requirement\n        kind: chapter\n", 20, "同じ項目名（キー）が2回書かれています")]
    [InlineData("title: テスト版", "title: [テスト版", 0, "YAML として読めません")]
    [InlineData("        confidence: estimated\n", "        carried_from: test-edition/missing\n        confidence: estimated\n", 17, "carried_from の「test-edition/missing」（引き継いだ元の項目）が見つかりません")]
    public void Broken_files_are_rejected_with_the_line_and_a_japanese_message(string find, string replace, int line, string message)
    {
        var yaml = Valid.Replace(find, replace);
        Assert.NotEqual(Valid, yaml);
        var problem = Assert.Single(Problems(yaml), p => p.Ja.Contains(message));
        if (line > 0) Assert.Equal(line, problem.Line);
        else Assert.True(problem.Line > 0, problem.Ja);
    }

    // ---- search ----

    [Fact]
    public void Searching_an_exact_reference_puts_that_item_first()
    {
        var hits = Index.Value.Search("2-⑦");
        Assert.True(hits[0].ExactReference);
        // R8's carried-over 2-⑦ (newest first) and R7's own.
        Assert.Equal(["checklist-r8/site-and-pharmacy.2.7", "checklist-r7/site.2.7"], hits.TakeWhile(h => h.ExactReference).Select(h => h.Node.FullId));
        Assert.Contains("パスワード", hits[0].Node.Row.Label);
        // R5's 2-(7) (security patches) is a different item: it follows, not ties.
        var r5 = hits.FindIndex(h => h.Node.FullId == "checklist-r5/site.2.7");
        Assert.True(r5 > 0 && !hits[r5].ExactReference);
    }

    [Fact]
    public void A_reference_prefix_finds_the_chapter_and_its_requirements_first()
    {
        var hits = Index.Value.Search("シス14");
        Assert.All(hits.Take(10), h => Assert.StartsWith("シス14", h.Node.Row.Ref));
        Assert.Contains(hits.Take(3), h => h.Node.FullId == "mhlw-guideline-7.0/control.14");
        Assert.DoesNotContain(Index.Value.Search("シス1").Take(30), h => h.Node.Row.Ref?.StartsWith("シス14") == true && h.Score >= 700);
    }

    [Theory]
    [InlineData("二要素", "checklist-r7/site.2.10")]
    [InlineData("パスワード", "checklist-r7/site.2.7")]
    [InlineData("password", "checklist-r7/site.2.7")]
    [InlineData("バックアップ", "checklist-r7/site.3.2")]
    [InlineData("backup", "checklist-r7/site.3.2")]
    [InlineData("二要素", "mhlw-guideline-7.0/control.14.1.1")]
    public void Words_in_japanese_or_english_find_the_items(string query, string expected)
    {
        var hits = Index.Value.Search(query);
        Assert.Contains(hits, h => h.Node.FullId == expected);
        Assert.All(hits, h => Assert.False(h.ExactReference));
    }

    [Fact]
    public void Several_words_must_all_match()
    {
        var both = Index.Value.Search("パスワード 使い回し");
        Assert.NotEmpty(both);
        Assert.All(both, h => Assert.Contains("使い回", h.Node.Row.Label + h.Node.Row.Summary + h.Node.Value("note") + h.Node.Value("params")));
        Assert.True(both.Count < Index.Value.Search("パスワード").Count);
        Assert.Empty(Index.Value.Search("存在しない言葉xyz"));
    }

    // ---- diff ----

    [Fact]
    public void R7_to_r8_pairs_items_through_the_edition_mappings()
    {
        var index = Index.Value;
        var diff = CatalogDiff.Compare(index, index.Edition("checklist-r7")!, index.Edition("checklist-r8")!, itemsOnly: true);
        Assert.Empty(diff.Added); // every known R8 item has an R7 predecessor
        var policy = Assert.Single(diff.Changed, p => p.Old.NodeId == "site.operations-policy");
        Assert.Equal(("site-and-pharmacy.4.1", "narrower"), (policy.New.NodeId, policy.Relation));
        // R8 区分2 is R7's, carried over unchanged (未照合): paired, not removed.
        Assert.DoesNotContain(diff.Removed, n => n.NodeId is "site.2.7" or "site.1.1" or "vendor.2.3");
        // Only what R8 changed for every item (the sheet now also applies to pharmacies), never the wording or number.
        Assert.All(diff.Changed.Single(p => p.Old.NodeId == "site.2.7").Changes, c => Assert.Equal("applies_to", c.Field));
    }

    [Fact]
    public void R5_to_r7_follows_the_chain_through_r6()
    {
        var index = Index.Value;
        var diff = CatalogDiff.Compare(index, index.Edition("checklist-r5")!, index.Edition("checklist-r7")!, itemsOnly: true);
        // R5 2-(1) 台帳管理 → R6 2-(1) → R7 2-①, unchanged in substance.
        Assert.DoesNotContain(diff.Removed, n => n.NodeId == "site.2.1");
        // R7's new password and 2FA items have no R5 predecessor.
        Assert.Contains(diff.Added, n => n.NodeId == "site.2.10");
    }

    [Fact]
    public void Guideline_6_to_7_reports_the_mapped_chapter_14_requirements()
    {
        var index = Index.Value;
        var diff = CatalogDiff.Compare(index, index.Edition("mhlw-guideline-6.0")!, index.Edition("mhlw-guideline-7.0")!, itemsOnly: false);
        Assert.Contains(diff.Changed, p => p.Old.Row.Ref?.StartsWith("シス14") == true);
        Assert.Contains(diff.Added, n => n.FileId == "mhlw-guideline-7.0" && n.NodeId.StartsWith("maintenance-outsourcing"));
    }

    [Fact]
    public void An_item_knows_the_other_editions_that_contain_it()
    {
        var index = Index.Value;
        var chain = index.EditionsContaining(index.Node("checklist-r6", "site.2.1")!).Select(x => x.Node.FullId).ToList();
        Assert.Contains("checklist-r5/site.2.1", chain);
        Assert.Contains("checklist-r7/site.2.1", chain);
    }
}
