using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Mamori.Platform.Web;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Mamori.Features.Vulnerabilities;

/// <summary>A range read from a feed, for one CPE vendor:product.</summary>
public sealed record FeedRange(string Cpe, VersionRange Range);

/// <summary>One record read from a feed, before it is stored.</summary>
public sealed record FeedRecord(string Key, IReadOnlyList<string> Cves)
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? VendorProject { get; init; }
    public string? Product { get; init; }
    public DateOnly? DateAdded { get; init; }
    public DateOnly? DueDate { get; init; }
    public string? RequiredAction { get; init; }
    public string? Ransomware { get; init; }
    public IReadOnlyList<string> Products { get; init; } = [];
    public IReadOnlyList<FeedRange> Ranges { get; init; } = [];
}

/// <summary>A whole feed file read and checked; nothing is stored until every record of it has been read.</summary>
public sealed record ParsedFeed(FeedKind Kind, string Version, DateTime? ReleasedAt, IReadOnlyList<FeedRecord> Records)
{
    /// <summary>NVD records without configurations (not yet analysed by NVD): kept for KEV's product-only matching.</summary>
    public int WithoutConfigurations { get; init; }
}

/// <summary>
/// Reads the feed formats of docs/vulnerability-feeds.md from bytes: CISA KEV JSON, NVD CVE JSON 2.0, JVN iPedia / MyJVN
/// XML (RSS overview and VULDEF detail), and our vendor-advisory YAML. The kind is recognised from the content. Any
/// problem is a <see cref="UserErrorException"/> with a Japanese message; nothing is returned half-read.
/// </summary>
public static partial class FeedReaders
{
    public const long MaxFileBytes = 200L * 1024 * 1024;

    [GeneratedRegex(@"^CVE-\d{4}-\d{4,}$")] private static partial Regex CvePattern();
    [GeneratedRegex(@"^JVNDB-\d{4}-\d{3,}$")] private static partial Regex JvndbPattern();

    public static ParsedFeed Read(byte[] content)
    {
        if (content.LongLength > MaxFileBytes) throw TooLarge(content.LongLength);
        var start = 0;
        if (content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF) start = 3;
        while (start < content.Length && content[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        if (start >= content.Length) throw Error("ファイルが空です。", "The file is empty.");
        return content[start] switch
        {
            (byte)'{' => ReadJson(content),
            (byte)'<' => ReadJvn(content),
            _ => ReadVendorYaml(content),
        };
    }

    public static UserErrorException TooLarge(long bytes) =>
        Error($"ファイルが大きすぎます（{bytes / 1024 / 1024} MB）。取り込めるのは {MaxFileBytes / 1024 / 1024} MB までです。NVD は年ごとのファイルに分けて取り込んでください。",
            $"The file is too large ({bytes / 1024 / 1024} MB); the limit is {MaxFileBytes / 1024 / 1024} MB. Import NVD year by year.");

    static UserErrorException Error(string ja, string en) => new(new UserError(ja, en));

    // ---------------------------------------------------------------- JSON: KEV or NVD

    static ParsedFeed ReadJson(byte[] content)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw Error($"JSON として読めません。ファイルが途中で切れているか、壊れています（{e.LineNumber + 1}行目付近）。ダウンロードし直してください。",
                $"Not valid JSON: the file is truncated or damaged (near line {e.LineNumber + 1}).");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw WrongSchema();
            if (root.TryGetProperty("catalogVersion", out _)) return ReadKev(root);
            if (root.TryGetProperty("vulnerabilities", out var v) && v.ValueKind == JsonValueKind.Array
                && (root.TryGetProperty("format", out var f) && f.GetString() == "NVD_CVE" || v.EnumerateArray().Take(1).All(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("cve", out _))))
                return ReadNvd(root);
            throw WrongSchema();
        }
    }

    static UserErrorException WrongSchema() =>
        Error("取り込める形式ではありません。CISA KEV（known_exploited_vulnerabilities.json）、NVD CVE JSON 2.0、JVN iPedia / MyJVN の XML、ベンダー告知の YAML（docs/vulnerability-feeds.md）のいずれかを選んでください。",
            "Not a supported feed: choose CISA KEV JSON, NVD CVE JSON 2.0, JVN iPedia/MyJVN XML or the vendor advisory YAML.");

