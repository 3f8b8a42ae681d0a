using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mamori.Features.Assets.Import;

/// <summary>
/// Dates as written in Japanese ledgers: 和暦 (令和2年12月1日, R2.12.1, H30/4/1, 令和元年5月1日), western
/// (2020/12/1, 2020-12-01, 2020年12月1日, 20201201), full-width forms (NFKC), and Excel serial numbers for cells
/// that were numbers in an xlsx file.
/// </summary>
public static partial class JapaneseDate
{
    sealed record Era(string Name, char Letter, DateOnly Start, DateOnly? End);

    // 明治 is counted from the Gregorian date of the era proclamation; earlier dates were lunar anyway.
    static readonly Era[] Eras =
    [
        new("明治", 'M', new(1868, 10, 23), new(1912, 7, 29)),
        new("大正", 'T', new(1912, 7, 30), new(1926, 12, 24)),
        new("昭和", 'S', new(1926, 12, 25), new(1989, 1, 7)),
        new("平成", 'H', new(1989, 1, 8), new(2019, 4, 30)),
        new("令和", 'R', new(2019, 5, 1), null),
    ];

    const string Examples = "例: 2020/12/1、令和2年12月1日、R2.12.1";
    const string TimeSuffix = @"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?";

    [GeneratedRegex(@"^(?<era>明治|大正|昭和|平成|令和|[MTSHRmtshr])\s*(?<y>元|[0-9]{1,2})\s*[年./-]\s*(?<m>[0-9]{1,2})\s*[月./-]\s*(?<d>[0-9]{1,2})\s*日?$")]
    private static partial Regex EraPattern();

    [GeneratedRegex(@"^(?<y>[0-9]{4})\s*[年./-]\s*(?<m>[0-9]{1,2})\s*[月./-]\s*(?<d>[0-9]{1,2})\s*日?" + TimeSuffix + "$")]
    private static partial Regex WesternPattern();

    [GeneratedRegex(@"^(?<y>[0-9]{4})(?<m>[0-9]{2})(?<d>[0-9]{2})$")]
    private static partial Regex CompactPattern();

    public static bool TryParse(string text, out DateOnly date, out string? errorJa) =>
        TryParse(text, fromExcelNumber: false, out date, out errorJa);

    /// <param name="fromExcelNumber">The cell was a number in an xlsx file, so "44166" is an Excel serial (2020-12-01).</param>
    public static bool TryParse(string text, bool fromExcelNumber, out DateOnly date, out string? errorJa) =>
        TryParse(text, fromExcelNumber, out date, out errorJa, out _);

    /// <param name="warningJa">
    /// Set when the date was read but deserves a look: a 和暦 year past its era's end, as ledgers and support notices
    /// written before an era changed keep counting (H31.9.14 → 2019-09-14, H32.1.14 → 2020-01-14).
    /// </param>
    public static bool TryParse(string text, bool fromExcelNumber, out DateOnly date, out string? errorJa, out string? warningJa)
    {
        date = default;
        warningJa = null;
        var original = text.Trim();
        var t = original.Normalize(NormalizationForm.FormKC).Trim();
        if (fromExcelNumber && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial)
            && TryFromExcelSerial(serial, date1904: false, out date))
        {
            errorJa = null;
            return true;
        }

        if (TryPlainWestern(original, out var year, out var month, out var day)) return TryMake(original, year, month, day, out date, out errorJa);

        var era = EraPattern().Match(t);
        if (era.Success) return TryEraDate(original, era, out date, out errorJa, out warningJa);

        var western = WesternPattern().Match(t);
        if (!western.Success) western = CompactPattern().Match(t);
        if (western.Success)
            return TryMake(original, Number(western, "y"), Number(western, "m"), Number(western, "d"), out date, out errorJa);

        errorJa = $"「{original}」は日付として読めません（{Examples}）";
        return false;
    }

    /// <summary>2020/12/1, 2020-12-01 or 2020.12.1 in ASCII, the common case, read without normalisation or regex.</summary>
    static bool TryPlainWestern(string text, out int year, out int month, out int day)
    {
        (year, month, day) = (0, 0, 0);
        var parts = text.AsSpan();
        if (parts.Length is < 8 or > 10 || !int.TryParse(parts[..4], NumberStyles.None, CultureInfo.InvariantCulture, out year)
            || parts[4] is not ('/' or '-' or '.')) return false;
        parts = parts[5..];
        var separator = parts.IndexOfAny("/-.");
        return separator is 1 or 2 && parts.Length - separator - 1 is 1 or 2
            && int.TryParse(parts[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out month)
            && int.TryParse(parts[(separator + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out day);
    }

    /// <summary>Excel's day count (1900 system: 1 = 1900-01-01, with Excel's non-existent 1900-02-29 as 60).</summary>
    public static bool TryFromExcelSerial(double serial, bool date1904, out DateOnly date)
    {
        date = default;
        if (double.IsNaN(serial) || serial < 1 || serial >= 2_958_466) return false;
        var days = (int)Math.Floor(serial);
        if (date1904) { date = new DateOnly(1904, 1, 1).AddDays(days); return true; }
        if (days == 60) return false;
        date = days < 60 ? new DateOnly(1899, 12, 31).AddDays(days) : new DateOnly(1899, 12, 30).AddDays(days);
        return true;
    }

    static bool TryEraDate(string original, Match m, out DateOnly date, out string? errorJa, out string? warningJa)
    {
        warningJa = null;
        var key = m.Groups["era"].Value;
        var era = Eras.First(e => e.Name == key || (key.Length == 1 && char.ToUpperInvariant(key[0]) == e.Letter));
        var eraYear = m.Groups["y"].Value == "元" ? 1 : Number(m, "y");
        if (eraYear < 1 || !TryMake(original, era.Start.Year + eraYear - 1, Number(m, "m"), Number(m, "d"), out date, out errorJa))
        {
            date = default;
            errorJa = $"{original} は存在しない日付です";
            return false;
        }
        if (date < era.Start)
        {
            errorJa = $"{original} は{era.Name}の期間外です（{era.Name}は{Western(era.Start)}から）";
            return false;
        }
        // The year is counted on from the era's start, as whoever wrote it meant (平成31年9月14日 is 2019年9月14日).
        if (era.End is { } end && date > end)
            warningJa = $"{original} は{era.Name}の終わり（{Western(end)}）より後の日付のため、{Western(date)}として読みました";
        return true;
    }

    static bool TryMake(string original, int year, int month, int day, out DateOnly date, out string? errorJa)
    {
        date = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            errorJa = $"{original} は存在しない日付です";
            return false;
        }
        date = new DateOnly(year, month, day);
        errorJa = null;
        return true;
    }

    static int Number(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    static string Western(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";
}
