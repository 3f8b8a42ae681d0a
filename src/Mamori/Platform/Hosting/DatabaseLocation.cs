namespace Mamori.Platform.Hosting;

/// <summary>
/// Where Mamori's database is: MAMORI_DB (a PostgreSQL connection string) if set, otherwise the
/// private cluster in MAMORI_DATA (default ./.mamori-data).
/// </summary>
public sealed record DatabaseLocation(string ConnectionString, EmbeddedPostgres? Embedded)
{
    public static string DataFolder(IConfiguration? config = null) =>
        config?["MAMORI_DATA"] ?? Environment.GetEnvironmentVariable("MAMORI_DATA") ?? Path.Combine(Environment.CurrentDirectory, ".mamori-data");

    public static DatabaseLocation Resolve(IConfiguration? config = null, ILogger? log = null)
    {
        var external = config?["MAMORI_DB"] ?? Environment.GetEnvironmentVariable("MAMORI_DB");
        if (!string.IsNullOrWhiteSpace(external)) return new DatabaseLocation(external, null);
        var embedded = new EmbeddedPostgres(DataFolder(config), log);
        return new DatabaseLocation(embedded.ConnectionString(), embedded);
    }

    public string Describe() => Embedded is null ? "MAMORI_DB" : $"private cluster in {Embedded.Root}";
}
