using Mamori.Features.Assets;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Mamori.Features.Vulnerabilities;

/// <summary>One appliance family of appliances.yaml: how the ledger names it, its NVD CPE names and KEV names, its version scheme.</summary>
public sealed record Appliance(string Id, string Vendor, string Product, VersionScheme Scheme, IReadOnlyList<string> Cpe, bool CpeVerified,
    IReadOnlyList<IReadOnlyList<string>> Kev, IReadOnlyList<IReadOnlyList<string>> Match)
{
    /// <summary>True when KEV's vendorProject + product names this appliance.</summary>
    public bool IsKevProduct(string vendorProject, string product)
    {
        var text = LooseText.Key(vendorProject + " " + product);
        return Kev.Any(fragments => fragments.All(f => text.Contains(f, StringComparison.Ordinal)));
    }
}

/// <summary>What a device is, as far as vulnerability feeds care: the appliance family and its firmware version.</summary>
/// <param name="VersionText">The version as written in the ledger (null: nobody recorded it).</param>
/// <param name="Version">The version read by the appliance's scheme; null when missing or not understood.</param>
public sealed record DeviceIdentity(Appliance Appliance, string? VersionText, ParsedVersion? Version);

/// <summary>
/// The curated dictionary of appliances (appliances.yaml) and the normalisation of the ledger's free text:
/// 「Fortinet」「FortiGate-60F」「v6.0.4 build0231」 → Fortinet / FortiOS 6.0.4.
/// </summary>
public sealed class ApplianceCatalog
{
    public IReadOnlyList<Appliance> Appliances { get; }
    ApplianceCatalog(IReadOnlyList<Appliance> appliances) => Appliances = appliances;

    static readonly Lazy<ApplianceCatalog> Shipped = new(() =>
        Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Features", "Vulnerabilities", "appliances.yaml"))));

    /// <summary>The dictionary shipped with the application (a file, not data: it changes with a release).</summary>
    public static ApplianceCatalog Default => Shipped.Value;

    public static ApplianceCatalog Parse(string yaml)
    {
        var file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).IgnoreUnmatchedProperties().Build()
            .Deserialize<FileDto>(yaml) ?? throw new InvalidDataException("appliances: empty file");
        return new ApplianceCatalog(file.Appliances.Select(a => new Appliance(
            a.Id ?? throw new InvalidDataException("appliances: an entry has no id"),
            a.Vendor ?? a.Id, a.Product ?? a.Id,
            a.Scheme switch
            {
                "fortios" => VersionScheme.FortiOs, "cisco_asa" => VersionScheme.CiscoAsa, "pan_os" => VersionScheme.PanOs,
                "junos" => VersionScheme.Junos, "dotted" => VersionScheme.Dotted,
                _ => throw new InvalidDataException($"appliances: {a.Id} has unknown scheme {a.Scheme}"),
            },
            a.Cpe.Select(c => c.ToLowerInvariant()).ToList(), a.CpeVerified,
            a.Kev.Select(k => (IReadOnlyList<string>)k.Select(LooseText.Key).ToList()).ToList(),
            a.Match.Count == 0 ? throw new InvalidDataException($"appliances: {a.Id} has no match")
                : a.Match.Select(m => (IReadOnlyList<string>)m.Select(LooseText.Key).ToList()).ToList())).ToList());
    }

    /// <summary>The appliance a device's maker, model, OS and name describe (the most specific alternative wins), or null.</summary>
    public Appliance? Find(string? manufacturer, string? model, string? operatingSystem, string? name)
    {
        var text = LooseText.Key($"{manufacturer} {model} {operatingSystem} {name}");
        if (text.Length == 0) return null;
        Appliance? best = null;
        (int Count, int Length) bestScore = (0, 0);
        foreach (var appliance in Appliances)
            foreach (var fragments in appliance.Match)
            {
                var score = (fragments.Count, fragments.Sum(f => f.Length));
                if (score.CompareTo(bestScore) > 0 && fragments.All(f => text.Contains(f, StringComparison.Ordinal))) (best, bestScore) = (appliance, score);
            }
        return best;
    }

    /// <summary>
    /// The device's identity, or null when it is not a known appliance. The version is the firmware column, else the
    /// OS version column (appliances often have their OS written there: 「FortiOS」「6.0.4」).
    /// </summary>
    public DeviceIdentity? Identify(string? manufacturer, string? model, string? operatingSystem, string? osVersion, string? firmware, string? name)
    {
        if (Find(manufacturer, model, operatingSystem, name) is not { } appliance) return null;
        var versionText = !string.IsNullOrWhiteSpace(firmware) ? firmware.Trim() : !string.IsNullOrWhiteSpace(osVersion) ? osVersion.Trim() : null;
        return new DeviceIdentity(appliance, versionText, Versions.Parse(appliance.Scheme, StripProductName(versionText)));
    }

    /// <summary>「FortiOS v6.0.4 build0231」 → 「v6.0.4 build0231」: a leading product word before the number is not part of the version.</summary>
    static string? StripProductName(string? text)
    {
        if (text is null) return null;
        var t = text.Trim();
        var firstDigit = t.IndexOfAny("0123456789".ToCharArray());
        if (firstDigit <= 0) return t;
        var head = t[..firstDigit];
        // Keep v / ver. / Rev. prefixes; drop product names such as "FortiOS " or "PAN-OS ".
        var lastSpace = head.LastIndexOf(' ');
        return lastSpace >= 0 ? t[(lastSpace + 1)..] : t;
    }

    sealed class FileDto
    {
        public string? AsOf { get; set; }
        public List<ApplianceDto> Appliances { get; set; } = [];
    }

    sealed class ApplianceDto
    {
        public string? Id { get; set; }
        public string? Vendor { get; set; }
        public string? Product { get; set; }
        public string? Scheme { get; set; }
        public List<string> Cpe { get; set; } = [];
        public bool CpeVerified { get; set; }
        public List<List<string>> Kev { get; set; } = [];
        public List<List<string>> Match { get; set; } = [];
    }
}
