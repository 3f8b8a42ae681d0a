using Mamori.Platform.Cli;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace Mamori.EfDesign;

/// <summary>Lets `dotnet ef` build the model without starting the server; no connection is opened.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MamoriDb>
{
    public MamoriDb CreateDbContext(string[] args) => MamoriCommandLine.Open("Host=localhost;Database=mamori_design");
}

public static class Program
{
    public static void Main() { }
}
