using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mamori.Features.Assets;
using Mamori.Features.Vendors;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Reports;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>
/// The sheet as the inspector reads it: .xlsx in the order and numbering of the official sheet (項番, 確認項目, はい/いいえ per
/// device column, 確認日 1回目/2回目, 目標日, 備考, with the facility and fiscal year on top), an A4 print view, a PDF made
/// from that view by Debian's chromium (no AGPL library), and the inspection pack (ZIP with evidence, sign-off and a SHA-256 manifest).
/// </summary>
public static class ChecklistExport
{
    static readonly string[] DeviceColumns = ["general", "server", "terminal", "network"];
    internal static readonly string[] Header = ["項番", "確認項目", "全般", "サーバ", "端末PC", "ネットワーク機器", "確認日（1回目）", "確認日（2回目）", "目標日", "備考", "担当者"];

    static string? Word(string? v) => v switch { "yes" => "はい", "no" => "いいえ", "not-applicable" => "対象外", _ => null };
    static string? Day(DateOnly? d) => d?.ToString("yyyy/M/d", CultureInfo.InvariantCulture);

    /// <summary>The sheet's lines in sheet order: sections and items, with the answer cells.</summary>
    internal static IEnumerable<(bool Section, string?[] Cells, string NodeId)> Lines(ChecklistRecord r)
    {
        foreach (var node in r.Sheet.Nodes)
        {
            if (node.Row.Kind == "section")
            {
                yield return (true, [node.Row.Ref, node.Row.Label], node.NodeId);
                continue;
            }
            if (node.Row.Kind is not ("checklist-item" or "question")) continue;
            var spec = ItemSpec.From(node);
            var a = r.Answers.GetValueOrDefault(node.NodeId);
            var notRequired = r.Assessment.SystemInUse == false && !spec.IsPrerequisite;
            var cells = new string?[Header.Length];
            cells[0] = node.Row.Ref;
            cells[1] = UnreconciledWording.For(node) is { } unreconciled ? $"【{unreconciled.BadgeJa}】{node.Row.Label}" : node.Row.Label;
            for (var i = 0; i < DeviceColumns.Length; i++)
                cells[2 + i] = !spec.Columns.Contains(DeviceColumns[i]) ? "／" : notRequired ? "（不要）" : a is null ? null : Word(AnswerRules.Value(a, DeviceColumns[i]));
            cells[6] = Day(a?.CheckedOn1);
            cells[7] = Day(a?.CheckedOn2);
            cells[8] = Day(a?.TargetDate);
            cells[9] = a?.Note;
            cells[10] = a?.ResponsiblePerson;
            yield return (false, cells, node.NodeId);
        }
    }

    static IEnumerable<string> Footer(ChecklistRecord r, DateTime now)
    {
        if (r.Assessment.SystemInUse == false)
            yield return "「医療情報システムを導入、運用している」が「いいえ」のため、以降の項目の確認は不要です。";
        foreach (var s in r.Seals)
        {
            yield return $"{s.Round}回目の確認: {JapanTime.ToJst(s.SealedAt):yyyy/M/d HH:mm} {s.SealedBy} 署名（記録の SHA-256 {s.Sha256}）";
            if (s.ReviewedOn is { } reviewed) yield return $"　経営層の確認: {Day(reviewed)} {s.ReviewedBy}{(s.ReviewedBySigner ? "（" + ChecklistSeal.SamePersonJa + "）" : "")}{(s.ReviewComment is null ? "" : "「" + s.ReviewComment + "」")}";
        }
        if (r.Assessment.SheetNodeId == "vendor")
        {
            // 事業者確認用: the vendor's answer; its documents (MDS/SDS, the filled-in official form) travel with it.
            if (!r.Sheet.Items.Any()) yield return "この年度版の事業者確認用の項目は Mamori のカタログに未収録です。事業者の回答は提出書類（記入済みの様式）を参照してください。";
            var documents = r.Evidence.Where(e => e.NodeId == r.Sheet.Sheet.NodeId).Select(e => e.Title).ToList();
            yield return documents.Count == 0 ? "提出書類: なし" : $"提出書類: {string.Join("、", documents)}";
        }
        else if (r.Seals.Count == 0) yield return "未署名（医療情報システム安全管理責任者の署名前の記録です）";
        if (r.Sheet.Items.Select(UnreconciledWording.For).OfType<UnreconciledWording>().FirstOrDefault() is { } w)
            yield return $"【{w.BadgeJa}】の項目: {w.SentenceJa}{w.ActionJa}";
        yield return $"Mamori で作成 {JapanTime.ToJst(now):yyyy/M/d HH:mm}（日本時間）。カタログ {r.Assessment.EditionFileId} リビジョン {r.Assessment.EditionRevision}。";
    }

