using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mamori.Data;
using Mamori.Reports;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Checklists;

/// <summary>
/// The sheet as the inspector reads it: .xlsx in the order and numbering of the official sheet (項番, 確認項目, はい/いいえ per
/// device column, 確認日 1回目/2回目, 目標日, 備考, with the facility and fiscal year on top), an A4 print view, a PDF made
/// from that view by Debian's chromium (no AGPL library), and the inspection pack (ZIP with evidence, sign-off and a SHA-256 manifest).
/// </summary>
public static class ChecklistExport
{
    static readonly string[] DeviceColumns = ["general", "server", "terminal", "network"];
    static readonly string[] Header = ["項番", "確認項目", "全般", "サーバ", "端末PC", "ネットワーク機器", "確認日（1回目）", "確認日（2回目）", "目標日", "備考", "担当者"];

    static string? Word(string? v) => v switch { "yes" => "はい", "no" => "いいえ", "not-applicable" => "対象外", _ => null };
    static string? Day(DateOnly? d) => d?.ToString("yyyy/M/d", CultureInfo.InvariantCulture);

    /// <summary>The sheet's lines in sheet order: sections and items, with the answer cells.</summary>
    static IEnumerable<(bool Section, string?[] Cells)> Lines(ChecklistRecord r)
    {
        foreach (var node in r.Sheet.Nodes)
        {
            if (node.Row.Kind == "section")
            {
                yield return (true, [node.Row.Ref, node.Row.Label]);
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
            yield return (false, cells);
        }
    }

    static IEnumerable<string> Footer(ChecklistRecord r)
    {
        if (r.Assessment.SystemInUse == false)
            yield return "「医療情報システムを導入、運用している」が「いいえ」のため、以降の項目の確認は不要です。";
        foreach (var s in r.Seals)
        {
            yield return $"{s.Round}回目の確認: {s.SealedAt.AddHours(9):yyyy/M/d HH:mm} {s.SealedBy} 署名（記録の SHA-256 {s.Sha256}）";
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
        yield return $"Mamori で作成 {DateTime.UtcNow.AddHours(9):yyyy/M/d HH:mm}（日本時間）。カタログ {r.Assessment.EditionFileId} リビジョン {r.Assessment.EditionRevision}。";
    }

    public static byte[] Xlsx(ChecklistRecord r)
    {
        var rows = new List<XlsxRow>
        {
            new([r.Title], Bold: true),
            new([$"医療機関等名称：{r.OrganizationName}", null, $"{AnswerRules.Reiwa(r.Assessment.FiscalYear)}（{Day(AnswerRules.FiscalYearStart(r.Assessment.FiscalYear))}〜{Day(AnswerRules.FiscalYearEnd(r.Assessment.FiscalYear))}）"]),
            new([]),
            new(Header, Bold: true),
        };
        rows.AddRange(Lines(r).Select(l => new XlsxRow(l.Cells, Bold: l.Section)));
        rows.Add(new([]));
        rows.AddRange(Footer(r).Select(f => new XlsxRow([f])));
        return XlsxSheet.Build(r.Sheet.Sheet.Row.Label ?? "チェックリスト", [8, 48, 7, 7, 7, 10, 12, 12, 12, 24, 14], rows);
    }

    /// <summary>A4 print view. <paramref name="inlineCss"/> for the PDF (a file: URL has no site stylesheet).</summary>
    public static string PrintHtml(ChecklistRecord r, bool inlineCss)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>").Append(E(r.Title)).Append("</title>");
        sb.Append(inlineCss ? $"<style>{PrintCss}</style>" : "<link rel=\"stylesheet\" href=\"/css/print.css\">");
        sb.Append("</head><body><h1>").Append(E(r.Title)).Append("</h1><p class=\"meta\">医療機関等名称：").Append(E(r.OrganizationName))
          .Append("　").Append(E(AnswerRules.Reiwa(r.Assessment.FiscalYear))).Append("</p><table><thead><tr>");
        foreach (var h in Header) sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var (section, cells) in Lines(r))
        {
            if (section) { sb.Append("<tr class=\"section\"><td>").Append(E(cells[0])).Append("</td><td colspan=\"10\">").Append(E(cells[1])).Append("</td></tr>"); continue; }
            sb.Append("<tr>");
            foreach (var c in cells) sb.Append("<td>").Append(E(c)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table><div class=\"footer\">");
        foreach (var f in Footer(r)) sb.Append("<p>").Append(E(f)).Append("</p>");
        return sb.Append("</div></body></html>").ToString();
    }

    /// <summary>The print view's stylesheet (wwwroot/css/print.css), inlined for the PDF.</summary>
    static string PrintCss => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "wwwroot", "css", "print.css"));

    /// <summary>PDF of the print view by headless chromium (Debian's package), or null when chromium is not installed.</summary>
    public static async Task<byte[]?> PdfAsync(string html, CancellationToken ct)
    {
        var chromium = new[] { Environment.GetEnvironmentVariable("MAMORI_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
        if (chromium is null) return null;
        var dir = Directory.CreateTempSubdirectory("mamori-pdf-");
        try
        {
            var input = Path.Combine(dir.FullName, "sheet.html");
            var output = Path.Combine(dir.FullName, "sheet.pdf");
            await File.WriteAllTextAsync(input, html, ct);
            var psi = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", $"--user-data-dir={dir.FullName}/profile",
                         $"--print-to-pdf={output}", new Uri(input).AbsoluteUri })
                psi.ArgumentList.Add(arg);
            using var process = Process.Start(psi)!;
            var drain = Task.WhenAll(process.StandardError.ReadToEndAsync(ct), process.StandardOutput.ReadToEndAsync(ct));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); return null; }
            await drain;
            return File.Exists(output) ? await File.ReadAllBytesAsync(output, ct) : null;
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { /* chromium may still hold its profile for a moment */ }
        }
    }

    /// <summary>
    /// The inspection pack, streamed into <paramref name="output"/> one file at a time (memory stays at one evidence
    /// file, whatever the pack's size): the sheet as .xlsx (and PDF when chromium is available), every evidence file,
    /// the 事業者確認用 sheets of the year, the sign-off record with the sealed snapshots, and MANIFEST.csv with the
    /// SHA-256 of each file. Already-compressed files (PDF, images, Office) are stored without recompressing.
    /// </summary>
    public static async Task WritePackAsync(MamoriDb db, ChecklistRecord r, Stream output, CancellationToken ct)
    {
        var manifest = new List<string?[]> { new string?[] { "ファイル", "バイト数", "SHA-256" } };
        var used = new HashSet<string>();
        await using (var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct))
        {
            async Task AddAsync(string path, byte[] content)
            {
                for (var n = 2; !used.Add(path); n++) path = $"{Path.GetDirectoryName(path)?.Replace('\\', '/')}/{n}_{Path.GetFileName(path)}".TrimStart('/');
                var stored = Path.GetExtension(path).ToLowerInvariant() is ".pdf" or ".png" or ".jpg" or ".jpeg" or ".gif" or ".docx" or ".xlsx" or ".pptx" or ".zip";
                var entry = zip.CreateEntry(path, stored ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                await using (var s = await entry.OpenAsync(ct)) await s.WriteAsync(content, ct);
                manifest.Add([path, content.Length.ToString(CultureInfo.InvariantCulture), Convert.ToHexStringLower(SHA256.HashData(content))]);
            }

            async Task AddSheetAsync(ChecklistRecord record, string stem, string evidenceRoot)
            {
                await AddAsync($"{stem}.xlsx", Xlsx(record));
                if (await PdfAsync(PrintHtml(record, inlineCss: true), ct) is { } pdf) await AddAsync($"{stem}.pdf", pdf);
                else if (!used.Contains("PDF-なし.txt"))
                    await AddAsync("PDF-なし.txt", Encoding.UTF8.GetBytes("このサーバーには chromium がないため PDF を作成していません。xlsx を印刷してください。\n"));
                var itemRefs = record.Sheet.Items.ToDictionary(n => n.NodeId, n => n.Row.Ref ?? n.NodeId);
                itemRefs[record.Sheet.Sheet.NodeId] = "提出書類"; // a 事業者確認用's own documents (MDS/SDS, the filled-in form)
                foreach (var e in record.Evidence.Where(e => e.Kind == "file"))
                {
                    var content = await db.ChecklistEvidenceContents.AsNoTracking().Where(c => c.EvidenceId == e.Id).Select(c => c.Content).SingleAsync(ct);
                    await AddAsync($"{evidenceRoot}/{Safe(itemRefs.GetValueOrDefault(e.NodeId) ?? e.NodeId)}/{Safe(e.Title)}", content);
                }
            }

            await AddSheetAsync(r, r.FileStem, "evidence");
            if (r.Assessment.SheetNodeId != "vendor")
            {
                // The 事業者確認用 sheets of the same year, one per vendor and system, with their evidence.
                var vendorSheets = await db.ChecklistAssessments.AsNoTracking()
                    .Where(a => a.FiscalYear == r.Assessment.FiscalYear && a.SheetNodeId == "vendor").OrderBy(a => a.SystemName).ToListAsync(ct);
                foreach (var v in vendorSheets)
                    if (await ChecklistRecord.LoadAsync(db, v, r.OrganizationName, ct) is { } vendor)
                    {
                        var folder = $"事業者確認用/{Safe(v.SystemName ?? v.Id.ToString())}";
                        await AddSheetAsync(vendor, folder, $"{folder}/evidence");
                    }
                // Where each request to a vendor stands (依頼中 / 回答済 / 差戻し): what the inspector asks when a sheet is missing.
                var requests = await db.VendorRequests.AsNoTracking().Where(q => q.FiscalYear == r.Assessment.FiscalYear).OrderBy(q => q.RequestedAt).ToListAsync(ct);
                if (requests.Count > 0)
                    await AddAsync("事業者確認用/依頼の状況.csv", Reports.SpreadsheetSafe.Csv(
                        requests.Select(q => new[]
                        {
                            q.VendorName, q.SystemName, Vendors.VendorRequests.StatusLabel(q.Status).Ja, Web.Text.Jst(q.RequestedAt), q.RequestedBy,
                            q.SubmittedAt is { } at ? Web.Text.Jst(at) : null, q.SubmittedBy, q.ReturnComment,
                        }).Prepend(["事業者", "システム", "状態", "依頼日時", "依頼者", "提出日時", "提出者", "差戻しコメント"])));
            }

            var refs = r.Sheet.Items.ToDictionary(n => n.NodeId, n => n.Row.Ref ?? n.NodeId);
            var signOff = JsonSerializer.Serialize(new
            {
                organization = r.OrganizationName, fiscal_year = r.Assessment.FiscalYear, edition = r.Assessment.EditionFileId,
                revision = r.Assessment.EditionRevision, sheet = r.Assessment.SheetNodeId,
                seals = r.Seals.Select(s => new { s.Round, sealed_at = s.SealedAt, sealed_by = s.SealedBy, sha256 = s.Sha256, reviewed_on = s.ReviewedOn, reviewed_by = s.ReviewedBy, reviewed_by_signer = s.ReviewedBySigner, comment = s.ReviewComment }),
                links = r.Evidence.Where(e => e.Kind != "file").Select(e => new { item = refs.GetValueOrDefault(e.NodeId), e.Kind, e.Title }),
            }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await AddAsync("sign-off.json", Encoding.UTF8.GetBytes(signOff));
            foreach (var s in r.Seals) await AddAsync($"sealed/round-{s.Round}.json", Encoding.UTF8.GetBytes(s.Snapshot));

            var list = zip.CreateEntry("MANIFEST.csv", CompressionLevel.Optimal);
            await using var m = await list.OpenAsync(ct);
            await m.WriteAsync(SpreadsheetSafe.Csv(manifest), ct);
        }
    }

    /// <summary>A file or folder name safe in a ZIP on Windows and macOS (no separators, reserved characters or dots-only).</summary>
    static string Safe(string name)
    {
        var cleaned = new string(name.Select(ch => ch is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(ch) ? '_' : ch).ToArray()).Trim(' ', '.');
        return cleaned.Length == 0 ? "_" : cleaned;
    }
}
