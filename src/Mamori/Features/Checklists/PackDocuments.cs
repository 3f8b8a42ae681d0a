using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Mamori.Platform.Reports;
using Mamori.Platform.Time;

namespace Mamori.Features.Checklists;

/// <summary>
/// What an inspection pack holds, known once its files are written: the record, the facility's 医療機関コード, when the
/// pack was made (UTC), where each evidence file and ledger sits in the ZIP, every file with what it is, and why there
/// are no PDFs (null when there are).
/// </summary>
public sealed record PackContents(
    ChecklistRecord Record, string? MedicalInstitutionCode, DateTime CreatedAt,
    IReadOnlyDictionary<Guid, string> EvidencePaths, IReadOnlyDictionary<string, string> LinkFiles,
    IReadOnlyList<(string Path, string What)> Files, string? PdfProblem = null);

/// <summary>
/// The pages of the pack an inspector reads first, without Mamori: the cover and index (00_表紙と目次 as PDF and .xlsx:
/// facility, year, edition, who signed and the 経営層's review, every file, and per item the answer, dates and the
/// evidence files by their names in the ZIP) and the sign-off record (署名記録.pdf, and sign-off.json for machines).
/// </summary>
public static class PackDocuments
{
    public const string CoverStem = "00_表紙と目次";

    static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    /// <summary>The 経営層 reviewer as printed; a one-person clinic's 院長 who signed and reviewed is marked as the same person.</summary>
    static string Reviewer(ChecklistSeal s) =>
        s.ReviewedBy is null ? "未記録" : s.ReviewedBySigner ? $"{s.ReviewedBy}（{ChecklistSeal.SamePersonJa}）" : s.ReviewedBy;
    static string Day(DateOnly? d) => d?.ToString("yyyy/M/d", CultureInfo.InvariantCulture) ?? "";
    static string Jst(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Tokyo).ToString("yyyy/M/d H:mm", CultureInfo.InvariantCulture);

    /// <summary>One line of the item table: a section heading, or an item with its answer, dates and evidence.</summary>
    sealed record ItemLine(bool Section, string? Ref, string? Label, string? Answer, DateOnly? CheckedOn1, DateOnly? CheckedOn2, DateOnly? TargetDate,
        IReadOnlyList<string> Evidence);

    static IEnumerable<ItemLine> Items(PackContents p)
    {
        foreach (var (section, cells, nodeId) in ChecklistExport.Lines(p.Record))
        {
            if (section)
            {
                yield return new(true, cells[0], cells[1], null, null, null, null, []);
                continue;
            }
            var a = p.Record.Answers.GetValueOrDefault(nodeId);
            var evidence = p.Record.Evidence.Where(e => e.NodeId == nodeId)
                .Select(e => e.Kind == "file" ? p.EvidencePaths.GetValueOrDefault(e.Id) ?? e.Title : p.LinkFiles.GetValueOrDefault(e.Kind) ?? $"{e.Title}（Mamori 内）")
                .ToList();
            yield return new(false, cells[0], cells[1], Answer(cells), a?.CheckedOn1, a?.CheckedOn2, a?.TargetDate, evidence);
        }
    }

    /// <summary>The answer in words: 「はい」 for a one-column item, 「サーバ：はい、端末PC：いいえ」 for one with device columns.</summary>
    static string Answer(string?[] cells)
    {
        var columns = Enumerable.Range(2, 4).Where(i => cells[i] != "／").ToList();
        return columns.Count == 1
            ? cells[columns[0]] ?? "未回答"
            : string.Join("、", columns.Select(i => $"{ChecklistExport.Header[i]}：{cells[i] ?? "未回答"}"));
    }

