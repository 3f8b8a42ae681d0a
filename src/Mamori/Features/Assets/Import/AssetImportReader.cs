using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Mamori.Platform.Reports;

namespace Mamori.Features.Assets.Import;

/// <summary>
/// Turns the rows of a CSV or xlsx ledger into <see cref="AssetImportRow"/>s, with row-numbered Japanese errors.
/// Finds the header among the first <see cref="HeaderSearchRows"/> rows (the row with the most known column names;
/// title rows such as 「機器台帳」 and 「最終更新日：…」 above it are skipped), or uses the mapping the user confirmed.
/// Reads the file once, front to back; only valid rows are kept.
/// </summary>
public static partial class AssetImportReader
{
    public const int HeaderSearchRows = 20;

    /// <param name="accepted">
    /// Receives each valid row as soon as it is checked, instead of <see cref="AssetImportResult.Rows"/> (a streaming
    /// import); only while no row has had an error, since a file with errors is not imported at all.
    /// </param>
    public static AssetImportResult Read(IEnumerable<SourceRow> rows, AssetImportOptions? options = null, Action<AssetImportRow>? accepted = null)
    {
        options ??= new AssetImportOptions();
        var result = new AssetImportResult();
        try
        {
            using var source = rows.GetEnumerator();
            var (header, pending) = FindHeader(source, options.HeaderRowNumber);
            var mapping = Map(header, options.Mapping, result);
            var parser = new RowParser(mapping, result.Columns, result, options, accepted);
            var after = new TableEnd(parser);
            foreach (var row in pending) after.Add(row);
            while (source.MoveNext()) after.Add(source.Current);
            after.Finish();
            parser.Finish();
        }
        catch (ImportFileException e)
        {
            result.FileError = e.Error;
        }
        return result;
    }

