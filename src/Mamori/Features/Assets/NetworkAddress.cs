using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Mamori.Features.Assets;

/// <summary>
/// IP addresses as people write them in ledgers. IPv4 must be a dotted quad of decimal numbers (IPAddress.TryParse
/// alone would accept "1" as 0.0.0.1 and "010" as octal); zero-padded parts (192.168.001.010) are read as decimal.
/// </summary>
public static partial class IpAddressText
{
    [GeneratedRegex(@"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")]
    private static partial Regex DottedQuad();

    /// <summary>Canonical text of a valid address ("192.168.1.10", "fe80::1"), or false.</summary>
    public static bool TryNormalize(string? text, out string normalized)
    {
        if (TryPlainDottedQuad(text, out normalized)) return true;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Normalize(NormalizationForm.FormKC).Trim();
        var quad = DottedQuad().Match(t);
        if (quad.Success)
        {
            var parts = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                var n = int.Parse(quad.Groups[i + 1].Value, CultureInfo.InvariantCulture);
                if (n > 255) return false;
                parts[i] = (byte)n;
            }
            normalized = new IPAddress(parts).ToString();
            return true;
        }
        if (t.Contains(':') && IPAddress.TryParse(t, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
        {
            normalized = v6.ToString();
            return true;
        }
        return false;
    }

    /// <summary>ASCII a.b.c.d of 1–3 digits each up to 255, as nearly every ledger writes it: no normalisation or regex needed.</summary>
    static bool TryPlainDottedQuad(string? text, out string normalized)
    {
        normalized = "";
        if (text is not { Length: >= 7 and <= 15 }) return false;
        Span<int> parts = stackalloc int[4];
        var (part, digits) = (0, 0);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) && digits < 3) (parts[part], digits) = (parts[part] * 10 + c - '0', digits + 1);
            else if (c == '.' && digits > 0 && part < 3) (part, digits) = (part + 1, 0);
            else return false;
        }
        if (part < 3 || digits == 0 || parts[0] > 255 || parts[1] > 255 || parts[2] > 255 || parts[3] > 255) return false;
        normalized = string.Create(CultureInfo.InvariantCulture, $"{parts[0]}.{parts[1]}.{parts[2]}.{parts[3]}");
        return true;
    }

    /// <summary>"192.168.1" for 192.168.1.x; null for IPv6 or invalid text.</summary>
    public static string? Ipv4Slash24(string? text)
    {
        if (!TryNormalize(text, out var ip) || !ip.Contains('.')) return null;
        return ip[..ip.LastIndexOf('.')];
    }
}

/// <summary>MAC addresses in the usual notations (AA:BB…, AA-BB…, aabb.ccdd.eeff, AABBCCDDEEFF) → AA:BB:CC:DD:EE:FF.</summary>
public static partial class MacAddressText
{
    [GeneratedRegex(@"^(?:[0-9A-F]{2}([:-])(?:[0-9A-F]{2}\1){4}[0-9A-F]{2}|[0-9A-F]{4}\.[0-9A-F]{4}\.[0-9A-F]{4}|[0-9A-F]{12})$")]
    private static partial Regex Notation();

    public static bool TryNormalize(string? text, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Normalize(NormalizationForm.FormKC).Trim().ToUpperInvariant();
        if (!Notation().IsMatch(t)) return false;
        var hex = t.Replace(":", "").Replace("-", "").Replace(".", "");
        normalized = string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2)));
        return true;
    }
}
