using System.Text;

namespace Mamori.Features.Assets;

/// <summary>
/// Comparison key for text people type in different ways: NFKC (full-width → half-width, ㍻ → 平成), lower case,
/// without spaces, 、・/ and brackets. 「ＩＰ アドレス」, "IPアドレス" and "ip-アドレス" differ only in the hyphen.
/// </summary>
public static class LooseText
{
    const string Dropped = "、,・･/／\\()（）[]［］【】「」『』<>＜＞〈〉《》{}｛｝:：_＿";

    public static string Key(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var normalized = Nfkc(text);
        var sb = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
            if (!char.IsWhiteSpace(c) && Dropped.IndexOf(c) < 0) sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }

    /// <summary>Text .NET can normalise: no unpaired surrogates and no non-characters U+FFFE/U+FFFF (garbled files carry them).</summary>
    public static bool IsWellFormed(string text)
    {
        var span = text.AsSpan();
        if (span.IndexOfAny('\uFFFE', '\uFFFF') >= 0) return false;
        var first = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0) return true; // nearly every text: one vectorised search
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return false;
        }
        return true;
    }

    /// <summary>NFKC that never throws: code points that cannot be normalised become U+FFFD first.</summary>
    public static string Nfkc(string text)
    {
        if (IsWellFormed(text)) return text.Normalize(NormalizationForm.FormKC);
        var repaired = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) repaired.Append(c).Append(text[++i]);
            else repaired.Append(char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' ? '\uFFFD' : c);
        }
        return repaired.ToString().Normalize(NormalizationForm.FormKC);
    }
}
