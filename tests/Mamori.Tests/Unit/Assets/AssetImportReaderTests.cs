using System.Text;
using Mamori.Features.Assets;
using Mamori.Features.Assets.Import;

namespace Mamori.Tests.Unit.Assets;

public sealed class AssetImportReaderTests
{
    static AssetImportResult Import(string csv, AssetImportOptions? options = null) =>
        AssetImportReader.Read(CsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv))), options);

    /// <summary>The ledger example of the MHLW inspection training (seed 002): title, 最終更新日/者, then the table.</summary>
    const string TrainingLedger =
        """
        機器台帳,,,,,
        最終更新日： 2024年7月1日,,,,,
        最終更新者： 鈴木一郎,,,,,

        管理番号,メーカー,OS,ソフトウェア,ソフトウェアバージョン,IPアドレス,コンピュータ名,設置場所,利用者,登録日,状態,説明
        001,A社,Win11,○○電子カルテ,2.0,192.168.0.10,Room1のPC1,Room1,a医師（○○科）,2020/12/1,稼働,
        002,A社,Win11,○○電子カルテ,1.2,192.168.0.11,Room1のPC2,Room1,b医師（○○科）,2020/12/1,停止,メンテナンス
        003,A社,Win8,○○電子カルテ,2.0,192.168.0.12,Room2のPC1,Room2,c医師（△△科）,2014/10/1,稼働,
        004,B社,Win11,○○管理システム,5.0.1,192.168.0.13,Room3のPC1,Room3,"a医師（○○科）、b医師（○○科）",R3.8.1,稼働,
        """;

    static string Errors(AssetImportResult r) => string.Join("\n", r.Errors.Select(e => e.TextJa)) + r.FileError;

    [Fact]
    public void A_control_number_too_long_for_the_ledger_or_a_garbled_cell_is_a_row_error_not_a_crash()
    {
        var result = Import($"管理番号,設置場所,説明\n{new string('A', 65)},Room1,\n002,Room\uFFFE2,\n{new string('B', 64)},Room3,ok\n");
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.ErrorCount);
        Assert.Contains("2行目", Errors(result));
        Assert.Contains("管理番号は 64 文字までです（65 文字）", Errors(result));
        Assert.Contains("3行目", Errors(result));
        Assert.Contains("文字として読めない符号", Errors(result));
        // Header recognition and search fold such text without throwing.
        Assert.Equal("ab\uFFFD", LooseText.Nfkc("ａｂ\uFFFE"));
        Assert.Equal("x\uFFFDy", LooseText.Nfkc("x\uD800y"));
    }

    [Fact]
    public void Finds_the_header_below_the_title_rows_of_the_training_ledger()
    {
        var result = Import(TrainingLedger);
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(5, result.HeaderRowNumber);
        Assert.Empty(result.UnknownColumns);
        Assert.Equal(AssetField.ComputerName, result.Columns.Single(c => c.Text == "コンピュータ名").Field);
        Assert.Equal(4, result.RowsRead);
        var (first, second, fourth) = (result.Rows[0], result.Rows[1], result.Rows[3]);
        Assert.Equal((6, "001", "Win11", "2.0", "Room1のPC1"),
            (first.RowNumber, first.ControlNumber, first.OperatingSystem, first.SoftwareVersion, first.ComputerName));
        Assert.Equal(["192.168.0.10"], first.IpAddresses);
        Assert.Equal(new DateOnly(2020, 12, 1), first.RegisteredOn);
        Assert.Equal(AssetStatus.InUse, first.Status);
        Assert.Equal((AssetStatus.Stopped, "メンテナンス"), (second.Status, second.Description));
        Assert.Equal(new DateOnly(2021, 8, 1), fourth.RegisteredOn);
        Assert.Equal("a医師（○○科）、b医師（○○科）", fourth.UserName);
    }

    [Fact]
    public void Reads_an_xlsx_ledger_with_dates_numbers_and_formulas()
    {
        var xlsx = XlsxReaderTests.Workbook(
            """
            <row r="1"><c r="A1" t="inlineStr"><is><t>機器台帳</t></is></c></row>
            <row r="3"><c r="A3" t="inlineStr"><is><t>資産番号</t></is></c><c r="B3" t="inlineStr"><is><t>ホスト名</t></is></c><c r="C3" t="inlineStr"><is><t>導入日</t></is></c><c r="D3" t="inlineStr"><is><t>棚卸日</t></is></c></row>
            <row r="4"><c r="A4" t="str"><f>"PC-"&amp;1</f><v>PC-1</v></c><c r="B4" t="inlineStr"><is><t>uketsuke01</t></is></c><c r="C4" s="1"><v>44166</v></c><c r="D4"><v>45474</v></c></row>
            """);
        var result = AssetImportReader.Read(XlsxReader.Read(new MemoryStream(xlsx)));
        Assert.True(result.Succeeded, Errors(result));
        var row = Assert.Single(result.Rows);
        Assert.Equal(("PC-1", "uketsuke01"), (row.ControlNumber, row.ComputerName));
        Assert.Equal(new DateOnly(2020, 12, 1), row.RegisteredOn);
        Assert.Equal(new DateOnly(2024, 7, 1), row.LastStocktakeOn); // a General-format number in a date column is a serial
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("4行目: 資産番号: 数式の計算結果「PC-1」を値として取り込みます", warning.TextJa);
    }

    [Fact]
    public void A_duplicate_control_number_points_to_the_first_row()
    {
        var result = Import("管理番号,機器名\n001,サーバ\n002,PC\n００１,PC2\n");
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal("4行目: 管理番号「００１」が重複しています（2行目と同じ）", error.TextJa);
        Assert.Equal("管理番号", error.Column);
        Assert.Equal(["001", "002"], result.Rows.Select(r => r.ControlNumber));
    }

    [Fact]
    public void A_missing_control_number_is_an_error_and_blank_rows_are_skipped()
    {
        var result = Import("管理番号,機器名\n,PC\n,\n003,PC3\n");
        Assert.Equal("2行目: 管理番号が空です", Assert.Single(result.Errors).TextJa);
        Assert.Equal(2, result.RowsRead);
    }

    [Theory]
    [InlineData("192.168.1.300")]
    [InlineData("1")]
    [InlineData("192.168.1")]
    [InlineData("pc-01")]
    public void A_bad_ip_address_is_named_with_its_row(string ip)
    {
        var result = Import($"管理番号,IPアドレス\n001,{ip}\n");
        Assert.Equal($"2行目: IPアドレス「{ip}」は正しいアドレスではありません", Assert.Single(result.Errors).TextJa);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Several_addresses_in_one_cell_are_kept_normalised()
    {
        var result = Import("管理番号,IP\n001,\"192.168.001.010、 10.0.0.5\"\n");
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(["192.168.1.10", "10.0.0.5"], result.Rows[0].IpAddresses);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", true)]
    [InlineData("＝1+1", true)]
    [InlineData("+cmd|' /C calc'!A0", true)]
    [InlineData("-SUM(A1)", true)]
    [InlineData("@SUM(A1)", true)]
    [InlineData("-(1)", true)]
    [InlineData("-", false)]
    [InlineData("-5", false)]
    [InlineData("+81-3-1234-5678", false)]
    [InlineData("- 未設定", false)]
    public void Formula_looking_cells_are_refused(string cell, bool refused)
    {
        var result = Import($"管理番号,備考\n001,\"{cell.Replace("\"", "\"\"")}\"\n");
        if (!refused)
        {
            Assert.True(result.Succeeded, Errors(result));
            Assert.Equal(cell, result.Rows[0].Description);
            return;
        }
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("2行目: 備考: 数式のように見えるセル（「", error.TextJa);
        Assert.Contains("）は取り込めません", error.TextJa);
    }

    [Fact]
    public void Every_character_that_can_normalise_to_a_formula_start_is_in_the_fast_path_list()
    {
        // NFKD of every code point at once, one per line: a line break is a starter, so nothing reorders across it.
        var points = Enumerable.Range(0, 0x110000).Where(cp => cp is not ((>= 0xD800 and <= 0xDFFF) or '\n' or 0xFFFE)).ToList();
        var decomposed = string.Join('\n', points.Select(char.ConvertFromUtf32)).Normalize(NormalizationForm.FormKD).Split('\n');
        Assert.Equal(points.Count, decomposed.Length);
        var starts = points.Where((_, i) => decomposed[i].Length > 0 && "=+-@".Contains(decomposed[i][0])).Select(char.ConvertFromUtf32);
        Assert.Equal(AssetImportReader.FormulaStarts, string.Concat(starts));
    }

    [Fact]
    public void An_impossible_date_is_reported_with_column_and_row()
    {
        var result = Import("管理番号,購入日\n001,令和2年2月30日\n");
        Assert.Equal("2行目: 購入日: 令和2年2月30日 は存在しない日付です", Assert.Single(result.Errors).TextJa);
    }

    [Fact]
    public void Bad_mac_addresses_are_errors_and_good_ones_are_normalised()
    {
        var result = Import("管理番号,MACアドレス\n001,00-11-22-aa-bb-cc\n002,0011.22aa.bbcc\n003,00:11:22:33\n");
        Assert.Equal(["00:11:22:AA:BB:CC", "00:11:22:AA:BB:CC"], result.Rows.Select(r => r.MacAddress));
        Assert.Equal("4行目: MACアドレス「00:11:22:33」は正しい形式ではありません（例: 00:11:22:AA:BB:CC）", Assert.Single(result.Errors).TextJa);
    }

    [Fact]
    public void Unknown_columns_are_reported_and_a_confirmed_mapping_overrides_detection()
    {
        const string csv = "管理番号,購入価格,最終更新日,OS\n001,120000,2024/7/1,Win11\n";
        var detected = Import(csv);
        Assert.Equal(["購入価格"], detected.UnknownColumns.Select(c => c.Text)); // 最終更新日 is a ledger header field, not a column
        Assert.Null(detected.Rows[0].Description);

        var mapped = Import(csv, new AssetImportOptions
        {
            Mapping = new ColumnMapping { [0] = AssetField.ControlNumber, [1] = AssetField.Description },
        });
        Assert.True(mapped.Succeeded, Errors(mapped));
        Assert.Equal(("120000", null), (mapped.Rows[0].Description, mapped.Rows[0].OperatingSystem));
    }

    [Fact]
    public void A_mapping_without_control_number_or_with_a_field_twice_is_refused()
    {
        var none = Import("a,b\n1,2\n", new AssetImportOptions { HeaderRowNumber = 1, Mapping = new ColumnMapping { [1] = AssetField.Name } });
        Assert.Equal("管理番号の列がありません。管理番号は必須です", none.FileError?.Ja);
        var twice = Import("a,b\n1,2\n", new AssetImportOptions
        {
            HeaderRowNumber = 1,
            Mapping = new ColumnMapping { [0] = AssetField.ControlNumber, [1] = AssetField.ControlNumber },
        });
        Assert.Equal("A・B列が同じ項目（管理番号）に割り当てられています", twice.FileError?.Ja);
    }

    [Fact]
    public void A_file_without_a_recognisable_header_is_refused()
    {
        var result = Import("foo,bar\n1,2\n");
        Assert.StartsWith("見出しの行が見つかりません", result.FileError?.Ja);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void File_level_errors_from_the_reader_end_up_in_the_result()
    {
        var result = AssetImportReader.Read(CsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("管理番号,OS\n1,a\n2,b\n3,c\n")), new ReadLimits { MaxRows = 3 }));
        Assert.Equal("行数が上限（3行）を超えています", result.FileError?.Ja);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Errors_are_collected_up_to_the_limit_and_counted_beyond_it()
    {
        var csv = "管理番号,IP\n" + string.Concat(Enumerable.Range(1, 5).Select(i => $"{i},bad\n"));
        var result = Import(csv, new AssetImportOptions { MaxIssues = 2 });
        Assert.Equal((2, 5, 5), (result.Errors.Count, result.ErrorCount, result.RowsRead));
    }

    [Theory]
    [InlineData("電子カルテサーバ", AssetCategory.Server)]
    [InlineData("ｻｰﾊﾞｰ", AssetCategory.Server)]
    [InlineData("ノートPC", AssetCategory.TerminalPc)]
    [InlineData("laptop", AssetCategory.TerminalPc)]
    [InlineData("L3スイッチ", AssetCategory.Switch)]
    [InlineData("UTM/FW", AssetCategory.Firewall)]
    [InlineData("VPNルーター", AssetCategory.VpnAppliance)]
    [InlineData("SSL-VPN装置", AssetCategory.VpnAppliance)]
    [InlineData("LTEルータ", AssetCategory.MobileRouter)]
    [InlineData("無線LANアクセスポイント", AssetCategory.WirelessAp)]
    [InlineData("NAS", AssetCategory.Storage)]
    [InlineData("iPad", AssetCategory.Tablet)]
    [InlineData("携帯端末", AssetCategory.Tablet)]
    [InlineData("医療機器", AssetCategory.MedicalDevice)]
    [InlineData("オン資端末", AssetCategory.OnlineEligibilityTerminal)]
    [InlineData("オンライン資格確認端末", AssetCategory.OnlineEligibilityTerminal)]
    [InlineData("受付機・精算機", AssetCategory.ReceptionOrPaymentMachine)]
    [InlineData("自動精算機", AssetCategory.ReceptionOrPaymentMachine)]
    [InlineData("複合機", AssetCategory.Printer)]
    public void Category_values_are_recognised(string text, AssetCategory expected)
    {
        Assert.True(AssetValues.TryCategory(text, out var category, out _));
        Assert.Equal(expected, category);
    }

    [Fact]
    public void A_medical_device_keeps_its_kind_and_unknown_categories_warn()
    {
        var result = Import("管理番号,種別\n001,生体モニタ\n002,医療機器\n003,謎の箱\n");
        Assert.Equal([AssetCategory.MedicalDevice, AssetCategory.MedicalDevice, AssetCategory.Other], result.Rows.Select(r => r.Category));
        Assert.Equal(["生体モニタ", null, null], result.Rows.Select(r => r.MedicalDeviceType));
        Assert.Equal("4行目: 種別「謎の箱」は分類できないため「その他」として取り込みます", Assert.Single(result.Warnings).TextJa);
    }

    [Fact]
    public void A_segment_column_without_addresses_warns_that_devices_in_the_ledger_keep_theirs()
    {
        var result = Import("管理番号,ネットワーク区分\n001,電子カルテ系\n");
        Assert.Equal("電子カルテ系", Assert.Single(result.Rows).NetworkSegment);
        Assert.StartsWith("1行目: IPアドレスの列がないため、ネットワーク区分は新しく登録する機器にだけ記録します", Assert.Single(result.Warnings).TextJa);
        Assert.Empty(Import("管理番号,IPアドレス,ネットワーク区分\n001,10.0.0.1,電子カルテ系\n").Warnings);
    }

    [Theory]
    [InlineData("稼働中", AssetStatus.InUse)]
    [InlineData("稼働（外来）", AssetStatus.InUse)]
    [InlineData("保管", AssetStatus.Stored)]
    [InlineData("未使用", AssetStatus.Stored)]
    [InlineData("廃棄済み", AssetStatus.Retired)]
    [InlineData("廃棄予定", AssetStatus.Other)]
    public void Status_values_match_whole_words_only(string text, AssetStatus expected)
    {
        var result = Import($"管理番号,状態\n001,{text}\n");
        Assert.Equal(expected, result.Rows[0].Status);
        Assert.Equal(expected == AssetStatus.Other ? 1 : 0, result.WarningCount);
    }

    [Fact]
    public void Every_importable_field_has_column_names_and_no_name_means_two_fields()
    {
        var covered = AssetColumns.Synonyms.Select(s => s.Field).ToHashSet();
        var importable = Enum.GetValues<AssetField>().Where(f => f is not (AssetField.UpdatedAt or AssetField.UpdatedBy));
        Assert.All(importable, f => Assert.Contains(f, covered));
        Assert.Equal(AssetField.ComputerName, AssetColumns.Recognize("ホスト名"));
        Assert.Equal(AssetField.IpAddress, AssetColumns.Recognize("ＩＰ アドレス"));
        Assert.Equal(AssetField.SupportEndsOn, AssetColumns.Recognize("EOL"));
        Assert.Null(AssetColumns.Recognize("最終更新日"));
    }

    [Fact]
    public void An_import_row_becomes_an_asset_with_interfaces_for_several_addresses()
    {
        var result = Import("管理番号,IP,ネットワーク区分,MAC\n001,\"192.168.1.10,10.0.0.5\",電子カルテ系,00:11:22:33:44:55\n002,192.168.1.11,,\n");
        var org = Guid.NewGuid();
        var dual = result.Rows[0].ToAsset(org, "鈴木");
        Assert.Equal((org, "192.168.1.10", "鈴木"), (dual.OrganizationId, dual.IpAddress, dual.UpdatedBy));
        Assert.Equal([("192.168.1.10", "電子カルテ系", "00:11:22:33:44:55"), ("10.0.0.5", null, null)],
            dual.Interfaces.Select(i => (i.IpAddress, i.Segment, i.MacAddress)));
        Assert.All(dual.Interfaces, i => Assert.Equal(dual.Id, i.AssetId));
        Assert.Empty(result.Rows[1].ToAsset(org, "鈴木").Interfaces);
    }

    [Fact]
    public void A_header_that_is_a_field_s_own_name_wins_over_a_synonym_and_the_look_alike_left_out_is_warned_about()
    {
        var result = Import("No.,管理番号,機器名,IP,IPアドレス\n1,PC-101,受付PC,10.0.0.9,10.0.0.1\n2,PC-102,医事PC,10.0.0.9,10.0.0.2\n");
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(["PC-101", "PC-102"], result.Rows.Select(r => r.ControlNumber));
        Assert.Equal(["10.0.0.1"], result.Rows[0].IpAddresses);
        Assert.Equal([null, AssetField.ControlNumber, AssetField.Name, null, AssetField.IpAddress], result.Columns.Select(c => c.Field));
        Assert.Equal(
        [
            "1行目: A列「No.」は管理番号の列のようですが、B列「管理番号」を管理番号として読むため、A列は取り込みません（違う場合は「列の対応」で選び直してください）",
            "1行目: D列「IP」はIPアドレスの列のようですが、E列「IPアドレス」をIPアドレスとして読むため、D列は取り込みません（違う場合は「列の対応」で選び直してください）",
        ], result.Warnings.Select(w => w.TextJa));

        // Without a 管理番号 column, 「No.」 is still read as one; and Mamori's own export headers are all recognised.
        Assert.Equal(["1"], Import("No.,機器名\n1,受付PC\n").Rows.Select(r => r.ControlNumber));
        Assert.Equal(AssetField.AntiMalware, AssetColumns.Recognize("ウイルス対策・EDR"));
        Assert.All(AssetLedgerExport.Columns, f => Assert.Equal(f, AssetColumns.Exact(AssetLabels.Of(f).Ja)));
        // A mapping the user confirmed is taken as it is: no warning about the columns they left out.
        var confirmed = Import("No.,管理番号\n1,PC-101\n", new AssetImportOptions { Mapping = new ColumnMapping { [1] = AssetField.ControlNumber } });
        Assert.Empty(confirmed.Warnings);
    }

    [Fact]
    public void Notes_and_blank_rows_below_the_table_are_skipped_with_a_warning_naming_each_row()
    {
        var result = Import("""
            管理番号,機器名,設置場所
            PC-001,受付PC,受付
            PC-002,医事PC,医事課
            PC-099,,
            ,,
            ,,
            ,,
            ※ 廃棄済みの機器は含みません,,
            ,（2024年7月1日現在）,
            以上,,
            ,,
            """);
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(["PC-001", "PC-002", "PC-099"], result.Rows.Select(r => r.ControlNumber)); // a row with only 管理番号 is a device
        Assert.Equal(3, result.RowsRead);
        Assert.Equal(
        [
            "5行目: 表の下の空の行（7行目まで）を読み飛ばしました",
            "8行目: 表の下の注記「※ 廃棄済みの機器は含みません」は機器の行ではないため、取り込みません",
            "9行目: 表の下の注記「（2024年7月1日現在）」は機器の行ではないため、取り込みません",
            "10行目: 表の下の注記「以上」は機器の行ではないため、取り込みません",
        ], result.Warnings.Select(w => w.TextJa));
    }

    [Fact]
    public void A_note_inside_the_table_is_a_row_error_and_nothing_is_imported()
    {
        var result = Import("管理番号,機器名\nPC-001,受付PC\n※ 以下は新館,\nPC-002,医事PC\n,\n");
        Assert.False(result.Succeeded);
        Assert.Equal("3行目: 表の途中に機器ではない行（「※ 以下は新館」だけの行）があります。注記なら表の下へ移すか消し、機器なら管理番号などを入力してください",
            Assert.Single(result.Errors).TextJa);
        Assert.Equal(3, result.RowsRead);
        // A genuinely bad row inside the table still stops everything, with notes below it or not.
        var bad = Import("管理番号,IPアドレス\nPC-001,10.0.0.1\nPC-002,10.0.0.999\n※ 注記,\n");
        Assert.Equal("3行目: IPアドレス「10.0.0.999」は正しいアドレスではありません", Assert.Single(bad.Errors).TextJa);
        Assert.Equal("4行目: 表の下の注記「※ 注記」は機器の行ではないため、取り込みません", Assert.Single(bad.Warnings).TextJa);
    }

    [Fact]
    public void A_heisei_date_after_the_era_ended_is_read_with_a_warning_naming_the_row()
    {
        var result = Import("管理番号,導入日\nPC-001,H31.9.14\nPC-002,H31.4.1\n");
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal([new DateOnly(2019, 9, 14), new DateOnly(2019, 4, 1)], result.Rows.Select(r => r.RegisteredOn));
        Assert.Equal("2行目: 導入日: H31.9.14 は平成の終わり（2019年4月30日）より後の日付のため、2019年9月14日として読みました",
            Assert.Single(result.Warnings).TextJa);
    }

    [Fact]
    public void The_control_number_is_stored_nfkc_normalised_and_trimmed()
    {
        var result = Import("管理番号,機器名\n\"　PC-０１２ \",受付PC\nＳＶ－００１,サーバ\n");
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(["PC-012", "SV-001"], result.Rows.Select(r => r.ControlNumber));
        // Said once, with the first row and how many more: a ledger typed all in full-width would otherwise bury the rest.
        Assert.Equal("2行目: 管理番号「PC-０１２」は「PC-012」として記録します（全角の英数字・記号は半角にそろえます。次の取り込みでも同じ機器になります。ほかに 1 行を同じようにそろえます）",
            Assert.Single(result.Warnings).TextJa);
        Assert.Empty(Import("管理番号,機器名\nPC-012,受付PC\n").Warnings);
        Assert.Equal("3行目: 管理番号「PC-012」が重複しています（2行目と同じ）",
            Assert.Single(Import("管理番号,機器名\nPC-０１２,受付PC\nPC-012,医事PC\n").Errors).TextJa);
        Assert.Equal("PC-012", new Asset { ControlNumber = " PC-０１２　" }.ControlNumber); // the form and the scan write through the entity
    }

    [Fact]
    public void The_preview_holds_the_first_twenty_rows_as_they_will_be_stored()
    {
        var csv = "管理番号,IPアドレス,登録日,状態,種別\n" + string.Concat(Enumerable.Range(1, 30).Select(i => $"PC-{i:000},１９２.１６８.０.{i},H30.4.{i % 28 + 1},稼働中,ノートPC\n"));
        var streamed = new List<AssetImportRow>();
        var result = AssetImportReader.Read(CsvReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv))), null, streamed.Add);
        Assert.Equal((30, 20), (streamed.Count, result.Preview.Count));
        Assert.Equal(Enumerable.Range(2, 20), result.Preview.Select(r => r.RowNumber));
        var first = result.Preview[0];
        Assert.Equal(("PC-001", "192.168.0.1", "2018/4/2", "稼働中", "端末PC"),
            (first.StoredValue(AssetField.ControlNumber), first.StoredValue(AssetField.IpAddress), first.StoredValue(AssetField.RegisteredOn),
             first.StoredValue(AssetField.Status), first.StoredValue(AssetField.Category)));
    }

    [Fact]
    public void An_xlsx_ledger_with_a_footnote_under_formatted_blank_rows_imports_its_devices()
    {
        var xlsx = XlsxReaderTests.Workbook(
            """
            <row r="1"><c r="A1" t="inlineStr"><is><t>管理番号</t></is></c><c r="B1" t="inlineStr"><is><t>設置場所</t></is></c></row>
            <row r="2"><c r="A2" t="inlineStr"><is><t>PC-001</t></is></c><c r="B2" t="inlineStr"><is><t>外来</t></is></c></row>
            <row r="3"><c r="A3" s="1"/><c r="B3" s="1"/></row>
            <row r="5"><c r="A5" t="inlineStr"><is><t>＊ 令和6年7月1日現在</t></is></c></row>
            """);
        var result = AssetImportReader.Read(XlsxReader.Read(new MemoryStream(xlsx)));
        Assert.True(result.Succeeded, Errors(result));
        Assert.Equal(["PC-001"], result.Rows.Select(r => r.ControlNumber));
        Assert.Equal("5行目: 表の下の注記「＊ 令和6年7月1日現在」は機器の行ではないため、取り込みません", result.Warnings[^1].TextJa);
    }
}