    static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    static ParsedFeed ReadKev(JsonElement root)
    {
        var version = Str(root, "catalogVersion");
        if (string.IsNullOrWhiteSpace(version)) throw Error("KEV の catalogVersion がありません。", "KEV: catalogVersion is missing.");
        if (!root.TryGetProperty("vulnerabilities", out var list) || list.ValueKind != JsonValueKind.Array)
            throw Error("KEV の vulnerabilities（一覧）がありません。", "KEV: vulnerabilities[] is missing.");
        var records = new List<FeedRecord>();
        var seen = new HashSet<string>();
        var n = 0;
        foreach (var v in list.EnumerateArray())
        {
            n++;
            if (v.ValueKind != JsonValueKind.Object) throw Error($"KEV の {n} 件目が正しい形式ではありません。", $"KEV entry {n} is not an object.");
            var cve = Str(v, "cveID")?.Trim();
            if (cve is null || !CvePattern().IsMatch(cve))
                throw Error($"KEV の {n} 件目の cveID「{cve}」が CVE 番号ではありません。", $"KEV entry {n}: cveID '{cve}' is not a CVE id.");
            if (!seen.Add(cve)) continue;
            records.Add(new FeedRecord(cve, [cve])
            {
                VendorProject = Str(v, "vendorProject"), Product = Str(v, "product"), Title = Str(v, "vulnerabilityName"),
                Description = Str(v, "shortDescription"), RequiredAction = Str(v, "requiredAction"),
                DateAdded = Day(Str(v, "dateAdded"), $"KEV {cve} dateAdded"), DueDate = Day(Str(v, "dueDate"), $"KEV {cve} dueDate"),
                Ransomware = Str(v, "knownRansomwareCampaignUse"),
            });
        }
        var released = Str(root, "dateReleased") is { } d && DateTime.TryParse(d, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var r) ? r : (DateTime?)null;
        return new ParsedFeed(FeedKind.Kev, version.Trim(), released, records);
    }

    static DateOnly? Day(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw Error($"{what} の日付「{text}」が読めません（YYYY-MM-DD）。", $"{what}: '{text}' is not a YYYY-MM-DD date.");
    }

