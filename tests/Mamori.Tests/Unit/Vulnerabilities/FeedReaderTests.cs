using System.Text;
using Mamori.Features.Vulnerabilities;
using Mamori.Platform.Web;

namespace Mamori.Tests.Unit.Vulnerabilities;

/// <summary>The feed formats read from bytes, and bad input refused with a Japanese message before anything is stored.</summary>
public sealed class FeedReaderTests
{
    static byte[] Sample(string file) => File.ReadAllBytes(VulnerabilityDemo.SamplePath(file));
    static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    static string Refused(byte[] content) => Assert.Throws<UserErrorException>(() => FeedReaders.Read(content)).Error.Ja;

    [Fact]
    public void The_sample_KEV_gives_catalogue_version_due_date_and_required_action()
    {
        var feed = FeedReaders.Read(Sample("kev-sample.json"));
        Assert.Equal(FeedKind.Kev, feed.Kind);
        Assert.Equal("sample-2026.12.01", feed.Version);
        var forti = feed.Records.Single(r => r.Key == "CVE-2018-13379");
        Assert.Equal(("Fortinet", "FortiOS"), (forti.VendorProject, forti.Product));
        Assert.Equal(new DateOnly(2022, 5, 3), forti.DueDate);
        Assert.Equal("Apply updates per vendor instructions.", forti.RequiredAction);
        Assert.Empty(forti.Ranges); // KEV has no version fields
    }

    [Fact]
    public void The_sample_NVD_gives_the_cpe_ranges_with_their_bounds()
    {
        var feed = FeedReaders.Read(Sample("nvd-sample.json"));
        Assert.Equal(FeedKind.Nvd, feed.Kind);
        var ranges = Assert.Single(feed.Records).Ranges;
        Assert.Equal(3, ranges.Count);
        Assert.All(ranges, r => Assert.Equal("fortinet:fortios", r.Cpe));
        Assert.Contains(ranges, r => r.Range == new VersionRange(null, "6.0.0", null, "6.0.4", null));
    }

    [Fact]
    public void NVD_version_and_update_fields_are_joined_and_records_without_configurations_are_kept_and_counted()
    {
        var json = """
            {"format":"NVD_CVE","version":"2.0","timestamp":"2026-11-30T00:00:00.000","vulnerabilities":[
              {"cve":{"id":"CVE-2099-0001","descriptions":[{"lang":"en","value":"fictional"}],"configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[
                {"vulnerable":true,"criteria":"cpe:2.3:o:paloaltonetworks:pan-os:10.2.3:h1:*:*:*:*:*:*"},
                {"vulnerable":false,"criteria":"cpe:2.3:h:paloaltonetworks:pa-220:-:*:*:*:*:*:*:*"},
                {"vulnerable":true,"criteria":"cpe:2.3:o:juniper:junos:*:*:*:*:*:*:*:*"}]}]}]}},
              {"cve":{"id":"CVE-2099-0002","descriptions":[]}}]}
            """;
        var feed = FeedReaders.Read(Utf8(json));
        var first = feed.Records[0];
        Assert.Equal("10.2.3:h1", Assert.Single(first.Ranges).Range.Exact);
        Assert.Equal(["juniper:junos"], first.Products); // "all versions": named, no usable range
        Assert.Equal(1, feed.WithoutConfigurations);
        Assert.Equal(2, feed.Records.Count);
    }

    [Fact]
    public void Truncated_JSON_a_wrong_schema_and_bad_ids_are_refused_in_Japanese()
    {
        var kev = Sample("kev-sample.json");
        Assert.Contains("途中で切れている", Refused(kev[..(kev.Length / 2)]));
        Assert.Contains("取り込める形式ではありません", Refused(Utf8("""{"assets":[1,2,3]}""")));
        Assert.Contains("取り込める形式ではありません", Refused(Utf8("管理番号,機器名\nPC-001,受付\n")));
        Assert.Contains("CVE 番号ではありません", Refused(Utf8("""{"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-XXXX"}]}""")));
        Assert.Contains("日付", Refused(Utf8("""{"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-2018-13379","dueDate":"2022/05/03"}]}""")));
        Assert.Contains("空", Refused(Utf8("  \n")));
        Assert.Contains("200 MB", FeedReaders.TooLarge(201L * 1024 * 1024).Error.Ja);
    }

    const string JvnRss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                 xmlns:sec="http://jvn.jp/rss/mod_sec/3.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
          <channel rdf:about="https://jvndb.jvn.jp/apis/myjvn"><title>JVNDB 脆弱性対策情報（架空の試験データ）</title><dc:date>2099-01-02T10:00:00+09:00</dc:date></channel>
          <item rdf:about="https://jvndb.jvn.jp/ja/contents/2099/JVNDB-2099-000001.html">
            <title>試験用ファイアウォールにおけるパス・トラバーサルの脆弱性（架空）</title>
            <sec:identifier>JVNDB-2099-000001</sec:identifier>
            <sec:references source="NVD" id="CVE-2099-0001">https://nvd.nist.gov/vuln/detail/CVE-2099-0001</sec:references>
            <sec:cpe version="2.2" vendor="フォーティネット" product="FortiOS">cpe:/o:fortinet:fortios</sec:cpe>
            <dcterms:modified>2099-01-02T10:00:00+09:00</dcterms:modified>
          </item>
        </rdf:RDF>
        """;

    [Fact]
    public void JVN_gives_the_JVNDB_id_the_Japanese_title_the_product_and_the_CVE()
    {
        var feed = FeedReaders.Read(Utf8(JvnRss));
        Assert.Equal(FeedKind.Jvn, feed.Kind);
        var r = Assert.Single(feed.Records);
        Assert.Equal("JVNDB-2099-000001", r.Key);
        Assert.Equal(["CVE-2099-0001"], r.Cves);
        Assert.Equal(["fortinet:fortios"], r.Products);
        Assert.StartsWith("試験用ファイアウォール", r.Title);
        Assert.Equal("2099-01-02T01:00:00Z", feed.Version);
    }

    [Fact]
    public void JVN_XML_with_a_DTD_or_an_external_entity_is_refused()
    {
        var xxe = JvnRss.Replace("<rdf:RDF", "<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<rdf:RDF").Replace("（架空）", "&x;");
        Assert.Contains("DTD", Refused(Utf8(xxe)));
        Assert.Contains("XML として読めません", Refused(Utf8(JvnRss[..200])));
    }

    [Fact]
    public void The_vendor_advisory_YAML_gives_ranges_and_its_mistakes_are_named()
    {
        var feed = FeedReaders.Read(Sample("vendor-advisories-sample.yaml"));
        Assert.Equal(FeedKind.Vendor, feed.Kind);
        Assert.Equal("Fortinet PSIRT (sample) 2026-12-01", feed.Version);
        Assert.Equal(3, Assert.Single(feed.Records).Ranges.Count);

        Assert.Contains("cve", Refused(Utf8("mamori_vendor_advisories: 1\npublisher: X\npublished: 2026-12-01\nadvisories:\n  - id: A-1\n    cve: [CVE-1]\n")));
        Assert.Contains("ranges", Refused(Utf8("mamori_vendor_advisories: 1\npublisher: X\npublished: 2026-12-01\nadvisories:\n  - id: A-1\n    cve: [CVE-2099-0001]\n    affected:\n      - cpe: fortinet:fortios\n")));
        Assert.Contains("行目", Refused(Utf8("mamori_vendor_advisories: 1\npublisher: X\nadvisories: [\n")));
    }
}
