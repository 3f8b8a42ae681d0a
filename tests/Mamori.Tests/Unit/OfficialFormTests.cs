using System.Security.Cryptography;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Mamori.Features.Assets.Import;
using Mamori.Features.Catalog;
using Mamori.Tests.Infrastructure;

namespace Mamori.Tests.Unit;

/// <summary>Builds checklist workbooks as an official one is laid out: title rows, merged header cells, shared strings.</summary>
public static class FormWorkbook
{
    /// <summary>Rows of cell texts (null = empty cell); <paramref name="merges"/> such as "A1:J1".</summary>
    public static byte[] Build(IEnumerable<string?[]> rows, params string[] merges)
    {
        var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var strings = new List<string>();
            var data = new SheetData();
            uint r = 0;
            foreach (var cells in rows)
            {
                r++;
                var row = new Row { RowIndex = r };
                for (var i = 0; i < cells.Length; i++)
                {
                    if (cells[i] is not { } text) continue;
                    var index = strings.IndexOf(text);
                    if (index < 0) { strings.Add(text); index = strings.Count - 1; }
                    row.Append(new Cell { CellReference = $"{(char)('A' + i)}{r}", DataType = CellValues.SharedString, CellValue = new CellValue(index.ToString()) });
                }
                data.Append(row);
            }
            var ws = wb.AddNewPart<WorksheetPart>();
            ws.Worksheet = new Worksheet(data);
            if (merges.Length > 0) ws.Worksheet.Append(new MergeCells(merges.Select(m => new MergeCell { Reference = m })));
            var sst = wb.AddNewPart<SharedStringTablePart>();
            sst.SharedStringTable = new SharedStringTable(strings.Select(s => new SharedStringItem(new Text(s))));
            wb.Workbook.AppendChild(new Sheets(new Sheet { Name = "チェックリスト", SheetId = 1, Id = wb.GetIdOfPart(ws) }));
            wb.Workbook.Save();
        }
        return stream.ToArray();
    }

    /// <summary>An official-looking sheet: title rows, 番号/確認項目/確認結果(merged)/確認日(merged)/目標日/備考, 区分 rows, ①-style numbers.</summary>
    public static byte[] Checklist(string title, IEnumerable<(string Section, string Label, (string Number, string Wording)[] Items)> sections)
    {
        var rows = new List<string?[]>
        {
            new[] { title },
            new[] { "医療機関・薬局確認用" },
            Array.Empty<string?>(),
            new[] { "番号", "確認項目", "確認結果", null, null, null, "確認日", null, "令和８年度中の目標日", "備考" },
            new[] { null, null, "全般", "サーバ", "端末ＰＣ", "ネットワーク機器", "１回目", "２回目" },
        };
        foreach (var (section, label, items) in sections)
        {
            rows.Add([$"区分{section}　{label}"]);
            rows.AddRange(items.Select(i => new[] { i.Number, i.Wording }));
        }
        rows.Add(["※「いいえ」の場合は目標日を記入してください。"]);
        return Build(rows, "A1:J1", "C4:F4", "G4:H4");
    }

    public static OfficialFiles Known(byte[] file, string edition = "checklist-r8", string sheet = "site-and-pharmacy") =>
        new([new OfficialFile("test-form", "テスト用の公式ファイル", null, "test.xlsx", edition, sheet, file.LongLength,
            Convert.ToHexStringLower(SHA256.HashData(file))[..16], "tests", "confirmed")]);
}

/// <summary>The official checklist Excel read and compared without a database.</summary>
public sealed class OfficialFormTests
{
    static (OfficialForm? Form, List<CatalogProblem> Problems) Read(byte[] xlsx) =>
        OfficialFormReader.Read(XlsxReader.Read(new MemoryStream(xlsx), null, OfficialFormReader.Limits), "test.xlsx");

    static readonly (string, string, (string, string)[])[] R8Like =
    [
        ("1", "体制構築", [("①", "医療情報システム安全管理責任者を設置している")]),
        ("２", "医療情報システムの管理・運用", [("①", "サーバ、端末PC、ネットワーク機器の台帳管理を行っている"), ("②", "リモートメンテナンスを利用している機器の有無を事業者等に確認した")]),
        ("3", "インシデント発生に備えた対応", [("③", "サイバー攻撃を想定した事業継続計画（BCP）を策定している")]),
    ];

