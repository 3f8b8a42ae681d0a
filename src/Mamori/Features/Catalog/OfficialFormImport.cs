using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mamori.Features.Assets.Import;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mamori.Features.Catalog;

/// <param name="SheetId">The sheet node of the edition the file fills (site-and-pharmacy, vendor…).</param>
/// <param name="DryRun">Read and compare only; nothing is written.</param>
/// <param name="DraftOnly">Write a draft even for an official file (the web shows the diff, then the administrator publishes).</param>
public sealed record OfficialFormRequest(byte[] Content, string FileName, string EditionId, string SheetId, string Origin, string ImportedBy,
    bool DryRun = false, bool DraftOnly = false);

public sealed class OfficialFormResult
{
    public List<CatalogProblem> Problems { get; } = [];
    public string Sha256 { get; init; } = "";
    public long Size { get; init; }
    /// <summary>The entry of the known-file list the file matched, or null: 「公式ファイルと一致しません」.</summary>
    public OfficialFile? Official { get; set; }
    public OfficialForm? Form { get; set; }
    public IndexedEdition? Current { get; set; }
    public OfficialFormDiff? Diff { get; set; }
    /// <summary>The revision written (a draft unless <see cref="Published"/>); null for a dry run or on problems.</summary>
    public CatalogEdition? Edition { get; set; }
    public bool Published { get; set; }
    public int MovedAssessments { get; set; }
    public int FlaggedAnswers { get; set; }
    public int DroppedMappings { get; set; }
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// The official checklist Excel imported into the catalogue: recognise the file (size + SHA-256 against
/// catalog/official/files.yaml), read the sheet, compare it with the current revision, then write a new revision of the
/// edition through <see cref="CatalogImport"/> whose items are confirmed with the file as their source. Items matched by
/// number keep their node ids, so answers stay attached; open checklists move to the new revision and answers to
/// removed or renumbered items are flagged 要確認, never dropped. A file not on the list becomes a draft that a system
/// administrator publishes explicitly. All or nothing.
/// </summary>
public static class OfficialFormImport
{
    /// <summary>CatalogEdition.Origin of revisions made here; they are published only through this class.</summary>
    public const string Origin = "official-form";
    public const string HeaderKey = "form_import";

