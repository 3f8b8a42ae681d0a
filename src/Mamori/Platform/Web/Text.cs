using System.Globalization;
using Mamori.Platform.Time;

namespace Mamori.Platform.Web;

/// <summary>Japanese first, English second: every UI string is written as a pair where it is used.</summary>
public sealed class Text
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
    public string this[string ja, string en] => IsEnglish ? en : ja;
    public string Of((string Ja, string En) pair) => IsEnglish ? pair.En : pair.Ja;

    public string Of(UserError error) => IsEnglish ? error.En : error.Ja;

    /// <summary>Stored UTC, shown JST (the display format; the conversion is <see cref="JapanTime.ToJst"/>).</summary>
    public static string Jst(DateTime utc) => JapanTime.ToJst(utc).ToString("yyyy-MM-dd HH:mm:ss") + " JST";
}
