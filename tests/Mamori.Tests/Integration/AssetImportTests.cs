using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Mamori.Features.Assets;
using Mamori.Features.Assets.Import;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Mamori.Tests.Integration;

/// <summary>
/// The import pipeline against PostgreSQL, in process: new rows stream into the ledger while the file is read, so a
/// file that fails half-way must still leave nothing behind; a file mixing new, changed and unchanged devices must
/// create, update and leave alone exactly those.
/// </summary>
public sealed partial class AssetImportTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    Organization org = null!;
    MamoriApp.TestUser admin = null!;

    static AssetImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public async Task InitializeAsync()
    {
        (org, var users) = await app.CreateOrganizationAsync("import-hp", withTotp: true);
        admin = users[OrganizationRole.Administrator];
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    Task<AssetImportReport> ImportAsync(string csv, bool dryRun = false, string actor = "test") => ImportAsync(Encoding.UTF8.GetBytes(csv), dryRun, actor);

    Task<AssetImportReport> ImportAsync(byte[] content, bool dryRun = false, string actor = "test") => app.ScopedAsync(sp =>
    {
        var db = sp.GetRequiredService<MamoriDb>();
        return dryRun
            ? AssetImporter.DryRunAsync(db, org.Id, content, "ledger.csv", null, CancellationToken.None)
            : AssetImporter.ImportAsync(db, org.Id, content, "ledger.csv", null, actor, CancellationToken.None);
    });

    Task<Dictionary<string, Asset>> AssetsAsync() => app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Assets
        .IgnoreQueryFilters([MamoriDb.TenantFilter]).Include(a => a.Interfaces).Where(a => a.OrganizationId == org.Id)
        .ToDictionaryAsync(a => a.ControlNumber));

    Task<List<AssetHistory>> HistoryAsync() => app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AssetHistory
        .IgnoreQueryFilters([MamoriDb.TenantFilter]).Where(h => h.OrganizationId == org.Id).OrderBy(h => h.Id).AsNoTracking().ToListAsync());

    /// <summary>xmax of a device's row: 0 unless a transaction has updated, deleted or locked it.</summary>
    Task<long> RowLockAsync(string controlNumber) => app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Database
        .SqlQuery<long>($"""SELECT xmax::text::bigint AS "Value" FROM assets WHERE "OrganizationId" = {org.Id} AND "ControlNumber" = {controlNumber}""")
        .SingleAsync());

    [Fact]
    public async Task A_file_of_new_changed_and_unchanged_devices_creates_updates_and_leaves_alone_exactly_those()
    {
        var first = await ImportAsync("""
            管理番号,IPアドレス,設置場所,状態
            PC-1,10.0.0.1,外来,稼働
            PC-2,10.0.0.2,外来,稼働
            PC-3,"10.0.0.3, 192.168.0.3",病棟,稼働
            PC-4,10.0.0.4,病棟,保管
            PC-7,"10.0.0.7, 192.168.0.7",病棟,稼働
            """, actor: "first");
        Assert.True(first.Committed);
        Assert.Equal((5, 0, 0), (first.ToCreate, first.ToUpdate, first.Unchanged));
        var before = await AssetsAsync();
        Assert.Equal(2, before["PC-3"].Interfaces.Count);

        // PC-1 and PC-4 as they are, PC-2 moved, PC-3 moved and down to one network, PC-7 moved to another second
        // network, PC-5 (2枚挿し) and PC-6 new.
        const string second = """
            管理番号,IPアドレス,設置場所,状態
            PC-1,10.0.0.1,外来,稼働
            PC-2,10.0.0.2,医事課,稼働
            PC-3,10.0.0.3,手術室,稼働
            PC-4,10.0.0.4,病棟,保管
            PC-5,"10.0.0.5 / 192.168.0.5",外来,稼働
            PC-6,10.0.0.6,外来,稼働
            PC-7,"10.0.0.7, 172.16.0.7",手術室,稼働
            """;
        var preview = await ImportAsync(second, dryRun: true);
        Assert.Equal((2, 3, 2, false), (preview.ToCreate, preview.ToUpdate, preview.Unchanged, preview.Committed));
        Assert.Equal(5, (await AssetsAsync()).Count);

        var report = await ImportAsync(second, actor: "second");
        Assert.Equal((2, 3, 2, true), (report.ToCreate, report.ToUpdate, report.Unchanged, report.Committed));
        var after = await AssetsAsync();
        Assert.Equal(["PC-1", "PC-2", "PC-3", "PC-4", "PC-5", "PC-6", "PC-7"], after.Keys.Order());
        Assert.Equal(("医事課", "second"), (after["PC-2"].Location, after["PC-2"].UpdatedBy));
        Assert.Equal(before["PC-2"].Id, after["PC-2"].Id);
        Assert.Empty(after["PC-3"].Interfaces);
        Assert.Equal(["10.0.0.5", "192.168.0.5"], after["PC-5"].Interfaces.Select(i => i.IpAddress).Order());
        Assert.Equal(["10.0.0.7", "172.16.0.7"], after["PC-7"].Interfaces.Select(i => i.IpAddress).Order());
        Assert.Equal(("10.0.0.6", "second"), (after["PC-6"].IpAddress, after["PC-6"].UpdatedBy));
        // Unchanged rows keep their version and were not even locked by the import.
        foreach (var same in new[] { "PC-1", "PC-4" })
        {
            Assert.Equal(("first", before[same].UpdatedAt), (after[same].UpdatedBy, after[same].UpdatedAt));
            Assert.Equal(0, await RowLockAsync(same));
        }
        // History holds each device as the first import created it, and the new version of each changed row only.
        var history = await HistoryAsync();
        Assert.Equal(before.Values.Select(a => a.Id).Order(), history.Where(h => h.Change == "create" && h.ChangedBy == "first").Select(h => h.AssetId).Order());
        var updates = history.Where(h => h.Change == "update").ToList();
        Assert.Equal(new[] { before["PC-2"].Id, before["PC-3"].Id, before["PC-7"].Id }.Order(), updates.Select(h => h.AssetId).Order());
        Assert.Contains("\"Location\": \"医事課\"", updates.Single(h => h.AssetId == before["PC-2"].Id).Snapshot);
        Assert.Contains("172.16.0.7", updates.Single(h => h.AssetId == before["PC-7"].Id).Snapshot); // with its interfaces as they now are
        Assert.Equal(2, history.Count(h => h.Change == "create" && h.ChangedBy == "second")); // the second file's two new rows
        var audit = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters()
            .Where(a => a.OrganizationId == org.Id && a.Action == "assets.imported").OrderBy(a => a.Seq).Select(a => a.Details!).ToListAsync());
        Assert.Contains("\"created\":2,\"updated\":3,\"unchanged\":2", audit[1].Replace(" ", ""));

        // Only the second address of a 2枚挿し device changes: that is a change too, and its interfaces follow the file.
        var third = await ImportAsync("""
            管理番号,IPアドレス,設置場所,状態
            PC-5,"10.0.0.5 / 192.168.0.55",外来,稼働
            PC-7,"10.0.0.7, 172.16.0.7",手術室,稼働
            """, actor: "third");
        Assert.Equal((0, 1, 1), (third.ToCreate, third.ToUpdate, third.Unchanged));
        var last = await AssetsAsync();
        Assert.Equal(["10.0.0.5", "192.168.0.55"], last["PC-5"].Interfaces.Select(i => i.IpAddress).Order());
        Assert.Equal(after["PC-7"].Interfaces.Select(i => i.Id).Order(), last["PC-7"].Interfaces.Select(i => i.Id).Order());

        // Down from two addresses to one, the first unchanged: a change too (the second network is gone). A segment
        // recorded by hand survives a file without a segment column, and does not make its row count as changed.
        await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Database.ExecuteSqlAsync($"""
            INSERT INTO asset_interfaces ("Id", "AssetId", "IpAddress", "Segment") VALUES (gen_random_uuid(), {last["PC-1"].Id}, '10.0.0.1', '電子カルテ系')
            """));
        const string fourth = """
            管理番号,IPアドレス,設置場所,状態
            PC-1,10.0.0.1,医局,稼働
            PC-4,10.0.0.4,病棟,保管
            PC-5,10.0.0.5,外来,稼働
            """;
        var down = await ImportAsync(fourth, actor: "fourth");
        Assert.Equal((0, 2, 1), (down.ToCreate, down.ToUpdate, down.Unchanged));
        var now = await AssetsAsync();
        Assert.Empty(now["PC-5"].Interfaces);
        Assert.Equal(("10.0.0.5", "fourth"), (now["PC-5"].IpAddress, now["PC-5"].UpdatedBy));
        var kept = Assert.Single(now["PC-1"].Interfaces);
        Assert.Equal(("10.0.0.1", "電子カルテ系", "医局"), (kept.IpAddress, kept.Segment, now["PC-1"].Location));
        var again = await ImportAsync(fourth, actor: "fifth");
        Assert.Equal((0, 0, 3), (again.ToCreate, again.ToUpdate, again.Unchanged));
    }

    [Fact]
    public async Task A_device_added_meanwhile_under_a_control_number_of_the_file_makes_the_import_plan_again()
    {
        // Another user saves PC-2 just before the import's own PC-2 reaches the ledger: a trigger does it once (a
        // sequence is not rolled back with the failed attempt).
        await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Database.ExecuteSqlRawAsync("""
            CREATE SEQUENCE race_once;
            CREATE FUNCTION race() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW."ControlNumber" = 'PC-2' AND nextval('race_once') = 1 THEN
                    INSERT INTO assets ("Id", "OrganizationId", "ControlNumber", "Category", "Status", "SecurityUpdatesBy", "UpdatedAt", "UpdatedBy")
                    VALUES (gen_random_uuid(), NEW."OrganizationId", 'PC-2', 'Other', 'InUse', 'Unknown', now(), 'someone else');
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER race BEFORE INSERT ON assets FOR EACH ROW EXECUTE FUNCTION race();
            """));
        var report = await ImportAsync("管理番号,設置場所\nPC-1,外来\nPC-2,病棟\nPC-3,医事課\n");
        Assert.Equal((3, true), (report.ToCreate, report.Committed));
        var assets = await AssetsAsync();
        Assert.Equal(["PC-1", "PC-2", "PC-3"], assets.Keys.Order());
        Assert.Equal(("病棟", "test"), (assets["PC-2"].Location, assets["PC-2"].UpdatedBy));
        var audit = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters()
            .CountAsync(a => a.OrganizationId == org.Id && a.Action == "assets.imported"));
        Assert.Equal(1, audit);
    }

    /// <summary>Enough valid rows that the COPY has been sent many of them before the bad line is read.</summary>
    static string ManyRows(int from, int count) =>
        string.Concat(Enumerable.Range(from, count).Select(i => $"PC-{i:00000},10.{i / 65536}.{i / 256 % 256}.{i % 256},外来{i}\n"));

    [Fact]
    public async Task A_file_that_fails_half_way_leaves_nothing_written_and_reports_every_row_error()
    {
        var csv = "管理番号,IPアドレス,設置場所\n" + ManyRows(1, 5000) + "PC-BAD1,10.0.999.1,外来\n" + ManyRows(5001, 3000) + "PC-BAD2,,=cmd|' /C calc'!A0\n";
        var report = await ImportAsync(csv);
        Assert.False(report.Committed);
        Assert.Equal(2, report.Parsed.ErrorCount);
        Assert.Equal(["5002行目: IPアドレス「10.0.999.1」は正しいアドレスではありません", "8003行目: 設置場所: 数式のように見えるセル（「=cmd|' /C calc'!A0」）は取り込めません。先頭の記号を消してください"],
            report.Parsed.Errors.Select(e => e.TextJa));
        Assert.Equal(8002, report.Parsed.RowsRead);
        Assert.Empty(await AssetsAsync());
        Assert.Empty(await HistoryAsync());

        // A file-level problem half-way (a Shift_JIS line in a UTF-8 file) is no different.
        var mixed = Encoding.UTF8.GetBytes("管理番号,IPアドレス,設置場所\n" + ManyRows(1, 5000)).Concat(Encoding.GetEncoding(932).GetBytes("PC-X,10.1.0.1,病棟\n")).ToArray();
        var mixedReport = await ImportAsync(mixed);
        Assert.False(mixedReport.Committed);
        Assert.StartsWith("5002行目: 文字コードが混在しています", mixedReport.Parsed.FileError?.Ja);
        Assert.Empty(await AssetsAsync());

        // Nothing was left half-done on the connection either: the corrected file imports in full.
        var fixedReport = await ImportAsync("管理番号,IPアドレス,設置場所\n" + ManyRows(1, 8000));
        Assert.Equal((8000, true), (fixedReport.ToCreate, fixedReport.Committed));
        Assert.Equal(8000, (await AssetsAsync()).Count);
    }

    [Fact]
    public async Task A_full_width_control_number_is_the_same_device_on_the_next_import_and_in_the_form()
    {
        var first = await ImportAsync("管理番号,設置場所\nPC-012,外来\n");
        Assert.Equal((1, true), (first.ToCreate, first.Committed));
        var second = await ImportAsync("管理番号,設置場所\nＰＣ－０１２,病棟\n　PC-０１３ ,病棟\n", actor: "second");
        Assert.Equal((1, 1, true), (second.ToCreate, second.ToUpdate, second.Committed));
        var assets = await AssetsAsync();
        Assert.Equal(["PC-012", "PC-013"], assets.Keys.Order());
        Assert.Equal(("病棟", "second"), (assets["PC-012"].Location, assets["PC-012"].UpdatedBy));

        // The form stores what it is given as the import does: 「PC-０１２」 typed there is the device above.
        var client = await app.SignedInClientAsync(admin);
        var taken = await client.PostFormAsync("/o/import-hp/assets/edit", new() { ["Input.ControlNumber"] = "PC-０１２" }, "/o/import-hp/assets/edit");
        Assert.Contains("管理番号「PC-012」は既に使われています", WebUtility.HtmlDecode(await taken.Content.ReadAsStringAsync()));
        var saved = await client.PostFormAsync("/o/import-hp/assets/edit", new() { ["Input.ControlNumber"] = " ＳＶ－００１ " }, "/o/import-hp/assets/edit");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("SV-001", (await AssetsAsync()).Keys);
    }

    [Fact]
    public async Task The_migration_normalises_stored_control_numbers_and_leaves_an_existing_duplicate_for_a_person()
    {
        // Rows as an earlier version stored them: full-width, and a full-width twin of a device that is already there.
        await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Database.ExecuteSqlAsync($"""
            INSERT INTO assets ("Id", "OrganizationId", "ControlNumber", "Category", "Status", "SecurityUpdatesBy", "UpdatedAt", "UpdatedBy")
            SELECT gen_random_uuid(), {org.Id}, n, 'Other', 'InUse', 'Unknown', now(), 'old'
            FROM unnest(ARRAY['ＰＣ－０２０', 'PC-030', 'PC-０３０', ' PC-040　']) n
            """));
        var migration = new Mamori.Platform.Data.Migrations.ControlNumbersNfkc();
        var sql = Assert.IsType<Microsoft.EntityFrameworkCore.Migrations.Operations.SqlOperation>(Assert.Single(migration.UpOperations)).Sql;
        await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Database.ExecuteSqlRawAsync(sql));
        var stored = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Database
            .SqlQuery<string>($"""SELECT "ControlNumber" AS "Value" FROM assets WHERE "OrganizationId" = {org.Id}""").ToListAsync());
        Assert.Equal(["PC-020", "PC-030", "PC-040", "PC-０３０"], stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_preview_page_shows_the_first_twenty_rows_as_they_will_be_stored_before_anything_is_imported()
    {
        await ImportAsync("管理番号,設置場所,登録日,状態\nPC-001,外来,H31.2.14,稼働\nPC-002,外来,H31.3.14,稼働\n");
        var csv = "No.,管理番号,設置場所,登録日,状態\n"
            + string.Concat(Enumerable.Range(1, 25).Select(i => $"{i},PC-{i:000},{(i == 2 ? "医事課" : "外来")},H31.{i % 12 + 1}.14,稼働\n"))
            + ",,,,\n※ 廃棄した機器は別表,,,,\n";
        var client = await app.SignedInClientAsync(admin);
        var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync("/o/import-hp/assets/import")).Groups[1].Value);
        var form = new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "台帳.csv" } };
        var page = WebUtility.HtmlDecode(await (await client.PostAsync("/o/import-hp/assets/import?handler=Upload", form)).Content.ReadAsStringAsync());

        var table = PreviewTable().Match(page).Groups[1].Value;
        var rows = PreviewRow().Matches(table).Select(m => CellText().Matches(m.Groups[1].Value).Select(c => c.Groups[1].Value.Trim()).ToList()).ToList();
        Assert.Equal(20, rows.Count);
        Assert.Equal(["2", "変更なし", "PC-001", "外来", "2019/2/14", "稼働中"], rows[0]);
        Assert.Equal(["3", "更新", "PC-002", "医事課", "2019/3/14", "稼働中"], rows[1]);
        Assert.Equal(["21", "新規", "PC-020", "外来", "2019/9/14", "稼働中"], rows[19]);
        Assert.Contains("…ほか 5 行", page);
        Assert.Contains("25 行を取り込む（新規 23・更新 1・変更なし 1）", page);
        // Each case the user should look at is named with its row.
        Assert.Contains("1行目: A列「No.」は管理番号の列のようですが、B列「管理番号」を管理番号として読むため、A列は取り込みません", page);
        Assert.DoesNotContain("<li>2行目: 登録日", page); // H31.2.14 is inside 平成
        Assert.Contains("9行目: 登録日: H31.9.14 は平成の終わり（2019年4月30日）より後の日付のため、2019年9月14日として読みました", page);
        Assert.Contains("27行目: 表の下の空の行を読み飛ばしました", page);
        Assert.Contains("28行目: 表の下の注記「※ 廃棄した機器は別表」は機器の行ではないため、取り込みません", page);
        Assert.Equal(2, (await AssetsAsync()).Count);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task The_command_line_export_is_the_web_export(string format)
    {
        await ImportAsync("管理番号,機器名,設置場所,登録日,説明\nPC-002,受付PC,外来,R2.12.1,\nPC-001,医事PC,\"医事課, 2階\",2020/4/1,'=1+1\n");
        var client = await app.SignedInClientAsync(admin);
        var web = await client.GetByteArrayAsync($"/o/import-hp/assets?handler=Export&format={format}");
        var path = Path.Combine(Directory.CreateTempSubdirectory("mamori-export-").FullName, "台帳." + format);
        var (code, output) = await MamoriProcess.RunAsync(new Dictionary<string, string?> { ["MAMORI_DB"] = app.ConnectionString },
            "assets", "export", "--org", "import-hp", "--out", path, "--format", format);
        Assert.True(code == 0, output);
        Assert.Contains("機器台帳（2 台）を書き出しました", output);
        var cli = await File.ReadAllBytesAsync(path);
        if (format == "csv")
        {
            Assert.Equal(web, cli);
            Assert.StartsWith("\uFEFF管理番号,", Encoding.UTF8.GetString(cli)); // UTF-8 with BOM, as Excel needs
            Assert.Contains("\r\nPC-001,,,,,,,\"医事課, 2階\",,2020/4/1,稼働中,'=1+1,", Encoding.UTF8.GetString(cli));
        }
        else
        {
            Assert.Equal(Cells(web), Cells(cli));
            Assert.Contains(("A6", "PC-001"), Cells(cli));
            Assert.Contains(("L6", "'=1+1"), Cells(cli));
        }
        var audit = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters()
            .CountAsync(a => a.OrganizationId == org.Id && a.Action == AuditActions.Export && a.EntityType == "AssetLedger"));
        Assert.Equal(2, audit);
    }

    /// <summary>A history row's device image without what differs between two devices anyway (ids, 管理番号, stamps).</summary>
    static string Image(string snapshot)
    {
        var image = JsonNode.Parse(snapshot)!.AsObject();
        foreach (var key in new[] { "Id", "OrganizationId", "ControlNumber", "UpdatedAt", "UpdatedBy" }) image.Remove(key);
        return image.ToJsonString();
    }

    static List<string> Keys(string snapshot) => JsonNode.Parse(snapshot)!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    Task<List<AssetHistory>> HistoryOf(Guid organizationId) => app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AssetHistory
        .IgnoreQueryFilters([MamoriDb.TenantFilter]).Where(h => h.OrganizationId == organizationId).OrderBy(h => h.Id).AsNoTracking().ToListAsync());

    Task<AssetImportReport> ImportInto(Organization into, byte[] content, string fileName = "台帳.csv") => app.ScopedAsync(sp =>
        AssetImporter.ImportAsync(sp.GetRequiredService<MamoriDb>(), into.Id, content, fileName, null, "import", CancellationToken.None));

    [GeneratedRegex("name=\"Input.Version\" value=\"(\\d+)\"")] private static partial Regex FormVersion();

    [Fact]
    public async Task The_form_the_import_and_the_scan_write_the_same_history_rows_with_interfaces_and_ports()
    {
        var (hp, users) = await app.CreateOrganizationAsync("history-hp", withTotp: true);
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);

        // The same server on two networks, added by the form and by a file.
        var created = await client.PostFormAsync("/o/history-hp/assets/edit", new()
        {
            ["Input.ControlNumber"] = "F-1", ["Input.Category"] = "Server", ["Input.IpAddress"] = "10.9.0.1", ["Input.Location"] = "外来",
            ["Input.Interfaces"] = "10.9.0.1, 電子カルテ系\n192.168.9.1",
        }, "/o/history-hp/assets/edit");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var formDevice = created.Headers.Location!.OriginalString.Split('/').Last();
        var file = Encoding.UTF8.GetBytes("管理番号,種別,IPアドレス,ネットワーク区分,設置場所\nI-1,サーバ,\"10.9.0.1, 192.168.9.1\",電子カルテ系,外来\n");
        Assert.True((await ImportInto(hp, file)).Committed);
        var history = await HistoryOf(hp.Id);
        var (byForm, byImport) = (Assert.Single(history, h => h.Source == "form"), Assert.Single(history, h => h.Source == "import"));
        Assert.Equal(("create", "create"), (byForm.Change, byImport.Change));
        Assert.Equal(Image(byForm.Snapshot), Image(byImport.Snapshot));
        Assert.Contains("\"Segment\": \"電子カルテ系\"", byForm.Snapshot);
        Assert.Contains("192.168.9.1", byForm.Snapshot);
        // The import's one audit event names the file and its SHA-256.
        var details = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters()
            .Where(a => a.OrganizationId == hp.Id && a.Action == "assets.imported").Select(a => a.Details!).SingleAsync());
        var audit = JsonNode.Parse(details)!;
        Assert.Equal(("台帳.csv", AssetImporter.Sha256(file)), (audit["file"]!.GetValue<string>(), audit["sha256"]!.GetValue<string>()));

        // Both moved to the ward and off the second network.
        var version = FormVersion().Match(await client.GetStringAsync($"/o/history-hp/assets/edit/{formDevice}")).Groups[1].Value;
        var edited = await client.PostFormAsync($"/o/history-hp/assets/edit/{formDevice}", new()
        {
            ["Input.Version"] = version, ["Input.ControlNumber"] = "F-1", ["Input.Category"] = "Server", ["Input.IpAddress"] = "10.9.0.1",
            ["Input.Location"] = "病棟", ["Input.Interfaces"] = "10.9.0.1, 電子カルテ系",
        });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal(1, (await ImportInto(hp, Encoding.UTF8.GetBytes("管理番号,種別,IPアドレス,ネットワーク区分,設置場所\nI-1,サーバ,10.9.0.1,電子カルテ系,病棟\n"))).ToUpdate);
        history = await HistoryOf(hp.Id);
        var (formUpdate, importUpdate) = (Assert.Single(history, h => h is { Source: "form", Change: "update" }), Assert.Single(history, h => h is { Source: "import", Change: "update" }));
        Assert.Equal(Image(formUpdate.Snapshot), Image(importUpdate.Snapshot));
        Assert.Contains("病棟", formUpdate.Snapshot);
        Assert.DoesNotContain("192.168.9.1", formUpdate.Snapshot);

        // The form deletes its device: the history keeps its last version, marked deleted.
        version = FormVersion().Match(await client.GetStringAsync($"/o/history-hp/assets/edit/{formDevice}")).Groups[1].Value;
        var deleted = await client.PostFormAsync($"/o/history-hp/assets/edit/{formDevice}?handler=Delete", new() { ["version"] = version, ["confirm"] = "yes" },
            $"/o/history-hp/assets/edit/{formDevice}");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/o/history-hp/assets/{formDevice}")).StatusCode);
        var delete = Assert.Single(await HistoryOf(hp.Id), h => h.Change == "delete");
        Assert.Equal(("form", formUpdate.AssetId), (delete.Source, delete.AssetId));
        Assert.Equal(Image(formUpdate.Snapshot), Image(delete.Snapshot));

        // The scan: a new host, then its ports seen again — the same rows, open ports in the image.
        static NmapScan Scan(string ports) => NmapScan.Parse(new MemoryStream(Encoding.UTF8.GetBytes(
            $"""<?xml version="1.0"?><nmaprun scanner="nmap" start="1763700000"><host><status state="up"/><address addr="10.9.0.50" addrtype="ipv4"/><ports>{ports}</ports></host></nmaprun>""")));
        Task<(int, int)> ApplyScan(string ports) => app.ScopedAsync(sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            db.EnterOrganizationForCommandLine(hp);
            return ScanImport.ApplyAsync(db, hp.Id, Scan(ports), new HashSet<string> { "10.9.0.50" }, "scan.xml", "0", "scan", TimeProvider.System, CancellationToken.None);
        });
        Assert.Equal((0, 1), await ApplyScan("""<port protocol="tcp" portid="22"><state state="open"/><service name="ssh"/></port>"""));
        Assert.Equal((1, 0), await ApplyScan("""<port protocol="tcp" portid="443"><state state="open"/><service name="https"/></port>"""));
        var scans = (await HistoryOf(hp.Id)).Where(h => h.Source == "scan").ToList();
        Assert.Equal(["create", "update"], scans.Select(h => h.Change));
        Assert.All(scans, h => Assert.Equal(Keys(byForm.Snapshot), Keys(h.Snapshot)));
        Assert.Contains("\"Port\": 22", scans[0].Snapshot);
        Assert.Contains("\"Port\": 443", scans[1].Snapshot);
        Assert.DoesNotContain("\"Port\": 22", scans[1].Snapshot);
    }

    [Fact]
    public async Task The_database_itself_refuses_to_change_or_delete_the_ledger_history()
    {
        var (hp, _) = await app.CreateOrganizationAsync("append-hp", withTotp: false);
        Assert.True((await ImportInto(hp, Encoding.UTF8.GetBytes("管理番号,設置場所\nA-1,外来\n"))).Committed);
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        foreach (var sql in new[] { "UPDATE asset_history SET \"ChangedBy\" = 'someone else'", "DELETE FROM asset_history", "TRUNCATE asset_history" })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync());
            Assert.Contains("追記のみ", e.MessageText);
        }
        Assert.Equal("import", Assert.Single(await HistoryOf(hp.Id)).ChangedBy);
    }

    /// <summary>
    /// The form's version is the row's xmin: any write of the device in between — here an import, which the person
    /// with the form open cannot see — refuses the stale save, and the import's change stays.
    /// </summary>
    [Fact]
    public async Task A_form_opened_before_an_import_changed_the_device_is_refused_and_the_import_stays()
    {
        var (hp, users) = await app.CreateOrganizationAsync("xmin-hp", withTotp: true);
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var created = await client.PostFormAsync("/o/xmin-hp/assets/edit", new() { ["Input.ControlNumber"] = "X-1", ["Input.Location"] = "外来" }, "/o/xmin-hp/assets/edit");
        var url = created.Headers.Location!.OriginalString.Replace("/assets/", "/assets/edit/");
        var version = FormVersion().Match(await client.GetStringAsync(url)).Groups[1].Value;
        Assert.Equal(1, (await ImportInto(hp, Encoding.UTF8.GetBytes("管理番号,設置場所\nX-1,手術室\n"))).ToUpdate);

        var stale = await client.PostFormAsync(url, new() { ["Input.Version"] = version, ["Input.ControlNumber"] = "X-1", ["Input.Location"] = "病棟" });
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("import さんが変更しています", await stale.Content.ReadAsStringAsync());
        var fresh = FormVersion().Match(await client.GetStringAsync(url)).Groups[1].Value;
        Assert.NotEqual(version, fresh);
        Assert.Contains("手術室", await client.GetStringAsync(url));
        Assert.Equal(["create", "update"], (await HistoryOf(hp.Id)).Select(h => h.Change)); // the refused save left no version
    }

    static List<(string Ref, string Text)> Cells(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        return doc.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Cell>().Select(c => (c.CellReference!.Value!, c.InnerText)).ToList();
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex Csrf();
    [GeneratedRegex("<table class=\"table\" id=\"import-preview\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline)] private static partial Regex PreviewTable();
    [GeneratedRegex("<tr>(.*?)</tr>", RegexOptions.Singleline)] private static partial Regex PreviewRow();
    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)] private static partial Regex CellText();
}
