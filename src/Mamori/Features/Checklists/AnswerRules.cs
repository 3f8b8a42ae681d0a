using System.Globalization;
using Mamori.Features.Catalog;
using Mamori.Platform.Time;
using Mamori.Platform.Web;

namespace Mamori.Features.Checklists;

/// <summary>How one catalogue item is answered: device columns, the answers its edition allows, the date fields.</summary>
public sealed record ItemSpec(string NodeId, string? Ref, string? Label, string Kind, IReadOnlyList<string> Devices,
    IReadOnlyList<string> Answers, IReadOnlyList<string> DateFields)
{
    public bool IsPrerequisite => Kind == "question" && NodeId.EndsWith(".prerequisite", StringComparison.Ordinal);
    public bool AllowsNotApplicable => Answers.Contains("not-applicable");
    /// <summary>The columns answered: the device columns, or one general column.</summary>
    public IReadOnlyList<string> Columns => Devices.Count > 0 ? Devices : ["general"];

    public static ItemSpec From(IndexedNode n)
    {
        var answers = n.List("answers").ToList();
        return new(n.NodeId, n.Row.Ref, n.Row.Label, n.Row.Kind, n.List("devices").ToList(),
            answers.Count > 0 ? answers : ["yes", "no"], n.List("date_fields").ToList());
    }
}

public sealed record AnswerInput(
    IReadOnlyDictionary<string, string?> Columns, DateOnly? CheckedOn1, DateOnly? CheckedOn2, DateOnly? TargetDate, string? Note, string? ResponsiblePerson);

/// <summary>The checklist's rules, as the inspection reads the sheet. Pure: testable without HTTP or a database.</summary>
public static class AnswerRules
{
    /// <summary>Japanese fiscal year (年度) of a day: April to March (<see cref="JapanTime"/>).</summary>
    public static int FiscalYearOf(DateOnly day) => JapanTime.FiscalYearOf(day);
    public static DateOnly FiscalYearStart(int fiscalYear) => JapanTime.FiscalYearStart(fiscalYear);
    public static DateOnly FiscalYearEnd(int fiscalYear) => JapanTime.FiscalYearEnd(fiscalYear);
    /// <summary>令和N年度 (令和元年 = 2019).</summary>
    public static string Reiwa(int fiscalYear) => fiscalYear == 2019 ? "令和元年度" : $"令和{fiscalYear - 2018}年度";

    static string Day(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>Problems (ja, en) with one item's answer; empty when it may be saved.</summary>
    public static List<UserError> Validate(ItemSpec item, AnswerInput input, int fiscalYear, DateOnly today)
    {
        var errors = new List<UserError>();
        foreach (var (column, value) in input.Columns)
        {
            if (value is null) continue;
            if (!item.Columns.Contains(column))
                errors.Add(($"この項目には「{column}」の欄はありません。", $"This item has no '{column}' column."));
            else if (value == "not-applicable" && !item.AllowsNotApplicable)
                errors.Add(("この項目では「対象外」は選べません（この年度版のシートにない選択肢です）。", "This edition does not allow 'not applicable' for this item."));
            else if (value is not ("yes" or "no" or "not-applicable"))
                errors.Add(("回答は「はい」「いいえ」から選んでください。", "Answer yes or no."));
        }
        var answered = input.Columns.Values.Any(v => v is not null);
        var anyNo = input.Columns.Values.Any(v => v == "no");
        var (start, end) = (FiscalYearStart(fiscalYear), FiscalYearEnd(fiscalYear));

        if (input.CheckedOn1 is { } c1 && c1 > today) errors.Add(("確認日（1回目）に未来の日付は入れられません。", "The first check date is in the future."));
        if (input.CheckedOn2 is { } c2 && c2 > today) errors.Add(("確認日（2回目）に未来の日付は入れられません。", "The second check date is in the future."));
        if (input is { CheckedOn1: { } a, CheckedOn2: { } b } && b < a)
            errors.Add(("確認日（2回目）が1回目より前になっています。", "The second check is before the first."));
        if (answered && input.CheckedOn1 is null && !item.IsPrerequisite)
            errors.Add(("回答した項目には確認日（1回目）を入れてください。立入検査では確認日の記入を確かめられます。", "Enter the first check date for an answered item."));

        // 目標日: required for いいえ and within the fiscal year of the check.
        if (anyNo && !item.IsPrerequisite)
        {
            if (input.TargetDate is not { } target)
                errors.Add(("「いいえ」の項目には目標日（いつまでに対応するか）が必要です。", "A 'no' needs a target date."));
            else
            {
                if (target < start || target > end)
                    errors.Add(($"目標日は{Reiwa(fiscalYear)}中（{Day(start)}〜{Day(end)}）の日付にしてください。",
                        $"The target date must fall within FY{fiscalYear} ({start:yyyy-MM-dd} to {end:yyyy-MM-dd})."));
                if (input.CheckedOn1 is { } checkedOn && target < checkedOn)
                    errors.Add(("目標日が確認日（1回目）より前になっています。", "The target date is before the first check."));
            }
        }
        if (input.Note?.Length > 2000) errors.Add(("備考は2000文字までです。", "The note is limited to 2000 characters."));
        return errors;
    }

    /// <summary>Whether the item counts as done for the progress and for sealing the 1回目.</summary>
    public static bool IsComplete(ItemSpec item, ChecklistAnswer? answer) =>
        answer is not null && item.Columns.All(c => Value(answer, c) is not null) && (item.IsPrerequisite ? answer.CarriedFrom is null : answer.CheckedOn1 is not null);

    public static string? Value(ChecklistAnswer a, string column) => column switch
    {
        "server" => a.Server,
        "terminal" => a.Terminal,
        "network" => a.Network,
        _ => a.General,
    };

    public static bool AnyNo(ChecklistAnswer a) => a.General == "no" || a.Server == "no" || a.Terminal == "no" || a.Network == "no";
    public static bool AllYes(ItemSpec item, ChecklistAnswer a) => item.Columns.All(c => Value(a, c) is "yes" or "not-applicable") && item.Columns.Any(c => Value(a, c) == "yes");
}
