using System.Text;

namespace Mamori.Assets;

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
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
            if (!char.IsWhiteSpace(c) && Dropped.IndexOf(c) < 0) sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }
}
