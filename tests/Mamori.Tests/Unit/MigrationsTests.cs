using Mamori.Platform.Cli;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Tests.Unit;

public sealed class MigrationsTests
{
    [Fact]
    public void The_migrations_describe_the_model_exactly()
    {
        // What `dotnet ef migrations has-pending-model-changes` checks (docs/operations.md), on every test run: a model
        // change without its migration would otherwise reach a database only as a runtime error.
        using var db = MamoriCommandLine.Open("Host=localhost;Database=unused");
        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the last migration: add a migration");
    }
}
