using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Mamori.Features.Assets.Import;

namespace Mamori.Tests.Unit.Assets;

public sealed class XlsxReaderTests
{
    const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>A workbook whose parts are written as XML, so each test states exactly what Excel would store.</summary>
    internal static byte[] Workbook(string sheetData, string? sharedStrings = null, string? sheetName = "台帳", string? extraSheet = null)
    {
        var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var sheets = wb.Workbook.AppendChild(new Sheets());
            uint id = 1;
            foreach (var (name, data) in new[] { (sheetName!, sheetData), ("別シート", extraSheet) })
            {
                if (data is null) continue;
                var ws = wb.AddNewPart<WorksheetPart>();
                Feed(ws, $"<worksheet xmlns=\"{Main}\"><sheetData>{data}</sheetData></worksheet>");
                sheets.Append(new Sheet { Name = name, SheetId = id++, Id = wb.GetIdOfPart(ws) });
            }
            if (sharedStrings is not null) Feed(wb.AddNewPart<SharedStringTablePart>(), $"<sst xmlns=\"{Main}\">{sharedStrings}</sst>");
            // Style 0: General; 1: built-in date (14); 2: custom yyyy/m/d (164); 3: text "@" (49).
            Feed(wb.AddNewPart<WorkbookStylesPart>(),
                $"<styleSheet xmlns=\"{Main}\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d;@\"/></numFmts>" +
                "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>" +
                "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"49\"/></cellXfs></styleSheet>");
            wb.Workbook.Save();
        }
        return stream.ToArray();
    }

    static void Feed(OpenXmlPart part, string xml) => part.FeedData(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    static List<SourceRow> Read(byte[] bytes, string? sheet = null, ReadLimits? limits = null) =>
        XlsxReader.Read(new MemoryStream(bytes), sheet, limits).ToList();

    [Fact]
    public void Reads_shared_strings_numbers_dates_and_sparse_cells()
    {
        var xlsx = Workbook(
            """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>
            <row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>2.5</v></c><c r="D3" s="1"><v>44166</v></c></row>
            <row r="4"><c r="A4" t="inlineStr"><is><t>002</t></is></c><c r="B4" s="3"><v>7</v></c><c r="D4" s="2"><v>45474</v></c></row>
            <row r="5"><c r="A5" s="1"/></row>
            """,
            """
            <si><t>管理番号</t></si><si><t>バージョン</t></si>
            <si><r><t>登録</t></r><r><t>日</t></r><rPh sb="0" eb="2"><t>トウロク</t></rPh></si>
            <si><t xml:space="preserve">001</t></si>
            """);
        var rows = Read(xlsx);
        Assert.Equal([1, 3, 4], rows.Select(r => r.Number));
        Assert.Equal(["管理番号", "バージョン", "", "登録日"], rows[0].Cells.Select(c => c.Text));
        Assert.Equal(new SourceCell("2.5", CellKind.Number), rows[1][1]);
        Assert.Equal(new SourceCell("2020-12-01", CellKind.Date), rows[1][3]);
        Assert.Equal(new SourceCell("002"), rows[2][0]);
        Assert.Equal(new SourceCell("2024-07-01", CellKind.Date), rows[2][3]);
        Assert.Equal("", rows[2][2].Text);
    }

    [Fact]
    public void A_formula_cell_yields_its_cached_value_and_says_so()
    {
        var rows = Read(Workbook("""<row r="1"><c r="A1" t="str"><f>"PC-"&amp;B1</f><v>PC-1</v></c><c r="B1"><f>1+1</f><v>2</v></c></row>"""));
        Assert.Equal(new SourceCell("PC-1", CellKind.Text, FromFormula: true), rows[0][0]);
        Assert.Equal(new SourceCell("2", CellKind.Number, FromFormula: true), rows[0][1]);
    }

    [Fact]
    public void A_named_sheet_is_read_and_a_missing_one_is_an_error()
    {
        var xlsx = Workbook("""<row r="1"><c r="A1" t="inlineStr"><is><t>first</t></is></c></row>""",
            extraSheet: """<row r="2"><c r="C2" t="inlineStr"><is><t>second</t></is></c></row>""");
        Assert.Equal("first", Read(xlsx).Single()[0].Text);
        var row = Read(xlsx, "別シート").Single();
        Assert.Equal((2, "second"), (row.Number, row[2].Text));
        Assert.Equal("シート「ない」が見つかりません", Assert.Throws<ImportFileException>(() => Read(xlsx, "ない")).MessageJa);
    }

    [Fact]
    public void A_text_file_renamed_to_xlsx_is_refused()
    {
        var e = Assert.Throws<ImportFileException>(() => Read(Encoding.UTF8.GetBytes("管理番号,機器名\n001,PC\n")));
        Assert.StartsWith("Excel（.xlsx）ファイルとして読めません", e.MessageJa);
    }

    [Fact]
    public void A_zip_that_is_not_a_workbook_is_refused()
    {
        var e = Assert.Throws<ImportFileException>(() => Read(Zip(("readme.txt", Encoding.UTF8.GetBytes("hello")))));
        Assert.StartsWith("Excel（.xlsx）ファイルとして読めません", e.MessageJa);
    }

    static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                s.Write(content);
            }
        return stream.ToArray();
    }

    /// <summary>A sheet that is mostly the same byte over and over: tiny compressed, large inflated.</summary>
    static byte[] Bomb(int megabytes)
    {
        var padding = new string(' ', megabytes * 1024 * 1024);
        return Workbook($"""<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>{padding}""");
    }

    [Fact]
    public void An_entry_with_an_extreme_compression_ratio_is_refused_before_it_is_inflated()
    {
        var e = Assert.Throws<ImportFileException>(() => Read(Bomb(4)));
        Assert.StartsWith("圧縮率が異常に高いため読み込みません（xl/worksheets/", e.MessageJa);
    }

    [Fact]
    public void An_entry_declaring_more_than_the_size_limit_is_refused()
    {
        var e = Assert.Throws<ImportFileException>(() => Read(Bomb(4), limits: new ReadLimits { MaxUncompressedBytes = 2 * 1024 * 1024 }));
        Assert.Equal("展開後のサイズが上限（2 MB）を超えるため読み込みません", e.MessageJa);
    }

    [Fact]
    public void A_zip_that_under_declares_its_sizes_is_still_stopped()
    {
        var xlsx = Bomb(4);
        Assert.True(UncompressedSize(xlsx, "xl/worksheets/sheet1.xml") > 4 * 1024 * 1024);
        PatchUncompressedSize(xlsx, "xl/worksheets/sheet1.xml", 1000);
        // .NET's zip reader stops at the declared size, so the sheet's XML ends early and the file is refused.
        var e = Assert.Throws<ImportFileException>(() => Read(xlsx, limits: new ReadLimits { MaxUncompressedBytes = 2 * 1024 * 1024 }));
        Assert.StartsWith("Excel（.xlsx）ファイルとして読めません", e.MessageJa);
    }

    [Fact]
    public void Inflated_bytes_are_counted_across_parts()
    {
        var budget = new XlsxPackage.InflatedBytes(2 * 1024 * 1024);
        new XlsxPackage.CountingStream(new MemoryStream(new byte[1024 * 1024]), budget).CopyTo(Stream.Null);
        var second = new XlsxPackage.CountingStream(new MemoryStream(new byte[1024 * 1024 + 1]), budget);
        var e = Assert.Throws<ImportFileException>(() => second.CopyTo(Stream.Null));
        Assert.Equal("展開後のサイズが上限（2 MB）を超えるため読み込みません", e.MessageJa);
    }

    static long UncompressedSize(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.Single(e => e.FullName == name).Length;
    }

    /// <summary>Rewrites the uncompressed size in the local and central headers of one entry (as a forged zip would).</summary>
    static void PatchUncompressedSize(byte[] zip, string name, uint size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var sig = BitConverter.ToUInt32(zip, i);
            if (sig == 0x04034b50 && Matches(zip, i + 30, BitConverter.ToUInt16(zip, i + 26), nameBytes))
                BitConverter.TryWriteBytes(zip.AsSpan(i + 22), size);
            if (sig == 0x02014b50 && Matches(zip, i + 46, BitConverter.ToUInt16(zip, i + 28), nameBytes))
                BitConverter.TryWriteBytes(zip.AsSpan(i + 24), size);
        }

        static bool Matches(byte[] zip, int at, int length, byte[] nameBytes) =>
            length == nameBytes.Length && at + length <= zip.Length && zip.AsSpan(at, length).SequenceEqual(nameBytes);
    }

    [Theory]
    [InlineData("yyyy/m/d", true)]
    [InlineData("[$-ja-JP-x-gannen]ggge\"年\"m\"月\"d\"日\";@", true)]
    [InlineData("m/d", true)]
    [InlineData("0.00E+00", false)]
    [InlineData("General", false)]
    [InlineData("\"day\"0", false)]
    [InlineData("#,##0", false)]
    public void Date_formats_are_recognised_by_their_codes(string code, bool isDate) =>
        Assert.Equal(isDate, XlsxParts.IsDateFormatCode(code));

    [Theory]
    [InlineData("A1", 0)]
    [InlineData("Z9", 25)]
    [InlineData("AA10", 26)]
    [InlineData("AB12", 27)]
    [InlineData("XFD1", 16383)]
    public void Column_letters_become_indexes(string reference, int index) => Assert.Equal(index, XlsxReader.ColumnIndex(reference));
}
