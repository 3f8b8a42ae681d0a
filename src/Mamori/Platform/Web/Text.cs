using System.Globalization;

namespace Mamori.Platform.Web;

/// <summary>Japanese first, English second: every UI string is written as a pair where it is used.</summary>
public sealed class Text
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
    public string this[string ja, string en] => IsEnglish ? en : ja;
    public string Of((string Ja, string En) pair) => IsEnglish ? pair.En : pair.Ja;

    static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    /// <summary>Stored UTC, shown JST.</summary>
    public static string Jst(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Tokyo).ToString("yyyy-MM-dd HH:mm:ss") + " JST";

    public static DateTime JstDateToUtc(DateOnly date) =>
        TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), Tokyo);
}
