using System.Text.RegularExpressions;

namespace Mamori.Features.Vulnerabilities;

/// <summary>How one vendor writes its firmware versions, so that two of them can be ordered.</summary>
public enum VersionScheme
{
    /// <summary>1.2.3, 7.0.1-5035, 13.1-49.13, Rev.15.02.30: numbers separated by dots or hyphens.</summary>
    Dotted,
    /// <summary>FortiOS: 6.0.4, v6.0.4 build0231, 7.2.4,build1396 (the build number is not part of the version).</summary>
    FortiOs,
    /// <summary>Cisco ASA: 9.16(3)19, 9.16(3), or NVD's 9.16.3.19.</summary>
    CiscoAsa,
    /// <summary>PAN-OS: 10.2.3, 10.2.3-h4 (hotfix).</summary>
    PanOs,
    /// <summary>Junos: 21.4R3-S5, 21.4R3-S5.2, 15.1X49-D100; also Ivanti/Pulse Connect Secure 9.1R18.2.</summary>
    Junos,
}

/// <summary>A firmware version read by a scheme: comparable numbers, and the text it came from.</summary>
public sealed record ParsedVersion(VersionScheme Scheme, int[] Parts, string Text) : IComparable<ParsedVersion>
{
    public int CompareTo(ParsedVersion? other)
    {
        if (other is null) return 1;
        for (var i = 0; i < Math.Max(Parts.Length, other.Parts.Length); i++)
        {
            var c = (i < Parts.Length ? Parts[i] : 0).CompareTo(i < other.Parts.Length ? other.Parts[i] : 0);
            if (c != 0) return c;
        }
        return 0;
    }

    public override string ToString() => string.Join(".", Parts);
}

/// <summary>
/// Version comparators per vendor scheme. <see cref="Parse"/> never throws: a string the scheme does not understand
/// gives null, and the matcher then marks the match 要確認 instead of guessing.
/// </summary>
public static partial class Versions
{
    [GeneratedRegex(@"^(?:v|ver\.?|version)?\s*(\d+)\.(\d+)\.(\d+)(?:\s*[,(]?\s*(?:build|b)\s*\d+\)?.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex FortiOsPattern();
    [GeneratedRegex(@"^(?:v|ver\.?|version)?\s*(\d+)\.(\d+)(?:\((\d+)\)(\d+)?(?:\.(\d+))?|\.(\d+)(?:\.(\d+))?(?:\.(\d+))?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex AsaPattern();
    [GeneratedRegex(@"^(?:v|ver\.?|version)?\s*(\d+)\.(\d+)\.(\d+)(?:[-:.]?h(\d+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex PanOsPattern();
    [GeneratedRegex(@"^(?:v|ver\.?|version)?\s*(\d+)\.(\d+)(?::?([rx])(\d+)(?:[-.:]?([sd])(\d+))?(?:\.(\d+))?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex JunosPattern();
    [GeneratedRegex(@"^(?:v|ver\.?|version|rev\.?)?\s*(\d+(?:[.\-]\d+)*)$", RegexOptions.IgnoreCase)]
    private static partial Regex DottedPattern();

    /// <summary>The version in <paramref name="text"/> by <paramref name="scheme"/>, or null when the text is not such a version.</summary>
    public static ParsedVersion? Parse(VersionScheme scheme, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = Mamori.Features.Assets.LooseText.Nfkc(text).Trim();
        if (t.Length > 64) return null;
        int[]? parts = scheme switch
        {
            VersionScheme.FortiOs => Numbers(FortiOsPattern().Match(t), 1, 2, 3),
            VersionScheme.CiscoAsa => Asa(AsaPattern().Match(t)),
            VersionScheme.PanOs => Numbers(PanOsPattern().Match(t), 1, 2, 3, 4),
            VersionScheme.Junos => Junos(JunosPattern().Match(t)),
            _ => DottedPattern().Match(t) is { Success: true } m
                ? m.Groups[1].Value.Split('.', '-').Select(ToInt).ToArray() is var p && p.All(x => x >= 0) ? p : null
                : null,
        };
        return parts is null ? null : new ParsedVersion(scheme, parts, t);
    }

    static int ToInt(string s) => s.Length is > 0 and <= 9 && int.TryParse(s, out var v) ? v : -1;

    static int[]? Numbers(Match m, params int[] groups)
    {
        if (!m.Success) return null;
        var parts = groups.Select(g => m.Groups[g].Success ? ToInt(m.Groups[g].Value) : 0).ToArray();
        return parts.All(p => p >= 0) ? parts : null;
    }

    static int[]? Asa(Match m)
    {
        if (!m.Success) return null;
        // 9.16(3)19 → 9,16,3,19 ; 9.16.3.19 → the same; a trailing .N (interim) goes last.
        return m.Groups[3].Success ? Numbers(m, 1, 2, 3, 4, 5) : Numbers(m, 1, 2, 6, 7, 8);
    }

    static int[]? Junos(Match m)
    {
        if (!m.Success) return null;
        // 21.4 < 21.4R1 < 21.4R3 < 21.4R3-S1 < 21.4R3-S1.2; X (special branches) ordered before R of the same train.
        var type = m.Groups[3].Success ? (char.ToUpperInvariant(m.Groups[3].Value[0]) == 'R' ? 2 : 1) : 0;
        var rel = m.Groups[4].Success ? ToInt(m.Groups[4].Value) : 0;
        var service = m.Groups[6].Success ? ToInt(m.Groups[6].Value) : 0;
        var sub = m.Groups[7].Success ? ToInt(m.Groups[7].Value) : 0;
        int[] parts = [ToInt(m.Groups[1].Value), ToInt(m.Groups[2].Value), type, rel, service, sub];
        return parts.All(p => p >= 0) ? parts : null;
    }
}

/// <summary>
/// A version range as NVD gives it: an exact version, or start/end each including or excluding; no bound means open.
/// </summary>
public sealed record VersionRange(string? Exact, string? StartIncluding, string? StartExcluding, string? EndIncluding, string? EndExcluding)
{
    public bool IsAllVersions => Exact is null && StartIncluding is null && StartExcluding is null && EndIncluding is null && EndExcluding is null;

    /// <summary>A stable text of the range, used as the scope of a triage decision (e.g. "[5.6.3,5.6.7]" or "=6.0.4").</summary>
    public string Key => Exact is not null ? "=" + Exact
        : IsAllVersions ? "*"
        : (StartIncluding is not null ? "[" + StartIncluding : StartExcluding is not null ? "(" + StartExcluding : "(")
          + "," + (EndIncluding is not null ? EndIncluding + "]" : EndExcluding is not null ? EndExcluding + ")" : ")");

    /// <summary>True/false when the version is/is not in the range; null when a bound cannot be read by the scheme (要確認).</summary>
    public bool? Contains(ParsedVersion version)
    {
        if (IsAllVersions) return null;
        if (Exact is not null) return Bound(Exact, version, c => c == 0);
        bool? result = true;
        foreach (var (bound, ok) in new (string?, Func<int, bool>)[]
                 {
                     (StartIncluding, c => c >= 0), (StartExcluding, c => c > 0), (EndIncluding, c => c <= 0), (EndExcluding, c => c < 0),
                 })
        {
            if (bound is null) continue;
            var r = Bound(bound, version, ok);
            if (r is null) return null;
            if (r == false) result = false;
        }
        return result;
    }

    /// <summary>ok(version compared with the bound).</summary>
    static bool? Bound(string bound, ParsedVersion version, Func<int, bool> ok) =>
        Versions.Parse(version.Scheme, bound) is { } b ? ok(version.CompareTo(b)) : null;
}
