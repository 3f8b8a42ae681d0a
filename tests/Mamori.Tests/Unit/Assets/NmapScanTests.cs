using System.Text;
using Mamori.Features.Assets.Import;

namespace Mamori.Tests.Unit.Assets;

public sealed class NmapScanTests
{
    const string Report =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE nmaprun>
        <?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
        <nmaprun scanner="nmap" args="nmap -O -oX scan.xml 192.168.0.0/24" start="1763700000" version="7.94">
          <host starttime="1763700001" endtime="1763700050">
            <status state="up" reason="arp-response"/>
            <address addr="192.168.0.10" addrtype="ipv4"/>
            <address addr="00:1A:2B:3C:4D:5E" addrtype="mac" vendor="Dell"/>
            <hostnames><hostname name="karte-srv" type="user"/><hostname name="karte-srv.local" type="PTR"/></hostnames>
            <ports>
              <extraports state="closed" count="995"/>
              <port protocol="tcp" portid="135"><state state="open"/><service name="msrpc"/></port>
              <port protocol="tcp" portid="445"><state state="open"/><service name="microsoft-ds"/></port>
              <port protocol="tcp" portid="3389"><state state="open"/><service name="ms-wbt-server"/></port>
              <port protocol="tcp" portid="8080"><state state="filtered"/><service name="http-proxy"/></port>
            </ports>
            <os>
              <osmatch name="Microsoft Windows Server 2012 R2" accuracy="96"/>
              <osmatch name="Microsoft Windows Server 2016" accuracy="98"/>
            </os>
          </host>
          <host><status state="down"/><address addr="192.168.0.11" addrtype="ipv4"/></host>
          <host>
            <status state="up"/>
            <address addr="192.168.0.1" addrtype="ipv4"/>
            <ports><port protocol="udp" portid="161"><state state="open"/></port></ports>
          </host>
        </nmaprun>
        """;

    [Fact]
    public void Reads_hosts_that_are_up_with_addresses_names_os_and_open_ports()
    {
        var scan = NmapScan.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Report)));
        Assert.Equal(new DateTime(2025, 11, 21, 4, 40, 0, DateTimeKind.Utc), scan.StartedAt);
        Assert.Equal(["192.168.0.10", "192.168.0.1"], scan.Hosts.Select(h => h.Ipv4));
        var server = scan.Hosts[0];
        Assert.Equal(("00:1A:2B:3C:4D:5E", "Dell"), (server.MacAddress, server.MacVendor));
        Assert.Equal(["karte-srv", "karte-srv.local"], server.Hostnames);
        Assert.Equal("Microsoft Windows Server 2016", server.OsName);
        Assert.Equal([new NmapPort(135, "tcp", "msrpc"), new NmapPort(445, "tcp", "microsoft-ds"), new NmapPort(3389, "tcp", "ms-wbt-server")],
            server.OpenPorts);
        Assert.Equal([new NmapPort(161, "udp", null)], scan.Hosts[1].OpenPorts);
        Assert.Null(scan.Hosts[1].OsName);
    }

    [Fact]
    public void An_internal_dtd_with_entities_is_never_expanded()
    {
        const string hostile =
            """
            <?xml version="1.0"?>
            <!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <nmaprun start="0"><host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/>
            <hostnames><hostname name="&x;"/></hostnames></host></nmaprun>
            """;
        var e = Assert.Throws<ImportFileException>(() => NmapScan.Parse(new MemoryStream(Encoding.UTF8.GetBytes(hostile))));
        Assert.StartsWith("nmap の XML として読めません", e.MessageJa);
    }

    [Fact]
    public void Not_xml_is_an_error() =>
        Assert.Throws<ImportFileException>(() => NmapScan.Parse(new MemoryStream(Encoding.UTF8.GetBytes("Nmap scan report for 10.0.0.1"))));
}