    public static async Task<OfficialFormResult> ImportAsync(MamoriDb db, TimeProvider clock, OfficialFormRequest request, OfficialFiles known, CancellationToken ct = default)
    {
        var name = Path.GetFileName(request.FileName);
        var result = new OfficialFormResult { Size = request.Content.LongLength, Sha256 = Convert.ToHexStringLower(SHA256.HashData(request.Content)) };
        void Problem(string ja, string en) => result.Problems.Add(new(name, 0, ja, en));
        if (request.Content.Length == 0)
        {
            Problem("ファイルが空です。", "The file is empty.");
            return result;
        }
        if (request.Content.Length > CatalogImport.MaxFileBytes)
        {
            Problem($"ファイルが大きすぎます（上限 {CatalogImport.MaxFileBytes / 1024 / 1024} MB）。チェックリストの Excel は通常 100 KB 未満です。", "The file is too large.");
            return result;
        }
        result.Official = known.Find(result.Size, result.Sha256);
        if (result.Official is { } o && (o.Edition != request.EditionId || o.Sheet != request.SheetId))
            Problem($"このファイルは公式ファイル「{o.Title}」（版 {o.Edition}、シート {o.Sheet}）です。版とシートを合わせて選び直してください。",
                $"This is the official file for edition {o.Edition}, sheet {o.Sheet}.");

        var index = await CatalogIndex.GetAsync(db, ct);
        var current = index.Edition(request.EditionId);
        var sheet = current?.ById.GetValueOrDefault(request.SheetId);
        if (current is null || current.Row.Kind != "checklist")
            Problem($"チェックリストの版「{request.EditionId}」がカタログにありません（例: checklist-r8）。",
                $"There is no checklist edition '{request.EditionId}'.");
        else if (sheet is null || sheet.Row.Kind != "sheet")
            Problem($"版「{current.Row.Title}」にシート「{request.SheetId}」がありません。選べるシート: {string.Join(" / ", Sheets(current).Select(s => $"{s.NodeId}（{s.Row.Label}）"))}。",
                $"Edition {request.EditionId} has no sheet '{request.SheetId}'.");
        if (!result.Ok) return result;
        result.Current = current;

        var (form, problems) = OfficialFormReader.Read(XlsxReader.Read(new MemoryStream(request.Content), null, OfficialFormReader.Limits), name);
        result.Problems.AddRange(problems);
        if (form is null) return result;
        result.Form = form;
        if (form.FiscalYear is { } year && current!.Row.FiscalYear is { } expected && year != expected)
            Problem($"この Excel は{Reiwa(year)}の様式です（表題「{form.Title}」）。選んだ版「{current.Row.Title}」は{Reiwa(expected)}です。版かファイルを選び直してください。",
                $"The workbook is for fiscal year {year}; the edition is for {expected}.");
        var vendorTitle = CatalogIndex.Normalize(form.Title).Contains("事業者確認用");
        var vendorSheet = sheet!.Value("sheet") == "vendor";
        if (form.Title.Length > 0 && vendorTitle != vendorSheet)
            Problem($"この Excel は{(vendorTitle ? "事業者確認用" : "医療機関・薬局側")}のシートです（表題「{form.Title}」）。選んだシート「{sheet.Row.Label}」とは違います。",
                "The workbook is for the other sheet of the edition.");
        if (!result.Ok) return result;

        result.Diff = OfficialFormDiff.Compare(Lines(sheet), form.Items.Select(i => new FormLine(i.Ref, i.Label, null, i.Row)).ToList());
        if (request.DryRun) return result;

        var usedIds = (await db.CatalogNodes.AsNoTracking()
            .Where(n => db.CatalogEditions.Any(e => e.Id == n.EditionId && e.FileId == current!.FileId))
            .Select(n => n.NodeId).Distinct().ToListAsync(ct)).ToHashSet();
        var (yaml, dropped) = BuildYaml(current!, request.SheetId, form, name, result, usedIds);
        result.DroppedMappings = dropped;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var publish = result.Official is not null && !request.DraftOnly;
        var imported = await CatalogImport.ImportAsync(db, clock, new CatalogImportRequest(yaml, name, Origin, request.ImportedBy, AsRevision: true, publish), ct);
        if (!imported.Ok)
        {
            result.Problems.AddRange(imported.Problems);
            return result;
        }
        // The diff and the YAML were made from the revision current when reading began; under the catalogue lock now,
        // refuse if another revision was published meanwhile (its changes would be overwritten).
        if (await db.CatalogEditions.AnyAsync(e => e.FileId == current!.FileId && e.PublishedAt > current.Row.PublishedAt && e.Id != imported.Edition!.Id, ct))
        {
            result.Problems.Add(new(name, 0, "取り込みの間に、この版の別のリビジョンが公開されました。もう一度取り込んでください。",
                "Another revision of the edition was published meanwhile; import again."));
            return result;
        }
        result.Edition = imported.Edition;
        if (publish)
        {
            (result.MovedAssessments, result.FlaggedAnswers) = await ReattachAsync(db, imported.Edition!, request.SheetId, result.Diff, ct);
            result.Published = true;
        }
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Publishes a draft made from an Excel file. A file that did not match the known-file list needs
    /// <paramref name="confirmUnofficial"/>: the administrator has compared it with the original.
    /// </summary>
    public static async Task<OfficialFormResult> PublishDraftAsync(MamoriDb db, TimeProvider clock, Guid draftId, bool confirmUnofficial, CancellationToken ct = default)
    {
        var result = new OfficialFormResult();
        var draft = (await CatalogIndex.LoadAsync(db, db.CatalogEditions.Where(e => e.Id == draftId && e.PublishedAt == null && e.Origin == Origin), ct)).SingleOrDefault();
        if (draft is null)
        {
            result.Problems.Add(new("", 0, "公開できる下書きが見つかりません（既に公開済みか、破棄された可能性があります）。", "No such draft."));
            return result;
        }
        var draftEdition = CatalogIndex.Build([draft]).Edition(draft.FileId)!;
        var info = draftEdition.Header[HeaderKey] as JsonObject;
        var sheetId = (string?)info?["sheet"] ?? "";
        if (info?["official"] is null && !confirmUnofficial)
        {
            result.Problems.Add(new(draft.FileName ?? "", 0,
                "このファイルは公式ファイルと一致しません。原本と照らし合わせたうえで「公式ファイルと一致しないことを確認した」に印を付けて公開してください。",
                "The file does not match a known official file; confirm explicitly to publish."));
            return result;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var index = await CatalogIndex.GetAsync(db, ct);
        var current = index.Edition(draft.FileId);
        var problems = await CatalogImport.PublishAsync(db, clock, draftId, ct, officialForm: true);
        if (problems.Count > 0)
        {
            result.Problems.AddRange(problems);
            return result;
        }
        var before = current?.ById.GetValueOrDefault(sheetId) is { } oldSheet ? Lines(oldSheet) : [];
        var after = draftEdition.ById.GetValueOrDefault(sheetId) is { } newSheet ? Lines(newSheet) : [];
        result.Diff = OfficialFormDiff.Compare(before, after);
        result.Edition = await db.CatalogEditions.AsNoTracking().SingleAsync(e => e.Id == draftId, ct);
        (result.MovedAssessments, result.FlaggedAnswers) = await ReattachAsync(db, result.Edition, sheetId, result.Diff, ct);
        result.Published = true;
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Open checklists of the sheet (not closed after the 2回目) move to the new revision; their answers to items that
    /// were removed or renumbered are flagged 要確認 and kept. Sealed rounds keep their frozen snapshot.
    /// Crosses organisations on purpose: the catalogue is shared, and each changed row is audited under its organisation.
    /// </summary>
    static async Task<(int Moved, int Flagged)> ReattachAsync(MamoriDb db, CatalogEdition edition, string sheetId, OfficialFormDiff diff, CancellationToken ct)
    {
        var assessments = await db.ChecklistAssessments.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(a => a.EditionFileId == edition.FileId && a.SheetNodeId == sheetId && a.Round <= 2 && a.EditionRevision < edition.Revision)
            .ToListAsync(ct);
        foreach (var a in assessments) a.EditionRevision = edition.Revision;
        var reasons = diff.ReviewReasons();
        var ids = assessments.Select(a => a.Id).ToList();
        var nodeIds = reasons.Keys.ToList();
        var answers = await db.ChecklistAnswers.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(a => ids.Contains(a.AssessmentId) && nodeIds.Contains(a.NodeId)).ToListAsync(ct);
        foreach (var a in answers) a.NeedsReview = reasons[a.NodeId];
        await db.SaveChangesAsync(ct);
        return (assessments.Count, answers.Count);
    }

    static IEnumerable<IndexedNode> Sheets(IndexedEdition edition) => edition.Nodes.Where(n => n.Row.Kind == "sheet");

    /// <summary>The checklist items of a sheet (sections and the prerequisite question excluded), in sheet order.</summary>
    static List<FormLine> Lines(IndexedNode sheet)
    {
        var lines = new List<FormLine>();
        void Walk(IndexedNode n)
        {
            foreach (var c in n.Children)
            {
                if (c.Row.Kind == "checklist-item") lines.Add(new FormLine(c.Row.Ref ?? "", c.Row.Label ?? "", c.NodeId));
                Walk(c);
            }
        }
        Walk(sheet);
        return lines;
    }

    static string Reiwa(int fiscalYear) => $"令和{fiscalYear - 2018}年度";

    // ---- the new revision's YAML: the current one with the sheet's sections and items replaced ----

    static readonly string[] RewrittenFields = ["id", "ref", "kind", "label", "label_verbatim", "confidence", "source", "children", "note"];
    /// <summary>Section summaries described what the sources lacked; the official sheet supersedes them.</summary>
    static readonly string[] SectionDropped = ["summary", "summary_en"];
    /// <summary>Item fields kept from the earlier revision that the Excel does not show (marked with their old confidence).</summary>
    static readonly string[] KeptFacts = ["devices", "params", "date_fields"];

    static (string Yaml, int DroppedMappings) BuildYaml(IndexedEdition current, string sheetId, OfficialForm form, string fileName,
        OfficialFormResult result, HashSet<string> usedIds)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(current.Row.SourceText));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;

        var sourceId = "xlsx-" + result.Sha256[..12];
        var sources = (YamlSequenceNode)Get(root, "sources")!;
        foreach (var same in sources.Children.OfType<YamlMappingNode>().Where(s => Text(Get(s, "id")) == sourceId).ToList()) sources.Children.Remove(same);
        var source = Map(("id", Plain(sourceId)), ("title", Quoted($"取り込んだ Excel「{fileName}」")), ("file_name", Quoted(fileName)),
            ("sha256", Quoted(result.Sha256)), ("size", Plain(result.Size.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        if (result.Official is { } official)
        {
            source.Add("official", Quoted(official.Id));
            if (official.Url is not null) source.Add("url", Quoted(official.Url));
        }
        sources.Add(source);
        var info = Map(("sheet", Quoted(sheetId)), ("file_name", Quoted(fileName)), ("sha256", Quoted(result.Sha256)),
            ("size", Plain(result.Size.ToString(System.Globalization.CultureInfo.InvariantCulture))), ("source", Plain(sourceId)));
        if (result.Official is { } o)
        {
            info.Add("official", Quoted(o.Id));
            info.Add("official_source", Quoted(o.Source));
            info.Add("official_confidence", Plain(o.Confidence));
        }
        else info.Add("official", Plain("null"));
        Set(root, HeaderKey, info);

        var nodes = (YamlSequenceNode)Get(root, "nodes")!;
        var sheet = Descendants(nodes).First(n => Text(Get(n, "id")) == sheetId);
        var oldChildren = Get(sheet, "children") as YamlSequenceNode ?? [];
        var old = Descendants(oldChildren).ToList();
        var oldSections = old.Where(n => Text(Get(n, "kind")) == "section" && Text(Get(n, "ref")) is not null)
            .GroupBy(n => OfficialFormReader.NumberKey(Text(Get(n, "ref"))!)).ToDictionary(g => g.Key, g => g.First());
        var oldItems = old.Where(n => Text(Get(n, "kind")) == "checklist-item" && Text(Get(n, "ref")) is not null)
            .GroupBy(n => OfficialFormReader.NumberKey(Text(Get(n, "ref"))!)).ToDictionary(g => g.Key, g => g.First());

        var children = new YamlSequenceNode();
        foreach (var question in oldChildren.Children.OfType<YamlMappingNode>().Where(n => Text(Get(n, "kind")) == "question")) children.Add(question);
        var sectionNodes = new Dictionary<FormSection, (string Id, YamlSequenceNode Children)>();
        var entries = form.Sections.Select(s => (s.Row, Section: (FormSection?)s, Item: (FormItem?)null))
            .Concat(form.Items.Select(i => (i.Row, Section: (FormSection?)null, Item: (FormItem?)i))).OrderBy(e => e.Row);
        foreach (var (row, section, item) in entries)
        {
            if (section is not null)
            {
                var key = OfficialFormReader.NumberKey(section.Number);
                var previous = oldSections.GetValueOrDefault(key);
                var id = previous is not null ? Text(Get(previous, "id"))! : NewId($"{sheetId}.{key}", usedIds);
                var node = Rewrite(previous, id, section.Number, "section", section.Label, sourceId, row, SectionDropped);
                var sectionChildren = new YamlSequenceNode();
                node.Add("children", sectionChildren);
                children.Add(node);
                sectionNodes[section] = (id, sectionChildren);
                continue;
            }
            (string Id, YamlSequenceNode Children) parent = item!.Section is { } s ? sectionNodes[s] : (sheetId, children);
            var previousItem = oldItems.GetValueOrDefault(item.Key);
            var last = item.Key.Split('-')[^1];
            var itemId = previousItem is not null ? Text(Get(previousItem, "id"))! : NewId($"{parent.Id}.{last}", usedIds);
            var itemNode = Rewrite(previousItem, itemId, item.Ref, "checklist-item", item.Label, sourceId, row, []);
            if (previousItem is not null && Text(Get(previousItem, "confidence")) is { } was and not "confirmed")
            {
                var kept = KeptFacts.Where(f => Get(previousItem, f) is not null).ToList();
                var attr = Get(itemNode, "attr_confidence") as YamlMappingNode ?? [];
                foreach (var f in kept.Where(f => Get(attr, f) is null)) attr.Add(f, Plain(was));
                if (attr.Children.Count > 0) Set(itemNode, "attr_confidence", attr);
            }
            parent.Children.Add(itemNode);
        }
        Set(sheet, "children", children);

        // Mappings from or to items that are gone go with them (the diff lists those items as removed).
        var ids = Descendants(nodes).Select(n => Text(Get(n, "id"))).OfType<string>().ToHashSet();
        var dropped = 0;
        if (Get(root, "mappings") is YamlSequenceNode mappings)
            foreach (var m in mappings.Children.OfType<YamlMappingNode>().ToList())
            {
                var (from, to) = (Text(Get(m, "from")) ?? "", Text(Get(m, "to")) ?? "");
                var prefix = current.FileId + "/";
                if ((from.StartsWith(prefix, StringComparison.Ordinal) && !ids.Contains(from[prefix.Length..]))
                    || (to.StartsWith(prefix, StringComparison.Ordinal) && !ids.Contains(to[prefix.Length..])))
                {
                    mappings.Children.Remove(m);
                    dropped++;
                }
            }

        var writer = new StringWriter();
        writer.Write($"# {current.Row.Title}: revision {current.Row.Revision} with sheet {sheetId} read from {fileName} (SHA-256 {result.Sha256}) by Mamori.\n");
        stream.Save(writer, assignAnchors: false);
        var yaml = writer.ToString();
        return (yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml, dropped);
    }

    /// <summary>A node of the new revision: the earlier node's other fields kept, number, wording, confidence and source from the file.</summary>
    static YamlMappingNode Rewrite(YamlMappingNode? previous, string id, string reference, string kind, string label, string sourceId, int row, string[] dropped)
    {
        var node = Map(("id", Plain(id)), ("ref", Quoted(reference)), ("kind", Plain(kind)), ("label", Quoted(label)), ("label_verbatim", Plain("true")));
        if (previous is not null)
            foreach (var (k, v) in previous.Children)
                if (Text(k) is { } key && !RewrittenFields.Contains(key) && !dropped.Contains(key)) node.Add(k, v);
        node.Add("confidence", Plain("confirmed"));
        var source = Map(("doc", Plain(sourceId)), ("row", Plain(row.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        source.Style = YamlDotNet.Core.Events.MappingStyle.Flow;
        node.Add("source", source);
        return node;
    }

    static string NewId(string candidate, HashSet<string> used)
    {
        var clean = new string(candidate.ToLowerInvariant().Select(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_' ? c : '-').ToArray());
        var id = clean;
        for (var n = 2; used.Contains(id); n++) id = $"{clean}-{n}";
        used.Add(id);
        return id;
    }

    static IEnumerable<YamlMappingNode> Descendants(YamlSequenceNode sequence)
    {
        foreach (var n in sequence.Children.OfType<YamlMappingNode>())
        {
            yield return n;
            if (Get(n, "children") is YamlSequenceNode c)
                foreach (var d in Descendants(c)) yield return d;
        }
    }

    static YamlNode? Get(YamlMappingNode map, string key) => map.Children.FirstOrDefault(kv => Text(kv.Key) == key).Value;

    static void Set(YamlMappingNode map, string key, YamlNode value)
    {
        var existing = map.Children.Keys.FirstOrDefault(k => Text(k) == key);
        if (existing is not null) map.Children[existing] = value;
        else map.Add(key, value);
    }

    static string? Text(YamlNode? node) => (node as YamlScalarNode)?.Value;
    static YamlScalarNode Plain(string value) => new(value) { Style = ScalarStyle.Plain };
    static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    static YamlMappingNode Map(params (string Key, YamlNode Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (k, v) in entries) map.Add(k, v);
        return map;
    }
}