    static ParsedFeed ReadNvd(JsonElement root)
    {
        var records = new List<FeedRecord>();
        var seen = new HashSet<string>();
        var withoutConfigurations = 0;
        var n = 0;
        DateTime? newest = null;
        foreach (var item in root.GetProperty("vulnerabilities").EnumerateArray())
        {
            n++;
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("cve", out var cve) || cve.ValueKind != JsonValueKind.Object)
                throw Error($"NVD の {n} 件目に cve がありません（NVD CVE JSON 2.0 の形式ではありません）。", $"NVD item {n} has no cve object.");
            var id = Str(cve, "id")?.Trim();
            if (id is null || !CvePattern().IsMatch(id)) throw Error($"NVD の {n} 件目の id「{id}」が CVE 番号ではありません。", $"NVD item {n}: id '{id}' is not a CVE id.");
            if (Str(cve, "lastModified") is { } lm && DateTime.TryParse(lm, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var modified)
                && (newest is null || modified > newest)) newest = modified;
            var ranges = new List<FeedRange>();
            var products = new List<string>();
            if (cve.TryGetProperty("configurations", out var configs) && configs.ValueKind == JsonValueKind.Array && configs.GetArrayLength() > 0)
            {
                foreach (var config in configs.EnumerateArray())
                    if (config.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array)
                        foreach (var node in nodes.EnumerateArray())
                        {
                            if (node.TryGetProperty("negate", out var neg) && neg.ValueKind == JsonValueKind.True) continue;
                            if (!node.TryGetProperty("cpeMatch", out var matches) || matches.ValueKind != JsonValueKind.Array) continue;
                            foreach (var m in matches.EnumerateArray())
                            {
                                if (!(m.TryGetProperty("vulnerable", out var vul) && vul.ValueKind == JsonValueKind.True)) continue;
                                if (Cpe(Str(m, "criteria")) is not { } c)
                                    throw Error($"NVD {id} の criteria「{Str(m, "criteria")}」が CPE 2.3 の形式ではありません。", $"NVD {id}: criteria is not a CPE 2.3 name.");
                                var range = new VersionRange(c.Version, Str(m, "versionStartIncluding"), Str(m, "versionStartExcluding"),
                                    Str(m, "versionEndIncluding"), Str(m, "versionEndExcluding"));
                                if (range.Exact is not null && !range.IsAllVersions && (range.StartIncluding ?? range.StartExcluding ?? range.EndIncluding ?? range.EndExcluding) is not null)
                                    range = range with { Exact = null };
                                if (range.IsAllVersions) { if (!products.Contains(c.Product)) products.Add(c.Product); }
                                else ranges.Add(new FeedRange(c.Product, range));
                            }
                        }
            }
            else withoutConfigurations++;
            if (!seen.Add(id)) continue;
            var description = cve.TryGetProperty("descriptions", out var ds) && ds.ValueKind == JsonValueKind.Array
                ? ds.EnumerateArray().Where(x => Str(x, "lang") == "en").Select(x => Str(x, "value")).FirstOrDefault() : null;
            records.Add(new FeedRecord(id, [id]) { Description = description, Ranges = ranges, Products = products });
        }
        var timestamp = Str(root, "timestamp");
        var released = timestamp is not null && DateTime.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : newest;
        return new ParsedFeed(FeedKind.Nvd, timestamp ?? newest?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) ?? "unknown", released, records)
            { WithoutConfigurations = withoutConfigurations };
    }

    /// <summary>cpe:2.3:o:fortinet:fortios:6.0.4:*:… → ("fortinet:fortios", "6.0.4"); an update field (h4, r3-s5) is joined with ':'.</summary>
    internal static (string Product, string? Version)? Cpe(string? criteria)
    {
        if (criteria is null || !criteria.StartsWith("cpe:2.3:", StringComparison.Ordinal)) return null;
        var parts = SplitCpe(criteria);
        if (parts.Count < 7 || parts[3].Length == 0 || parts[4].Length == 0) return null;
        var version = parts[5] is "*" or "-" or "" ? null : Unescape(parts[5]);
        if (version is not null && parts[6] is not ("*" or "-" or "")) version += ":" + Unescape(parts[6]);
        return ((Unescape(parts[3]) + ":" + Unescape(parts[4])).ToLowerInvariant(), version);
    }

    static List<string> SplitCpe(string cpe)
    {
        var parts = new List<string>();
        var sb = new StringBuilder();
        for (var i = 0; i < cpe.Length; i++)
        {
            if (cpe[i] == '\\' && i + 1 < cpe.Length) { sb.Append(cpe[i]).Append(cpe[++i]); continue; }
            if (cpe[i] == ':') { parts.Add(sb.ToString()); sb.Clear(); continue; }
            sb.Append(cpe[i]);
        }
        parts.Add(sb.ToString());
        return parts;
    }

    static string Unescape(string s) => s.Replace("\\", "");

    // ---------------------------------------------------------------- XML: JVN iPedia / MyJVN

    /// <summary>
    /// MyJVN getVulnOverviewList (RSS 1.0 items with sec:identifier, sec:references, sec:cpe) or getVulnDetailInfo
    /// (VULDEF: Vulinfo with Affected/AffectedItem/Cpe and Related/RelatedItem). DTDs are refused, so an external entity
    /// can neither read a file nor reach the network.
    /// </summary>
    static ParsedFeed ReadJvn(byte[] content)
    {
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersFromEntities = 0, CloseInput = true,
            });
            doc = XDocument.Load(reader);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw Error("XML に DTD（外部エンティティを含み得る宣言）があるため取り込みません。JVN から取得したままのファイルを選んでください。",
                "The XML contains a DTD (which could carry external entities); refused.");
        }
        catch (XmlException e)
        {
            throw Error($"XML として読めません。ファイルが途中で切れているか、壊れています（{e.LineNumber}行目）。", $"Not valid XML (line {e.LineNumber}).");
        }
        var records = new List<FeedRecord>();
        var seen = new HashSet<string>();
        DateTime? newest = null;
        void Seen(string? text)
        {
            if (text is not null && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
                && (newest is null || d > newest)) newest = d;
        }
        var items = doc.Descendants().Where(e => e.Name.LocalName is "item" or "Vulinfo").ToList();
        if (items.Count == 0) throw WrongSchema();
        foreach (var item in items)
        {
            string? id; string? title; string? description; List<string> cves; List<(string Cpe, string? Vendor, string? Product)> cpes;
            if (item.Name.LocalName == "item")
            {
                id = Child(item, "identifier")?.Trim();
                title = Child(item, "title");
                description = Child(item, "description");
                cves = item.Elements().Where(e => e.Name.LocalName == "references" && ((string?)e.Attribute("id") ?? "").StartsWith("CVE-", StringComparison.Ordinal))
                    .Select(e => ((string)e.Attribute("id")!).Trim()).ToList();
                cpes = item.Elements().Where(e => e.Name.LocalName == "cpe")
                    .Select(e => (e.Value.Trim(), (string?)e.Attribute("vendor"), (string?)e.Attribute("product"))).ToList();
                Seen(Child(item, "modified") ?? Child(item, "date"));
            }
            else
            {
                id = Child(item, "VulinfoID")?.Trim();
                var data = item.Elements().FirstOrDefault(e => e.Name.LocalName == "VulinfoData");
                title = data is null ? null : Child(data, "Title");
                description = item.Descendants().FirstOrDefault(e => e.Name.LocalName == "Overview")?.Value;
                cves = item.Descendants().Where(e => e.Name.LocalName == "RelatedItem")
                    .Select(r => Child(r, "VulinfoID")?.Trim()).OfType<string>().Where(v => v.StartsWith("CVE-", StringComparison.Ordinal)).ToList();
                cpes = item.Descendants().Where(e => e.Name.LocalName == "AffectedItem")
                    .Select(a => (Child(a, "Cpe")?.Trim() ?? "", Child(a, "Name"), Child(a, "ProductName"))).ToList();
                Seen(item.Descendants().FirstOrDefault(e => e.Name.LocalName == "DateLastUpdated")?.Value);
            }
            if (id is null || !JvndbPattern().IsMatch(id))
                throw Error($"JVN の記録の識別子「{id}」が JVNDB 番号（JVNDB-YYYY-NNNNNN）ではありません。", $"JVN: identifier '{id}' is not a JVNDB id.");
            if (!seen.Add(id)) continue;
            var products = cpes.Select(c => Cpe22(c.Cpe)).OfType<string>().Distinct().ToList();
            records.Add(new FeedRecord(id, cves.Where(c => CvePattern().IsMatch(c)).Distinct().ToList())
            {
                Title = title?.Trim(), Description = description?.Trim(),
                VendorProject = cpes.Select(c => c.Vendor).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)),
                Product = cpes.Select(c => c.Product).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)),
                Products = products,
            });
        }
        var channelDate = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "channel") is { } ch ? Child(ch, "date") : null;
        Seen(channelDate);
        return new ParsedFeed(FeedKind.Jvn, newest?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "unknown", newest, records);
    }

    static string? Child(XElement e, string localName) => e.Elements().FirstOrDefault(x => x.Name.LocalName == localName)?.Value;

    /// <summary>cpe:/o:fortinet:fortios (CPE 2.2, as JVN writes it) or a CPE 2.3 name → "fortinet:fortios".</summary>
    static string? Cpe22(string cpe)
    {
        if (cpe.StartsWith("cpe:2.3:", StringComparison.Ordinal)) return Cpe(cpe)?.Product;
        if (!cpe.StartsWith("cpe:/", StringComparison.Ordinal)) return null;
        var parts = cpe[5..].Split(':');
        return parts.Length >= 3 && parts[1].Length > 0 && parts[2].Length > 0 ? (parts[1] + ":" + parts[2]).ToLowerInvariant() : null;
    }

    // ---------------------------------------------------------------- YAML: vendor advisory ranges (ours)

    static ParsedFeed ReadVendorYaml(byte[] content)
    {
        string text;
        try { text = new UTF8Encoding(false, true).GetString(content); }
        catch (DecoderFallbackException) { throw Error("文字コードが UTF-8 ではありません。", "The file is not UTF-8."); }
        VendorFileDto? file;
        try
        {
            file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<VendorFileDto>(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            // Not YAML of ours at all (or a broken one): say which line, or that the kind is unknown.
            if (!text.Contains("mamori_vendor_advisories", StringComparison.Ordinal)) throw WrongSchema();
            throw Error($"ベンダー告知ファイルの {e.Start.Line}行目が読めません: YAML の書式を確かめてください。", $"Vendor advisory file: line {e.Start.Line} cannot be read.");
        }
        if (file is null || file.MamoriVendorAdvisories != 1) throw WrongSchema();
        if (string.IsNullOrWhiteSpace(file.Publisher)) throw Error("ベンダー告知ファイルに publisher（発行元）がありません。", "Vendor advisory file: publisher is missing.");
        var published = Day(file.Published, "published") ?? throw Error("ベンダー告知ファイルに published（発行日）がありません。", "Vendor advisory file: published is missing.");
        var records = new List<FeedRecord>();
        var seen = new HashSet<string>();
        foreach (var (a, i) in file.Advisories.Select((a, i) => (a, i + 1)))
        {
            if (string.IsNullOrWhiteSpace(a.Id)) throw Error($"{i} 件目の告知に id がありません。", $"Advisory {i} has no id.");
            var cves = a.Cve.Select(c => c.Trim()).ToList();
            if (cves.Count == 0 || cves.Any(c => !CvePattern().IsMatch(c)))
                throw Error($"告知 {a.Id} の cve に CVE 番号（CVE-YYYY-NNNN）を書いてください。", $"Advisory {a.Id}: cve must list CVE ids.");
            var ranges = new List<FeedRange>();
            foreach (var affected in a.Affected)
            {
                if (string.IsNullOrWhiteSpace(affected.Cpe) || affected.Cpe.Split(':').Length != 2)
                    throw Error($"告知 {a.Id} の cpe は「ベンダー:製品」（例 fortinet:fortios）で書いてください。", $"Advisory {a.Id}: cpe must be vendor:product.");
                if (affected.Ranges.Count == 0) throw Error($"告知 {a.Id} の {affected.Cpe} に ranges（影響を受ける版）がありません。", $"Advisory {a.Id}: {affected.Cpe} has no ranges.");
                foreach (var r in affected.Ranges)
                {
                    var range = new VersionRange(r.Exact, r.StartIncluding, r.StartExcluding, r.EndIncluding, r.EndExcluding);
                    if (range.IsAllVersions) throw Error($"告知 {a.Id} の範囲に版数がありません。", $"Advisory {a.Id}: a range has no bounds.");
                    ranges.Add(new FeedRange(affected.Cpe.Trim().ToLowerInvariant(), range));
                }
            }
            if (!seen.Add(a.Id)) throw Error($"告知 {a.Id} が二度書かれています。", $"Advisory {a.Id} appears twice.");
            records.Add(new FeedRecord(a.Id.Trim(), cves) { Title = a.Title, Description = a.Url, VendorProject = file.Publisher, Ranges = ranges });
        }
        if (records.Count == 0) throw Error("ベンダー告知ファイルに advisories（告知）がありません。", "Vendor advisory file: no advisories.");
        return new ParsedFeed(FeedKind.Vendor, $"{file.Publisher.Trim()} {published:yyyy-MM-dd}", published.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), records);
    }

    sealed class VendorFileDto
    {
        public int MamoriVendorAdvisories { get; set; }
        public string? Publisher { get; set; }
        public string? Published { get; set; }
        public string? Note { get; set; }
        public List<AdvisoryDto> Advisories { get; set; } = [];
    }

    sealed class AdvisoryDto
    {
        public string? Id { get; set; }
        public List<string> Cve { get; set; } = [];
        public string? Title { get; set; }
        public string? Url { get; set; }
        public List<AffectedDto> Affected { get; set; } = [];
    }

    sealed class AffectedDto
    {
        public string? Cpe { get; set; }
        public List<RangeDto> Ranges { get; set; } = [];
    }

    sealed class RangeDto
    {
        public string? Exact { get; set; }
        public string? StartIncluding { get; set; }
        public string? StartExcluding { get; set; }
        public string? EndIncluding { get; set; }
        public string? EndExcluding { get; set; }
    }
}
