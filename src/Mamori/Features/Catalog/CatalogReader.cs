using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mamori.Platform.Web;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mamori.Features.Catalog;

/// <summary>
/// A problem found in a catalogue file (a line-numbered report of the file); <see cref="Line"/> is 1-based, 0 when it
/// concerns the whole file. What the user reads is <see cref="Error"/>, the one user-facing error type.
/// </summary>
public sealed record CatalogProblem(string File, int Line, UserError Error)
{
    public CatalogProblem(string file, int line, string ja, string en) : this(file, line, new UserError(ja, en)) { }
    public string Ja => Error.Ja;
    public string En => Error.En;
    public override string ToString() => Line > 0 ? $"{File} {Line}行目: {Ja}" : $"{File}: {Ja}";
}

/// <summary>One framework edition as read from its YAML file (docs/catalog-format.md).</summary>
public sealed class CatalogFile
{
    public required string FileId { get; init; }
    public required string Framework { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public string? TitleEn { get; init; }
    public required string Publisher { get; init; }
    public required string Edition { get; init; }
    public int? FiscalYear { get; init; }
    public string? Published { get; init; }
    public string? SupersededBy { get; init; }
    /// <summary>Every file-level field except nodes and mappings (sources, gaps, notes, history…), as written.</summary>
    public required JsonObject Header { get; init; }
    public List<CatalogFileNode> Nodes { get; } = [];
    public List<CatalogFileMapping> Mappings { get; } = [];
    public IEnumerable<string> SeeAlso => Nodes.SelectMany(n => n.Fields["see_also"] is JsonArray a ? a.Select(x => (string?)x ?? "") : []);
}

public sealed class CatalogFileNode
{
    public required string Id { get; init; }
    public string? ParentId { get; init; }
    public int Ordinal { get; init; }
    public int Depth { get; init; }
    public string? Ref { get; init; }
    public required string Kind { get; init; }
    public string? Label { get; init; }
    public string? Summary { get; init; }
    public string? SummaryEn { get; init; }
    public required string Confidence { get; init; }
    /// <summary>All fields of the node as written, without children; inherited applies_to/answers/date_fields filled in.</summary>
    public required JsonObject Fields { get; init; }
    public int Line { get; init; }
}

public sealed class CatalogFileMapping
{
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Relation { get; init; }
    public string? Kind { get; init; }
    public required string Confidence { get; init; }
    public string? Note { get; init; }
    public required JsonObject Fields { get; init; }
    public int Line { get; init; }
}

/// <summary>Reads one catalogue YAML file and checks everything that can be checked within the file.</summary>
public static partial class CatalogReader
{
    public static readonly string[] FileKinds =
        ["guideline", "checklist", "bcp-checklist", "role-split", "management-activities", "provider-guideline", "disclosure"];
    public static readonly string[] NodeKinds =
        ["volume", "chapter", "section", "requirement", "checklist-item", "question", "stage", "activity", "row", "sheet"];
    public static readonly string[] Confidences = ["confirmed", "estimated", "unconfirmed"];
    public static readonly string[] Relations = ["same", "narrower", "broader", "related"];
    public static readonly string[] MappingKinds = ["reference", "edition", "crosswalk", "provider-to-guideline", "counterpart"];

    static readonly Dictionary<string, string[]> Enumerations = new()
    {
        ["applies_to"] = ["hospital", "clinic", "dental-clinic", "pharmacy", "vendor"],
        ["answers"] = ["yes", "no", "not-applicable"],
        ["date_fields"] = ["checked_on", "checked_on_1", "checked_on_2", "target_date", "initial_checked_on", "completed_on"],
        ["devices"] = ["server", "terminal", "network"],
        ["patterns"] = ["I", "II", "III", "IV"],
    };
    static readonly Dictionary<string, string[]> ScalarEnumerations = new()
    {
        ["scope"] = ["general"],
        ["sheet"] = ["site", "pharmacy", "site-and-pharmacy", "vendor"],
        ["stage"] = ["normal", "detection", "initial-response", "recovery", "after-action"],
    };
    static readonly string[] Inherited = ["applies_to", "answers", "date_fields"];

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex IdPattern();