    [Fact]
    public void Reads_numbers_wording_and_sections_under_title_rows_and_a_merged_two_row_header()
    {
        var (form, problems) = Read(FormWorkbook.Checklist("医療機関・薬局におけるサイバーセキュリティ対策チェックリスト（令和８年度版）", R8Like));
        Assert.Empty(problems);
        Assert.Equal(2026, form!.FiscalYear);
        Assert.Equal(4, form.HeaderRow);
        Assert.Equal(["1-①", "2-①", "2-②", "3-③"], form.Items.Select(i => i.Ref));
        Assert.Equal("リモートメンテナンスを利用している機器の有無を事業者等に確認した", form.Items[2].Label);
        Assert.Equal(["体制構築", "医療情報システムの管理・運用", "インシデント発生に備えた対応"], form.Sections.Select(s => s.Label));
        Assert.Equal("2", form.Items[1].Section!.Number);
        // The sub-header row under the merged cells names the device and date columns.
        Assert.Equal([FormColumn.Number, FormColumn.Item, FormColumn.General, FormColumn.Server, FormColumn.Terminal, FormColumn.Network,
            FormColumn.CheckedOn, FormColumn.CheckedOn, FormColumn.TargetDate, FormColumn.Note], form.Columns.OrderBy(c => c.Key).Select(c => c.Value));
        Assert.Equal("2-1", form.Items[1].Key); // ２－① = 2-① = 2-1
    }

    [Fact]
    public void Reads_a_section_column_and_full_width_hyphenated_numbers()
    {
        var (form, problems) = Read(FormWorkbook.Build([
            ["令和8年度 チェックリスト"],
            ["区分", "No.", "チェック項目", "はい", "いいえ", "確認日", "目標日"],
            ["1 体制構築", "１－①", "医療情報システム安全管理責任者を設置している"],
            ["2 医療情報システムの管理・運用", "２－①", "台帳管理を行っている"],
            [null, "２－⑬", "接続元制限を実施している"],
        ]));
        Assert.Empty(problems);
        Assert.Equal(["１－①", "２－①", "２－⑬"], form!.Items.Select(i => i.Ref));
        Assert.Equal(["1-1", "2-1", "2-13"], form.Items.Select(i => i.Key));
        Assert.Equal("医療情報システムの管理・運用", form.Items[2].Section!.Label);
    }

    [Fact]
    public void Reads_numbers_written_in_the_item_cell_or_in_an_unnamed_column()
    {
        var (inCell, problems) = Read(FormWorkbook.Build([
            ["確認項目", "はい", "いいえ"],
            ["1 体制構築"],
            ["①　医療情報システム安全管理責任者を設置している"],
            ["2 医療情報システムの管理・運用"],
            ["① 台帳管理を行っている"],
            ["２－② リモートメンテナンスの有無を確認した"],
        ]));
        Assert.Empty(problems);
        Assert.Equal([("1-①", "医療情報システム安全管理責任者を設置している"), ("2-①", "台帳管理を行っている"), ("２－②", "リモートメンテナンスの有無を確認した")],
            inCell!.Items.Select(i => (i.Ref, i.Label)));

        var (unnamed, unnamedProblems) = Read(FormWorkbook.Build([
            [null, "確認項目", "確認日"],
            ["区分1 体制構築"],
            ["①", "医療情報システム安全管理責任者を設置している"],
        ]));
        Assert.Empty(unnamedProblems);
        Assert.Equal(["1-①"], unnamed!.Items.Select(i => i.Ref));
    }

    [Fact]
    public void An_asset_ledger_is_not_a_checklist()
    {
        var (form, problems) = Read(FormWorkbook.Build([["機器台帳"], ["管理番号", "機器名", "OS", "IPアドレス"], ["PC-001", "受付PC", "Windows 11", "192.168.1.10"]]));
        Assert.Null(form);
        Assert.Contains("チェックリストの様式ではありません（機器台帳のようです）", Assert.Single(problems).Ja);
    }

