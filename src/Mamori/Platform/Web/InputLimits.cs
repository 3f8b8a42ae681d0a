namespace Mamori.Platform.Web;

/// <summary>
/// Lengths of what a stranger can make Mamori store (audit rows, the session list): everything from a request is cut to
/// these before it is queued, so a 4 MB e-mail in a failed sign-in stores a few hundred bytes, not 4 MB (the audit log
/// is append-only: what is written stays).
/// </summary>
public static class InputLimits
{
    /// <summary>RFC 5321: the longest address that can be delivered.</summary>
    public const int Email = 254;
    public const int Path = 512;
    public const int UserAgent = 300;

    /// <summary>The text cut to <paramref name="max"/> characters (with "…" when cut), control characters removed; null stays null.</summary>
    public static string? Cap(string? text, int max)
    {
        if (text is null) return null;
        var cut = text.Length > max ? text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)] : text;
        if (cut.Any(char.IsControl)) cut = string.Concat(cut.Where(c => !char.IsControl(c)));
        return text.Length > max ? cut + "…" : cut;
    }
}