    /// <summary>File is null only when the YAML cannot be read as a catalogue file at all; check Problems before using it.</summary>
    public static (CatalogFile? File, List<CatalogProblem> Problems) Read(string yaml, string fileName)
    {
        var name = Path.GetFileName(fileName);
        var problems = new List<CatalogProblem>();
        void Problem(int line, string ja, string en) => problems.Add(new(name, line, ja, en));

        YamlMappingNode root;
        var parser = new TrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode m)
            {
                Problem(1, "ファイルの最上位は「id: …」などの項目の並び（YAML のマッピング）1つでなければなりません。",
                    "The file must contain exactly one YAML mapping at the top level.");
                return (null, problems);
            }
            root = m;
        }
        catch (AliasRefused e)
        {
            Problem((int)e.Start.Line, "YAML の別名（「*名前」で前の内容を繰り返す書き方）は使えません。同じ内容はそのまま書いてください。",
                "YAML aliases (*name) are not allowed; write the content out.");
            return (null, problems);
        }
        catch (YamlException e)
        {
            var line = (int)e.Start.Line;
            var detail = e.InnerException?.Message ?? e.Message;
            Problem(line, detail.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase)
                    ? $"同じ項目名（キー）が2回書かれています。"
                    : $"YAML として読めません（{detail}）。",
                $"not valid YAML ({detail}).");
            return (null, problems);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner gives up on some malformed input without a position: report where parsing stopped.
            var line = Math.Max(1, (int)parser.LastGood.Line);
            Problem(line, $"この行の付近で YAML として読めません（括弧や引用符の閉じ忘れがないか確かめてください）。",
                $"Not valid YAML near this line (check for unclosed brackets or quotes).");
            return (null, problems);
        }

        var header = new JsonObject();
        YamlSequenceNode? nodes = null, mappings = null;
        foreach (var (k, v) in root.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? "";
            if (key == "nodes") nodes = v as YamlSequenceNode;
            else if (key == "mappings") mappings = v as YamlSequenceNode;
            else header[key] = ToJson(v);
        }

        string? Required(string key)
        {
            var value = header[key] is JsonValue jv && jv.TryGetValue<string>(out var s) && s.Trim().Length > 0 ? s : null;
            if (value is null)
                Problem(LineOf(root, key), $"必須の項目「{key}」がありません（文字列で書いてください）。", $"Required field '{key}' is missing or not a string.");
            return value;
        }

        var fileId = Required("id");
        var expected = Path.GetFileNameWithoutExtension(name);
        if (fileId is not null && expected.Length > 0 && fileId != expected && name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
            Problem(LineOf(root, "id"), $"id「{fileId}」がファイル名「{expected}」と一致しません。", $"id '{fileId}' does not match the file name '{expected}'.");
        if (fileId is not null && !IdPattern().IsMatch(fileId))
            Problem(LineOf(root, "id"), $"id「{fileId}」には英小文字・数字・「.」「-」「_」だけが使えます。", $"id '{fileId}' has invalid characters.");
        var framework = Required("framework");
        var title = Required("title");
        var publisher = Required("publisher");
        var edition = Required("edition");
        var kind = Required("kind");
        if (kind is not null && !FileKinds.Contains(kind))
            Problem(LineOf(root, "kind"), $"kind「{kind}」は使えません（{string.Join(" / ", FileKinds)}）。", $"Unknown file kind '{kind}'.");
        if (header["edition"] is JsonValue ev && !ev.TryGetValue<string>(out _))
            Problem(LineOf(root, "edition"), "edition は文字列で書いてください（例: \"6.0\"）。", "edition must be a quoted string.");

        var sourceIds = new HashSet<string>();
        if (header["sources"] is not JsonArray sources || sources.Count == 0)
            Problem(LineOf(root, "sources"), "出典（sources）が1つもありません。", "The file lists no sources.");
        else
            foreach (var s in sources)
                if (s is JsonObject so && (string?)so["id"] is { } sid)
                {
                    if (!sourceIds.Add(sid))
                        Problem(LineOf(root, "sources"), $"出典 id「{sid}」が重複しています。", $"Duplicate source id '{sid}'.");
                    if (so["title"] is null)
                        Problem(LineOf(root, "sources"), $"出典「{sid}」に title がありません。", $"Source '{sid}' has no title.");
                }
                else Problem(LineOf(root, "sources"), "出典には id と title が必要です。", "Each source needs an id and a title.");
        if (header["gaps"] is not null and not JsonArray)
            Problem(LineOf(root, "gaps"), "gaps は文の一覧で書いてください。", "gaps must be a list.");

        if (nodes is null)
        {
            Problem(LineOf(root, "nodes"), "項目（nodes）の一覧がありません。", "The file has no nodes list.");
            return (null, problems);
        }
        if (fileId is null || framework is null || title is null || publisher is null || edition is null || kind is null)
            return (null, problems);

        var file = new CatalogFile
        {
            FileId = fileId, Framework = framework, Kind = kind, Title = title, Publisher = publisher, Edition = edition,
            TitleEn = (string?)header["title_en"], Published = header["published"]?.ToString(),
            FiscalYear = header["fiscal_year"] is JsonValue fy && fy.TryGetValue<long>(out var year) ? (int)year : null,
            SupersededBy = (string?)header["superseded_by"], Header = header,
        };
        var inheritedAtRoot = new JsonObject();
        foreach (var key in Inherited)
            if (header[key] is { } v) inheritedAtRoot[key] = v.DeepClone();

        var seen = new Dictionary<string, int>();
        ReadNodes(nodes, null, 0, inheritedAtRoot);

        void ReadNodes(YamlSequenceNode sequence, string? parent, int depth, JsonObject inherited)
        {
            var ordinal = 0;
            foreach (var item in sequence.Children)
            {
                var line = (int)item.Start.Line;
                if (item is not YamlMappingNode map)
                {
                    Problem(line, $"項目は「id: …」などのマッピングで書いてください。", $"a node must be a mapping.");
                    continue;
                }
                var fields = new JsonObject();
                YamlSequenceNode? children = null;
                foreach (var (k, v) in map.Children)
                {
                    var key = ((YamlScalarNode)k).Value ?? "";
                    if (key == "children") children = v as YamlSequenceNode;
                    else fields[key] = ToJson(v);
                }
                var id = (string?)AsString(fields["id"]);
                if (id is null)
                {
                    Problem(line, $"項目に id がありません。", $"node without id.");
                    continue;
                }
                if (!IdPattern().IsMatch(id))
                    Problem(line, $"id「{id}」には英小文字・数字・「.」「-」「_」だけが使えます。", $"invalid id '{id}'.");
                if (seen.TryGetValue(id, out var firstLine))
                    Problem(line, $"id「{id}」が重複しています（最初は{firstLine}行目）。", $"duplicate id '{id}' (first on line {firstLine}).");
                else seen[id] = line;

                var nodeKind = AsString(fields["kind"]);
                if (nodeKind is null || !NodeKinds.Contains(nodeKind))
                    Problem(line, $"項目「{id}」の kind が{(nodeKind is null ? "ありません" : $"「{nodeKind}」で、使えない値です")}。",
                        $"node '{id}' has a missing or unknown kind.");
                var confidence = AsString(fields["confidence"]);
                if (confidence is null || !Confidences.Contains(confidence))
                    Problem(line, $"項目「{id}」に確からしさ（confidence: confirmed / estimated / unconfirmed）がありません。",
                        $"node '{id}' has no valid confidence.");
                if (fields["source"] is not JsonObject source || AsString(source["doc"]) is not { } doc)
                    Problem(line, $"項目「{id}」に出典（source の doc）がありません。", $"node '{id}' has no source.");
                else if (!sourceIds.Contains(doc))
                    Problem(line, $"項目「{id}」の出典「{doc}」がファイルの sources にありません。",
                        $"node '{id}' cites source '{doc}' which is not in the file's sources.");
                foreach (var (key, allowed) in Enumerations)
                    if (fields[key] is { } value)
                    {
                        if (value is not JsonArray list || list.Any(x => AsString(x) is not { } s || !allowed.Contains(s)))
                            Problem(line, $"項目「{id}」の {key} に使えない値があります（{string.Join(" / ", allowed)}。\"yes\" などは引用符で囲む）。",
                                $"node '{id}' field {key} has a value outside {string.Join("/", allowed)}.");
                    }
                foreach (var (key, allowed) in ScalarEnumerations)
                    if (fields[key] is { } value && (AsString(value) is not { } s || !allowed.Contains(s)))
                        Problem(line, $"項目「{id}」の {key} の値が使えません（{string.Join(" / ", allowed)}）。",
                            $"node '{id}' field {key} must be one of {string.Join("/", allowed)}.");

                var ownInherited = (JsonObject)inherited.DeepClone();
                foreach (var key in Inherited)
                    if (fields[key] is { } v) ownInherited[key] = v.DeepClone();
                    else if (ownInherited[key] is { } iv) fields[key] = iv.DeepClone();

                file.Nodes.Add(new CatalogFileNode
                {
                    Id = id, ParentId = parent, Ordinal = ordinal++, Depth = depth, Kind = nodeKind ?? "", Confidence = confidence ?? "",
                    Ref = AsString(fields["ref"]), Label = AsString(fields["label"]), Summary = AsString(fields["summary"]),
                    SummaryEn = AsString(fields["summary_en"]), Fields = fields, Line = line,
                });
                if (children is not null) ReadNodes(children, id, depth + 1, ownInherited);
            }
        }

        if (mappings is not null)
            foreach (var item in mappings.Children)
            {
                var line = (int)item.Start.Line;
                if (ToJson(item) is not JsonObject m)
                {
                    Problem(line, $"対応付けは from / to / relation のマッピングで書いてください。", $"a mapping must be a YAML mapping.");
                    continue;
                }
                var from = AsString(m["from"]);
                var to = AsString(m["to"]);
                var relation = AsString(m["relation"]);
                var confidence = AsString(m["confidence"]);
                var mappingKind = AsString(m["kind"]);
                if (from is null || to is null)
                {
                    Problem(line, $"対応付けに from と to が必要です。", $"mapping needs from and to.");
                    continue;
                }
                if (!from.StartsWith(fileId + "/", StringComparison.Ordinal) || !seen.ContainsKey(from[(fileId.Length + 1)..]))
                    Problem(line, $"対応付けの from「{from}」はこのファイルの項目ではありません。", $"mapping from '{from}' is not a node of this file.");
                if (!to.Contains('/'))
                    Problem(line, $"対応付けの to「{to}」は「ファイルid/項目id」の形で書いてください。", $"mapping to '{to}' must be 'file/node'.");
                if (relation is null || !Relations.Contains(relation))
                    Problem(line, $"対応付けの relation は same / narrower / broader / related のいずれかです。", $"relation must be same/narrower/broader/related.");
                if (mappingKind is not null && !MappingKinds.Contains(mappingKind))
                    Problem(line, $"対応付けの kind「{mappingKind}」は使えません。", $"unknown mapping kind '{mappingKind}'.");
                if (confidence is null || !Confidences.Contains(confidence))
                    Problem(line, $"対応付けに確からしさ（confidence）がありません。", $"mapping has no valid confidence.");
                if (m["source"] is JsonObject ms && AsString(ms["doc"]) is { } mdoc && !sourceIds.Contains(mdoc))
                    Problem(line, $"対応付けの出典「{mdoc}」がファイルの sources にありません。", $"mapping cites unknown source '{mdoc}'.");
                file.Mappings.Add(new CatalogFileMapping
                {
                    From = from, To = to, Relation = relation ?? "", Kind = mappingKind, Confidence = confidence ?? "",
                    Note = AsString(m["note"]), Fields = m, Line = line,
                });
            }

        return (file, problems);
    }

    /// <summary>Checks what depends on other files: every mapping target, carried_from node and see_also/superseded_by file exists.</summary>
    public static List<CatalogProblem> CheckReferences(CatalogFile file, Func<string, string, bool> nodeExists, Func<string, bool> fileExists, string fileName)
    {
        var name = Path.GetFileName(fileName);
        var problems = new List<CatalogProblem>();
        foreach (var m in file.Mappings)
        {
            var slash = m.To.IndexOf('/');
            if (slash < 0) continue;
            var (toFile, toNode) = (m.To[..slash], m.To[(slash + 1)..]);
            if (!nodeExists(toFile, toNode))
                problems.Add(new(name, m.Line, fileExists(toFile)
                        ? $"対応付けの先「{m.To}」が見つかりません（「{toFile}」に項目「{toNode}」がありません）。"
                        : $"対応付けの先「{m.To}」が見つかりません（版「{toFile}」がカタログにありません）。",
                    $"mapping target '{m.To}' does not resolve."));
        }
        foreach (var n in file.Nodes)
            if (AsString(n.Fields["carried_from"]) is { } carried
                && (carried.IndexOf('/') is not (> 0 and var at) || !nodeExists(carried[..at], carried[(at + 1)..])))
                problems.Add(new(name, n.Line, $"carried_from の「{carried}」（引き継いだ元の項目）が見つかりません。「ファイルid/項目id」の形で書いてください。",
                    $"carried_from '{carried}' does not resolve."));
        foreach (var n in file.Nodes)
            if (n.Fields["see_also"] is JsonArray seeAlso)
                foreach (var target in seeAlso.Select(AsString).OfType<string>().Where(t => !fileExists(t)))
                    problems.Add(new(name, n.Line, $"see_also の「{target}」という版はカタログにありません。",
                        $"see_also '{target}' is not a catalogue file."));
        return problems;
    }

    /// <summary>Remembers the end of the last event read, for errors that come without a position.</summary>
    sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark LastGood { get; private set; } = Mark.Empty;
        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;
        public bool MoveNext()
        {
            if (inner.Current is { } last) LastGood = last.End;
            var more = inner.MoveNext();
            // An alias (*name) repeats an anchored node: a few hundred bytes of nested aliases expand to gigabytes when
            // the catalogue is read, so an uploaded file may not use them at all.
            if (more && inner.Current is YamlDotNet.Core.Events.AnchorAlias alias) throw new AliasRefused(alias.Start, alias.End);
            return more;
        }
    }

    sealed class AliasRefused(Mark start, Mark end) : YamlException(start, end, "YAML aliases are not allowed");

    static string? AsString(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    static int LineOf(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
            if (((YamlScalarNode)k).Value == key) return (int)k.Start.Line;
        return (int)map.Start.Line;
    }

    /// <summary>YAML → JSON: quoted scalars are strings; plain scalars may be integers, booleans or null.</summary>
    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode s when s.Style is ScalarStyle.Plain => s.Value switch
        {
            null or "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var v when long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            var v => JsonValue.Create(v),
        },
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        _ => null,
    };
}
