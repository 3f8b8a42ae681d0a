using System.Globalization;
using System.Text.RegularExpressions;
using Mamori.Features.Assets;
using Mamori.Features.Assets.Import;

namespace Mamori.Features.Catalog;

/// <summary>The columns of a checklist sheet Mamori recognises by name.</summary>
public enum FormColumn { Number, Item, Section, General, Server, Terminal, Network, Yes, No, Answer, CheckedOn, TargetDate, Note }

/// <summary>A section heading of the sheet (区分1 体制構築).</summary>
public sealed record FormSection(string Number, string Label, int Row);

/// <param name="Ref">The item's number as the catalogue writes it: 2-① (a bare ① under 区分2 becomes 2-①).</param>
/// <param name="Label">The wording exactly as in the cell (trimmed).</param>
public sealed record FormItem(string Ref, string Label, FormSection? Section, int Row)
{
    public string Key => OfficialFormReader.NumberKey(Ref);
}

/// <summary>One checklist sheet read from the official Excel: title, header, sections and items in order.</summary>
public sealed record OfficialForm(
    string Title, int? FiscalYear, int HeaderRow, IReadOnlyDictionary<int, FormColumn> Columns,
    List<FormSection> Sections, List<FormItem> Items, List<int> SkippedRows);

/// <summary>
/// Reads the MHLW checklist sheet (番号・確認項目・はい/いいえ・確認日・目標日…): finds the header among the first rows by
/// its column names (NFKC, spaces removed, as the ledger import does; a two-row header under merged cells is joined),
/// then each item's number and wording in order under their section headings (区分1…4 / 大項目). Domain only: no database.
/// </summary>
public static partial class OfficialFormReader
{
    public const int HeaderSearchRows = 30;

    /// <summary>Bounds for an uploaded form: a checklist has tens of rows.</summary>
    public static readonly ReadLimits Limits = new() { MaxRows = 5_000, MaxColumns = 200, MaxUncompressedBytes = 50L * 1024 * 1024 };

    static readonly (FormColumn Column, string[] Names)[] Table =
    [
        (FormColumn.Number, ["番号", "項番", "項目番号", "No", "No."]),
        (FormColumn.Item, ["確認項目", "チェック項目", "確認事項", "確認内容", "項目"]),
        (FormColumn.Section, ["区分", "大項目", "分類"]),
        (FormColumn.General, ["全般"]),
        (FormColumn.Server, ["サーバ", "サーバー"]),
        (FormColumn.Terminal, ["端末PC", "端末", "クライアント端末", "端末パソコン"]),
        (FormColumn.Network, ["ネットワーク機器", "ネットワーク"]),
        (FormColumn.Yes, ["はい"]),
        (FormColumn.No, ["いいえ"]),
        (FormColumn.Answer, ["はい/いいえ", "確認結果", "回答", "結果"]),
        (FormColumn.CheckedOn, ["確認日", "1回目", "2回目"]),
        (FormColumn.TargetDate, ["目標日"]),
        (FormColumn.Note, ["備考"]),
    ];

    static readonly Dictionary<string, FormColumn> ByKey =
        Table.SelectMany(t => t.Names.Select(n => (Key: LooseText.Key(n), t.Column))).ToDictionary(x => x.Key, x => x.Column);

    public static FormColumn? Recognize(string? header)
    {
        var key = LooseText.Key(header);
        if (key.Length == 0) return null;
        if (ByKey.TryGetValue(key, out var column)) return column;
        // 「令和8年度中の目標日」「確認日（1回目）」: the name inside a longer heading.
        if (key.Contains("目標日")) return FormColumn.TargetDate;
        if (key.Contains("確認日")) return FormColumn.CheckedOn;
        return null;
    }

    /// <summary>A number for comparison: ２－① = 2-① = 2-1; brackets and spaces ignored.</summary>
    public static string NumberKey(string number) =>
        CatalogIndex.RefKey(number.Replace('ー', '-').Replace('―', '-').Replace('–', '-').Replace('—', '-'));

