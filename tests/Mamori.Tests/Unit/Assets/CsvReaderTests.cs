using System.Text;
using Mamori.Features.Assets.Import;

namespace Mamori.Tests.Unit.Assets;

public sealed class CsvReaderTests
{
    static readonly Encoding ShiftJis;

    static CsvReaderTests()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        ShiftJis = Encoding.GetEncoding(932);
    }

    const string Text = "管理番号,機器名,設置場所\r\n001,電子カルテサーバ,サーバ室\r\n002,受付PC,受付\r\n";

    static List<SourceRow> Read(byte[] bytes, ReadLimits? limits = null) => CsvReader.Read(new MemoryStream(bytes), limits).ToList();

    static string[] Texts(SourceRow row) => row.Cells.Select(c => c.Text).ToArray();

    [Fact]
    public void Utf8_with_bom()
    {
        var rows = Read([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Text)]);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["管理番号", "機器名", "設置場所"], Texts(rows[0]));
        Assert.Equal(["002", "受付PC", "受付"], Texts(rows[2]));
    }

    [Fact]
    public void Utf8_without_bom() =>
        Assert.Equal(["001", "電子カルテサーバ", "サーバ室"], Texts(Read(Encoding.UTF8.GetBytes(Text))[1]));

    [Fact]
    public void Shift_jis_as_japanese_excel_saves_it()
    {
        var rows = Read(ShiftJis.GetBytes(Text + "003,ﾚｾｺﾝ端末,①診察室\r\n"));
        Assert.Equal(["001", "電子カルテサーバ", "サーバ室"], Texts(rows[1]));
        Assert.Equal(["003", "ﾚｾｺﾝ端末", "①診察室"], Texts(rows[3]));
    }

    [Fact]
    public void A_file_mixing_utf8_and_shift_jis_is_refused_at_the_first_odd_line()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes("管理番号,機器名\n001,サーバ\n"));
        bytes.AddRange(ShiftJis.GetBytes("002,端末\n"));
        var e = Assert.Throws<ImportFileException>(() => Read([.. bytes]));
        Assert.StartsWith("3行目: 文字コードが混在しています（1行目はUTF-8、3行目はShift_JIS）", e.MessageJa);
    }

    [Fact]
    public void Bytes_valid_in_neither_encoding_are_refused_with_their_line()
    {
        var bytes = Encoding.ASCII.GetBytes("a,b\nc,d\n").Concat(new byte[] { 0x41, 0xFF, 0xFE, 0x0A }).ToArray();
        var e = Assert.Throws<ImportFileException>(() => Read(bytes));
        Assert.StartsWith("3行目: UTF-8 としても Shift_JIS としても読めない文字があります", e.MessageJa);
    }

    [Fact]
    public void Quotes_doubled_quotes_and_line_breaks_inside_quotes()
    {
        var rows = Read(Encoding.UTF8.GetBytes("a,b\r\n\"1,2\",\"say \"\"hi\"\"\"\r\n\"line1\r\nline2\",x\nlast,\"\"\n"));
        Assert.Equal([1, 2, 3, 5], rows.Select(r => r.Number));
        Assert.Equal(["1,2", "say \"hi\""], Texts(rows[1]));
        Assert.Equal(["line1\nline2", "x"], Texts(rows[2]));
        Assert.Equal(["last", ""], Texts(rows[3]));
    }

    [Fact]
    public void Text_after_a_closing_quote_is_kept_as_excel_does() =>
        Assert.Equal(["ab", "c\"d", "e"], Texts(Read(Encoding.UTF8.GetBytes("\"a\"b,c\"d,\"e\"\n"))[0]));

    [Fact]
    public void Lines_longer_than_the_read_buffer_are_read_whole_and_too_long_lines_are_refused()
    {
        var longText = new string('あ', 40_000); // 120 KB of UTF-8, across the 64 KB read buffer
        var rows = Read(Encoding.UTF8.GetBytes($"a,b\r\n\"{longText}\r\n{longText}\",x\r\nlast,1"), new ReadLimits { MaxFieldLength = 100_000 });
        Assert.Equal([1, 2, 4], rows.Select(r => r.Number));
        Assert.Equal([$"{longText}\n{longText}", "x"], Texts(rows[1]));
        Assert.Equal(["last", "1"], Texts(rows[2]));
        var e = Assert.Throws<ImportFileException>(() => Read(Encoding.UTF8.GetBytes("a\n" + new string('x', 101) + "\nb\n"), new ReadLimits { MaxLineBytes = 100 }));
        Assert.Equal("2行目が長すぎます（100バイトを超えています）", e.MessageJa);
    }

    [Fact]
    public void The_last_line_needs_no_line_break_and_empty_lines_are_rows()
    {
        var rows = Read(Encoding.UTF8.GetBytes("a\n\nb"));
        Assert.Equal([1, 2, 3], rows.Select(r => r.Number));
        Assert.True(rows[1].IsBlank);
    }

    [Fact]
    public void An_unclosed_quote_is_an_error()
    {
        var e = Assert.Throws<ImportFileException>(() => Read(Encoding.UTF8.GetBytes("a,b\n\"open,x\nmore\n")));
        Assert.Equal("2行目から始まる引用符（\"）が閉じられていません", e.MessageJa);
    }

    [Fact]
    public void Too_many_rows_stop_the_read()
    {
        var e = Assert.Throws<ImportFileException>(() => Read(Encoding.UTF8.GetBytes("a\nb\nc\nd\n"), new ReadLimits { MaxRows = 3 }));
        Assert.Equal("行数が上限（3行）を超えています", e.MessageJa);
        Assert.Equal("行数が上限（1,000,000行）を超えています", ImportFileException.TooManyRows(new ReadLimits().MaxRows).MessageJa);
    }

    [Fact]
    public void Too_long_fields_stop_the_read()
    {
        var e = Assert.Throws<ImportFileException>(() => Read(Encoding.UTF8.GetBytes("a\n" + new string('x', 11) + "\n"), new ReadLimits { MaxFieldLength = 10 }));
        Assert.Equal("2行目: セルの文字数が上限（10文字）を超えています", e.MessageJa);
    }
}
