using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Mamori.Features.Assets;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Organizations;
using Mamori.Platform.Cli;
using Mamori.Platform.Data;
using Mamori.Platform.Time;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mamori.Tests.Integration;

/// <summary>
/// The server's caches (catalogue, ledger findings) follow changes made outside it — by the command line, a separate
/// process, or another database context — at the next request; saving an answer does not evaluate the ledger.
/// </summary>
public sealed partial class DatabaseCacheTests : IAsyncLifetime
{
    readonly CacheBuildLog builds = new();
    readonly MamoriApp app;
    Organization org = null!;
    MamoriApp.TestUser operatorUser = null!;

    public DatabaseCacheTests() => app = new MamoriApp().WithServices(s => s.AddSingleton<ILoggerProvider>(builds));

    public async Task InitializeAsync()
    {
        var (o, users) = await app.CreateOrganizationAsync("dbc", false, OrganizationRole.Administrator, OrganizationRole.Operator);
        (org, operatorUser) = (o, users[OrganizationRole.Operator]);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>A database context as the command line opens it: its own services and caches, nothing shared with the server.</summary>
    async Task<T> OutsideAsync<T>(Func<MamoriDb, Task<T>> use)
    {
        await using var db = MamoriCommandLine.Open(app.ConnectionString);
        db.EnterOrganizationForCommandLine(await db.Organizations.SingleAsync(x => x.Id == org.Id));
        return await use(db);
    }

    [Fact]
    public async Task A_catalogue_import_by_the_command_line_shows_on_the_running_server_at_the_next_request()
    {
        var client = await app.SignedInClientAsync(operatorUser);
        Assert.DoesNotContain("/o/dbc/catalog/checklist-r9\"", await client.GetStringAsync("/o/dbc/catalog")); // the index is now cached

        var dir = Directory.CreateTempSubdirectory("mamori-cache-").FullName;
        var file = Path.Combine(dir, "checklist-r9.yaml");
        File.WriteAllText(file, File.ReadAllText(Path.Combine(TestCluster.RepoRoot, "catalog/checklist-r8.yaml"))
            .Replace("id: checklist-r8\n", "id: checklist-r9\n").Replace("checklist-r8/", "checklist-r9/"));
        var (code, output) = await MamoriProcess.RunAsync(new Dictionary<string, string?> { ["MAMORI_DB"] = app.ConnectionString }, "catalog", "import", file);
        Assert.True(code == 0, output);

        Assert.Contains("/o/dbc/catalog/checklist-r9\"", await client.GetStringAsync("/o/dbc/catalog"));
        Assert.Contains("/o/dbc/catalog/checklist-r9/site-and-pharmacy.3.3\"",
            await client.GetStringAsync("/o/dbc/catalog/search?q=" + Uri.EscapeDataString("checklist-r9/site-and-pharmacy.3.3")));
    }

    [Fact]
    public async Task A_connection_changed_by_another_process_changes_the_servers_findings_at_the_next_request()
    {
        var connectionId = await OutsideAsync(async db =>
        {
            var c = db.Connections.Add(new Connection
            {
                OrganizationId = org.Id, VendorName = "サンプル保守株式会社", AccountType = ConnectionAccountType.Personal,
                SecondFactor = true, LastConfirmedOn = db.Clock.Today(),
            }).Entity;
            await db.SaveChangesAsync();
            return c.Id;
        });
        var client = await app.SignedInClientAsync(operatorUser);
        const string shared = "共用アカウント（または不明）の外部接続";
        Assert.DoesNotContain(shared, await client.GetStringAsync("/o/dbc/assets/findings")); // the findings are now cached

        await OutsideAsync(async db =>
        {
            (await db.Connections.SingleAsync(c => c.Id == connectionId)).AccountType = ConnectionAccountType.Shared;
            return await db.SaveChangesAsync();
        });

        var page = await client.GetStringAsync("/o/dbc/assets/findings");
        Assert.Contains(shared, page);
        Assert.Contains("サンプル保守株式会社", page);
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")] private static partial Regex Csrf();

    [Fact]
    public async Task Saving_an_answer_does_not_evaluate_the_ledger_findings_but_showing_the_sheet_does()
    {
        var client = await app.SignedInClientAsync(operatorUser);
        var started = await client.PostFormAsync("/o/dbc/checklists?handler=Start", new() { ["file"] = "checklist-r8", ["sheet"] = "site-and-pharmacy" }, "/o/dbc/checklists");
        var sheetUrl = started.Headers.Location!.OriginalString;
        var token = WebUtility.HtmlDecode(Csrf().Match(await client.GetStringAsync(sheetUrl)).Groups[1].Value);
        var ledger = DbCache.Ledger(org.Id);
        var shown = builds.Count(ledger);
        Assert.True(shown >= 1, "showing the sheet evaluates the findings");

        // The ledger changes, so cached findings no longer count: evaluating them now would show in the log.
        await OutsideAsync(async db =>
        {
            db.Connections.Add(new Connection { OrganizationId = org.Id, VendorName = "サンプル給食株式会社", AccountType = ConnectionAccountType.Shared });
            return await db.SaveChangesAsync();
        });
        var saved = await client.PostAsync($"{sheetUrl}?handler=Save&node=site-and-pharmacy.3.3", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token, ["version"] = "0", ["a.general"] = "yes", ["checkedOn1"] = TimeProvider.System.Today().ToString("yyyy-MM-dd"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(shown, builds.Count(ledger));

        await client.GetStringAsync(saved.Headers.Location!.OriginalString);
        Assert.Equal(shown + 1, builds.Count(ledger));
    }

    /// <summary>The server's log of cache builds (DbCache writes one line per build).</summary>
    sealed class CacheBuildLog : ILoggerProvider, ILogger
    {
        readonly ConcurrentQueue<string> lines = new();
        public int Count(string scope) => lines.Count(l => l.StartsWith($"Cache {scope} built", StringComparison.Ordinal));
        public ILogger CreateLogger(string categoryName) => categoryName == typeof(DbCache).FullName ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
