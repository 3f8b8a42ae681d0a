using System.Runtime.CompilerServices;
using System.Text;

namespace Mamori.Features.Assets.Import;

/// <summary>
/// RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF), streamed record by record.
/// Each row carries the line number it starts on. Lenient where Excel is: text after a closing quote is kept.
/// Line breaks inside a quoted field come back as "\n".
/// </summary>
public static class CsvReader
{
    public static IEnumerable<SourceRow> Read(Stream stream, ReadLimits? limits = null)
    {
        var records = new Records(new EncodedLines(stream, limits ??= new ReadLimits()), limits);
        while (records.Next() is { } row) yield return row;
    }

    /// <summary>
    /// Splits lines into fields with vectorised searches for the next comma or quote. Optimised from the first call
    /// (an import runs this loop once per cell in a process that has just started).
    /// </summary>
    sealed class Records(EncodedLines lines, ReadLimits limits)
    {
        readonly List<SourceCell> fields = [];
        readonly StringBuilder quoted = new();
        int rows;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public SourceRow? Next()
        {
            if (!lines.TryRead(out var startLine, out var text)) return null;
            fields.Clear();
            var at = 0;
            while (true)
            {
                if (at < text.Length && text[at] == '"')
                {
                    quoted.Clear();
                    at++;
                    while (true)
                    {
                        var quote = text[at..].IndexOf('"');
                        if (quote < 0)
                        {
                            // The line ends inside the quotes: the field goes on on the next line.
                            Append(text[at..], startLine);
                            if (!lines.TryRead(out _, out text))
                                throw new ImportFileException($"{startLine}行目から始まる引用符（\"）が閉じられていません",
                                    $"The quote opened on line {startLine} is never closed");
                            Append("\n", startLine);
                            at = 0;
                            continue;
                        }
                        Append(text.Slice(at, quote), startLine);
                        at += quote + 1;
                        if (at < text.Length && text[at] == '"')
                        {
                            Append("\"", startLine);
                            at++;
                        }
                        else break;
                    }
                    // Lenient (as Excel): text between the closing quote and the next comma is kept.
                    var after = Until(text[at..]);
                    Append(after, startLine);
                    at += after.Length;
                    Add(quoted.Length == 0 ? SourceCell.Empty : new SourceCell(quoted.ToString()), startLine);
                }
                else
                {
                    var value = Until(text[at..]);
                    if (value.Length > limits.MaxFieldLength) throw ImportFileException.FieldTooLong(startLine, limits.MaxFieldLength);
                    Add(value.Length == 0 ? SourceCell.Empty : new SourceCell(new string(value)), startLine);
                    at += value.Length;
                }
                if (at >= text.Length) break;
                at++; // the comma
            }
            if (++rows > limits.MaxRows) throw ImportFileException.TooManyRows(limits.MaxRows);
            return new SourceRow(startLine, fields.ToArray());
        }

        static ReadOnlySpan<char> Until(ReadOnlySpan<char> text) => text.IndexOf(',') is >= 0 and var comma ? text[..comma] : text;

        void Append(ReadOnlySpan<char> part, int startLine)
        {
            quoted.Append(part);
            if (quoted.Length > limits.MaxFieldLength) throw ImportFileException.FieldTooLong(startLine, limits.MaxFieldLength);
        }

        void Add(SourceCell cell, int startLine)
        {
            if (fields.Count == limits.MaxColumns) throw ImportFileException.TooManyColumns(startLine, limits.MaxColumns);
            fields.Add(cell);
        }
    }
}
