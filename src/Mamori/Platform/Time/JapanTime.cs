namespace Mamori.Platform.Time;

/// <summary>
/// The one JST helper. Times are stored in UTC and come from the one clock, the registered <see cref="TimeProvider"/>
/// (never DateTime.UtcNow); days, 年度 and what people read are Japan Standard Time (UTC+9, no daylight saving).
/// </summary>
public static class JapanTime
{
    static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    /// <summary>Today's date in Japan.</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(ToJst(clock.GetUtcNow().UtcDateTime));

    /// <summary>A stored UTC time as Japan's wall-clock time.</summary>
    public static DateTime ToJst(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Tokyo);

    /// <summary>Midnight JST of a date, in UTC (for "on or after this day" queries).</summary>
    public static DateTime StartOfDayUtc(DateOnly date) => TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), Tokyo);

    /// <summary>年度 (fiscal year, April–March) a day falls in: 2027-03-31 → 2026.</summary>
    public static int FiscalYearOf(DateOnly day) => day.Month >= 4 ? day.Year : day.Year - 1;

    public static DateOnly FiscalYearStart(int fiscalYear) => new(fiscalYear, 4, 1);
    public static DateOnly FiscalYearEnd(int fiscalYear) => new(fiscalYear + 1, 3, 31);
}
