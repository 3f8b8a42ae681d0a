using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Mamori.Platform.Hosting;
using Mamori.Tests.Infrastructure;

namespace Mamori.Tests.Integration;

/// <summary>
/// `./mamori start` as a user runs it: a separate process with its own private PostgreSQL cluster, in a data folder of
/// each test's own. Two classes (nested below) that run in parallel: first starts, which create the cluster, the schema
/// and the catalogue themselves; and restarts, which begin with a copy of a cluster as a first start leaves it (made once
/// per run), because what they test comes after that.
/// </summary>
public abstract partial class ServerProcessTests : IDisposable
{
    readonly string dataFolder = Path.Combine(Path.GetTempPath(), "mamori-proc-" + Guid.NewGuid().ToString("N")[..8]);
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    protected ServerProcessTests()
    {
        Directory.CreateDirectory(dataFolder);
        File.SetUnixFileMode(dataFolder, (UnixFileMode)0b111_101_101);
    }

    public void Dispose()
    {
        new EmbeddedPostgres(dataFolder).Stop();
        try { Directory.Delete(dataFolder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        http.Dispose();
    }

    [GeneratedRegex(@"(http://localhost:\d+/setup/[0-9a-f]+)")] private static partial Regex SetupUrl();

    Dictionary<string, string?> Env => new() { ["MAMORI_DATA"] = dataFolder };

    /// <summary>
    /// How long a start may take before the test gives up: a bound for a hang, not a speed requirement. A first start
    /// (initdb, schema, catalogue) on two cores shared with the rest of the suite and other work took over 60 s.
    /// </summary>
    static readonly TimeSpan StartBound = TimeSpan.FromSeconds(180);

    /// <summary>The cluster folder as a first start leaves it (initdb, schema, shipped catalogue, no organisation yet).</summary>
    static readonly Lazy<string> FirstStarted = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "mamori-proc-first-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var pg = new EmbeddedPostgres(dir);
        pg.EnsureStarted();
        try
        {
            using var app = new MamoriApp(pg.ConnectionString() + ";Pooling=false"); // the server's own preparation
            _ = app.Services;
        }
        finally { pg.Stop(); }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return pg.ClusterDir;
    });

    /// <summary>Puts a copy of <see cref="FirstStarted"/> into this test's data folder (owner and modes kept).</summary>
    void CopyFirstStartedCluster()
    {
        using var cp = System.Diagnostics.Process.Start("cp", ["-a", FirstStarted.Value, new EmbeddedPostgres(dataFolder).ClusterDir])!;
        cp.WaitForExit();
        Assert.Equal(0, cp.ExitCode);
    }

    public sealed class FirstStarts : ServerProcessTests
    {
        [Fact]
        public async Task First_start_creates_the_cluster_prints_a_setup_url_and_stops_postgres_on_exit_then_a_crash_recovers()
        {
            var port = MamoriProcess.FreePort();
            var url = $"http://localhost:{port}";
            await using (var server = MamoriProcess.Start(Env, "serve", "--urls", url))
            {
                Assert.True(await server.WaitForOutputAsync("/setup/", StartBound), server.Output);
                var setup = SetupUrl().Match(server.Output).Groups[1].Value;
                Assert.Equal("{\"status\":\"ok\"}", await http.GetStringAsync(url + "/healthz"));
                var page = await http.GetStringAsync(setup);
                Assert.Contains("初回セットアップ", page);
                Assert.Contains("管理者", page);
                Assert.True(new EmbeddedPostgres(dataFolder).IsRunning());

                server.Terminate();
                Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
                Assert.False(new EmbeddedPostgres(dataFolder).IsRunning(), "the private cluster must stop with the server");
            }

            // A crash (SIGKILL) leaves PostgreSQL running; the next start reuses it and stops it at the end.
            await using (var crashed = MamoriProcess.Start(Env, "serve", "--urls", url))
            {
                Assert.True(await crashed.WaitForOutputAsync("/setup/", StartBound), crashed.Output);
                crashed.Kill();
                await crashed.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
            Assert.True(new EmbeddedPostgres(dataFolder).IsRunning());
            await using (var again = MamoriProcess.Start(Env, "serve", "--urls", url))
            {
                Assert.True(await again.WaitForOutputAsync("/setup/", StartBound), again.Output);
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url + "/healthz")).StatusCode);
                again.Terminate();
                Assert.True(await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }
            Assert.False(new EmbeddedPostgres(dataFolder).IsRunning());
        }

        [Fact]
        public async Task A_clean_first_start_prints_no_error_or_warning_lines()
        {
            var port = MamoriProcess.FreePort();
            var url = $"http://localhost:{port}";
            await using var server = MamoriProcess.Start(Env, "serve", "--urls", url);
            Assert.True(await server.WaitForOutputAsync("First-run setup", StartBound), server.Output);
            // The pages a new user opens first.
            Assert.Contains("初回セットアップ", await http.GetStringAsync(SetupUrl().Match(server.Output).Groups[1].Value));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url + "/")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url + "/account/login")).StatusCode);
            server.Terminate();
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            // EF's probe of the not-yet-created migrations table is expected: not a `fail` line (nor any warning).
            Assert.DoesNotMatch(@"\b(fail|crit|warn): ", server.Output);
            Assert.DoesNotContain("__EFMigrationsHistory", server.Output);
        }
    }

    public sealed class Restarts : ServerProcessTests
    {
        public Restarts() => CopyFirstStartedCluster();

        [Fact]
        public async Task Postgres_killed_hard_leaves_a_stale_pid_file_and_the_next_start_still_works()
        {
            var pg = new EmbeddedPostgres(dataFolder);
            pg.EnsureStarted();
            var pidFile = Path.Combine(pg.ClusterDir, "data", "postmaster.pid");
            var pid = int.Parse(File.ReadLines(pidFile).First());
            System.Diagnostics.Process.Start("kill", ["-KILL", pid.ToString()])!.WaitForExit();
            for (var i = 0; i < 50 && Directory.Exists($"/proc/{pid}"); i++) await Task.Delay(100);
            Assert.True(File.Exists(pidFile), "a hard kill leaves postmaster.pid behind");

            var port = MamoriProcess.FreePort();
            await using var server = MamoriProcess.Start(Env, "serve", "--urls", $"http://localhost:{port}");
            Assert.True(await server.WaitForOutputAsync("/setup/", StartBound), server.Output);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://localhost:{port}/healthz")).StatusCode);
            server.Terminate();
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        [Fact]
        public async Task A_port_already_in_use_gives_a_japanese_message_and_leaves_postgres_stopped()
        {
            var blocker = new TcpListener(IPAddress.Loopback, 0);
            blocker.Start();
            try
            {
                var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
                var (code, output) = await MamoriProcess.RunAsync(Env, "serve", "--urls", $"http://127.0.0.1:{port}");
                Assert.Equal(3, code);
                Assert.Contains("ポートが既に使われています", output);
                Assert.False(new EmbeddedPostgres(dataFolder).IsRunning());
            }
            finally { blocker.Stop(); }
        }

        [Fact]
        public async Task Help_lists_the_commands()
        {
            var (code, output) = await MamoriProcess.RunAsync(Env, "--help");
            Assert.Equal(0, code);
            Assert.Contains("audit", output);
            Assert.Contains("db", output);
        }
    }
}
