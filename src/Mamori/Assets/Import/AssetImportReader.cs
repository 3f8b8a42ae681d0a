using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Mamori.Assets.Import;

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
            var parser = new RowParser(mapping, result.Columns, result, options.MaxIssues, accepted);
            foreach (var row in pending) parser.Add(row);
            while (source.MoveNext()) parser.Add(source.Current);
        }
        catch (ImportFileException e)
        {
            result.FileError = new ImportFileError(e.MessageJa, e.MessageEn);
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

    static ColumnMapping Detect(SourceRow header)
    {
        var mapping = new ColumnMapping();
        for (var i = 0; i < header.Cells.Count; i++)
            if (AssetColumns.Recognize(header[i].Text) is { } field && !mapping.ContainsValue(field)) mapping[i] = field;
        return mapping;
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

    sealed class RowParser(ColumnMapping mapping, List<HeaderColumn> columns, AssetImportResult result, int maxIssues, Action<AssetImportRow>? accepted)
    {
        readonly Dictionary<string, int> controlNumbers = new(StringComparer.Ordinal);
        readonly Dictionary<int, string> names = columns.ToDictionary(c => c.Index, c => c.Text.Length > 0 ? c.Text : AssetLabels.Of(c.Field!.Value).Ja);
        readonly Memo<(bool Known, AssetCategory Category, string? MedicalDeviceType)> categories =
            new(t => AssetValues.TryCategory(t, out var c, out var m) ? (true, c, m) : (false, c, m));
        readonly Memo<AssetStatus?> statuses = new(t => AssetValues.TryStatus(t, out var s) ? s : null);
        readonly Memo<SecurityUpdateResponsibility?> updaters = new(t => AssetValues.TryUpdater(t, out var u) ? u : null);
        bool rowHasError;

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
            if (parsed.ControlNumber.Length == 0)
                Error(row.Number, mapping.First(m => m.Value == AssetField.ControlNumber).Key, "管理番号が空です", "The control number is empty");
            else if (parsed.ControlNumber.Length > MaxControlNumberLength)
                Error(row.Number, mapping.First(m => m.Value == AssetField.ControlNumber).Key,
                    $"管理番号は {MaxControlNumberLength} 文字までです（{parsed.ControlNumber.Length} 文字）",
                    $"The control number is limited to {MaxControlNumberLength} characters ({parsed.ControlNumber.Length})");
            else if (parsed.ControlNumber.Normalize(NormalizationForm.FormKC) is var key && !controlNumbers.TryAdd(key, row.Number))
                Error(row.Number, mapping.First(m => m.Value == AssetField.ControlNumber).Key,
                    $"管理番号「{parsed.ControlNumber}」が重複しています（{controlNumbers[key]}行目と同じ）",
                    $"Control number \"{parsed.ControlNumber}\" is duplicated (same as row {controlNumbers[key]})");
            if (rowHasError) return;
            if (accepted is null) result.Rows.Add(parsed);
            else if (result.ErrorCount == 0) accepted(parsed);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Set(AssetImportRow r, AssetField field, SourceCell cell, string text, int row, int index)
        {
            switch (field)
            {
                case AssetField.ControlNumber: r.ControlNumber = text; break;
                case AssetField.Category:
                    if (categories[text] is (true, var category, var medical)) (r.Category, r.MedicalDeviceType) = (category, r.MedicalDeviceType ?? medical);
                    else Warn(row, index, $"{names[index]}「{Clip(text)}」は分類できないため「その他」として取り込みます",
                        $"{names[index]} \"{Clip(text)}\" is not a known category; imported as Other");
                    break;
                case AssetField.MedicalDeviceType: r.MedicalDeviceType = text; break;
                case AssetField.Name: r.Name = text; break;
                case AssetField.Manufacturer: r.Manufacturer = text; break;
                case AssetField.Model: r.Model = text; break;
                case AssetField.OperatingSystem: r.OperatingSystem = text; break;
                case AssetField.OsVersion: r.OsVersion = text; break;
                case AssetField.Software: r.Software = text; break;
                case AssetField.SoftwareVersion: r.SoftwareVersion = text; break;
                case AssetField.Firmware: r.Firmware = text; break;
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
                case AssetField.NetworkSegment: r.NetworkSegment = text; break;
                case AssetField.ComputerName: r.ComputerName = text; break;
                case AssetField.Location: r.Location = text; break;
                case AssetField.UserName: r.UserName = text; break;
                case AssetField.RegisteredOn: r.RegisteredOn = Date(cell, text, row, index); break;
                case AssetField.Status:
                    if (statuses[text] is { } status) r.Status = status;
                    else
                    {
                        r.Status = AssetStatus.Other;
                        Warn(row, index, $"{names[index]}「{Clip(text)}」は判別できないため「その他」として取り込みます",
                            $"{names[index]} \"{Clip(text)}\" is not a known status; imported as Other");
                    }
                    break;
                case AssetField.Description: r.Description = text; break;
                case AssetField.MaintenanceVendor: r.MaintenanceVendor = text; break;
                case AssetField.SecurityUpdatesBy:
                    if (updaters[text] is { } by) r.SecurityUpdatesBy = by;
                    else Warn(row, index, $"{names[index]}「{Clip(text)}」は判別できないため「不明」として取り込みます",
                        $"{names[index]} \"{Clip(text)}\" is not recognised; imported as Unknown");
                    break;
                case AssetField.SupportEndsOn: r.SupportEndsOn = Date(cell, text, row, index); break;
                case AssetField.AntiMalware: r.AntiMalware = text; break;
                case AssetField.Authentication: r.Authentication = text; break;
                case AssetField.LastStocktakeOn: r.LastStocktakeOn = Date(cell, text, row, index); break;
                default: throw new ArgumentOutOfRangeException(nameof(field), field, "not importable");
            }
        }

        DateOnly? Date(SourceCell cell, string text, int row, int index)
        {
            if (JapaneseDate.TryParse(text, cell.Kind == CellKind.Number, out var date, out var errorJa)) return date;
            Error(row, index, $"{names[index]}: {errorJa}", $"{names[index]}: \"{Clip(text)}\" is not a valid date");
            return null;
        }

        void Error(int row, int index, string ja, string en)
        {
            rowHasError = true;
            if (++result.ErrorCount <= maxIssues) result.Errors.Add(new ImportIssue(row, names[index], ja, en));
        }

        void Warn(int row, int index, string ja, string en)
        {
            if (++result.WarningCount <= maxIssues) result.Warnings.Add(new ImportIssue(row, names[index], ja, en));
        }
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
    internal const string FormulaStarts = "+-=@\u207A\u207C\u208A\u208C\u2260\u2A75\u2A76\uFB29\uFE62\uFE63\uFE66\uFE6B\uFF0B\uFF0D\uFF1D\uFF20";

    static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
