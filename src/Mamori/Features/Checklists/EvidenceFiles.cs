using System.IO.Compression;

namespace Mamori.Features.Checklists;

/// <summary>
/// Which files may be attached as evidence (PDF, Office, images, text): the extension decides the type, and the
/// content must really be of that type (a renamed .exe is refused). The size limit is MAMORI_MAX_UPLOAD_MB (20 MB).
/// </summary>
public static class EvidenceFiles
{
    static readonly Dictionary<string, (string ContentType, Func<byte[], bool> Looks)> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = ("application/pdf", b => Starts(b, "%PDF-"u8)),
        [".png"] = ("image/png", b => Starts(b, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])),
        [".jpg"] = ("image/jpeg", b => Starts(b, [0xFF, 0xD8, 0xFF])),
        [".jpeg"] = ("image/jpeg", b => Starts(b, [0xFF, 0xD8, 0xFF])),
        [".gif"] = ("image/gif", b => Starts(b, "GIF8"u8)),
        [".docx"] = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b => IsOfficeZip(b, "word/")),
        [".xlsx"] = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b => IsOfficeZip(b, "xl/")),
        [".pptx"] = ("application/vnd.openxmlformats-officedocument.presentationml.presentation", b => IsOfficeZip(b, "ppt/")),
        [".doc"] = ("application/msword", IsOle),
        [".xls"] = ("application/vnd.ms-excel", IsOle),
        [".ppt"] = ("application/vnd.ms-powerpoint", IsOle),
        [".txt"] = ("text/plain; charset=utf-8", IsText),
        [".csv"] = ("text/csv", IsText),
    };

    public static string Accept => string.Join(",", Types.Keys);

    /// <summary>The content type to store, or a Japanese/English reason the file is refused.</summary>
    public static (string? ContentType, string? ErrorJa, string? ErrorEn) Check(string fileName, byte[] content, long maxBytes)
    {
        var ext = Path.GetExtension(fileName);
        if (content.Length == 0) return (null, "空のファイルは添付できません。", "The file is empty.");
        if (content.Length > maxBytes)
            return (null, $"ファイルが大きすぎます（上限 {maxBytes / 1024 / 1024} MB）。", $"The file is larger than {maxBytes / 1024 / 1024} MB.");
        if (!Types.TryGetValue(ext, out var type))
            return (null, $"この種類のファイル（{ext}）は添付できません。PDF・Word・Excel・PowerPoint・画像・テキストにしてください。",
                $"Files of type {ext} cannot be attached.");
        if (!type.Looks(content))
            return (null, $"ファイルの中身が拡張子（{ext}）と一致しません。元のファイルを選び直してください。", $"The content does not match the {ext} extension.");
        return (type.ContentType, null, null);
    }

    static bool Starts(byte[] b, ReadOnlySpan<byte> magic) => b.AsSpan().StartsWith(magic);
    static bool IsOle(byte[] b) => Starts(b, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);

    static bool IsOfficeZip(byte[] b, string folder)
    {
        if (!Starts(b, "PK\u0003\u0004"u8)) return false;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(b, writable: false), ZipArchiveMode.Read);
            return zip.GetEntry("[Content_Types].xml") is not null && zip.Entries.Any(e => e.FullName.StartsWith(folder, StringComparison.Ordinal));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    static bool IsText(byte[] b) => !b.AsSpan(0, Math.Min(b.Length, 8192)).Contains((byte)0);
}