    public static byte[] Xlsx(ChecklistRecord r, DateTime now)
    {
        var rows = new List<XlsxRow>
        {
            new([r.Title], Bold: true),
            new([$"医療機関等名称：{r.OrganizationName}", null, $"{AnswerRules.Reiwa(r.Assessment.FiscalYear)}（{Day(JapanTime.FiscalYearStart(r.Assessment.FiscalYear))}〜{Day(JapanTime.FiscalYearEnd(r.Assessment.FiscalYear))}）"]),
            new([]),
            new(Header, Bold: true),
        };
        rows.AddRange(Lines(r).Select(l => new XlsxRow(l.Section ? l.Cells : WithDates(l.Cells, r.Answers.GetValueOrDefault(l.NodeId)), Bold: l.Section)));
        rows.Add(new([]));
        rows.AddRange(Footer(r, now).Select(f => new XlsxRow([f])));
        return XlsxSheet.Build(r.Sheet.Sheet.Row.Label ?? "チェックリスト", [8, 48, 7, 7, 7, 10, 12, 12, 12, 24, 14], rows, new XlsxLayout(HeaderRow: 4));
    }

    /// <summary>In Excel, 確認日 and 目標日 are real dates.</summary>
    static object?[] WithDates(string?[] cells, ChecklistAnswer? a)
    {
        var row = cells.Cast<object?>().ToArray();
        (row[6], row[7], row[8]) = (a?.CheckedOn1, a?.CheckedOn2, a?.TargetDate);
        return row;
    }

