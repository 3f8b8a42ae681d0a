using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Mamori.Features.Assets.Import;

public sealed record NmapPort(int Port, string Protocol, string? Service);

public sealed record NmapHost(
    string? Ipv4, string? Ipv6, string? MacAddress, string? MacVendor, IReadOnlyList<string> Hostnames, string? OsName,
    IReadOnlyList<NmapPort> OpenPorts);

/// <summary>
/// Hosts that were up in an nmap XML report (<c>nmap -oX</c>): addresses, MAC and vendor, host names, best OS match
/// and open ports. The DOCTYPE nmap writes is ignored (never processed) and nothing external is ever resolved.
/// </summary>
public sealed record NmapScan(DateTime? StartedAt, IReadOnlyList<NmapHost> Hosts)
{
    public static NmapScan Parse(Stream stream, long maxCharacters = 200L * 1024 * 1024)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            IgnoreComments = true,
            IgnoreWhitespace = true,
        };
        DateTime? startedAt = null;
        var hosts = new List<NmapHost>();
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                if (reader.Name == "nmaprun" && long.TryParse(reader.GetAttribute("start"), out var unix))
                    startedAt = DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime;
                else if (reader.Name == "host")
                {
                    using var subtree = reader.ReadSubtree();
                    if (Host(XElement.Load(subtree)) is { } host) hosts.Add(host);
                }
            }
        }
        catch (XmlException e)
        {
            throw new ImportFileException($"nmap の XML として読めません（{e.LineNumber}行目）",
                $"Not a readable nmap XML report (line {e.LineNumber})");
        }
        return new NmapScan(startedAt, hosts);
    }

    static NmapHost? Host(XElement host)
    {
        if (host.Element("status")?.Attribute("state")?.Value != "up") return null;
        string? Address(string type) =>
            host.Elements("address").FirstOrDefault(a => a.Attribute("addrtype")?.Value == type)?.Attribute("addr")?.Value;
        var mac = host.Elements("address").FirstOrDefault(a => a.Attribute("addrtype")?.Value == "mac");
        var hostnames = host.Element("hostnames")?.Elements("hostname")
            .Select(h => h.Attribute("name")?.Value).OfType<string>().Distinct().ToList() ?? [];
        var os = host.Element("os")?.Elements("osmatch")
            .OrderByDescending(m => int.TryParse(m.Attribute("accuracy")?.Value, CultureInfo.InvariantCulture, out var a) ? a : 0)
            .FirstOrDefault()?.Attribute("name")?.Value;
        var ports = host.Element("ports")?.Elements("port")
            .Where(p => p.Element("state")?.Attribute("state")?.Value == "open")
            .Select(p => int.TryParse(p.Attribute("portid")?.Value, CultureInfo.InvariantCulture, out var port)
                ? new NmapPort(port, p.Attribute("protocol")?.Value ?? "tcp", p.Element("service")?.Attribute("name")?.Value)
                : null)
            .OfType<NmapPort>()
            .ToList() ?? [];
        return new NmapHost(Address("ipv4"), Address("ipv6"), mac?.Attribute("addr")?.Value, mac?.Attribute("vendor")?.Value,
            hostnames, os, ports);
    }
}
