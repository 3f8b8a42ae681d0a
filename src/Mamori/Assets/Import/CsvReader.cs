using System.Text;

namespace Mamori.Assets.Import;

/// <summary>
/// RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF), streamed record by record.
/// Each row carries the line number it starts on. Lenient where Excel is: text after a closing quote is kept.
/// Line breaks inside a quoted field come back as "\n".
/// </summary>
public static class CsvReader
{
    public static IEnumerable<SourceRow> Read(Stream stream, ReadLimits? limits = null)
    {
        limits ??= new ReadLimits();
        var fields = new List<SourceCell>();
        var field = new StringBuilder();
        var inQuotes = false;
        var quoted = false;
        var startLine = 0;
        var rows = 0;
        foreach (var (number, text) in new EncodedLines(stream, limits).Read())
        {
            if (!inQuotes) startLine = number;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (inQuotes)
                {
                    if (c != '"') field.Append(c);
                    else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else inQuotes = false;
                }
                else if (c == ',') EndField();
                else if (c == '"' && field.Length == 0 && !quoted) inQuotes = quoted = true;
                else field.Append(c);
                if (field.Length > limits.MaxFieldLength) throw ImportFileException.FieldTooLong(startLine, limits.MaxFieldLength);
            }
            if (inQuotes)
            {
                field.Append('\n');
                continue;
            }
            EndField();
            if (++rows > limits.MaxRows) throw ImportFileException.TooManyRows(limits.MaxRows);
            yield return new SourceRow(startLine, fields.ToArray());
            fields.Clear();
        }
        if (inQuotes)
            throw new ImportFileException($"{startLine}行目から始まる引用符（\"）が閉じられていません",
                $"The quote opened on line {startLine} is never closed");

        void EndField()
        {
            if (fields.Count == limits.MaxColumns) throw ImportFileException.TooManyColumns(startLine, limits.MaxColumns);
            fields.Add(field.Length == 0 ? SourceCell.Empty : new SourceCell(field.ToString()));
            field.Clear();
            quoted = false;
        }
    }
}
