using System.Text;

namespace Mamori.Assets.Import;

/// <summary>
/// Splits a CSV byte stream into physical lines and decodes each one as UTF-8 (with or without BOM) or
/// Shift_JIS (CP932, what Japanese Excel writes for 「CSV（コンマ区切り）」). The encoding is decided by the first line
/// that is not plain ASCII (UTF-8 first: CP932 text is practically never valid UTF-8); a later line that only
/// decodes in the other encoding means the file mixes both, and the file is refused with that line's number.
/// LF and CR never occur inside a CP932 character, so splitting bytes at LF is safe in both encodings.
/// </summary>
sealed class EncodedLines(Stream stream, ReadLimits limits)
{
    enum FileEncoding { Undecided, Utf8, ShiftJis }

    static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    static readonly Encoding StrictShiftJis;

    static EncodedLines()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        StrictShiftJis = Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    FileEncoding encoding = FileEncoding.Undecided;
    int decidedOnLine;

    /// <summary>Lines with their 1-based numbers, without the line terminator (LF or CRLF).</summary>
    public IEnumerable<(int Number, string Text)> Read()
    {
        var buffer = new byte[64 * 1024];
        var line = new byte[4096];
        var length = 0;
        var number = 0;
        var first = true;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            if (first)
            {
                first = false;
                if (read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    start = 3;
                    encoding = FileEncoding.Utf8;
                    decidedOnLine = 1;
                }
            }
            for (var i = start; i < read; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    number++;
                    yield return (number, Decode(line, length, number));
                    length = 0;
                    continue;
                }
                if (length == limits.MaxLineBytes)
                    throw new ImportFileException($"{number + 1}行目が長すぎます（{ImportFileException.Count(limits.MaxLineBytes)}バイトを超えています）",
                        $"Line {number + 1} is longer than {ImportFileException.Count(limits.MaxLineBytes)} bytes");
                if (length == line.Length) Array.Resize(ref line, Math.Min(line.Length * 2, limits.MaxLineBytes));
                line[length++] = buffer[i];
            }
        }
        if (length > 0) yield return (number + 1, Decode(line, length, number + 1));
    }

    string Decode(byte[] bytes, int length, int number)
    {
        if (length > 0 && bytes[length - 1] == (byte)'\r') length--;
        var span = bytes.AsSpan(0, length);
        if (!span.ContainsAnyInRange((byte)0x80, (byte)0xFF)) return Encoding.ASCII.GetString(span);

        if (encoding == FileEncoding.Undecided)
        {
            if (TryDecode(StrictUtf8, span, out var utf8)) { Decide(FileEncoding.Utf8, number); return utf8; }
            if (TryDecode(StrictShiftJis, span, out var sjis)) { Decide(FileEncoding.ShiftJis, number); return sjis; }
            throw Unreadable(number);
        }
        var (expected, other) = encoding == FileEncoding.Utf8 ? (StrictUtf8, StrictShiftJis) : (StrictShiftJis, StrictUtf8);
        if (TryDecode(expected, span, out var text)) return text;
        if (TryDecode(other, span, out _))
            throw new ImportFileException(
                $"{number}行目: 文字コードが混在しています（{decidedOnLine}行目は{Name(encoding)}、{number}行目は{Name(Other(encoding))}）。" +
                "ファイル全体を同じ文字コードで保存し直してください",
                $"Line {number}: the file mixes character encodings ({Name(encoding)} on line {decidedOnLine}, " +
                $"{Name(Other(encoding))} on line {number})");
        throw Unreadable(number);
    }

    void Decide(FileEncoding decided, int number) => (encoding, decidedOnLine) = (decided, number);

    /// <summary>
    /// Strict decoding. Windows maps the lone bytes 0x80, 0xA0 and 0xFD–0xFF of CP932 to U+0080 and U+F8F0–U+F8F3;
    /// they are not characters, so text containing them does not count as Shift_JIS (外字 in U+E000… still does).
    /// </summary>
    static bool TryDecode(Encoding enc, ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = enc.GetString(bytes);
            return enc != StrictShiftJis || text.AsSpan().IndexOfAny("\u0080\uF8F0\uF8F1\uF8F2\uF8F3") < 0;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    static FileEncoding Other(FileEncoding e) => e == FileEncoding.Utf8 ? FileEncoding.ShiftJis : FileEncoding.Utf8;

    static string Name(FileEncoding e) => e == FileEncoding.Utf8 ? "UTF-8" : "Shift_JIS";

    static ImportFileException Unreadable(int number) => new(
        $"{number}行目: UTF-8 としても Shift_JIS としても読めない文字があります。CSV は UTF-8 か Shift_JIS で保存してください",
        $"Line {number}: bytes that are neither valid UTF-8 nor valid Shift_JIS");
}
