using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Mamori.Features.Assets.Import;

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

    static readonly Encoding StrictShiftJis;

    static EncodedLines()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        StrictShiftJis = Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    FileEncoding encoding = FileEncoding.Undecided;
    int decidedOnLine;
    readonly byte[] buffer = new byte[64 * 1024];
    int start, end;
    bool started;
    /// <summary>The beginning of a line that continues past the end of <see cref="buffer"/>.</summary>
    byte[] partial = new byte[4096];
    char[] text = new char[4096];
    int number;

    /// <summary>
    /// The next line without its terminator (LF or CRLF) and its 1-based number, or false at the end of the file.
    /// The text is only valid until the next call.
    /// </summary>
    public bool TryRead(out int lineNumber, out ReadOnlySpan<char> line)
    {
        var carried = 0;
        while (start < end || Fill())
        {
            var available = buffer.AsSpan(start, end - start);
            var lf = available.IndexOf((byte)'\n');
            if (lf < 0)
            {
                Carry(ref carried, available);
                start = end;
                continue;
            }
            var bytes = available[..lf];
            if (carried > 0)
            {
                Carry(ref carried, bytes);
                bytes = partial.AsSpan(0, carried);
            }
            else if (lf > limits.MaxLineBytes) throw TooLong(number + 1);
            start += lf + 1;
            lineNumber = ++number;
            line = Decode(bytes, lineNumber);
            return true;
        }
        if (carried == 0)
        {
            lineNumber = 0;
            line = default;
            return false;
        }
        lineNumber = ++number;
        line = Decode(partial.AsSpan(0, carried), lineNumber);
        return true;
    }

    bool Fill()
    {
        (start, end) = (0, stream.Read(buffer, 0, buffer.Length));
        if (!started && end > 0)
        {
            started = true;
            if (end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                start = 3;
                Decide(FileEncoding.Utf8, 1);
            }
        }
        return end > 0;
    }

    void Carry(ref int carried, ReadOnlySpan<byte> bytes)
    {
        if (carried + bytes.Length > limits.MaxLineBytes) throw TooLong(number + 1);
        if (carried + bytes.Length > partial.Length) Array.Resize(ref partial, Math.Min(Math.Max(partial.Length * 2, carried + bytes.Length), limits.MaxLineBytes));
        bytes.CopyTo(partial.AsSpan(carried));
        carried += bytes.Length;
    }

    ImportFileException TooLong(int line) =>
        new($"{line}行目が長すぎます（{ImportFileException.Count(limits.MaxLineBytes)}バイトを超えています）",
            $"Line {line} is longer than {ImportFileException.Count(limits.MaxLineBytes)} bytes");

    ReadOnlySpan<char> Decode(ReadOnlySpan<byte> bytes, int line)
    {
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
        // Every encoding here yields at most one UTF-16 unit per byte.
        if (text.Length < bytes.Length) text = new char[Math.Max(bytes.Length, text.Length * 2)];
        int length;
        if (!bytes.ContainsAnyInRange((byte)0x80, (byte)0xFF))
        {
            Ascii.ToUtf16(bytes, text, out length);
            return text.AsSpan(0, length);
        }

        if (encoding == FileEncoding.Undecided)
        {
            if (TryDecode(FileEncoding.Utf8, bytes, out length)) { Decide(FileEncoding.Utf8, line); return text.AsSpan(0, length); }
            if (TryDecode(FileEncoding.ShiftJis, bytes, out length)) { Decide(FileEncoding.ShiftJis, line); return text.AsSpan(0, length); }
            throw Unreadable(line);
        }
        if (TryDecode(encoding, bytes, out length)) return text.AsSpan(0, length);
        if (TryDecode(Other(encoding), bytes, out _))
            throw new ImportFileException(
                $"{line}行目: 文字コードが混在しています（{decidedOnLine}行目は{Name(encoding)}、{line}行目は{Name(Other(encoding))}）。" +
                "ファイル全体を同じ文字コードで保存し直してください",
                $"Line {line}: the file mixes character encodings ({Name(encoding)} on line {decidedOnLine}, " +
                $"{Name(Other(encoding))} on line {line})");
        throw Unreadable(line);
    }

    void Decide(FileEncoding decided, int line) => (encoding, decidedOnLine) = (decided, line);

    /// <summary>
    /// Strict decoding. Windows maps the lone bytes 0x80, 0xA0 and 0xFD–0xFF of CP932 to U+0080 and U+F8F0–U+F8F3;
    /// they are not characters, so text containing them does not count as Shift_JIS (外字 in U+E000… still does).
    /// </summary>
    bool TryDecode(FileEncoding candidate, ReadOnlySpan<byte> bytes, out int length)
    {
        if (candidate == FileEncoding.Utf8)
            return Utf8.ToUtf16(bytes, text, out _, out length, replaceInvalidSequences: false) == OperationStatus.Done;
        try
        {
            length = StrictShiftJis.GetChars(bytes, text);
            return text.AsSpan(0, length).IndexOfAny("\u0080\uF8F0\uF8F1\uF8F2\uF8F3") < 0;
        }
        catch (DecoderFallbackException)
        {
            length = 0;
            return false;
        }
    }

    static FileEncoding Other(FileEncoding e) => e == FileEncoding.Utf8 ? FileEncoding.ShiftJis : FileEncoding.Utf8;

    static string Name(FileEncoding e) => e == FileEncoding.Utf8 ? "UTF-8" : "Shift_JIS";

    static ImportFileException Unreadable(int line) => new(
        $"{line}行目: UTF-8 としても Shift_JIS としても読めない文字があります。CSV は UTF-8 か Shift_JIS で保存してください",
        $"Line {line}: bytes that are neither valid UTF-8 nor valid Shift_JIS");
}
