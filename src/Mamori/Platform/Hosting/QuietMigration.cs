using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mamori.Platform.Hosting;

/// <summary>
/// Applies the schema migrations without alarming output: on a fresh database EF Core first reads the migrations
/// history table, which does not exist yet, and logs that expected (and handled) failure as `fail`. For this one
/// context only, a failed command is logged at Debug; a real migration failure still throws and is reported.
/// Migrations run as the schema owner (<see cref="DatabaseLocation.SchemaConnectionString"/>), then the server's role
/// gets its grants (<see cref="DatabaseRoles"/>).
/// </summary>
public static class QuietMigration
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var options = new DbContextOptionsBuilder<MamoriDb>(services.GetRequiredService<DbContextOptions<MamoriDb>>())
            .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug)))
            .Options;
        await using var db = new MamoriDb(options, services.GetRequiredService<TenantContext>(), services.GetRequiredService<AuditActor>(),
            services.GetRequiredService<DbCache>(), services.GetService<AuditKey>());
        var location = services.GetService<DatabaseLocation>();
        if (location is not null) db.Database.SetConnectionString(location.SchemaConnectionString);
        await db.Database.MigrateAsync(ct);
        if (location is not null) await DatabaseRoles.GrantAsync(location, ct);
    }
}