    static IEnumerable<(string Label, string Value)> Facts(PackContents p)
    {
        var r = p.Record;
        var year = r.Assessment.FiscalYear;
        yield return ("医療機関等名称", r.OrganizationName);
        if (!string.IsNullOrWhiteSpace(p.MedicalInstitutionCode)) yield return ("医療機関コード", p.MedicalInstitutionCode);
        yield return ("年度", $"{AnswerRules.Reiwa(year)}（{Day(JapanTime.FiscalYearStart(year))}〜{Day(JapanTime.FiscalYearEnd(year))}）");
        yield return ("チェックリスト", r.Title);
        yield return ("版", $"Mamori カタログ {r.Assessment.EditionFileId} リビジョン {r.Assessment.EditionRevision}");
        yield return ("署名", r.Seals.Count == 0 ? "未署名" : string.Join("　", r.Seals.Select(s => $"{s.Round}回目 {Jst(s.SealedAt)} {s.SealedBy}")));
        yield return ("経営層の確認", r.Seals.Count == 0 ? "未署名" : string.Join("　", r.Seals.Select(s => s.ReviewedOn is { } on
            ? $"{s.Round}回目 {Day(on)} {Reviewer(s)}{(s.ReviewComment is null ? "" : "「" + s.ReviewComment + "」")}"
            : $"{s.Round}回目 未記録")));
        yield return ("作成日時", $"{Jst(p.CreatedAt)}（日本時間）Mamori");
    }

    static readonly string[] SealHeader = ["回", "署名者", "署名日時", "経営層の確認者", "確認日", "コメント", "記録の SHA-256"];
    static readonly string[] FileHeader = ["No.", "ファイル（ZIP 内の名前）", "内容"];
    static readonly string[] ItemHeader = ["項番", "確認項目", "回答", "確認日（1回目）", "確認日（2回目）", "目標日", "証跡（ZIP 内のファイル）"];

    public static byte[] CoverXlsx(PackContents p)
    {
        var rows = new List<XlsxRow> { new(["立入検査 提出資料　表紙と目次"], Bold: true) };
        if (p.PdfProblem is not null) rows.Add(new(["注意", "PDF がありません: " + p.PdfProblem], Bold: true));
        rows.AddRange(Facts(p).Select(f => new XlsxRow([f.Label, f.Value])));
        rows.Add(new([]));
        rows.Add(new(["署名と経営層の確認"], Bold: true));
        rows.Add(new(SealHeader, Bold: true));
        rows.AddRange(p.Record.Seals.Select(s => new XlsxRow([$"{s.Round}回目", s.SealedBy, s.SealedAt, Reviewer(s), s.ReviewedOn, s.ReviewComment, s.Sha256])));
        if (p.Record.Seals.Count == 0) rows.Add(new(["未署名"]));
        rows.Add(new([]));
        rows.Add(new(["収録ファイル（目次）"], Bold: true));
        rows.Add(new(FileHeader, Bold: true));
        rows.AddRange(p.Files.Select((f, i) => new XlsxRow([i + 1, f.Path, f.What])));
        rows.Add(new([]));
        rows.Add(new(["確認項目と回答"], Bold: true));
        rows.Add(new(ItemHeader, Bold: true));
        var header = rows.Count; // repeated on every printed page: the item table is the long part
        foreach (var line in Items(p))
            rows.Add(line.Section
                ? new([line.Ref, line.Label], Bold: true)
                : new([line.Ref, line.Label, line.Answer, line.CheckedOn1, line.CheckedOn2, line.TargetDate, string.Join("\n", line.Evidence)]));
        return XlsxSheet.Build("表紙と目次", [14, 46, 20, 16, 14, 18, 44], rows, new XlsxLayout(HeaderRow: header));
    }

    const string Css = """
        @page{size:A4;margin:14mm 12mm}
        body{font-family:'Noto Sans CJK JP',sans-serif;font-size:9pt;color:#000}
        h1{font-size:16pt;margin:0 0 2pt}
        h2{font-size:11pt;margin:12pt 0 4pt;border-bottom:1pt solid #000}
        .sub{font-size:11pt;margin:0 0 10pt}
        .warning{border:1.5pt solid #b00;padding:4pt;color:#b00;font-weight:bold}
        table{border-collapse:collapse;width:100%}
        th,td{border:0.5pt solid #000;padding:2pt 3pt;vertical-align:top;text-align:left}
        th{background:#eee}
        table.facts th{width:22%}
        thead{display:table-header-group}
        tr{page-break-inside:avoid}
        tr.section td{background:#f4f4f4;font-weight:bold}
        td.nowrap{white-space:nowrap}
        table.items th{font-size:8pt}
        table.items td{word-break:break-all}
        code{font-size:7.5pt;word-break:break-all}
        .note{font-size:8pt;margin-top:8pt}
        """;