    /// <summary>The header row, and the rows already read after it.</summary>
    static (SourceRow Header, List<SourceRow> Pending) FindHeader(IEnumerator<SourceRow> source, int? headerRowNumber)
    {
        if (headerRowNumber is { } wanted)
        {
            while (source.MoveNext())
                if (source.Current.Number == wanted) return (source.Current, []);
            throw new ImportFileException($"{wanted}行目が見つかりません（空の行か、ファイルの外です）",
                $"Row {wanted} is empty or beyond the end of the file");
        }
        var head = new List<SourceRow>();
        while (head.Count < HeaderSearchRows && source.MoveNext()) head.Add(source.Current);
        var best = head
            .Select((row, i) => (Index: i, Score: row.Cells.Count(c => AssetColumns.Recognize(c.Text) is not null)))
            .Where(x => x.Score >= 2)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Index)
            .FirstOrDefault();
        if (best.Score == 0)
            throw new ImportFileException(
                $"見出しの行が見つかりません。最初の{HeaderSearchRows}行に「管理番号」「OS」「IPアドレス」などの列名を2つ以上含む行が必要です",
                $"No header row: none of the first {HeaderSearchRows} rows has two or more known column names");
        return (head[best.Index], head[(best.Index + 1)..]);
    }

    static ColumnMapping Map(SourceRow header, ColumnMapping? chosen, AssetImportResult result)
    {
        result.HeaderRowNumber = header.Number;
        var mapping = chosen ?? Detect(header);
        if (chosen is null) WarnUnmappedLookalikes(header, mapping, result);
        foreach (var duplicate in mapping.GroupBy(m => m.Value).Where(g => g.Count() > 1))
            throw new ImportFileException(
                $"{string.Join("・", duplicate.Select(d => Letters(d.Key)))}列が同じ項目（{AssetLabels.Of(duplicate.Key).Ja}）に割り当てられています",
                $"Columns {string.Join(", ", duplicate.Select(d => Letters(d.Key)))} are all mapped to {AssetLabels.Of(duplicate.Key).En}");
        foreach (var field in mapping.Values.Where(f => f is AssetField.UpdatedAt or AssetField.UpdatedBy))
            throw new ImportFileException($"「{AssetLabels.Of(field).Ja}」は取り込めない項目です（Mamori が記録します）",
                $"{AssetLabels.Of(field).En} cannot be imported; Mamori records it");
        if (!mapping.ContainsValue(AssetField.ControlNumber))
            throw new ImportFileException("管理番号の列がありません。管理番号は必須です", "There is no control-number column; it is required");
        // A device's interfaces follow the file's addresses on re-import; a segment alone cannot say which address it belongs to.
        if (mapping.ContainsValue(AssetField.NetworkSegment) && !mapping.ContainsValue(AssetField.IpAddress))
        {
            result.WarningCount++;
            result.Warnings.Add(new ImportIssue(header.Number, AssetLabels.Of(AssetField.NetworkSegment).Ja,
                "IPアドレスの列がないため、ネットワーク区分は新しく登録する機器にだけ記録します（台帳にある機器のネットワーク区分は変えません）",
                "No IP address column: the network segment is recorded for new devices only (devices already in the ledger keep theirs)"));
        }

        var width = Math.Max(header.Cells.Count, mapping.Count == 0 ? 0 : mapping.Keys.Max() + 1);
        for (var i = 0; i < width; i++)
        {
            var text = header[i].Text.Trim();
            var column = new HeaderColumn(i, text, mapping.TryGetValue(i, out var f) ? f : null);
            if (column.Field is null && text.Length == 0) continue;
            result.Columns.Add(column);
            if (column.Field is null && !AssetColumns.IsIgnored(text)) result.UnknownColumns.Add(column);
        }
        return mapping;
    }

    /// <summary>
    /// Headers that are a field's own name first (「管理番号」), then synonyms for the fields still free (「No.」), each
    /// field to its leftmost column; so 「No.」 before 「管理番号」 stays a row number.
    /// </summary>
    static ColumnMapping Detect(SourceRow header)
    {
        var mapping = new ColumnMapping();
        for (var i = 0; i < header.Cells.Count; i++)
            if (AssetColumns.Exact(header[i].Text) is { } field && !mapping.ContainsValue(field)) mapping[i] = field;
        for (var i = 0; i < header.Cells.Count; i++)
            if (!mapping.ContainsKey(i) && AssetColumns.Recognize(header[i].Text) is { } field && !mapping.ContainsValue(field)) mapping[i] = field;
        return mapping;
    }

    /// <summary>A column whose header looks like a field that another column took is not imported: say so, with both columns.</summary>
    static void WarnUnmappedLookalikes(SourceRow header, ColumnMapping mapping, AssetImportResult result)
    {
        for (var i = 0; i < header.Cells.Count; i++)
        {
            if (mapping.ContainsKey(i) || AssetColumns.Recognize(header[i].Text) is not { } field) continue;
            var taken = mapping.First(m => m.Value == field).Key;
            var (text, label) = (header[i].Text.Trim(), AssetLabels.Of(field));
            result.WarningCount++;
            result.Warnings.Add(new ImportIssue(header.Number, text,
                $"{Letters(i)}列「{text}」は{label.Ja}の列のようですが、{Letters(taken)}列「{header[taken].Text.Trim()}」を{label.Ja}として読むため、{Letters(i)}列は取り込みません（違う場合は「列の対応」で選び直してください）",
                $"Column {Letters(i)} \"{text}\" looks like {label.En}, but column {Letters(taken)} \"{header[taken].Text.Trim()}\" is read as {label.En}; column {Letters(i)} is not imported"));
        }
    }

    /// <summary>0 → A, 27 → AB.</summary>
    static string Letters(int index)
    {
        var s = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }

    // Several addresses in one cell: spaces, commas, 、 ; ・ or a slash with spaces around it (not CIDR's "/24").
    [GeneratedRegex(@"\s*[/／]\s+|\s+[/／]\s*|[\s,、;；・]+")]
    private static partial Regex AddressSeparators();

    /// <summary>The addresses in a cell; most cells hold one, which needs no splitting.</summary>
    static IEnumerable<string> Addresses(string text)
    {
        foreach (var c in text)
            if (char.IsWhiteSpace(c) || ",、;；・/／".Contains(c)) return AddressSeparators().Split(text).Where(p => p.Length > 0);
        return [text];
    }

    /// <summary>
    /// Rows that may be no device (blank, or one cell such as 「※ 廃棄済みの機器は含まない」: <see cref="RowParser.IsNote"/>)
    /// are held until the next device row: before it they are inside the table (blank rows are skipped as always, the
    /// others checked by <see cref="RowParser.AddNoteInsideTable"/>, so a bad row there still stops the import); at the
    /// end of the file they are after the table and skipped with a warning each (blank rows only when a note follows:
    /// blank rows at the very end are not visible in a sheet). Streaming is kept: only such rows wait.
    /// </summary>
    sealed class TableEnd(RowParser parser)
    {
        readonly List<SourceRow> held = [];

        public void Add(SourceRow row)
        {
            if (row.IsBlank || parser.IsNote(row))
            {
                // Of a run of blank rows only its first and last are kept: a sheet may carry thousands of formatted blank rows.
                if (row.IsBlank && held.Count >= 2 && held[^1].IsBlank && held[^2].IsBlank) held[^1] = row;
                else held.Add(row);
                return;
            }
            foreach (var inside in held) parser.AddNoteInsideTable(inside);
            held.Clear();
            parser.Add(row);
        }

        public void Finish()
        {
            var lastNote = held.FindLastIndex(r => !r.IsBlank);
            for (var i = 0; i <= lastNote; i++)
            {
                var row = held[i];
                if (!row.IsBlank) parser.SkipNote(row);
                else if (i == 0 || !held[i - 1].IsBlank) // the first of a run of blank rows names the run
                {
                    var last = i + 1 < held.Count && held[i + 1].IsBlank ? held[i + 1].Number : row.Number;
                    parser.SkipBlank(row.Number, last);
                }
            }
        }
    }

    sealed class RowParser(ColumnMapping mapping, List<HeaderColumn> columns, AssetImportResult result, AssetImportOptions options, Action<AssetImportRow>? accepted)
    {
        readonly int maxIssues = options.MaxIssues;
        readonly int controlNumberColumn = mapping.First(m => m.Value == AssetField.ControlNumber).Key;
        readonly Dictionary<string, int> controlNumbers = new(StringComparer.Ordinal);
        readonly Dictionary<int, string> names = columns.ToDictionary(c => c.Index, c => c.Text.Length > 0 ? c.Text : AssetLabels.Of(c.Field!.Value).Ja);
        readonly Memo<(bool Known, AssetCategory Category, string? MedicalDeviceType)> categories =
            new(t => AssetValues.TryCategory(t, out var c, out var m) ? (true, c, m) : (false, c, m));
        readonly Memo<AssetStatus?> statuses = new(t => AssetValues.TryStatus(t, out var s) ? s : null);
        readonly Memo<SecurityUpdateResponsibility?> updaters = new(t => AssetValues.TryUpdater(t, out var u) ? u : null);
        bool rowHasError;
        int normalizedCount;
        (int Row, string Text, string Stored) firstNormalized;

        /// <summary>
        /// One warning for the 管理番号 written in full-width (「PC-０１２」): the first with how it is stored, and how many
        /// rows were so; one per row would bury the others in a ledger typed all in full-width.
        /// </summary>
        public void Finish()
        {
            if (normalizedCount == 0) return;
            var (row, text, stored) = firstNormalized;
            var others = normalizedCount > 1 ? $"。ほかに {normalizedCount - 1} 行を同じようにそろえます" : "";
            Warn(row, controlNumberColumn, $"管理番号「{Clip(text)}」は「{Clip(stored)}」として記録します（全角の英数字・記号は半角にそろえます。次の取り込みでも同じ機器になります{others}）",
                $"Control number \"{Clip(text)}\" is stored as \"{Clip(stored)}\" (full-width letters and digits are made half-width){(normalizedCount > 1 ? $"; {normalizedCount - 1} more rows likewise" : "")}");
        }

        // Add and Set run once per row and cell: compiled optimised at once instead of after the tiering delay, which
        // an import in a fresh process (the command line, the first upload after a start) would spend in slow code.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(SourceRow row)
        {
            if (row.IsBlank) return;
            result.RowsRead++;
            rowHasError = false;
            var parsed = new AssetImportRow { RowNumber = row.Number };
            foreach (var (index, field) in mapping)
            {
                var cell = row[index];
                if (cell.IsBlank) continue;
                var text = cell.Text.Trim();
                if (!LooseText.IsWellFormed(text))
                {
                    Error(row.Number, index, $"{names[index]}: 文字として読めない符号が含まれています（文字化けや壊れたファイルの可能性）。セルを入力し直してください",
                        $"{names[index]}: the cell contains code points that are not text (garbled or damaged file)");
                    continue;
                }
                if (LooksLikeFormula(text))
                {
                    Error(row.Number, index, $"{names[index]}: 数式のように見えるセル（「{Clip(text)}」）は取り込めません。先頭の記号を消してください",
                        $"{names[index]}: a cell that looks like a formula (\"{Clip(text)}\") cannot be imported");
                    continue;
                }
                // A leading apostrophe is how spreadsheet exports (ours included) protect such text: take the text without it.
                if (text.Length > 1 && text[0] == '\'' && LooksLikeFormula(text[1..]))
                {
                    text = text[1..];
                    cell = cell with { Text = text };
                }
                if (cell.FromFormula)
                    Warn(row.Number, index, $"{names[index]}: 数式の計算結果「{Clip(text)}」を値として取り込みます",
                        $"{names[index]}: the formula's last calculated value \"{Clip(text)}\" is imported");
                Set(parsed, field, cell, text, row.Number, index);
            }
            var number = parsed.ControlNumber; // normalised (NFKC, trimmed): the key in the file and in the ledger
            if (number.Length == 0)
                Error(row.Number, controlNumberColumn, "管理番号が空です", "The control number is empty");
            else if (number.Length > MaxControlNumberLength)
                Error(row.Number, controlNumberColumn,
                    $"管理番号は {MaxControlNumberLength} 文字までです（{number.Length} 文字）",
                    $"The control number is limited to {MaxControlNumberLength} characters ({number.Length})");
            else if (!controlNumbers.TryAdd(number, row.Number))
                Error(row.Number, controlNumberColumn,
                    $"管理番号「{row[controlNumberColumn].Text.Trim()}」が重複しています（{controlNumbers[number]}行目と同じ）",
                    $"Control number \"{row[controlNumberColumn].Text.Trim()}\" is duplicated (same as row {controlNumbers[number]})");
            if (rowHasError) return;
            if (result.Preview.Count < options.PreviewRows) result.Preview.Add(parsed);
            if (accepted is null) result.Rows.Add(parsed);
            else if (result.ErrorCount == 0) accepted(parsed);
        }

        /// <summary>
        /// One non-blank cell and no device in it: anywhere but the 管理番号 column (a row without 管理番号 is no device),
        /// or there when it reads as a note: 「※ …」「注) …」「注記…」「以上」, a sentence with 「。」, or longer than a 管理番号 can be.
        /// A row with only a 管理番号 (「PC-099」) is a device.
        /// </summary>
        public bool IsNote(SourceRow row)
        {
            var index = -1;
            for (var i = 0; i < row.Cells.Count; i++)
            {
                if (row.Cells[i].IsBlank) continue;
                if (index >= 0) return false;
                index = i;
            }
            return index >= 0 && (index != controlNumberColumn || ReadsAsNote(row.Cells[index].Text));
        }

        static bool ReadsAsNote(string cell)
        {
            var text = LooseText.Nfkc(cell).Trim();
            return text.Length > 0 && (text.Length > MaxControlNumberLength || NoteMarks.Contains(text[0])
                || text == "以上" || text.Contains('。') || (text[0] == '注' && (text.Length == 1 || "):.、記意0123456789 ".Contains(text[1]))));
        }

        /// <summary>
        /// A note-like row with device rows after it is inside the table: one that reads as a note, or sits in a column
        /// that is not imported, is an error of its own; one value in a ledger column is a device row missing its
        /// 管理番号 (and is reported as such).
        /// </summary>
        public void AddNoteInsideTable(SourceRow row)
        {
            if (row.IsBlank) return;
            var index = FirstFilled(row);
            if (mapping.ContainsKey(index) && !ReadsAsNote(row[index].Text))
            {
                Add(row);
                return;
            }
            result.RowsRead++;
            rowHasError = false;
            Error(row.Number, index, $"表の途中に機器ではない行（「{Clip(row[index].Text.Trim())}」だけの行）があります。注記なら表の下へ移すか消し、機器なら管理番号などを入力してください",
                $"A row inside the table holds only \"{Clip(row[index].Text.Trim())}\"; move a note below the table or complete the device's row");
        }

        static int FirstFilled(SourceRow row)
        {
            for (var i = 0; i < row.Cells.Count; i++)
                if (!row.Cells[i].IsBlank) return i;
            return -1;
        }

        public void SkipNote(SourceRow row)
        {
            var index = FirstFilled(row);
            Warn(row.Number, index, $"表の下の注記「{Clip(row[index].Text.Trim())}」は機器の行ではないため、取り込みません",
                $"The note below the table \"{Clip(row[index].Text.Trim())}\" is not a device; not imported");
        }

        public void SkipBlank(int first, int last)
        {
            if (++result.WarningCount > maxIssues) return;
            result.Warnings.Add(first == last
                ? new ImportIssue(first, null, "表の下の空の行を読み飛ばしました", "Blank row below the table skipped")
                : new ImportIssue(first, null, $"表の下の空の行（{last}行目まで）を読み飛ばしました", $"Blank rows below the table (to row {last}) skipped"));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Set(AssetImportRow r, AssetField field, SourceCell cell, string text, int row, int index)
        {
            switch (field)
            {
                case AssetField.ControlNumber:
                    r.ControlNumber = Asset.NormalizeControlNumber(text);
                    if (r.ControlNumber != text && r.ControlNumber.Length > 0 && ++normalizedCount == 1) firstNormalized = (row, text, r.ControlNumber);
                    break;
                case AssetField.Category:
                    if (categories[text] is (true, var category, var medical)) (r.Category, r.MedicalDeviceType) = (category, r.MedicalDeviceType ?? medical);
                    else Warn(row, index, $"{names[index]}「{Clip(text)}」は分類できないため「その他」として取り込みます",
                        $"{names[index]} \"{Clip(text)}\" is not a known category; imported as Other");
                    break;
                case AssetField.IpAddress:
                    foreach (var part in Addresses(text))
                        if (IpAddressText.TryNormalize(part, out var ip)) r.IpAddresses.Add(ip);
                        else Error(row, index, $"{names[index]}「{Clip(part)}」は正しいアドレスではありません",
                            $"{names[index]} \"{Clip(part)}\" is not a valid IP address");
                    break;
                case AssetField.MacAddress:
                    if (MacAddressText.TryNormalize(text, out var mac)) r.MacAddress = mac;
                    else Error(row, index, $"{names[index]}「{Clip(text)}」は正しい形式ではありません（例: 00:11:22:AA:BB:CC）",
                        $"{names[index]} \"{Clip(text)}\" is not a MAC address");
                    break;
                case AssetField.Status:
                    if (statuses[text] is { } status) r.Status = status;
                    else
                    {
                        r.Status = AssetStatus.Other;
                        Warn(row, index, $"{names[index]}「{Clip(text)}」は判別できないため「その他」として取り込みます",
                            $"{names[index]} \"{Clip(text)}\" is not a known status; imported as Other");
                    }
                    break;
                case AssetField.SecurityUpdatesBy:
                    if (updaters[text] is { } by) r.SecurityUpdatesBy = by;
                    else Warn(row, index, $"{names[index]}「{Clip(text)}」は判別できないため「不明」として取り込みます",
                        $"{names[index]} \"{Clip(text)}\" is not recognised; imported as Unknown");
                    break;
                // Text and dates without rules of their own: as read, into the row's property of the field's name (LedgerFields).
                default:
                    if (AssetImportRow.TextSetters[(int)field] is { } setText) setText(r, text);
                    else if (AssetImportRow.DateSetters[(int)field] is { } setDate) setDate(r, Date(cell, text, row, index));
                    else throw new ArgumentOutOfRangeException(nameof(field), field, "not importable");
                    break;
            }
        }

        DateOnly? Date(SourceCell cell, string text, int row, int index)
        {
            if (JapaneseDate.TryParse(text, cell.Kind == CellKind.Number, out var date, out var errorJa, out var warningJa))
            {
                if (warningJa is not null) Warn(row, index, $"{names[index]}: {warningJa}", $"{names[index]}: \"{Clip(text)}\" is past its era's end; read as {date:yyyy-MM-dd}");
                return date;
            }
            Error(row, index, $"{names[index]}: {errorJa}", $"{names[index]}: \"{Clip(text)}\" is not a valid date");
            return null;
        }

        void Error(int row, int index, string ja, string en)
        {
            rowHasError = true;
            if (++result.ErrorCount <= maxIssues) result.Errors.Add(new ImportIssue(row, Name(index), ja, en));
        }

        void Warn(int row, int index, string ja, string en)
        {
            if (++result.WarningCount <= maxIssues) result.Warnings.Add(new ImportIssue(row, Name(index), ja, en));
        }

        /// <summary>The column's header, or its letter for a column without one (a note may sit in any column).</summary>
        string Name(int index) => names.TryGetValue(index, out var name) ? name : Letters(index) + "列";
    }

    /// <summary>The choice columns repeat a few dozen values over thousands of rows: each distinct text is matched once.</summary>
    sealed class Memo<T>(Func<string, T> match)
    {
        const int MaxEntries = 4096;
        readonly Dictionary<string, T> known = new(StringComparer.Ordinal);

        public T this[string text]
        {
            get
            {
                if (known.TryGetValue(text, out var value)) return value;
                value = match(text);
                if (known.Count < MaxEntries) known.Add(text, value);
                return value;
            }
        }
    }

    /// <summary>管理番号 as stored (assets."ControlNumber" varchar(64)).</summary>
    public const int MaxControlNumberLength = 64;

    /// <summary>
    /// Text that a spreadsheet would run as a formula: a leading "=", or "+", "-", "@" followed by a letter or "(".
    /// A lone "-" (空欄の意味) or "-5" is ordinary text.
    /// </summary>
    internal static bool LooksLikeFormula(string text)
    {
        // NFKC keeps the decomposition of the first character first, so only text starting with one of these can
        // normalise to a formula; the rest (nearly every cell) skips the normalisation. A unit test checks the list against ICU.
        if (text.Length == 0 || FormulaStarts.IndexOf(text[0]) < 0) return false;
        var t = text.Normalize(NormalizationForm.FormKC);
        if (t.Length == 0) return false;
        if (t[0] == '=') return true;
        return t[0] is '+' or '-' or '@' && t.Length > 1 && (char.IsAsciiLetter(t[1]) || t[1] == '(');
    }

    /// <summary>Every character whose compatibility decomposition starts with +, -, = or @ (全角＝ and the like), in code point order.</summary>
    internal const string FormulaStarts = SpreadsheetSafe.FormulaStarts;

    static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Marks a footnote starts with (after NFKC: ＊ is *, ＜注＞ is <注>).</summary>
    const string NoteMarks = "※*†‡<(〔【［[";
}
