using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mamori.Platform.Cli;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Catalog;

/// <summary>`./mamori catalog validate | import FILE | export --format json`.</summary>
static class CatalogCommands
{
    public static Command Build()
    {
        var catalog = new Command("catalog", "規制カタログ（ガイドライン・チェックリスト）/ regulatory catalogue");

        var dirArg = new Argument<DirectoryInfo?>("DIR") { Description = "YAML ファイルのフォルダ（省略時は ./catalog）", Arity = ArgumentArity.ZeroOrOne };
        var validate = new Command("validate", "カタログファイルをすべて検証する（id の重複、対応付けの参照先、出典、確からしさ）/ validate every catalogue file") { dirArg };
        validate.SetAction(pr => Validate(pr.GetValue(dirArg)));
        catalog.Subcommands.Add(validate);

        var fileArg = new Argument<FileInfo>("FILE") { Description = "版ファイル（YAML）" };
        var revision = new Option<bool>("--revision") { Description = "既存の版の修正として新しいリビジョンを作る / import as a new revision of an existing edition" };
        var draft = new Option<bool>("--draft") { Description = "下書きとして取り込み、公開しない / import as a draft without publishing" };
        var import = new Command("import", "版ファイルを取り込んで公開する（全件成功か、何も取り込まないか）/ import and publish an edition file") { fileArg, revision, draft };
        import.SetAction((pr, ct) => Import(pr.GetValue(fileArg)!, pr.GetValue(revision), pr.GetValue(draft), ct));
        catalog.Subcommands.Add(import);

        var formFile = new Argument<FileInfo>("FILE") { Description = "厚生労働省のチェックリスト Excel（.xlsx）" };
        var edition = new Option<string>("--edition") { Description = "版 id（例: checklist-r8）", Required = true };
        var sheet = new Option<string>("--sheet") { Description = "シート id（例: site-and-pharmacy、vendor）", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "差分を表示するだけで何も変更しない / show the diff only" };
        var json = new Option<bool>("--json") { Description = "結果を JSON で標準出力へ / print the result as JSON" };
        var importForm = new Command("import-form",
            "公式のチェックリスト Excel を読み、現在の版との差分を示して新しいリビジョンとして公開する（公式ファイル一覧にないファイルは下書き）/ import the official checklist Excel")
            { formFile, edition, sheet, dryRun, json };
        importForm.SetAction((pr, ct) => ImportForm(pr.GetValue(formFile)!, pr.GetValue(edition)!, pr.GetValue(sheet)!, pr.GetValue(dryRun), pr.GetValue(json), ct));
        catalog.Subcommands.Add(importForm);

        var format = new Option<string>("--format") { Description = "出力形式（json）", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json");
        var export = new Command("export", "公開中のカタログ全体（版・項目の全フィールド・対応付け）を標準出力へ / print the published catalogue") { format };
        export.SetAction((_, ct) => MamoriCommandLine.WithDatabase(async db =>
        {
            await PrepareAsync(db, ct);
            var index = await CatalogIndex.GetAsync(db, ct);
            await using var stdout = Console.OpenStandardOutput();
            await JsonSerializer.SerializeAsync(stdout, CatalogExport.ToJson(index), CatalogExport.Options, ct);
            await stdout.WriteAsync("\n"u8.ToArray(), ct);
            return 0;
        }));
        catalog.Subcommands.Add(export);
        return catalog;
    }

    static int Validate(DirectoryInfo? dir)
    {
        var path = dir?.FullName ?? (Directory.Exists("catalog") ? Path.GetFullPath("catalog") : CatalogImport.ShippedDirectory);
        if (!Directory.Exists(path))
        {
            Console.Error.WriteLine($"フォルダがありません: {path}");
            return 2;
        }
        var (files, problems) = CatalogImport.ReadDirectory(path);
        foreach (var p in problems) Console.Error.WriteLine(p);
        var nodes = files.Sum(f => f.File.Nodes.Count);
        var mappings = files.Sum(f => f.File.Mappings.Count);
        if (problems.Count > 0)
        {
            Console.Error.WriteLine($"{problems.Count} 件の問題があります（{path}）/ {problems.Count} problem(s).");
            return 1;
        }
        foreach (var (f, _) in files)
            Console.WriteLine($"{f.FileId,-30} {f.Nodes.Count,4} 項目 {f.Mappings.Count,4} 対応付け");
        Console.WriteLine($"問題なし: {files.Count} ファイル、{nodes} 項目、{mappings} 対応付け / OK: {files.Count} files, {nodes} nodes, {mappings} mappings.");
        return 0;
    }

    /// <summary>An exit code when the file is missing (2) or larger than an upload may be (1); null when it can be read.</summary>
    static async Task<int?> RefuseFileAsync(FileInfo file)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"ファイルがありません: {file.FullName}");
            return 2;
        }
        if (file.Length > CatalogImport.MaxFileBytes)
        {
            await Console.Error.WriteLineAsync($"ファイルが大きすぎます（上限 {CatalogImport.MaxFileBytes / 1024 / 1024} MB）。");
            return 1;
        }
        return null;
    }

    static Task<int> Import(FileInfo file, bool asRevision, bool asDraft, CancellationToken ct) => MamoriCommandLine.WithDatabase(async db =>
    {
        if (await RefuseFileAsync(file) is { } refused) return refused;
        await PrepareAsync(db, ct);
        var yaml = await File.ReadAllTextAsync(file.FullName, ct);
        var result = await CatalogImport.ImportAsync(db, MamoriCommandLine.Clock, new CatalogImportRequest(yaml, file.Name, "cli", "cli:" + Environment.UserName, asRevision, !asDraft), ct);
        if (!result.Ok)
        {
            foreach (var p in result.Problems) await Console.Error.WriteLineAsync(p.ToString());
            await Console.Error.WriteLineAsync("取り込みませんでした（何も変更していません）/ nothing was imported.");
            return 1;
        }
        var e = result.Edition!;
        Console.WriteLine($"{e.FileId} リビジョン {e.Revision} を{(asDraft ? "下書きとして取り込みました" : "取り込み、公開しました")}: {e.NodeCount} 項目、{e.Mappings.Count} 対応付け。");
        return 0;
    });

    static Task<int> ImportForm(FileInfo file, string edition, string sheet, bool dryRun, bool json, CancellationToken ct) => MamoriCommandLine.WithDatabase(async db =>
    {
        if (await RefuseFileAsync(file) is { } refused) return refused;
        await PrepareAsync(db, ct);
        var known = OfficialFiles.Load(Environment.GetEnvironmentVariable(OfficialFiles.Setting));
        var request = new OfficialFormRequest(await File.ReadAllBytesAsync(file.FullName, ct), file.Name, edition, sheet, "cli", "cli:" + Environment.UserName, dryRun);
        var result = await OfficialFormImport.ImportAsync(db, MamoriCommandLine.Clock, request, known, ct);
        if (json)
        {
            await using var stdout = Console.OpenStandardOutput();
            await JsonSerializer.SerializeAsync(stdout, OfficialFormReport.ToJson(result, dryRun), CatalogExport.Options, ct);
            await stdout.WriteAsync("\n"u8.ToArray(), ct);
        }
        else foreach (var line in OfficialFormReport.Lines(result, dryRun)) Console.WriteLine(line);
        if (!result.Ok)
        {
            foreach (var p in result.Problems) await Console.Error.WriteLineAsync(p.ToString());
            await Console.Error.WriteLineAsync("取り込みませんでした（何も変更していません）/ nothing was imported.");
            return 1;
        }
        return 0;
    });

    /// <summary>The command line may run before the server ever did: bring schema and shipped catalogue up to date.</summary>
    static async Task PrepareAsync(MamoriDb db, CancellationToken ct)
    {
        await CatalogImport.SyncShippedAsync(db, MamoriCommandLine.Clock, CatalogImport.ShippedDirectory, ct);
    }
}

/// <summary>The whole published catalogue as one JSON document, for automation.</summary>
public static class CatalogExport
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject ToJson(CatalogIndex index) => new()
    {
        ["format"] = "mamori-catalog/1",
        ["editions"] = new JsonArray(index.Editions.Select(e =>
        {
            var header = (JsonObject)e.Header.DeepClone();
            header["revision"] = e.Row.Revision;
            header["published_at"] = e.Row.PublishedAt?.ToString("O");
            header["sha256"] = e.Row.Sha256;
            header["nodes"] = new JsonArray(e.Nodes.Select(n =>
            {
                var o = (JsonObject)n.Fields.DeepClone();
                o["parent"] = n.Row.ParentNodeId;
                o["full_id"] = n.FullId;
                return (JsonNode)o;
            }).ToArray());
            header["mappings"] = new JsonArray(e.Row.Mappings.OrderBy(m => m.Line).Select(m => JsonNode.Parse(m.Fields)).ToArray());
            return (JsonNode)header;
        }).ToArray()),
    };
}