    [GeneratedRegex(@"令和\s*(\d+|元)\s*年度")]
    private static partial Regex FiscalYearPattern();

    [GeneratedRegex(@"^(?:区分|大項目)\s*(\d+)\s*[.．、:：)）\s]*(.*)$", RegexOptions.Singleline)]
    private static partial Regex NamedSection();

    [GeneratedRegex(@"^(\d+)\s*[.．、:：)）\s]\s*(\S.*)$", RegexOptions.Singleline)]
    private static partial Regex NumberedHeading();

    [GeneratedRegex(@"^([\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]|[0-9０-９]+\s*[-－‐ー]\s*[0-9０-９\u2460-\u2473]+)[\s　.．、:：]*(\S.*)$", RegexOptions.Singleline)]
    private static partial Regex LeadingNumber();

    [GeneratedRegex(@"^\d+-\d+$")]
    private static partial Regex Hyphenated();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex Digits();

    enum NumberKind { None, Hyphenated, Sub, Plain, Other }

    /// <summary>2-① is hyphenated; ① and (1) are numbers within a section; 1 is plain.</summary>
    static NumberKind KindOf(string number)
    {
        if (number.Length == 0) return NumberKind.None;
        var key = NumberKey(number);
        if (Hyphenated().IsMatch(key)) return NumberKind.Hyphenated;
        if (!Digits().IsMatch(key)) return NumberKind.Other;
        // NFKC would turn ① into 1: look at the characters as written.
        return number.Trim().All(c => c is >= '0' and <= '9' or >= '０' and <= '９') ? NumberKind.Plain : NumberKind.Sub;
    }

