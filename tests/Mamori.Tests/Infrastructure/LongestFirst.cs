using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Mamori.Tests.Infrastructure.LongestFirst", "Mamori.Tests")]

namespace Mamori.Tests.Infrastructure;

/// <summary>
/// Starts the test classes that take longest first, so the run does not end with one long class alone on a core while
/// the others are done. Classes run in parallel (xunit.runner.json) and each class's tests one after another, so a
/// long class started last decides the wall time. Only the order changes: every class still runs.
/// Measured per class (sum of its tests' times); add a class here when it takes more than ~15 s.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    static readonly string[] Slow =
    [
        "Integration.EndpointIsolationTests", "Integration.ChecklistTests", "Integration.AssetLedgerTests",
        "Browser.ClinicJourneyBrowserTests", "Integration.CatalogAdministrationTests", "Integration.InspectionPackTests",
        "Integration.BackupRestoreTests", "Browser.ChecklistBrowserTests", "Integration.AssetImportTests",
        "Integration.MailTests", "Integration.OfficialFormImportTests", "Integration.AuditTrailTests",
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    static int Rank(ITestCollection collection)
    {
        var name = collection.DisplayName;
        // The server-process tests wait on other processes (PostgreSQL, the server) more than they compute: start them first.
        if (name.Contains(".ServerProcess")) return -1;
        var i = Array.FindIndex(Slow, s => name.EndsWith("." + s, StringComparison.Ordinal));
        if (i >= 0) return i;
        return name.Contains(".Unit.") ? int.MaxValue : Slow.Length;
    }
}
