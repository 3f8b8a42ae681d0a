using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Mamori.Features.Audit;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>
/// Writes that arrive at the same moment, through the real server and database: the audit chain stays one unbroken
/// chain, and of two people saving the same device exactly one change is kept and the other person is told.
/// </summary>
public sealed partial class ConcurrentWriteTests : IAsyncLifetime
{
    readonly SaveGate gate = new();
    readonly MamoriApp app;
    Organization east = null!, west = null!;
    MamoriApp.TestUser eastAdmin = null!, westAdmin = null!;

    public ConcurrentWriteTests() => app = new MamoriApp().WithServices(s => s.ConfigureDbContext<MamoriDb>(o => o.AddInterceptors(gate)));

    public async Task InitializeAsync()
    {
        (east, var eastUsers) = await app.CreateOrganizationAsync("east", withTotp: true);
        (west, var westUsers) = await app.CreateOrganizationAsync("west", withTotp: true);
        (eastAdmin, westAdmin) = (eastUsers[OrganizationRole.Administrator], westUsers[OrganizationRole.Administrator]);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Twenty_audited_writes_from_two_organisations_at_once_leave_intact_chains()
    {
        var (eastClient, westClient) = (await app.SignedInClientAsync(eastAdmin), await app.SignedInClientAsync(westAdmin));
        var saves = Enumerable.Range(1, 10).SelectMany(i => new[]
        {
            eastClient.PostFormAsync("/o/east/assets/edit", new() { ["Input.ControlNumber"] = $"E-{i}" }, "/o/east/assets/edit"),
            westClient.PostFormAsync("/o/west/assets/edit", new() { ["Input.ControlNumber"] = $"W-{i}" }, "/o/west/assets/edit"),
        });
        foreach (var response in await Task.WhenAll(saves)) Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var entries = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .OrderBy(a => a.Seq).Select(a => new { a.ChainId, a.Seq, a.OrganizationId, a.Action, a.EntityType }).ToListAsync());
        foreach (var chain in entries.GroupBy(a => a.ChainId)) // one chain per organisation: no duplicates, no gaps
            Assert.Equal(Enumerable.Range(1, chain.Count()).Select(n => (long)n), chain.Select(a => a.Seq));
        Assert.All(entries.Where(a => a.OrganizationId == east.Id && a.EntityType == "Asset"), a => Assert.Equal(east.Id, a.ChainId));
        Assert.Equal(10, entries.Count(a => a.OrganizationId == east.Id && a.Action == AuditActions.Create && a.EntityType == "Asset"));
        Assert.Equal(10, entries.Count(a => a.OrganizationId == west.Id && a.Action == AuditActions.Create && a.EntityType == "Asset"));
        var report = await app.ScopedAsync(sp => AuditChain.VerifyAsync(sp.GetRequiredService<MamoriDb>()));
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(entries.Count, report.Entries);
    }

    [GeneratedRegex("name=\"Input.Version\" value=\"(\\d+)\"")] private static partial Regex Version();

    [Fact]
    public async Task Two_people_saving_one_device_at_once_keep_exactly_one_change_and_the_other_is_told()
    {
        var first = await app.SignedInClientAsync(eastAdmin);
        var second = await app.SignedInClientAsync(await app.CreateMemberAsync(east, "operator", true, OrganizationRole.Operator));
        var created = await first.PostFormAsync("/o/east/assets/edit", new() { ["Input.ControlNumber"] = "PC-1", ["Input.Location"] = "受付" }, "/o/east/assets/edit");
        var url = created.Headers.Location!.OriginalString.Replace("/assets/", "/assets/edit/");
        // Both open the form, then both press 保存 at the same moment: each request has read the device and checked its
        // version before either writes (the gate holds each save until both have come that far).
        var version = Version().Match(await first.GetStringAsync(url)).Groups[1].Value;
        Assert.Equal(version, Version().Match(await second.GetStringAsync(url)).Groups[1].Value);
        gate.Hold(2);
        var saves = await Task.WhenAll(
            first.PostFormAsync(url, new() { ["Input.Version"] = version, ["Input.ControlNumber"] = "PC-1", ["Input.Location"] = "外来" }),
            second.PostFormAsync(url, new() { ["Input.Version"] = version, ["Input.ControlNumber"] = "PC-1", ["Input.Location"] = "病棟" }));
        Assert.True(gate.BothArrived, "the two saves did not overlap");

        var won = Assert.Single(saves, r => r.StatusCode == HttpStatusCode.Redirect);
        var lost = Assert.Single(saves, r => r.StatusCode != HttpStatusCode.Redirect);
        Assert.Equal(HttpStatusCode.OK, lost.StatusCode);
        var winner = won == saves[0] ? ("外来", "east Administrator") : ("病棟", "east operator");
        var page = await lost.Content.ReadAsStringAsync();
        Assert.Contains("保存できません: この機器は", page);
        Assert.Contains($"{winner.Item2} さんが変更しています", page);

        var (location, history, changes) = await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var asset = await db.Assets.IgnoreQueryFilters().SingleAsync(a => a.OrganizationId == east.Id);
            var snapshots = await db.AssetHistory.IgnoreQueryFilters().Where(h => h.AssetId == asset.Id).OrderBy(h => h.Id).Select(h => h.Snapshot).ToListAsync();
            var updates = await db.AuditEntries.IgnoreQueryFilters()
                .CountAsync(a => a.EntityType == "Asset" && a.EntityId == asset.Id.ToString() && a.Action == AuditActions.Update);
            return (asset.Location, snapshots, updates);
        });
        Assert.Equal(winner.Item1, location);
        // The device as created, then the one change kept (the row's xmin refused the other).
        Assert.Equal(2, history.Count);
        Assert.Contains("受付", history[0]);
        Assert.Contains(winner.Item1, history[1]);
        Assert.Equal(1, changes);
    }

    /// <summary>
    /// Holds each device save just before its write (at the 管理番号 check, after the device was read and its version
    /// compared) until the expected number of saves have arrived, so that they truly overlap.
    /// </summary>
    sealed class SaveGate : DbCommandInterceptor
    {
        int expected, arrived;
        TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool BothArrived => Volatile.Read(ref arrived) >= 2;

        public void Hold(int saves)
        {
            all = new(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived = 0;
            Volatile.Write(ref expected, saves);
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken ct = default)
        {
            if (Volatile.Read(ref expected) > 0 && command.CommandText.Contains("EXISTS") && command.CommandText.Contains("\"ControlNumber\""))
            {
                if (Interlocked.Increment(ref arrived) >= expected) all.TrySetResult();
                // A safety net only: a save that never meets its partner goes on, and the test then reports no overlap.
                await Task.WhenAny(all.Task, Task.Delay(TimeSpan.FromSeconds(30), ct));
            }
            return result;
        }
    }
}