    /// <summary>A4 print view. <paramref name="inlineCss"/> for the PDF (a file: URL has no site stylesheet).</summary>
    public static string PrintHtml(ChecklistRecord r, DateTime now, bool inlineCss)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>").Append(E(r.Title)).Append("</title>");
        sb.Append(inlineCss ? $"<style>{PrintCss}</style>" : "<link rel=\"stylesheet\" href=\"/css/print.css\">");
        sb.Append("</head><body><h1>").Append(E(r.Title)).Append("</h1><p class=\"meta\">医療機関等名称：").Append(E(r.OrganizationName))
          .Append("　").Append(E(AnswerRules.Reiwa(r.Assessment.FiscalYear))).Append("</p><table><thead><tr>");
        foreach (var h in Header) sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var (section, cells, _) in Lines(r))
        {
            if (section) { sb.Append("<tr class=\"section\"><td>").Append(E(cells[0])).Append("</td><td colspan=\"10\">").Append(E(cells[1])).Append("</td></tr>"); continue; }
            sb.Append("<tr>");
            foreach (var c in cells) sb.Append("<td>").Append(E(c)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table><div class=\"footer\">");
        foreach (var f in Footer(r, now)) sb.Append("<p>").Append(E(f)).Append("</p>");
        return sb.Append("</div></body></html>").ToString();
    }

    /// <summary>The print view's stylesheet (wwwroot/css/print.css), inlined for the PDF.</summary>
    static string PrintCss => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "wwwroot", "css", "print.css"));

    static string? Chromium => new[] { Environment.GetEnvironmentVariable("MAMORI_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    const string InstallHint = "サーバーで ./mamori start を実行し直すと自動でインストールされます（手動では sudo apt-get install chromium fonts-noto-cjk）。";

    /// <summary>Why this server cannot make PDFs (no chromium, or no Japanese font so every character would print as a box), or null.</summary>
    public static string? PdfProblem()
    {
        if (pdfReady) return null; // checked once found; re-checked while missing, so installing needs no restart
        if (Chromium is null) return "このサーバーには chromium がないため、PDF を作成できません。" + InstallHint;
        var fonts = new[] { "/usr/share/fonts", "/usr/local/share/fonts" }.Where(Directory.Exists);
        if (OperatingSystem.IsLinux() && !fonts.Any(d => Directory.EnumerateFiles(d, "*CJK*", SearchOption.AllDirectories).Any()))
            return "このサーバーには日本語フォント（fonts-noto-cjk）がないため、PDF を作成できません（文字が表示されません）。" + InstallHint;
        pdfReady = true;
        return null;
    }

    static volatile bool pdfReady;

    /// <summary>PDF of an HTML page by headless chromium (Debian's package), or why it cannot be made (in Japanese, with what to do).</summary>
    public static async Task<(byte[]? Pdf, string? Problem)> RenderPdfAsync(string html, CancellationToken ct)
    {
        if (PdfProblem() is { } problem) return (null, problem);
        await Printers.WaitAsync(ct);
        DirectoryInfo? dir = null;
        try
        {
            dir = Directory.CreateTempSubdirectory("mamori-pdf-");
            var input = Path.Combine(dir.FullName, "sheet.html");
            var output = Path.Combine(dir.FullName, "sheet.pdf");
            await File.WriteAllTextAsync(input, html, ct);
            var psi = new ProcessStartInfo(Chromium!) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", $"--user-data-dir={dir.FullName}/profile",
                         $"--print-to-pdf={output}", new Uri(input).AbsoluteUri })
                psi.ArgumentList.Add(arg);
            using var process = Process.Start(psi)!;
            var drain = Task.WhenAll(process.StandardError.ReadToEndAsync(ct), process.StandardOutput.ReadToEndAsync(ct));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return (null, "chromium が 60 秒以内に PDF を作成できませんでした。サーバーの負荷を確かめて、もう一度書き出してください。");
            }
            var messages = await drain;
            if (File.Exists(output)) return (await File.ReadAllBytesAsync(output, ct), null);
            var detail = messages[0].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            return (null, $"chromium が PDF を作成できませんでした（終了コード {process.ExitCode}{(detail is null ? "" : "、" + detail)}）。");
        }
        finally
        {
            Printers.Release();
            try { dir?.Delete(recursive: true); } catch (IOException) { /* chromium may still hold its profile for a moment */ }
        }
    }

    /// <summary>At most two chromium processes at a time (a pack prints several PDFs at once; the server has few cores).</summary>
    static readonly SemaphoreSlim Printers = new(2);

    /// <summary>What a pack holds and whether its PDFs could be made (<paramref name="PdfProblem"/>: why not).</summary>
    public sealed record PackResult(IReadOnlyList<string> Files, string? PdfProblem);

    /// <summary>
    /// The inspection pack, streamed into <paramref name="output"/> one file at a time (memory stays at one evidence
    /// file, whatever the pack's size): the cover and index (00_表紙と目次 .pdf/.xlsx), the sheet as .xlsx and PDF, every
    /// evidence file, the 事業者確認用 sheets of the year, the 機器台帳, クラウドサービス台帳 and 外部接続一覧 as of
    /// <paramref name="now"/>, the sign-off record (PDF and JSON) with the sealed snapshots, and MANIFEST.csv with the
    /// SHA-256 of every file. Already-compressed files (PDF, images, Office) are stored without recompressing.
    /// When PDFs cannot be made, the pack says so (PDF-なし.txt and the cover) and <see cref="PackResult.PdfProblem"/> tells the caller.
    /// </summary>
    public static async Task<PackResult> WritePackAsync(MamoriDb db, ChecklistRecord r, Stream output, DateTime now, CancellationToken ct)
    {
        var manifest = new List<string?[]> { new string?[] { "ファイル", "バイト数", "SHA-256" } };
        var files = new List<(string Path, string What)>();
        var used = new HashSet<string>();
        var evidencePaths = new Dictionary<Guid, string>();
        var linkFiles = new Dictionary<string, string>();
        string? pdfProblem = null;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc), Tokyo));
        var stamp = today.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == r.Assessment.OrganizationId, ct);
        var site = r.Assessment.SheetNodeId != "vendor";
        await using (var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct))
        {
            async Task<string> AddAsync(string path, byte[] content, string what)
            {
                for (var n = 2; !used.Add(path); n++) path = $"{Path.GetDirectoryName(path)?.Replace('\\', '/')}/{n}_{Path.GetFileName(path)}".TrimStart('/');
                var stored = Path.GetExtension(path).ToLowerInvariant() is ".pdf" or ".png" or ".jpg" or ".jpeg" or ".gif" or ".docx" or ".xlsx" or ".pptx" or ".zip";
                var entry = zip.CreateEntry(path, stored ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                await using (var s = await entry.OpenAsync(ct)) await s.WriteAsync(content, ct);
                manifest.Add([path, content.Length.ToString(CultureInfo.InvariantCulture), Convert.ToHexStringLower(SHA256.HashData(content))]);
                files.Add((path, what));
                return path;
            }

            // PDFs are printed while the rest is written (each chromium run takes a second or more) and added when done.
            var printing = new List<(string Path, Task<(byte[]? Pdf, string? Problem)> Pdf, string What)>();
            async Task AddPdfAsync(string path, Task<(byte[]? Pdf, string? Problem)> rendering, string what)
            {
                var (pdf, problem) = await rendering;
                if (pdfProblem is not null) return; // one reason is enough; the pack says it once
                if (pdf is not null) await AddAsync(path, pdf, what);
                else pdfProblem = problem;
            }

            async Task AddSheetAsync(ChecklistRecord record, string stem, string evidenceRoot, string what)
            {
                await AddAsync($"{stem}.xlsx", Xlsx(record, now), $"{what}（Excel）");
                printing.Add(($"{stem}.pdf", RenderPdfAsync(PrintHtml(record, now, inlineCss: true), ct), $"{what}（PDF・印刷用）"));
                var itemRefs = record.Sheet.Items.ToDictionary(n => n.NodeId, n => n.Row.Ref ?? n.NodeId);
                itemRefs[record.Sheet.Sheet.NodeId] = "提出書類"; // a 事業者確認用's own documents (MDS/SDS, the filled-in form)
                foreach (var e in record.Evidence.Where(e => e.Kind == "file"))
                {
                    var content = await db.ChecklistEvidenceContents.AsNoTracking().Where(c => c.EvidenceId == e.Id).Select(c => c.Content).SingleAsync(ct);
                    var item = itemRefs.GetValueOrDefault(e.NodeId) ?? e.NodeId;
                    evidencePaths[e.Id] = await AddAsync($"{evidenceRoot}/{Safe(item)}/{Safe(e.Title)}", content, $"証跡（{item}）");
                }
            }

            await AddSheetAsync(r, r.FileStem, "evidence", r.Title);
            if (site)
            {
                // The 事業者確認用 sheets of the same year, one per vendor and system, with their evidence.
                var vendorSheets = await db.ChecklistAssessments.AsNoTracking()
                    .Where(a => a.FiscalYear == r.Assessment.FiscalYear && a.SheetNodeId == "vendor").OrderBy(a => a.SystemName).ToListAsync(ct);
                foreach (var v in vendorSheets)
                    if (await ChecklistRecord.LoadAsync(db, v, r.OrganizationName, ct) is { } vendor)
                    {
                        var folder = $"事業者確認用/{Safe(v.SystemName ?? v.Id.ToString())}";
                        await AddSheetAsync(vendor, folder, $"{folder}/evidence", $"事業者確認用（{v.SystemName}）");
                    }
                // Where each request to a vendor stands (依頼中 / 回答済 / 差戻し): what the inspector asks when a sheet is missing.
                var requests = await db.VendorRequests.AsNoTracking().Where(q => q.FiscalYear == r.Assessment.FiscalYear).OrderBy(q => q.RequestedAt).ToListAsync(ct);
                if (requests.Count > 0)
                    await AddAsync("事業者確認用/依頼の状況.csv", SpreadsheetSafe.Csv(
                        requests.Select(q => new[]
                        {
                            q.VendorName, q.SystemName, VendorRequests.StatusLabel(q.Status).Ja, Text.Jst(q.RequestedAt), q.RequestedBy,
                            q.SubmittedAt is { } at ? Text.Jst(at) : null, q.SubmittedBy, q.ReturnComment,
                        }).Prepend(["事業者", "システム", "状態", "依頼日時", "依頼者", "提出日時", "提出者", "差戻しコメント"])), "事業者確認用の依頼の状況（CSV）");

                // The ledgers behind the answers (2-① 台帳, 2-② 外部接続), as of today, whenever the site keeps them in Mamori.
                var assets = await db.Assets.AsNoTracking().OrderBy(a => a.ControlNumber).ToListAsync(ct);
                if (assets.Count > 0)
                    linkFiles["assets"] = await AddAsync($"機器台帳_{stamp}.xlsx", AssetLedgerExport.Xlsx(assets, r.OrganizationName, today), $"機器台帳（{Day(today)} 現在）");
                var cloud = await db.CloudServices.AsNoTracking().OrderBy(c => c.Provider).ThenBy(c => c.NameAndPurpose).ToListAsync(ct);
                if (cloud.Count > 0)
                    linkFiles["cloud"] = await AddAsync($"クラウドサービス台帳_{stamp}.xlsx", RegisterExport.CloudServicesXlsx(cloud, r.OrganizationName, today),
                        $"クラウドサービス台帳（{Day(today)} 現在）");
                var connections = await db.Connections.AsNoTracking().OrderBy(c => c.VendorName).ToListAsync(ct);
                if (connections.Count > 0)
                    linkFiles["connections"] = await AddAsync($"外部接続一覧_{stamp}.xlsx", RegisterExport.ConnectionsXlsx(connections,
                        assets.ToDictionary(a => a.Id, a => a.ControlNumber), r.OrganizationName, today), $"外部接続・リモートメンテナンス接続の一覧（{Day(today)} 現在）");
            }

            foreach (var (path, pdf, what) in printing) await AddPdfAsync(path, pdf, what);

            var contents = new PackContents(r, organization.MedicalInstitutionCode, now, evidencePaths, linkFiles, files);
            await AddAsync("sign-off.json", Encoding.UTF8.GetBytes(PackDocuments.SignOffJson(contents)), "署名記録（JSON・機械処理用）");
            // The organisation's audit chain head as of this pack, signed with the installation's audit key (verifiable later).
            var anchor = await AuditAnchor.OfOrganizationAsync(db, r.Assessment.OrganizationId, ct);
            await AddAsync("audit-anchor.json", Encoding.UTF8.GetBytes(anchor.ToJson()), "監査ログの先頭（この組織の記録の連鎖の最新番号とハッシュ・鍵つき署名）");
            foreach (var s in r.Seals)
                await AddAsync($"sealed/round-{s.Round}.json", Encoding.UTF8.GetBytes(s.Snapshot), $"{s.Round}回目の署名時に凍結した記録（SHA-256 が署名記録の値と一致）");

            // The cover lists every file, so it is written last (its name sorts first); its PDF is printed beside the sign-off record's.
            var signOffPdf = ("署名記録.pdf", "署名記録（署名者・日時・経営層の確認）");
            var coverPdf = ($"{PackDocuments.CoverStem}.pdf", "表紙と目次（PDF・印刷用）");
            var coverXlsx = ($"{PackDocuments.CoverStem}.xlsx", "表紙と目次（Excel）");
            var manifestFile = ("MANIFEST.csv", "全ファイルの SHA-256 一覧（改ざんの確認用）");
            if (pdfProblem is null)
            {
                var signOffPrinting = RenderPdfAsync(PackDocuments.SignOffHtml(contents), ct);
                var coverPrinting = RenderPdfAsync(PackDocuments.CoverHtml(contents with { Files = [.. files, signOffPdf, coverPdf, coverXlsx, manifestFile] }), ct);
                await AddPdfAsync(signOffPdf.Item1, signOffPrinting, signOffPdf.Item2);
                await AddPdfAsync(coverPdf.Item1, coverPrinting, coverPdf.Item2); // left out (with its listing) when the sign-off record failed
            }
            if (pdfProblem is not null)
                await AddAsync("PDF-なし.txt", Encoding.UTF8.GetBytes($"この一式には PDF がありません。\n{pdfProblem}\nExcel（.xlsx）を印刷してください。\n"), "PDF がない理由");
            await AddAsync(coverXlsx.Item1, PackDocuments.CoverXlsx(contents with { Files = [.. files, coverXlsx, manifestFile], PdfProblem = pdfProblem }), coverXlsx.Item2);

            var list = zip.CreateEntry("MANIFEST.csv", CompressionLevel.Optimal);
            await using var m = await list.OpenAsync(ct);
            await m.WriteAsync(SpreadsheetSafe.Csv(manifest), ct);
        }
        return new PackResult(files.Select(f => f.Path).Append("MANIFEST.csv").ToList(), pdfProblem);
    }

    static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    /// <summary>A file or folder name safe in a ZIP on Windows and macOS (no separators, reserved characters or dots-only).</summary>
    static string Safe(string name)
    {
        var cleaned = new string(name.Select(ch => ch is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(ch) ? '_' : ch).ToArray()).Trim(' ', '.');
        return cleaned.Length == 0 ? "_" : cleaned;
    }
}