    [Fact]
    public void A_sheet_without_an_item_column_or_with_duplicate_numbers_is_refused_with_the_rows()
    {
        var (_, noItems) = Read(FormWorkbook.Build([["番号", "はい", "いいえ"], ["①", "はい", null]]));
        Assert.Contains("「確認項目」の列名", Assert.Single(noItems).Ja);

        var (form, duplicates) = Read(FormWorkbook.Build([
            ["番号", "確認項目", "はい"],
            ["区分1 体制構築"],
            ["①", "責任者を設置している"],
            ["①", "責任者を設置している（重複）"],
            [null, "番号のない項目"],
        ]));
        Assert.Null(form);
        Assert.Equal([4, 5], duplicates.Select(p => p.Line));
        Assert.Contains("番号「1-①」が重複しています（最初は3行目）", duplicates[0].Ja);
        Assert.Contains("に番号がありません", duplicates[1].Ja);
    }

    [Fact]
    public void A_garbled_file_is_a_clear_error()
    {
        var (form, problems) = Read("PK\u0003\u0004 not really a workbook"u8.ToArray());
        Assert.Null(form);
        Assert.Contains("Excel（.xlsx）ファイルとして読めません", Assert.Single(problems).Ja);
    }

    [Fact]
    public void The_diff_tells_added_removed_reworded_and_renumbered_items_and_which_answers_need_review()
    {
        List<FormLine> old =
        [
            new("1-①", "責任者を設置している", "s.1.1"),
            new("2-⑫", "不要なソフトウェアを停止している", "s.2.12"),
            new("2-⑬", "接続元制限を実施している", "s.2.13"),
            new("2-⑭", "古い項目", "s.2.14"),
        ];
        List<FormLine> @new =
        [
            new("1-①", "医療情報システム安全管理責任者を設置している"),
            new("2-⑫", "新しい項目"),
            new("2-⑬", "不要な ソフトウェアを停止している"), // the old 2-⑫, spaces aside
            new("２－⑮", "接続元制限を実施している"),
        ];
        var diff = OfficialFormDiff.Compare(old, @new);
        Assert.Equal([("s.1.1", "医療情報システム安全管理責任者を設置している")], diff.Reworded.Select(p => (p.Old.NodeId!, p.New.Label)));
        Assert.Equal([("2-⑫", "2-⑬"), ("2-⑬", "２－⑮")], diff.Renumbered.Select(p => (p.Old.Ref, p.New.Ref)));
        Assert.Equal(["2-⑫"], diff.Added.Select(a => a.Ref));
        Assert.Equal(["s.2.14"], diff.Removed.Select(r => r.NodeId));
        Assert.Equal(0, diff.Unchanged);
        Assert.Equal(new Dictionary<string, string> { ["s.2.12"] = "renumbered", ["s.2.13"] = "renumbered", ["s.2.14"] = "removed" }, diff.ReviewReasons());

        var same = OfficialFormDiff.Compare(old, old.Select(o => o with { NodeId = null }).ToList());
        Assert.False(same.Changed);
        Assert.Equal(4, same.Unchanged);
    }

    [Fact]
    public void The_shipped_known_file_list_holds_the_two_r8_files_as_the_facts_give_them()
    {
        var known = OfficialFiles.Load(Path.Combine(TestCluster.RepoRoot, "catalog/official/files.yaml"));
        Assert.Equal([("001716187.xlsx", 25_655L, "b811208b1d29fe0f", "site-and-pharmacy"), ("001716188.xlsx", 25_018L, "e1a2a763c97c5434", "vendor")],
            known.Files.Select(f => (f.FileName, f.Size, f.Sha256Prefix, f.Sheet)));
        Assert.All(known.Files, f => Assert.Equal(("checklist-r8", "estimated"), (f.Edition, f.Confidence)));
        Assert.All(known.Files, f => Assert.Contains("YR-M", f.Source));
        // Size and the SHA-256 prefix must both match.
        var entry = known.Files[0];
        Assert.Same(entry, known.Find(25_655, "b811208b1d29fe0f" + new string('0', 48)));
        Assert.Null(known.Find(25_656, "b811208b1d29fe0f" + new string('0', 48)));
        Assert.Null(known.Find(25_655, "b811208b1d29fe0e" + new string('0', 48)));
    }
}