    /// <summary>
    /// The sheet, or problems (row-numbered, Japanese first). Whole-file errors (not an xlsx, too large) arrive as
    /// <see cref="ImportFileException"/> from the rows enumerable and become one problem.
    /// </summary>
    public static (OfficialForm? Form, List<CatalogProblem> Problems) Read(IEnumerable<SourceRow> rows, string fileName)
    {
        var problems = new List<CatalogProblem>();
        void Problem(int row, string ja, string en) => problems.Add(new(fileName, row, ja, en));
        List<SourceRow> all;
        try
        {
            all = rows.ToList();
        }
        catch (ImportFileException e)
        {
            Problem(0, e.MessageJa + "。", e.MessageEn + ".");
            return (null, problems);
        }

        // The header: the row (among the first rows) naming the item column and the most other known columns.
        var head = all.Take(HeaderSearchRows).ToList();
        var best = head.Select((row, i) => (Index: i, Columns: Detect(row)))
            .Where(x => x.Columns.ContainsValue(FormColumn.Item) && x.Columns.Count >= 2)
            .OrderByDescending(x => x.Columns.Count).ThenBy(x => x.Index).FirstOrDefault();
        if (best.Columns is null)
        {
            var ledger = head.Any(r => r.Cells.Count(c => AssetColumns.Recognize(c.Text) is not null) >= 2);
            Problem(0, ledger
                    ? "チェックリストの様式ではありません（機器台帳のようです）。厚生労働省のチェックリストの Excel を選んでください。機器台帳は「機器台帳」の取り込みから読み込めます。"
                    : $"チェックリストの様式ではありません。最初の{HeaderSearchRows}行に「確認項目」の列名と、「番号」「はい」「いいえ」「確認日」などの列名を含む行が必要です。",
                ledger ? "This is not a checklist (it looks like an asset ledger)." : "No checklist header: no row names the item column (確認項目) and another known column.");
            return (null, problems);
        }
        var header = head[best.Index];
        var columns = best.Columns;
        var dataStart = best.Index + 1;
        // A two-row header: 確認結果 merged over 全般/サーバ/端末PC/ネットワーク機器, 確認日 over 1回目/2回目.
        if (dataStart < all.Count && Detect(all[dataStart]) is { Count: > 0 } sub
            && !sub.ContainsValue(FormColumn.Item) && Blank(all[dataStart], columns, FormColumn.Number) && Blank(all[dataStart], columns, FormColumn.Item))
        {
            foreach (var (index, column) in sub) columns[index] = column;
            dataStart++;
        }
        if (columns.Values.Count(c => c == FormColumn.Item) > 1 || columns.Values.Count(c => c == FormColumn.Number) > 1)
        {
            Problem(header.Number, "「確認項目」または「番号」の列が2つ以上あります。列の見出しを確かめてください。", "More than one item or number column.");
            return (null, problems);
        }

        // An unnamed column just left of the items holds their numbers (a blank header cell over ①②…).
        var itemIndex = columns.First(kv => kv.Value == FormColumn.Item).Key;
        if (!columns.ContainsValue(FormColumn.Number) && itemIndex > 0 && !columns.ContainsKey(itemIndex - 1) && header[itemIndex - 1].IsBlank)
            columns[itemIndex - 1] = FormColumn.Number;

        var titleRows = all.Take(best.Index).Select(r => string.Join(" ", r.Cells.Where(c => !c.IsBlank).Select(c => c.Text.Trim()))).ToList();
        var title = string.Join(" / ", titleRows.Where(t => t.Length > 0));
        int? fiscalYear = FiscalYearPattern().Match(LooseText.Nfkc(title)) is { Success: true } m
            ? 2018 + (m.Groups[1].Value == "元" ? 1 : int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            : null;

        var firstIndex = columns.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.Min(kv => kv.Key));
        string Cell(SourceRow row, FormColumn column) => firstIndex.TryGetValue(column, out var i) ? Clean(row[i].Text) : "";
        var hasNumberColumn = columns.ContainsValue(FormColumn.Number);
        var hasSectionColumn = columns.ContainsValue(FormColumn.Section);
        var data = all.Skip(dataStart).ToList();
        // Items numbered 2-① or ① make a plain 1, 2, 3 in the number column a section heading.
        var plainIsSection = !hasSectionColumn
            && data.Any(r => KindOf(Cell(r, FormColumn.Number)) is NumberKind.Hyphenated or NumberKind.Sub || LeadingNumber().IsMatch(Cell(r, FormColumn.Item)));

        var sections = new List<FormSection>();
        var items = new List<FormItem>();
        var skipped = new List<int>();
        var seen = new Dictionary<string, int>();
        FormSection? section = null;
        foreach (var row in data)
        {
            var texts = row.Cells.Where(c => !c.IsBlank).Select(c => Clean(c.Text)).ToList();
            if (texts.Count == 0) continue;
            var number = hasNumberColumn ? Cell(row, FormColumn.Number) : "";
            var wording = Cell(row, FormColumn.Item);
            // 「① 医療情報システム…」: the number written in the item's own cell.
            if (number.Length == 0 && LeadingNumber().Match(wording) is { Success: true } lead)
                (number, wording) = (lead.Groups[1].Value, lead.Groups[2].Value.Trim());
            var kind = KindOf(number);

            if (AsSection(row, texts, number, wording, kind) is { } heading)
            {
                if (section is null || NumberKey(section.Number) != NumberKey(heading.Number) || section.Label != heading.Label)
                {
                    section = heading;
                    if (sections.Any(s => NumberKey(s.Number) == NumberKey(heading.Number)))
                        Problem(row.Number, $"区分「{heading.Number}」が2回あります。", $"Section {heading.Number} appears twice.");
                    sections.Add(heading);
                }
                if (!hasSectionColumn || (kind == NumberKind.None && wording.Length == 0)) continue;
            }

            if (wording.Length == 0)
            {
                if (kind is NumberKind.Hyphenated or NumberKind.Sub or NumberKind.Plain)
                    Problem(row.Number, $"番号「{number}」の確認項目（文言）が空です。", $"Row {row.Number}: item {number} has no wording.");
                continue;
            }
            if (kind == NumberKind.None)
            {
                if (IsNote(wording) || items.Count == 0) skipped.Add(row.Number);
                else Problem(row.Number, $"確認項目「{Short(wording)}」に番号がありません。", $"Row {row.Number}: an item has no number.");
                continue;
            }
            var reference = kind switch
            {
                NumberKind.Sub or NumberKind.Plain when section is not null => $"{section.Number}-{number}",
                _ => number,
            };
            var item = new FormItem(reference, wording, section, row.Number);
            if (seen.TryGetValue(item.Key, out var first))
                Problem(row.Number, $"番号「{reference}」が重複しています（最初は{first}行目）。同じ番号の項目は取り込めません。",
                    $"Row {row.Number}: duplicate item number {reference} (first on row {first}).");
            else seen[item.Key] = row.Number;
            items.Add(item);
        }
        if (items.Count == 0 && problems.Count == 0)
            Problem(header.Number, "確認項目が1つもありません（見出しの行の下に、番号と確認項目を書いた行が必要です）。", "The sheet has no items under its header.");
        return (problems.Count > 0 ? null : new OfficialForm(title, fiscalYear, header.Number, columns, sections, items, skipped), problems);

        FormSection? AsSection(SourceRow row, List<string> texts, string number, string wording, NumberKind kind)
        {
            if (hasSectionColumn && Cell(row, FormColumn.Section) is { Length: > 0 } cell)
                return Parse(cell, cell == texts[0] && texts.Count > 1 && Cell(row, FormColumn.Item).Length == 0 ? texts[1] : "", row.Number);
            var first = texts[0];
            if (NamedSection().IsMatch(LooseText.Nfkc(first)))
                return Parse(first, texts.Count > 1 ? texts[1] : "", row.Number);
            if (plainIsSection && kind == NumberKind.Plain)
                return new FormSection(number, wording.Length > 0 ? wording : texts.Skip(1).FirstOrDefault() ?? "", row.Number);
            if (plainIsSection && texts.Count == 1 && kind == NumberKind.None && (wording.Length == 0 || wording == first)
                && NumberedHeading().Match(LooseText.Nfkc(first)) is { Success: true } h)
                return new FormSection(h.Groups[1].Value, h.Groups[2].Value.Trim(), row.Number);
            return null;
        }

        static FormSection Parse(string text, string next, int row)
        {
            var normalized = LooseText.Nfkc(text);
            var m = NamedSection().Match(normalized) is { Success: true } named ? named : NumberedHeading().Match(normalized);
            if (!m.Success) return new FormSection(text, next, row);
            var label = m.Groups[2].Value.Trim();
            return new FormSection(m.Groups[1].Value, label.Length > 0 ? label : next, row);
        }
    }

    static Dictionary<int, FormColumn> Detect(SourceRow row)
    {
        var found = new Dictionary<int, FormColumn>();
        for (var i = 0; i < row.Cells.Count; i++)
            if (Recognize(row[i].Text) is { } column && (column is FormColumn.CheckedOn || !found.ContainsValue(column))) found[i] = column;
        return found;
    }

    static bool Blank(SourceRow row, Dictionary<int, FormColumn> columns, FormColumn column) =>
        columns.Where(kv => kv.Value == column).All(kv => row[kv.Key].IsBlank);

    /// <summary>Cell text trimmed, line breaks as \n.</summary>
    static string Clean(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n').Trim();

    static bool IsNote(string text) => text[0] is '※' or '*' or '＊' || text.StartsWith("注", StringComparison.Ordinal) || text.StartsWith("（注", StringComparison.Ordinal);

    static string Short(string text) => text.Length <= 30 ? text : text[..30] + "…";
}
