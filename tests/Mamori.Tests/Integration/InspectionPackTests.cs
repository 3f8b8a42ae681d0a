using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Mamori.Features.Assets;
using Mamori.Features.Checklists;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Reports;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>
/// The inspection pack an inspector opens without Mamori: cover and index, the sheet, the ledgers behind the answers,
/// the sign-off record, camelCase JSON and the SHA-256 list; the same from the web and the command line; and a pack
/// that says so when this server cannot make PDFs.
/// </summary>
public sealed partial class InspectionPackTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    Organization org = null!;
    Dictionary<OrganizationRole, MamoriApp.TestUser> users = null!;

    public async Task InitializeAsync() =>
        (org, users) = await app.CreateOrganizationAsync("pack", true, OrganizationRole.Administrator, OrganizationRole.Operator, OrganizationRole.Executive);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex Csrf();

    [Fact]
    public async Task Pack_of_a_sealed_and_reviewed_round_has_the_cover_ledgers_and_sign_off_record_and_the_cli_writes_the_same_files()
    {
        // The facility keeps its ledgers in Mamori: two PCs, a cloud service, a vendor's remote-maintenance VPN.
        // Another facility's devices and connections never travel in this pack.
        var (other, _) = await app.CreateOrganizationAsync("pack-other");
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            (await db.Organizations.SingleAsync(o => o.Id == org.Id)).MedicalInstitutionCode = "1312345678";
            db.Assets.Add(new Asset { OrganizationId = org.Id, ControlNumber = "PC-001", Category = AssetCategory.TerminalPc, UpdatedBy = "test", SupportEndsOn = new DateOnly(2031, 10, 14) });
            db.Assets.Add(new Asset { OrganizationId = org.Id, ControlNumber = "=HYPERLINK(\"x\")", Category = AssetCategory.TerminalPc, UpdatedBy = "test" });
            db.CloudServices.Add(new CloudService { OrganizationId = org.Id, Provider = "サンプルクラウド株式会社", NameAndPurpose = "Web 予約", StartedOn = new DateOnly(2024, 4, 1) });
            db.Connections.Add(new Mamori.Features.Assets.Connection { OrganizationId = org.Id, VendorName = "サンプル医療システム株式会社", Method = ConnectionMethod.IpsecVpn, LastConfirmedOn = new DateOnly(2026, 6, 1) });
            db.Assets.Add(new Asset { OrganizationId = other.Id, ControlNumber = "OTHER-001", Category = AssetCategory.Server, UpdatedBy = "test" });
            db.Connections.Add(new Mamori.Features.Assets.Connection { OrganizationId = other.Id, VendorName = "他院の保守事業者" });
            return await db.SaveChangesAsync();
        });
        var op = await app.SignedInClientAsync(users[OrganizationRole.Operator]);
        var started = await op.PostFormAsync("/o/pack/checklists?handler=Start", new() { ["file"] = "checklist-r8", ["sheet"] = "site-and-pharmacy" }, "/o/pack/checklists");
        var sheetUrl = started.Headers.Location!.OriginalString;
        var assessmentId = Guid.Parse(sheetUrl.Split('/').Last());

        // Evidence: a file on 1-①, and the connection register (a link to Mamori's ledger) on the same item.
        var token = WebUtility.HtmlDecode(Csrf().Match(await op.GetStringAsync(sheetUrl)).Groups[1].Value);
        var pdf = "%PDF-1.4\n% 任命書\n"u8.ToArray();
        var form = new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(pdf), "file", "任命書.pdf" } };
        Assert.Equal(HttpStatusCode.Redirect, (await op.PostAsync($"{sheetUrl}?handler=Evidence&node=site-and-pharmacy.1.1", form)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await op.PostFormAsync($"{sheetUrl}?handler=Evidence&node=site-and-pharmacy.1.1", new() { ["link"] = "connections" }, sheetUrl)).StatusCode);

        // Every item answered はい on 2026-10-01 (whatever the number of items in the catalogue), then sealed and reviewed on the web.
        var checkedOn = new DateOnly(2026, 10, 1);
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var assessment = await db.ChecklistAssessments.IgnoreQueryFilters([MamoriDb.TenantFilter]).AsNoTracking().SingleAsync(a => a.Id == assessmentId);
            var sheet = (await ChecklistSheets.LoadAsync(db, assessment))!;
            foreach (var spec in sheet.Items.Select(ItemSpec.From))
            {
                var answer = new ChecklistAnswer { OrganizationId = org.Id, AssessmentId = assessmentId, NodeId = spec.NodeId, CheckedOn1 = checkedOn, UpdatedBy = "test", UpdatedAt = DateTime.UtcNow };
                foreach (var c in spec.Columns)
                    switch (c) { case "server": answer.Server = "yes"; break; case "terminal": answer.Terminal = "yes"; break; case "network": answer.Network = "yes"; break; default: answer.General = "yes"; break; }
                db.ChecklistAnswers.Add(answer);
            }
            return await db.SaveChangesAsync();
        });
        var admin = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        Assert.Contains("1回目の確認に署名しました", await (await admin.PostFormAsync($"{sheetUrl}?handler=Seal", [], sheetUrl)).Content.ReadAsStringAsync());
        var exec = await app.SignedInClientAsync(users[OrganizationRole.Executive]);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9));
        Assert.Equal(HttpStatusCode.Redirect, (await exec.PostFormAsync($"{sheetUrl}?handler=Review",
            new() { ["round"] = "1", ["reviewedOn"] = today.ToString("yyyy-MM-dd"), ["comment"] = "内容を確認した" }, sheetUrl)).StatusCode);
        var seal = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().ChecklistSeals.IgnoreQueryFilters([MamoriDb.TenantFilter]).SingleAsync());

        var pack = new ZipArchive(new MemoryStream(await op.GetByteArrayAsync($"{sheetUrl}?handler=Pack")));
        byte[] Entry(string name) { using var m = new MemoryStream(); (pack.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} missing: {string.Join(", ", pack.Entries.Select(e => e.FullName))}")).Open().CopyTo(m); return m.ToArray(); }
        var names = pack.Entries.Select(e => e.FullName).ToList();
        var ledger = names.Single(n => n.StartsWith("機器台帳_", StringComparison.Ordinal));
        var connections = names.Single(n => n.StartsWith("外部接続一覧_", StringComparison.Ordinal));
        Assert.Matches(@"^機器台帳_20\d{6}\.xlsx$", ledger);
        Assert.Single(names, n => n.StartsWith("クラウドサービス台帳_", StringComparison.Ordinal));
        foreach (var expected in new[] { "00_表紙と目次.pdf", "00_表紙と目次.xlsx", "署名記録.pdf", "sign-off.json", "sealed/round-1.json",
                     "checklist-2026-site-and-pharmacy.xlsx", "checklist-2026-site-and-pharmacy.pdf", "evidence/1-①/任命書.pdf", "MANIFEST.csv" })
            Assert.Contains(expected, names);
        Assert.DoesNotContain("PDF-なし.txt", names);

        // The cover as Excel: facts, signature and review, the file index, and per item the answer, real dates and evidence names.
        var cover = Read(Entry("00_表紙と目次.xlsx"));
        string Fact(string label) => cover.Rows.Single(r => r.Count > 1 && r[0] == label)[1];
        Assert.Equal("pack 病院", Fact("医療機関等名称"));
        Assert.Equal("1312345678", Fact("医療機関コード"));
        Assert.Contains("令和8年度", Fact("年度"));
        Assert.Contains("checklist-r8", Fact("版"));
        Assert.Contains("pack Administrator", Fact("署名"));
        Assert.Contains("pack Executive", Fact("経営層の確認"));
        Assert.Contains("内容を確認した", Fact("経営層の確認"));
        var sealRow = cover.Rows.Single(r => r.Count > 6 && r[0] == "1回目");
        Assert.Equal(("pack Administrator", "pack Executive", "内容を確認した", seal.Sha256), (sealRow[1], sealRow[3], sealRow[5], sealRow[6]));
        Assert.Equal(today, cover.Date(cover.RowIndex(sealRow), 4));
        foreach (var file in names.Where(n => n != "MANIFEST.csv"))
            Assert.Contains(cover.Rows, r => r.Count > 2 && r[1] == file); // the index lists every file by its name in the ZIP
        var item = cover.Rows.Single(r => r.Count > 0 && r[0] == "1-①");
        Assert.Equal("はい", item[2]);
        Assert.Equal(checkedOn, cover.Date(cover.RowIndex(item), 3)); // 確認日 is a real date
        Assert.Contains("evidence/1-①/任命書.pdf", item[6]);
        Assert.Contains(connections, item[6]); // the connection register the answer points to, by its file name
        var itemHeader = cover.RowIndex(cover.Rows.Single(r => r.Count > 0 && r[0] == "項番"));
        Assert.Equal($"'表紙と目次'!${itemHeader}:${itemHeader}", cover.DefinedName("_xlnm.Print_Titles"));
        Assert.StartsWith("'表紙と目次'!$A$1:$G$", cover.DefinedName("_xlnm.Print_Area"));
        Assert.Equal((1u, 0u), cover.FitTo);

        // The ledgers: dated, frozen header, autofilter, dates as dates, formulas escaped.
        var assets = Read(Entry(ledger));
        Assert.Contains(assets.Rows, r => r.Count > 0 && r[0].StartsWith("出力日： " + today.ToString("yyyy年M月d日"), StringComparison.Ordinal));
        var header = assets.RowIndex(assets.Rows.Single(r => r.Count > 0 && r[0] == "管理番号"));
        Assert.Equal(((double)header, "B" + (header + 1)), assets.Frozen);
        Assert.StartsWith($"A{header}:", assets.AutoFilter);
        Assert.Equal($"'機器台帳'!${header}:${header}", assets.DefinedName("_xlnm.Print_Titles"));
        var pc = assets.Rows.Single(r => r.Count > 0 && r[0] == "PC-001");
        var supportColumn = assets.Rows[header - 1].IndexOf("サポート終了日");
        Assert.Equal(new DateOnly(2031, 10, 14), assets.Date(assets.RowIndex(pc), supportColumn));
        Assert.Contains(assets.Rows, r => r.Count > 0 && r[0] == "'=HYPERLINK(\"x\")");
        Assert.Equal(2, assets.Rows.Count - header); // this facility's two devices, not the other's
        var register = Read(Entry(connections));
        Assert.Contains(register.Rows, r => r.Count > 0 && r[0] == "サンプル医療システム株式会社");
        Assert.NotNull(register.AutoFilter);
        Assert.DoesNotContain(register.Rows, r => r.Count > 0 && r[0] == "他院の保守事業者");

        // The PDFs: real PDFs with the words an inspector looks for.
        Assert.Contains("pack病院", PdfText(Entry("00_表紙と目次.pdf")));
        Assert.Contains("内容を確認した", PdfText(Entry("00_表紙と目次.pdf")));
        Assert.Contains("任命書.pdf", PdfText(Entry("00_表紙と目次.pdf")));
        var signOffText = PdfText(Entry("署名記録.pdf"));
        Assert.Contains("署名記録", signOffText);
        Assert.Contains("packAdministrator", signOffText);
        Assert.Contains("packExecutive", signOffText);

        // JSON in one style: camelCase keys everywhere, and the sealed record is the one whose hash was signed.
        var signOff = JsonDocument.Parse(Entry("sign-off.json")).RootElement;
        Assert.Equal("1312345678", signOff.GetProperty("medicalInstitutionCode").GetString());
        Assert.Equal(seal.Sha256, signOff.GetProperty("seals")[0].GetProperty("sha256").GetString());
        Assert.Equal(connections, signOff.GetProperty("links")[0].GetProperty("file").GetString());
        foreach (var json in names.Where(n => n.EndsWith(".json", StringComparison.Ordinal)))
            Assert.All(Keys(JsonDocument.Parse(Entry(json)).RootElement), k => Assert.Matches("^[a-z][A-Za-z0-9]*$", k));
        Assert.Equal(seal.Sha256, Convert.ToHexStringLower(SHA256.HashData(Entry("sealed/round-1.json"))));

        // The organisation's audit chain head as of the pack, signed with the installation's key: it names only this
        // organisation's chain, and the entry it names is the one in the database.
        var anchor = JsonDocument.Parse(Entry("audit-anchor.json")).RootElement;
        var head = Assert.Single(anchor.GetProperty("heads").EnumerateArray());
        Assert.Equal(org.Id, head.GetProperty("chain").GetGuid());
        var anchoredSeq = head.GetProperty("seq").GetInt64();
        var stored = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(a => a.ChainId == org.Id && a.Seq == anchoredSeq).Select(a => a.Hash).SingleAsync());
        Assert.Equal(stored, head.GetProperty("hash").GetString());
        Assert.Matches("^[0-9a-f]{64}$", anchor.GetProperty("mac").GetString());

        // MANIFEST.csv: the SHA-256 of every other file.
        var manifest = Encoding.UTF8.GetString(Entry("MANIFEST.csv")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[2]);
        Assert.Equal(names.Where(n => n != "MANIFEST.csv").Order(), manifest.Keys.Order());
        foreach (var (name, sha) in manifest) Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(Entry(name))));

        // The command line writes the same files.
        var env = new Dictionary<string, string?> { ["MAMORI_DB"] = app.ConnectionString };
        var dir = Directory.CreateTempSubdirectory("mamori-pack-").FullName;
        var (code, output) = await MamoriProcess.RunAsync(env, "checklist", "export", "--org", "pack", "--year", "2026", "--out", dir);
        Assert.True(code == 0, output);
        using (var cliPack = new ZipArchive(File.OpenRead(Directory.GetFiles(dir, "*.zip").Single())))
            Assert.Equal(names.Order(), cliPack.Entries.Select(e => e.FullName).Order());

        // A server whose chromium cannot print: the pack says so (a file, the cover) and so does the command line.
        var broken = Directory.CreateTempSubdirectory("mamori-pack-").FullName;
        (code, output) = await MamoriProcess.RunAsync(new Dictionary<string, string?>(env) { ["MAMORI_CHROMIUM"] = "/bin/false" },
            "checklist", "export", "--org", "pack", "--year", "2026", "--out", broken);
        Assert.True(code == 0, output);
        Assert.Contains("警告: この一式には PDF がありません", output);
        using var noPdf = new ZipArchive(File.OpenRead(Directory.GetFiles(broken, "*.zip").Single()));
        Assert.Contains(noPdf.Entries, e => e.FullName == "PDF-なし.txt");
        Assert.DoesNotContain(noPdf.Entries, e => e.FullName.EndsWith(".pdf", StringComparison.Ordinal) && !e.FullName.StartsWith("evidence/", StringComparison.Ordinal));
        using var m = new MemoryStream();
        noPdf.GetEntry("00_表紙と目次.xlsx")!.Open().CopyTo(m);
        Assert.Contains(Read(m.ToArray()).Rows, r => r.Count > 1 && r[0] == "注意" && r[1].Contains("PDF がありません", StringComparison.Ordinal));
    }

    static IEnumerable<string> Keys(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Keys(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Keys),
        _ => [],
    };

    /// <summary>The PDF's text without spaces (PdfPig places CJK glyphs one by one).</summary>
    static string PdfText(byte[] pdf)
    {
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(pdf, 0, 4));
        using var doc = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return Regex.Replace(string.Concat(doc.GetPages().Select(p => p.Text)), @"\s", "");
    }

    /// <summary>One .xlsx sheet as Mamori wrote it: cell texts by row, and what Excel uses to print, freeze and filter.</summary>
    sealed record XlsxView(List<List<string>> Rows, Dictionary<string, string> Names, (uint Width, uint Height) FitTo, (double Rows, string TopLeft)? Frozen,
        string? AutoFilter, Dictionary<string, uint> Styles, HashSet<uint> DateStyles)
    {
        public int RowIndex(List<string> row) => Rows.IndexOf(row) + 1;
        public string? DefinedName(string name) => Names.GetValueOrDefault(name);

        /// <summary>The cell's value as a date, asserting it is stored as a number with a date format (not as text).</summary>
        public DateOnly Date(int row, int column)
        {
            var reference = XlsxSheet.ColumnName(column) + row;
            Assert.True(Styles.TryGetValue(reference, out var style) && DateStyles.Contains(style), $"{reference} is not a date cell");
            return DateOnly.FromDateTime(DateTime.FromOADate(double.Parse(Rows[row - 1][column], System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    static XlsxView Read(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var worksheet = doc.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var rows = new List<List<string>>();
        var styles = new Dictionary<string, uint>();
        foreach (var row in worksheet.Descendants<Row>())
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference!.Value!.TakeWhile(char.IsLetter).Aggregate(0, (n, ch) => n * 26 + ch - 'A' + 1) - 1;
                while (cells.Count < column) cells.Add("");
                cells.Add(cell.InnerText);
                if (cell.DataType is null && cell.StyleIndex is { } s) styles[cell.CellReference.Value!] = s.Value;
            }
            while (rows.Count < row.RowIndex!.Value - 1) rows.Add([]);
            rows.Add(cells);
        }
        var formats = doc.WorkbookPart.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var dateFormats = doc.WorkbookPart.WorkbookStylesPart.Stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.FormatCode!.Value!.Contains('y') && f.FormatCode.Value.Contains('d')).Select(f => f.NumberFormatId!.Value).ToHashSet() ?? [];
        var dateStyles = formats.Select((f, i) => (f, i)).Where(x => x.f.NumberFormatId?.Value is { } id && (dateFormats.Contains(id) || id is >= 14 and <= 22))
            .Select(x => (uint)x.i).ToHashSet();
        var setup = worksheet.GetFirstChild<PageSetup>()!;
        var pane = worksheet.GetFirstChild<SheetViews>()?.Descendants<Pane>().FirstOrDefault();
        Assert.True(worksheet.GetFirstChild<SheetProperties>()?.PageSetupProperties?.FitToPage?.Value == true);
        return new XlsxView(rows,
            doc.WorkbookPart.Workbook.DefinedNames?.Elements<DefinedName>().ToDictionary(n => n.Name!.Value!, n => n.Text) ?? [],
            (setup.FitToWidth?.Value ?? 1, setup.FitToHeight?.Value ?? 1),
            pane is null ? null : (pane.VerticalSplit!.Value, pane.TopLeftCell!.Value!),
            worksheet.GetFirstChild<AutoFilter>()?.Reference?.Value, styles, dateStyles);
    }
}