    static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    static StringBuilder Page(string title) =>
        new StringBuilder("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append(Css).Append("</style></head><body>");

    static void Facts(StringBuilder sb, PackContents p)
    {
        sb.Append("<table class=\"facts\">");
        foreach (var (label, value) in Facts(p)) sb.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        sb.Append("</table>");
    }

    public static string CoverHtml(PackContents p)
    {
        var sb = Page("表紙と目次").Append("<h1>立入検査 提出資料</h1><p class=\"sub\">表紙と目次・").Append(E(p.Record.OrganizationName)).Append("</p>");
        if (p.PdfProblem is not null) sb.Append("<p class=\"warning\">").Append(E(p.PdfProblem)).Append("</p>");
        Facts(sb, p);
        sb.Append("<h2>署名と経営層の確認</h2>");
        if (p.Record.Seals.Count == 0) sb.Append("<p>未署名（医療情報システム安全管理責任者の署名前の記録です）</p>");
        else
        {
            sb.Append("<table><thead><tr>");
            foreach (var h in SealHeader.Take(6)) sb.Append("<th>").Append(E(h)).Append("</th>");
            sb.Append("</tr></thead><tbody>");
            foreach (var s in p.Record.Seals)
                sb.Append("<tr><td class=\"nowrap\">").Append(s.Round).Append("回目</td><td>").Append(E(s.SealedBy)).Append("</td><td class=\"nowrap\">").Append(E(Jst(s.SealedAt)))
                  .Append("</td><td>").Append(E(Reviewer(s))).Append("</td><td class=\"nowrap\">").Append(E(Day(s.ReviewedOn))).Append("</td><td>")
                  .Append(E(s.ReviewComment)).Append("</td></tr>");
            sb.Append("</tbody></table><p class=\"note\">記録の SHA-256 は「署名記録.pdf」にあります。</p>");
        }
        sb.Append("<h2>収録ファイル（目次）</h2><table><thead><tr>");
        foreach (var h in FileHeader) sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        var n = 0;
        foreach (var (path, what) in p.Files)
            sb.Append("<tr><td>").Append(++n).Append("</td><td>").Append(E(path)).Append("</td><td>").Append(E(what)).Append("</td></tr>");
        sb.Append("</tbody></table><h2>確認項目と回答</h2><table class=\"items\"><colgroup><col style=\"width:6%\"><col><col style=\"width:9%\"><col style=\"width:10%\">")
          .Append("<col style=\"width:10%\"><col style=\"width:10%\"><col style=\"width:22%\"></colgroup><thead><tr>");
        foreach (var h in ItemHeader) sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var line in Items(p))
        {
            if (line.Section)
            {
                sb.Append("<tr class=\"section\"><td>").Append(E(line.Ref)).Append("</td><td colspan=\"6\">").Append(E(line.Label)).Append("</td></tr>");
                continue;
            }
            sb.Append("<tr><td class=\"nowrap\">").Append(E(line.Ref)).Append("</td><td>").Append(E(line.Label)).Append("</td><td>").Append(E(line.Answer))
              .Append("</td><td class=\"nowrap\">").Append(E(Day(line.CheckedOn1))).Append("</td><td class=\"nowrap\">").Append(E(Day(line.CheckedOn2)))
              .Append("</td><td class=\"nowrap\">").Append(E(Day(line.TargetDate))).Append("</td><td>")
              .Append(string.Join("<br>", line.Evidence.Select(E))).Append("</td></tr>");
        }
        sb.Append("</tbody></table><p class=\"note\">各ファイルの SHA-256 は MANIFEST.csv にあります。受け取ったファイルのハッシュと照らし合わせると、改ざんがないことを確かめられます。</p>");
        return sb.Append("</body></html>").ToString();
    }

