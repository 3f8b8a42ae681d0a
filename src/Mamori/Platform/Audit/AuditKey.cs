using System.Security.Cryptography;
using System.Text;
using Mamori.Platform.Hosting;

namespace Mamori.Platform.Audit;

/// <summary>
/// The secret the audit chain is keyed with (HMAC-SHA256), kept outside the database so that whoever controls the
/// database alone cannot recompute the chain after changing a row. Either <c>MAMORI_AUDIT_KEY</c> (64 hex characters or
/// base64 of at least 32 bytes) or the file <c>audit.key</c> in the data folder (MAMORI_DATA), created on first start
/// with mode 0600. The server and the command line must use the same key (they share MAMORI_DATA).
/// </summary>
public sealed class AuditKey
{
    public const string Setting = "MAMORI_AUDIT_KEY";
    public const string FileName = "audit.key";

    readonly byte[] entryKey;
    readonly byte[] anchorKey;

    /// <summary>Where the key file and the anchor files live (MAMORI_DATA).</summary>
    public string DataFolder { get; }

    AuditKey(byte[] secret, string dataFolder)
    {
        entryKey = HMACSHA256.HashData(secret, "mamori audit entry v2"u8);
        anchorKey = HMACSHA256.HashData(secret, "mamori audit anchor v1"u8);
        DataFolder = dataFolder;
    }

    public static AuditKey Load(IConfiguration? config = null)
    {
        var folder = DatabaseLocation.DataFolder(config);
        var configured = config?[Setting] ?? Environment.GetEnvironmentVariable(Setting);
        return new AuditKey(string.IsNullOrWhiteSpace(configured) ? ReadOrCreate(Path.Combine(folder, FileName)) : Parse(configured), folder);
    }

    public string MacEntry(string canonical) => Convert.ToHexStringLower(HMACSHA256.HashData(entryKey, Encoding.UTF8.GetBytes(canonical)));
    public string MacAnchor(string canonical) => Convert.ToHexStringLower(HMACSHA256.HashData(anchorKey, Encoding.UTF8.GetBytes(canonical)));

    static byte[] Parse(string text)
    {
        text = text.Trim();
        try
        {
            var bytes = text.Length >= 64 && text.All(Uri.IsHexDigit) ? Convert.FromHexString(text) : Convert.FromBase64String(text);
            if (bytes.Length >= 32) return bytes;
        }
        catch (FormatException) { }
        throw new MamoriStartupException(
            $"{Setting} の値が監査ログの鍵として使えません。16進数 64 文字（32 バイト）以上、または 32 バイト以上の base64 を指定してください（例: openssl rand -hex 32）。",
            $"{Setting} must be at least 32 bytes as hex (64 characters) or base64 (e.g. openssl rand -hex 32).");
    }

    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    static byte[] ReadOrCreate(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path))
            {
                try
                {
                    var secret = RandomNumberGenerator.GetBytes(32);
                    using (var f = new FileStream(path, new FileStreamOptions
                           { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
                        f.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret) + "\n"));
                    return secret;
                }
                catch (IOException) when (File.Exists(path)) { } // another process created it first: read theirs
            }
            // Readable by others: whoever could read it could forge the chain. Close it again (the key stays the same).
            if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0) File.SetUnixFileMode(path, OwnerOnly);
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MamoriStartupException(
                $"監査ログの鍵ファイル {path} を読み書きできません: {e.Message}。データフォルダ（MAMORI_DATA）の権限を確認するか、{Setting} を設定してください。",
                $"Cannot read or create the audit key file {path}; check MAMORI_DATA permissions or set {Setting}.");
        }
    }
}
