using System.Net;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Hosting;
using Mamori.Tests.Infrastructure;
using Npgsql;

namespace Mamori.Tests.Integration;

/// <summary>
/// The server is not a superuser and owns nothing: it connects as mamori_app, migrations run as mamori_owner (both made
/// by Mamori's own EmbeddedPostgres code, as in the private cluster). The database is one made before the roles existed
/// (everything owned by postgres), so this is also the upgrade path of an existing installation.
/// </summary>
public sealed class DatabaseRolesTests : IAsyncLifetime
{
    MamoriApp app = null!;
    string appConnection = null!;
    string ownerConnection = null!;

    public async Task InitializeAsync()
    {
        var superuser = new NpgsqlConnectionStringBuilder(TestCluster.NewDatabase());
        var database = superuser.Database!;
        await using (var conn = new NpgsqlConnection(superuser.ConnectionString))
        {
            await conn.OpenAsync();
            EmbeddedPostgres.EnsureRoles(conn);
            EmbeddedPostgres.HandOverToOwner(conn, database);
        }
        appConnection = TestCluster.Instance.ConnectionString(database, EmbeddedPostgres.AppRole);
        ownerConnection = TestCluster.Instance.ConnectionString(database, EmbeddedPostgres.OwnerRole);
        app = new MamoriApp(appConnection).With(DatabaseLocation.OwnerSetting, ownerConnection);
        _ = app.Services; // starts the server: migrations as the owner, then the grants
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ownerConnection));
    }

    [Theory]
    [InlineData("SET session_replication_role = replica")]
    [InlineData("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete")]
    [InlineData("UPDATE audit_entries SET \"ActorName\" = 'someone else'")]
    [InlineData("DELETE FROM audit_entries")]
    [InlineData("TRUNCATE audit_entries")]
    [InlineData("DROP TABLE organizations")]
    public async Task The_servers_role_cannot_go_around_the_audit_trail(string sql)
    {
        await using var conn = new NpgsqlConnection(appConnection);
        await conn.OpenAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
    }

    [Fact]
    public async Task The_server_works_as_that_role_and_its_chain_verifies()
    {
        var (_, users) = await app.CreateOrganizationAsync("roles", withTotp: true);
        var client = await app.SignedInClientAsync(users[OrganizationRole.Administrator]);
        var response = await client.PostFormAsync("/o/roles/settings?handler=Profile",
            new() { ["name"] = "ロール病院", ["prefecture"] = "大阪府", ["requireTwoFactor"] = "true" }, "/o/roles/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using (var conn = new NpgsqlConnection(appConnection))
        {
            await conn.OpenAsync();
            Assert.Equal(EmbeddedPostgres.AppRole, await new NpgsqlCommand("SELECT current_user", conn).ExecuteScalarAsync());
            Assert.Equal(0L, await new NpgsqlCommand(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'mamori_owner'", conn).ExecuteScalarAsync());
        }
        var env = new Dictionary<string, string?>
        {
            ["MAMORI_DB"] = appConnection, [DatabaseLocation.OwnerSetting] = ownerConnection, ["MAMORI_DATA"] = TestCluster.DataFolder,
        };
        var (code, output) = await MamoriProcess.RunAsync(env, "audit", "verify");
        Assert.True(code == 0, output);
        Assert.Contains("監査ログは正常です", output);
    }
}
