using System.CommandLine;
using System.Text.Json;
using Mamori.Features.Assets.Import;
using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Cli;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>`./mamori assets import FILE --org CODE [--dry-run] [--json]` and `./mamori assets export --org CODE --out FILE [--format xlsx|csv]`.</summary>
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

        var exportOrg = new Option<string>("--org") { Description = "組織コード", Required = true };
        var outFile = new Option<FileInfo>("--out") { Description = "書き出すファイル（例: 機器台帳.xlsx）", Required = true };
        var format = new Option<string?>("--format") { Description = "xlsx または csv（省略時は --out の拡張子から。既定 xlsx）" };
        format.AcceptOnlyFromAmong("xlsx", "csv");
        var export = new Command("export", "機器台帳を画面の「書き出し」と同じ形で書き出す / write the ledger as the web export does") { exportOrg, outFile, format };
        export.SetAction((pr, ct) => MamoriCommandLine.WithDatabase(db =>
            ExportAsync(db, pr.GetValue(exportOrg)!, pr.GetValue(outFile)!, pr.GetValue(format), ct)));
        assets.Subcommands.Add(export);
        return assets;
    }

    static async Task<int> ExportAsync(MamoriDb db, string orgCode, FileInfo file, string? format, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Code == orgCode, ct);
        if (organization is null)
        {
            await Console.Error.WriteLineAsync($"組織コード「{orgCode}」の組織がありません（./mamori org list で確認できます）。");
            return 2;
        }
        var ledgerFormat = (format ?? (file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "xlsx")) == "csv"
            ? LedgerFormat.Csv : LedgerFormat.Xlsx;
        db.EnterOrganizationForCommandLine(organization);
        file.Directory?.Create();
        int rows;
        // Written beside the target first, so a failed export never leaves half a ledger under the name asked for.
        var partial = file.FullName + ".partial";
        await using (var output = File.Create(partial))
            rows = await AssetLedgerExport.WriteAsync(db, organization, ledgerFormat, output, ct);
        File.Move(partial, file.FullName, overwrite: true);
        db.Audit(AuditActions.Export, "AssetLedger", organization.Code, new { rows, format = ledgerFormat == LedgerFormat.Csv ? "csv" : "xlsx", path = file.FullName }, organization.Id);
        await db.SaveChangesAsync(ct);
        Console.WriteLine($"機器台帳（{rows} 台）を書き出しました: {file.FullName}");
        return 0;
    }

    static async Task<int> ImportAsync(MamoriDb db, FileInfo file, string orgCode, bool dryRun, bool asJson, CancellationToken ct)
    {
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
            : await AssetImporter.ImportAsync(db, organization.Id, content, file.Name, null, "cli:" + Environment.UserName, ct, clock: MamoriCommandLine.Clock);
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
            Console.Error.WriteLine($"読み込めません: {fe.Ja}");
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
        file_error = r.Parsed.FileError is { } fe ? new { message_ja = fe.Ja, message_en = fe.En } : null,
        header_row = r.Parsed.HeaderRowNumber,
        rows_read = r.Parsed.RowsRead,
        to_create = r.ToCreate,
        to_update = r.ToUpdate,
        unchanged = r.Unchanged,
        error_count = r.Parsed.ErrorCount,
        errors = r.Parsed.Errors.Select(e => new { row = e.Row, column = e.Column, message_ja = e.MessageJa, message_en = e.MessageEn }),
        warnings = r.Parsed.Warnings.Select(e => new { row = e.Row, column = e.Column, message_ja = e.MessageJa, message_en = e.MessageEn }),
        unknown_columns = r.Parsed.UnknownColumns.Select(c => new { column = c.Index + 1, header = c.Text }),
        // The first rows as they will be stored (the web preview's table): the file's fields only, by snake_case name.
        preview = r.Parsed.Preview.Select(p => new
        {
            row = p.RowNumber,
            action = r.PreviewActions.TryGetValue(p.ControlNumber, out var a) ? Options.PropertyNamingPolicy!.ConvertName(a.ToString()) : null,
            values = r.Parsed.Columns.Where(c => c.Field is not null)
                .ToDictionary(c => Options.PropertyNamingPolicy!.ConvertName(c.Field!.Value.ToString()), c => p.StoredValue(c.Field!.Value)),
        }),
        read_ms = r.ReadMilliseconds,
        write_ms = r.WriteMilliseconds,
    };
}
