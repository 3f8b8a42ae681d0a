// Concurrent audited writers across many organisations: each writer inserts a cloud-service row (an audited,
// tenant-owned insert: one audit row, one ledger cache stamp) into its own organisations, one transaction per row.
// Usage: AuditChainsBench ORGS WRITERS SECONDS   (prints "rows_per_second N")
using System.Diagnostics;
using Mamori.Features.Assets;
using Mamori.Features.Organizations;
using Mamori.Platform.Cli;
using Mamori.Platform.Hosting;
using Microsoft.EntityFrameworkCore;

var orgCount = args.Length > 0 ? int.Parse(args[0]) : 100;
var writers = args.Length > 1 ? int.Parse(args[1]) : 50;
var seconds = args.Length > 2 ? int.Parse(args[2]) : 10;

var data = Directory.CreateTempSubdirectory("mamori-auditbench-").FullName;
File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
Environment.SetEnvironmentVariable("MAMORI_DATA", data);
var pg = new EmbeddedPostgres(data);
try
{
    pg.EnsureStarted();
    var conn = pg.ConnectionString() + ";Maximum Pool Size=" + (writers + 10);
    List<Guid> orgs;
    await using (var db = MamoriCommandLine.Open(conn))
    {
        await db.Database.MigrateAsync();
        var created = Enumerable.Range(0, orgCount).Select(i => new Organization
            { Code = $"bench{i:000}", Name = $"Bench {i}", Kind = OrganizationKind.Hospital, Prefecture = "東京都" }).ToList();
        db.Organizations.AddRange(created);
        await db.SaveChangesAsync();
        orgs = created.Select(o => o.Id).ToList();
    }

    long counted = 0;
    var measuring = false;
    var stop = new CancellationTokenSource();
    var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        await using var db = MamoriCommandLine.Open(conn);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var org = orgs[(w + i * writers) % orgs.Count]; // writer w: organisations w, w + writers, …
            db.CloudServices.Add(new CloudService { OrganizationId = org, Provider = "bench", NameAndPurpose = $"row {i}" });
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            if (Volatile.Read(ref measuring)) Interlocked.Increment(ref counted);
        }
    })).ToList();
    await Task.Delay(TimeSpan.FromSeconds(2)); // warm-up
    Volatile.Write(ref measuring, true);
    var clock = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    var rows = Interlocked.Read(ref counted);
    var elapsed = clock.Elapsed.TotalSeconds;
    stop.Cancel();
    await Task.WhenAll(tasks);
    Console.WriteLine($"rows_per_second {rows / elapsed:F0}");
}
finally
{
    pg.Stop();
    Directory.Delete(data, true);
}
