using System.Net;
using Mamori.Platform.Hosting;
using Microsoft.AspNetCore.HttpOverrides;

namespace Mamori.Platform.Web;

/// <summary>
/// Running behind a reverse proxy (docs/operations.md): <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c> are believed only
/// from the addresses or networks in <c>MAMORI_TRUSTED_PROXIES</c> (comma-separated, e.g. <c>127.0.0.1, 10.0.0.0/24</c>);
/// from anyone else they are ignored, so a client cannot choose the address the audit log and the rate limits see.
/// When <c>MAMORI_PUBLIC_URL</c> is https, cookies are sent only over https and HSTS is on.
/// </summary>
public static class Proxies
{
    public static ForwardedHeadersOptions? Options(IConfiguration config)
    {
        var configured = config["MAMORI_TRUSTED_PROXIES"];
        if (string.IsNullOrWhiteSpace(configured)) return null;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = 1,
        };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var entry in configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/'))
            {
                if (!System.Net.IPNetwork.TryParse(entry, out var network)) throw Invalid(entry);
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
                if (address.IsIPv4MappedToIPv6 is false && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                    options.KnownProxies.Add(address.MapToIPv6()); // Kestrel may report an IPv4 peer as ::ffff:a.b.c.d
            }
            else throw Invalid(entry);
        }
        return options;
    }

    static MamoriStartupException Invalid(string entry) => new(
        $"MAMORI_TRUSTED_PROXIES の「{entry}」は IP アドレスでもネットワーク（例 10.0.0.0/24）でもありません。",
        $"MAMORI_TRUSTED_PROXIES: \"{entry}\" is neither an IP address nor a network (e.g. 10.0.0.0/24).");

    /// <summary>True when the configured public address is https (then: Secure cookies and HSTS).</summary>
    public static bool PublicUrlIsHttps(IConfiguration config) =>
        config["MAMORI_PUBLIC_URL"] is { } url && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