    /// <summary>署名記録 for people: each round's signer, time and record hash, the 経営層's review, and how to check the hash.</summary>
    public static string SignOffHtml(PackContents p)
    {
        var sb = Page("署名記録").Append("<h1>署名記録</h1><p class=\"sub\">").Append(E(p.Record.Title)).Append("</p>");
        Facts(sb, p);
        if (p.Record.Seals.Count == 0)
            sb.Append("<h2>署名</h2><p>まだ署名されていません（医療情報システム安全管理責任者の署名前の記録です）。</p>");
        foreach (var s in p.Record.Seals)
        {
            sb.Append("<h2>").Append(s.Round).Append("回目の確認</h2><table class=\"facts\">")
              .Append("<tr><th>署名者（医療情報システム安全管理責任者）</th><td>").Append(E(s.SealedBy)).Append("</td></tr>")
              .Append("<tr><th>署名日時</th><td>").Append(E(Jst(s.SealedAt))).Append("（日本時間）</td></tr>")
              .Append("<tr><th>記録の SHA-256</th><td><code>").Append(E(s.Sha256)).Append("</code></td></tr>")
              .Append("<tr><th>署名した記録</th><td>sealed/round-").Append(s.Round).Append(".json</td></tr>")
              .Append("<tr><th>経営層の確認者</th><td>").Append(E(Reviewer(s))).Append("</td></tr>")
              .Append("<tr><th>経営層の確認日</th><td>").Append(E(s.ReviewedOn is { } on ? Day(on) : "未記録")).Append("</td></tr>")
              .Append("<tr><th>経営層のコメント</th><td>").Append(E(s.ReviewComment)).Append("</td></tr></table>");
        }
        var links = p.Record.Evidence.Where(e => e.Kind != "file").ToList();
        if (links.Count > 0)
        {
            var refs = p.Record.Sheet.Items.ToDictionary(n => n.NodeId, n => n.Row.Ref ?? n.NodeId);
            sb.Append("<h2>回答の根拠とした台帳</h2><table><thead><tr><th>項番</th><th>台帳</th><th>この一式のファイル</th></tr></thead><tbody>");
            foreach (var l in links)
                sb.Append("<tr><td>").Append(E(refs.GetValueOrDefault(l.NodeId))).Append("</td><td>").Append(E(l.Title)).Append("</td><td>")
                  .Append(E(p.LinkFiles.GetValueOrDefault(l.Kind) ?? "（Mamori 内。登録がないため一式には含めていません）")).Append("</td></tr>");
            sb.Append("</tbody></table>");
        }
        sb.Append("<h2>確かめ方</h2><p>「sealed/round-N.json」は署名の時点で凍結した回答・確認日・証跡のハッシュの記録です。このファイルの SHA-256 が上の値と一致すれば、署名の後に記録が変えられていないことを確かめられます。")
          .Append("同じ値は Mamori の監査ログ（ハッシュチェーン）にも記録されています。sign-off.json は同じ内容を機械処理用にしたものです。</p>");
        return sb.Append("</body></html>").ToString();
    }

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>sign-off.json: the same record for machines, camelCase keys.</summary>
    public static string SignOffJson(PackContents p)
    {
        var r = p.Record;
        var refs = r.Sheet.Items.ToDictionary(n => n.NodeId, n => n.Row.Ref ?? n.NodeId);
        return JsonSerializer.Serialize(new
        {
            Organization = r.OrganizationName, p.MedicalInstitutionCode, r.Assessment.FiscalYear, Edition = r.Assessment.EditionFileId,
            Revision = r.Assessment.EditionRevision, Sheet = r.Assessment.SheetNodeId, r.Assessment.SystemName,
            Seals = r.Seals.Select(s => new
            {
                s.Round, s.SealedAt, s.SealedBy, s.Sha256, SealedRecord = $"sealed/round-{s.Round}.json", s.ReviewedOn, s.ReviewedBy, s.ReviewedBySigner, s.ReviewComment,
            }),
            Links = r.Evidence.Where(e => e.Kind != "file").Select(e => new { Item = refs.GetValueOrDefault(e.NodeId), e.Kind, e.Title, File = p.LinkFiles.GetValueOrDefault(e.Kind) }),
            Ledgers = p.LinkFiles.Values,
            p.CreatedAt,
        }, Json);
    }
}
