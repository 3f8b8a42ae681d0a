using System.Text;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Tests.Infrastructure;

namespace Mamori.Tests.Unit;

public sealed class ChecklistRulesTests
{
    static readonly ItemSpec Devices = new("site.2.6", "2-⑥", "セキュリティパッチを適用している", "checklist-item", ["server", "terminal", "network"], ["yes", "no"], ["checked_on_1", "checked_on_2", "target_date"]);
    static readonly ItemSpec General = new("site.1.1", "1-①", "医療情報システム安全管理責任者を設置している", "checklist-item", [], ["yes", "no"], []);
    static readonly DateOnly Today = new(2026, 11, 21);

    static AnswerInput Input(string? general = null, DateOnly? checkedOn = null, DateOnly? target = null, Dictionary<string, string?>? columns = null) =>
        new(columns ?? new Dictionary<string, string?> { ["general"] = general }, checkedOn, null, target, null, null);

    static List<string> Errors(ItemSpec item, AnswerInput input) => AnswerRules.Validate(item, input, 2026, Today).Select(e => e.Ja).ToList();

    [Theory]
    [InlineData(2026, 4, 1, 2026)]
    [InlineData(2027, 3, 31, 2026)]
    [InlineData(2026, 3, 31, 2025)]
    public void The_fiscal_year_runs_from_april_to_march(int y, int m, int d, int fiscalYear) =>
        Assert.Equal(fiscalYear, AnswerRules.FiscalYearOf(new DateOnly(y, m, d)));

    [Fact]
    public void A_no_needs_a_target_date_within_the_fiscal_year_and_not_before_the_check()
    {
        Assert.Contains(Errors(General, Input("no", Today)), e => e.Contains("目標日（いつまでに対応するか）が必要"));
        Assert.Contains(Errors(General, Input("no", Today, new DateOnly(2027, 4, 1))), e => e.Contains("令和8年度中（2026年4月1日〜2027年3月31日）"));
        Assert.Contains(Errors(General, Input("no", Today, new DateOnly(2026, 11, 1))), e => e.Contains("確認日（1回目）より前"));
        Assert.Empty(Errors(General, Input("no", Today, new DateOnly(2027, 3, 31))));
        Assert.Empty(Errors(General, Input("yes", Today)));
    }

    [Fact]
    public void Check_dates_cannot_be_in_the_future_and_an_answer_needs_one()
    {
        Assert.Contains(Errors(General, Input("yes", Today.AddDays(1))), e => e.Contains("未来の日付"));
        Assert.Contains(Errors(General, Input("yes")), e => e.Contains("確認日（1回目）を入れてください"));
    }

    [Fact]
    public void Not_applicable_only_where_the_edition_allows_it_and_device_columns_are_separate()
    {
        Assert.Contains(Errors(General, Input("not-applicable", Today)), e => e.Contains("「対象外」は選べません"));
        var columns = new Dictionary<string, string?> { ["server"] = "yes", ["terminal"] = "no", ["network"] = "yes" };
        Assert.Contains(Errors(Devices, Input(columns: columns, checkedOn: Today)), e => e.Contains("目標日"));
        var answer = new ChecklistAnswer { NodeId = "site.2.6", Server = "yes", Terminal = "yes", CheckedOn1 = Today };
        Assert.False(AnswerRules.IsComplete(Devices, answer)); // ネットワーク機器 not answered
        answer.Network = "yes";
        Assert.True(AnswerRules.IsComplete(Devices, answer));
    }

    [Theory]
    [InlineData("report.pdf", "%PDF-1.7 ...", null)]
    [InlineData("report.pdf", "MZ\u0090\u0000 not a pdf", "拡張子（.pdf）と一致しません")]
    [InlineData("setup.exe", "MZ", "添付できません")]
    [InlineData("note.txt", "連絡体制図の更新メモ", null)]
    [InlineData("empty.pdf", "", "空のファイル")]
    public void Evidence_files_must_be_what_their_name_says(string name, string content, string? error)
    {
        var (type, ja, _) = EvidenceFiles.Check(name, Encoding.UTF8.GetBytes(content), 1024 * 1024);
        if (error is null) Assert.NotNull(type);
        else Assert.Contains(error, ja);
    }

    [Fact]
    public void Oversized_evidence_is_refused_with_the_limit() =>
        Assert.Contains("上限 1 MB", EvidenceFiles.Check("big.pdf", [.. "%PDF-"u8, .. new byte[1024 * 1024]], 1024 * 1024).ErrorJa);

    [Fact]
    public void Every_checklist_item_of_the_catalogue_has_help_in_our_own_words()
    {
        var help = ChecklistHelp.Parse(File.ReadAllText(Path.Combine(TestCluster.RepoRoot, "src/Mamori/Features/Checklists/item-help.yaml")));
        var (files, _) = CatalogImport.ReadDirectory(Path.Combine(TestCluster.RepoRoot, "catalog"));
        var nodes = files.Where(f => f.File.Kind == "checklist")
            .SelectMany(f => f.File.Nodes.Where(n => n.Kind is "checklist-item" or "question").Select(n => (Key: $"{f.File.FileId}/{n.Id}", Carried: n.Fields["carried_from"]?.ToString()))).ToList();
        Assert.Equal(69, nodes.Count); // 50 own + 19 carried over into R8 (未照合), which show the help of the R7 item they came from
        var items = nodes.Select(n => n.Carried ?? n.Key).ToList();
        Assert.Empty(items.Except(help.Keys));
        Assert.All(items, key => Assert.False(string.IsNullOrWhiteSpace(help.For(key.Split('/')[0], key.Split('/')[1])!.DefensibleYes), key));
    }
}
