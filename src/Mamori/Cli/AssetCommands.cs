using System.CommandLine;
using System.Text.Json;
using Mamori.Assets.Storage;
using Mamori.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Cli;

/// <summary>`./mamori assets import FILE --org CODE [--dry-run] [--json]`.</summary>
static class AssetCommands
{
    public static Command Build()
    {
        var assets = new Command("assets", "機器台帳 / asset ledger");
        var fileArg = new Argument<FileInfo>("FILE") { Description = "台帳ファイル（.xlsx または .csv。CSV は UTF-8 / Shift_JIS）" };
        var org = new Option<string>("--org") { Description = "組織コード", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "確認だけして取り込まない / check only" };
        var json = new Option<bool>("--json") { Description = "結果を JSON で出力 / print the report as JSON" };
        var import = new Command("import", "台帳を取り込む（全行成功か、何も取り込まないか。管理番号が同じ行は更新）/ import a ledger file") { fileArg, org, dryRun, json };
        import.SetAction((pr, ct) => MamoriCommandLine.WithDatabase(db =>
            ImportAsync(db, pr.GetValue(fileArg)!, pr.GetValue(org)!, pr.GetValue(dryRun), pr.GetValue(json), ct)));
        assets.Subcommands.Add(import);
        return assets;
    }

    static async Task<int> ImportAsync(MamoriDb db, FileInfo file, string orgCode, bool dryRun, bool asJson, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Code == orgCode, ct);
        if (organization is null)
        {
            await Console.Error.WriteLineAsync($"組織コード「{orgCode}」の組織がありません（./mamori org list で確認できます）。");
            return 2;
        }
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"ファイルがありません: {file.FullName}");
            return 2;
        }
        if (file.Length > AssetImporter.MaxUploadBytes)
        {
            await Console.Error.WriteLineAsync($"ファイルが大きすぎます（{file.Length / 1024 / 1024} MB、上限 {AssetImporter.MaxUploadBytes / 1024 / 1024} MB。MAMORI_MAX_UPLOAD_MB で変更できます）。");
            return 1;
        }
        var content = await File.ReadAllBytesAsync(file.FullName, ct);
        var report = dryRun
            ? await AssetImporter.DryRunAsync(db, organization.Id, content, file.Name, null, ct)
            : await AssetImporter.ImportAsync(db, organization.Id, content, file.Name, null, "cli:" + Environment.UserName, ct);
        if (asJson) Console.WriteLine(JsonSerializer.Serialize(AssetImportJson.Of(report), AssetImportJson.Options));
        else Print(report, dryRun);
        return report.Ok ? 0 : 1;
    }

    static void Print(AssetImportReport r, bool dryRun)
    {
        var p = r.Parsed;
        Console.WriteLine($"ファイル: {r.FileName}（SHA-256 {r.Sha256}）");
        if (p.FileError is { } fe)
        {
            Console.Error.WriteLine($"読み込めません: {fe.MessageJa}");
            Console.Error.WriteLine("何も取り込んでいません / nothing was imported.");
            return;
        }
        Console.WriteLine($"見出し行: {p.HeaderRowNumber}行目、読み込んだ行: {p.RowsRead}");
        foreach (var c in p.UnknownColumns) Console.WriteLine($"取り込まない列: {c.Text}（{c.Index + 1}列目）");
        foreach (var w in p.Warnings) Console.WriteLine($"注意 {w.TextJa}");
        if (p.ErrorCount > 0)
        {
            foreach (var e in p.Errors) Console.Error.WriteLine($"エラー {e.TextJa}");
            if (p.ErrorCount > p.Errors.Count) Console.Error.WriteLine($"…ほか {p.ErrorCount - p.Errors.Count} 件");
            Console.Error.WriteLine($"エラー {p.ErrorCount} 件のため、何も取り込んでいません / {p.ErrorCount} error(s): nothing was imported.");
            return;
        }
        Console.WriteLine(dryRun || !r.Committed
            ? $"確認のみ: 新規 {r.ToCreate} 件、更新 {r.ToUpdate} 件、変更なし {r.Unchanged} 件になります（取り込んでいません）。"
            : $"取り込みました: 新規 {r.ToCreate} 件、更新 {r.ToUpdate} 件、変更なし {r.Unchanged} 件。");
    }
}

/// <summary>The import report as JSON (CLI --json and the web API share it).</summary>
public static class AssetImportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static object Of(AssetImportReport r) => new
    {
        file = r.FileName,
        r.Sha256,
        ok = r.Ok,
        committed = r.Committed,
        file_error = r.Parsed.FileError is { } fe ? new { message_ja = fe.MessageJa, message_en = fe.MessageEn } : null,
        header_row = r.Parsed.HeaderRowNumber,
        rows_read = r.Parsed.RowsRead,
        to_create = r.ToCreate,
        to_update = r.ToUpdate,
        unchanged = r.Unchanged,
        error_count = r.Parsed.ErrorCount,
        errors = r.Parsed.Errors.Select(e => new { row = e.Row, column = e.Column, message_ja = e.MessageJa, message_en = e.MessageEn }),
        warnings = r.Parsed.Warnings.Select(e => new { row = e.Row, column = e.Column, message_ja = e.MessageJa, message_en = e.MessageEn }),
        unknown_columns = r.Parsed.UnknownColumns.Select(c => new { column = c.Index + 1, header = c.Text }),
        read_ms = r.ReadMilliseconds,
        write_ms = r.WriteMilliseconds,
    };
}
