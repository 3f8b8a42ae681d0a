using System.Text;
using Mamori.Features.Assets;
using Mamori.Features.Assets.Import;

namespace Mamori.Tests.Unit.Assets;

/// <summary>
/// Bad 機器台帳 files, read the way the import reads them (by file name and content, <see cref="AssetImporter.Read"/>):
/// each gets a Japanese message naming the row or the problem, and the result refuses the import. The command line's
/// handling of such a file (exit code, nothing written) is shown once in AssetLedgerTests.
/// </summary>
public sealed class BadLedgerFileTests
{
    static BadLedgerFileTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    static byte[] BadFile(string name) => name switch
    {
        "duplicate.csv" => Encoding.UTF8.GetBytes("管理番号,IPアドレス\nPC-1,10.0.0.1\nPC-1,10.0.0.2\n"),
        "date.csv" => Encoding.UTF8.GetBytes("管理番号,登録日\nPC-1,令和2年2月30日\n"),
        "ip.csv" => Encoding.UTF8.GetBytes("管理番号,IPアドレス\nPC-1,192.168.1.300\n"),
        "formula.csv" => Encoding.UTF8.GetBytes("管理番号,説明\nPC-1,=HYPERLINK(\"http://x\")\n"),
        "empty.csv" => [],
        "renamed.xlsx" => Encoding.UTF8.GetBytes("管理番号,IPアドレス\nPC-1,10.0.0.1\n"),
        "million.csv" => Encoding.UTF8.GetBytes("管理番号,IPアドレス\n" + string.Concat(Enumerable.Range(0, 1_000_000).Select(i => i + ",\n"))),
        "mixed.csv" => [.. Encoding.UTF8.GetBytes("管理番号,設置場所\nPC-1,外来\n"), .. Encoding.GetEncoding(932).GetBytes("PC-2,病棟\n")],
        _ => throw new ArgumentException(name),
    };

    /// <summary>As the importer reads an upload: a file that cannot be read at all becomes the file error.</summary>
    static AssetImportResult Read(string name)
    {
        try
        {
            return AssetImporter.Read(new MemoryStream(BadFile(name), writable: false), name);
        }
        catch (ImportFileException e)
        {
            return new AssetImportResult { FileError = e.Error };
        }
    }

    [Theory]
    [InlineData("duplicate.csv", "3行目")]
    [InlineData("date.csv", "令和2年2月30日")]
    [InlineData("ip.csv", "192.168.1.300")]
    [InlineData("formula.csv", "数式")]
    [InlineData("empty.csv", "")]
    [InlineData("renamed.xlsx", "Excel")]
    [InlineData("million.csv", "上限（200,000行）")]
    [InlineData("mixed.csv", "文字コードが混在")]
    public void Bad_files_get_a_japanese_message_and_are_refused(string name, string expected)
    {
        var result = Read(name);
        Assert.False(result.Succeeded);
        var messages = result.FileError is { } fileError ? fileError.Ja : string.Join("\n", result.Errors.Select(e => e.TextJa));
        Assert.True(messages.Length > 0, name);
        Assert.Contains(expected, messages);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}|\p{IsHiragana}|\p{IsKatakana}", messages);
    }
}
