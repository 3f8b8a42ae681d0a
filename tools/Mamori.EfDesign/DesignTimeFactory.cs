using Mamori.Audit;
using Mamori.Data;
using Mamori.Identity;
using Mamori.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.EfDesign;

/// <summary>
/// Lets `dotnet ef` build the model without starting the server. Identity's store options must match the
/// server's (schema version 3 = passkeys table), so they are registered the same way. No connection is opened.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MamoriDb>
{
    public MamoriDb CreateDbContext(string[] args)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHttpContextAccessor();
        services.AddScoped<TenantContext>();
        services.AddScoped<AuditActor>();
        services.AddDbContext<MamoriDb>(o => o.UseNpgsql("Host=localhost;Database=mamori_design"));
        services.AddIdentityCore<User>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3).AddEntityFrameworkStores<MamoriDb>();
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<MamoriDb>();
    }
}

public static class Program
{
    public static void Main() { }
}
