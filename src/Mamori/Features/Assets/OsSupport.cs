using System.Globalization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Mamori.Features.Assets;

/// <param name="Match">Alternatives; each is a list of fragments that must all occur in the OS text.</param>
public sealed record OsSupportEntry(string Name, DateOnly EndsOn, string Source, string? Note, IReadOnlyList<IReadOnlyList<string>> Match);

/// <summary>
/// End-of-support dates of operating systems (os-support.yaml, maintained by hand with a source per entry).
/// An OS text such as 「Windows 10 Enterprise LTSC 2021」 matches the most specific entry whose fragments it all
/// contains (most fragments, then most characters), so LTSC editions are not mistaken for Windows 10 22H2.
/// Unknown or version-less text matches nothing.
/// </summary>
public sealed class OsSupportCatalog
{
    public DateOnly AsOf { get; }
    public IReadOnlyList<OsSupportEntry> Entries { get; }

    OsSupportCatalog(DateOnly asOf, IReadOnlyList<OsSupportEntry> entries) => (AsOf, Entries) = (asOf, entries);

    public static OsSupportCatalog Load(string path) => Parse(File.ReadAllText(path));

    public static OsSupportCatalog Parse(string yaml)
    {
        var file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<FileDto>(yaml)
            ?? throw new InvalidDataException("os-support: empty file");
        var entries = file.Entries.Select(e => new OsSupportEntry(
            e.Name ?? throw new InvalidDataException("os-support: an entry has no name"),
            Day(e.EndsOn, e.Name),
            e.Source ?? throw new InvalidDataException($"os-support: {e.Name} has no source"),
            e.Note,
            e.Match.Count == 0
                ? throw new InvalidDataException($"os-support: {e.Name} has no match")
                : e.Match.Select(m => (IReadOnlyList<string>)m.Select(Key).ToList()).ToList())).ToList();
        return new OsSupportCatalog(Day(file.AsOf, "as_of"), entries);
    }

    /// <summary>The most specific entry for an OS name and version (e.g. "Windows 11 Pro", "23H2"), or null.</summary>
    public OsSupportEntry? Find(string? operatingSystem, string? version)
    {
        var text = Key($"{operatingSystem} {version}");
        if (text.Length == 0) return null;
        OsSupportEntry? best = null;
        (int Count, int Length) bestScore = (0, 0);
        foreach (var entry in Entries)
            foreach (var fragments in entry.Match)
            {
                var score = (fragments.Count, fragments.Sum(f => f.Length));
                if (score.CompareTo(bestScore) > 0 && fragments.All(f => text.Contains(f, StringComparison.Ordinal))) (best, bestScore) = (entry, score);
            }
        return best;
    }

    /// <summary>"Microsoft Windows Server 2012 R2" → "winserver2012r2".</summary>
    static string Key(string text) => LooseText.Key(text).Replace("microsoft", "").Replace("windows", "win");

    static DateOnly Day(string? text, string what) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new InvalidDataException($"os-support: {what} needs a date (yyyy-MM-dd)");

    sealed class FileDto
    {
        public string? AsOf { get; set; }
        public List<EntryDto> Entries { get; set; } = [];
    }

    sealed class EntryDto
    {
        public string? Name { get; set; }
        public string? EndsOn { get; set; }
        public string? Source { get; set; }
        public string? Note { get; set; }
        public List<List<string>> Match { get; set; } = [];
    }
}
