namespace Mamori.Tests.Unit.Assets;

/// <summary>Files of the repository, found by walking up from the test assembly to Mamori.slnx.</summary>
static class SourceTree
{
    public static string PathOf(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mamori.slnx"))) return Path.Combine(dir.FullName, relative);
        throw new InvalidOperationException("Mamori.slnx not found above " + AppContext.BaseDirectory);
    }
}
