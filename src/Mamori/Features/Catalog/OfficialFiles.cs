using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Mamori.Features.Catalog;

/// <summary>One official file as published by MHLW, identified by byte size and (a prefix of) its SHA-256.</summary>
public sealed record OfficialFile(
    string Id, string Title, string? Url, string FileName, string Edition, string Sheet, long Size, string Sha256Prefix,
    string Source, string Confidence)
{
    public bool Matches(long size, string sha256) =>
        size == Size && sha256.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The list of known official files (catalog/official/files.yaml). Data, not code: a new fiscal year's Excel is
/// recognised by adding an entry with its source, never by changing the program.
/// </summary>
public sealed partial class OfficialFiles(IReadOnlyList<OfficialFile> files)
{
    /// <summary>Setting / environment variable that points at another list (tests, or an installation's own).</summary>
    public const string Setting = "MAMORI_OFFICIAL_FILES";
    public static string ShippedPath => Path.Combine(CatalogImport.ShippedDirectory, "official", "files.yaml");

    public IReadOnlyList<OfficialFile> Files { get; } = files;

    public OfficialFile? Find(long size, string sha256) => Files.FirstOrDefault(f => f.Matches(size, sha256));

    /// <summary>The list at <paramref name="path"/> (the shipped one when null); an empty list when there is no file.</summary>
    public static OfficialFiles Load(string? path = null)
    {
        path ??= ShippedPath;
        return File.Exists(path) ? Parse(File.ReadAllText(path), Path.GetFileName(path)) : new OfficialFiles([]);
    }

    [GeneratedRegex("^[0-9a-f]{16,64}$")]
    private static partial Regex HexPrefix();

    /// <summary>Reads the list; a malformed entry stops the program (the list ships with it and is checked by the tests).</summary>
    public static OfficialFiles Parse(string yaml, string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
        var list = root?.Children.FirstOrDefault(kv => ((YamlScalarNode)kv.Key).Value == "files").Value as YamlSequenceNode
            ?? throw new InvalidOperationException($"{name}: 「files:」の一覧がありません / no files list.");
        var files = new List<OfficialFile>();
        foreach (var item in list.Children.OfType<YamlMappingNode>())
        {
            string? Get(string key) => item.Children.FirstOrDefault(kv => ((YamlScalarNode)kv.Key).Value == key).Value is YamlScalarNode s ? s.Value : null;
            string Required(string key) => Get(key) is { Length: > 0 } v ? v
                : throw new InvalidOperationException($"{name} {item.Start.Line}行目: 「{key}」がありません / missing {key}.");
            var prefix = Required("sha256_prefix").ToLowerInvariant();
            if (!HexPrefix().IsMatch(prefix))
                throw new InvalidOperationException($"{name} {item.Start.Line}行目: sha256_prefix は16〜64桁の16進数です / sha256_prefix must be 16–64 hex digits.");
            if (!long.TryParse(Required("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                throw new InvalidOperationException($"{name} {item.Start.Line}行目: size はバイト数（整数）です / size must be a byte count.");
            var confidence = Required("confidence");
            if (!CatalogReader.Confidences.Contains(confidence))
                throw new InvalidOperationException($"{name} {item.Start.Line}行目: confidence が使えない値です / invalid confidence.");
            files.Add(new OfficialFile(Required("id"), Required("title"), Get("url"), Required("file_name"), Required("edition"),
                Required("sheet"), size, prefix, Required("source"), confidence));
        }
        return new OfficialFiles(files);
    }
}
