using System.CommandLine;
using System.Text.Json;
using Mamori.Platform.Cli;
using Mamori.Platform.Data;
using Mamori.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Vulnerabilities;

/// <summary>`./mamori vuln import FILE` and `./mamori vuln matches --org CODE [--json]`.</summary>
static class VulnCommands
{
    public static Command Build()
    {
        var vuln = new Command("vuln", "脆弱性情報（KEV・NVD・JVN・ベンダー告知）と機器台帳の照合 / vulnerability feeds matched to the ledger");
        var fileArg = new Argument<FileInfo>("FILE") { Description = "KEV の JSON、NVD CVE JSON 2.0、JVN iPedia / MyJVN の XML、ベンダー告知の YAML" };
        var import = new Command("import", "脆弱性情報のファイルを取り込む（全件か何もしないか。同じファイルは何もしない）/ import a feed file") { fileArg };
        import.SetAction((pr, ct) => MamoriCommandLine.WithDatabase(db => ImportAsync(db, pr.GetValue(fileArg)!, ct)));
        vuln.Subcommands.Add(import);

        var org = new Option<string>("--org") { Description = "組織コード", Required = true };
        var json = new Option<bool>("--json") { Description = "JSON で出力 / print JSON" };
        var matches = new Command("matches", "組織の機器に該当する脆弱性の一覧 / the organisation's matches") { org, json };
        matches.SetAction((pr, ct) => MamoriCommandLine.WithDatabase(db => MatchesAsync(db, pr.GetValue(org)!, pr.GetValue(json), ct)));
        vuln.Subcommands.Add(matches);
        return vuln;
    }

    static async Task<int> ImportAsync(MamoriDb db, FileInfo file, CancellationToken ct)
    {
        if (!file.Exists)
        {
            await Console.Error.WriteLineAsync($"ファイルがありません: {file.FullName}");
            return 2;
        }
        if (file.Length > FeedReaders.MaxFileBytes)
        {
            await Console.Error.WriteLineAsync(FeedReaders.TooLarge(file.Length).Error.Ja);
            return 1;
        }
        try
        {
            var result = await FeedImport.ImportAsync(db, await File.ReadAllBytesAsync(file.FullName, ct), file.Name, "cli:" + Environment.UserName, MamoriCommandLine.Clock, ct);
            Console.WriteLine(Describe(result));
            return 0;
        }
        catch (UserErrorException e)
        {
            await Console.Error.WriteLineAsync(e.Error.Ja);
            await Console.Error.WriteLineAsync("何も取り込んでいません / nothing was imported.");
            return 1;
        }
    }

    /// <summary>The one-line outcome of an import (CLI and upload page).</summary>
    public static string Describe(FeedImportResult r) => r.Unchanged
        ? $"このファイル（SHA-256 {r.Feed.Sha256}）は {FeedImport.Label(r.Feed.Kind)} 版 {r.Feed.Version} として取り込み済みです。何も変更していません。"
        : $"{FeedImport.Label(r.Feed.Kind)} 版 {r.Feed.Version} を取り込みました: {r.Feed.Records} 件（新規 {r.Added}、更新 {r.Updated}）"
          + (r.WithoutConfigurations > 0 ? $"、うち NVD の構成情報（CPE）がまだない記録 {r.WithoutConfigurations} 件" : "")
          + $"。SHA-256 {r.Feed.Sha256}";

    static async Task<int> MatchesAsync(MamoriDb db, string orgCode, bool asJson, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Code == orgCode, ct);
        if (organization is null)
        {
            await Console.Error.WriteLineAsync($"組織コード「{orgCode}」の組織がありません（./mamori org list で確認できます）。");
            return 2;
        }
        db.EnterOrganizationForCommandLine(organization);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = await VulnerabilityList.LoadAsync(db, organization.Id, MamoriCommandLine.Clock, ct);
        await Console.Error.WriteLineAsync($"照合と読み込み / match and read: {clock.ElapsedMilliseconds} ms, {rows.Count} 件");
        var feeds = await FeedImport.LatestAsync(db, ct);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                organization = organization.Code,
                feedsAsOf = feeds.Select(f => new { kind = f.Kind.ToString(), version = f.Version, sha256 = f.Sha256, importedAt = f.ImportedAt }),
                matches = rows.Select(r => new
                {
                    device = r.DeviceName, controlNumber = r.ControlNumber, cve = r.Match.CveId, kev = r.Match.Kev,
                    confidence = r.Match.Confidence.ToString(), source = r.Match.Source.ToString(), feedVersion = r.Match.FeedVersion,
                    version = r.Match.DeviceVersion, status = r.Status?.ToString() ?? "Open", statusLabel = r.StatusLabel.Ja,
                    dueDate = r.Match.DueDate, requiredAction = r.Match.RequiredAction, title = r.Match.Title,
                }),
            }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return 0;
        }
        Console.WriteLine(feeds.Count == 0 ? "脆弱性情報は未取り込みです（./mamori vuln import FILE）。" : $"脆弱性情報: {FeedImport.AsOf(feeds)} 時点");
        if (rows.Count == 0) Console.WriteLine("該当する機器はありません。");
        Console.WriteLine("管理番号\t機器名\tCVE\tKEV\t確度\t情報源\t状態");
        foreach (var r in rows)
            Console.WriteLine($"{r.ControlNumber}\t{r.DeviceName}\t{r.Match.CveId}\t{(r.Match.Kev ? "KEV" : "-")}\t{VulnerabilityLabels.Of(r.Match.Confidence).Ja}\t{FeedImport.Label(r.Match.Source)} {r.Match.FeedVersion}\t{r.StatusLabel.Ja}");
        return 0;
    }
}
