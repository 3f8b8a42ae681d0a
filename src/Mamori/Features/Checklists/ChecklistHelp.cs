using Mamori.Features.Catalog;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Mamori.Features.Checklists;

/// <summary>Help for non-IT users on each item, in our own words (Features/Checklists/item-help.yaml, keyed by catalogue node).</summary>
public sealed class ChecklistHelp
{
    public sealed class Entry
    {
        public string? Meaning { get; set; }
        public string? DefensibleYes { get; set; }
        public List<string> Evidence { get; set; } = [];
        /// <summary>assets or connections: the Mamori ledger that is natural evidence for the item.</summary>
        public string? Ledger { get; set; }
        public string? MeaningEn { get; set; }
    }

    sealed class FileShape
    {
        public Dictionary<string, Entry> Items { get; set; } = [];
    }

    readonly Dictionary<string, Entry> items;
    ChecklistHelp(Dictionary<string, Entry> items) => this.items = items;

    public Entry? For(string fileId, string nodeId) => items.GetValueOrDefault($"{fileId}/{nodeId}");

    /// <summary>The item's own help, or for an item carried over from last year's edition (未照合) the help of the item it came from.</summary>
    public Entry? For(IndexedNode item) =>
        For(item.FileId, item.NodeId) ?? (item.CarriedFrom is { } from ? items.GetValueOrDefault(from) : null);
    public IReadOnlyCollection<string> Keys => items.Keys;

    public static ChecklistHelp Parse(string yaml) =>
        new(new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
            .Deserialize<FileShape>(yaml).Items);

    static readonly Lazy<ChecklistHelp> Shipped = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Features", "Checklists", "item-help.yaml");
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : new ChecklistHelp([]);
    });

    public static ChecklistHelp Current => Shipped.Value;
}
