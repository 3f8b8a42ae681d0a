using System.Collections.Concurrent;

namespace Mamori.Features.Assets.Import;

/// <summary>
/// How far a running ledger import is: rows read and checked so far, of how many (known from the preview), and whether
/// it is writing. The page that started the import polls it; kept in memory (one server process), per organisation.
/// </summary>
public sealed class ImportProgress(int rowsExpected)
{
    int rowsRead;
    public int RowsExpected { get; } = rowsExpected;
    public int RowsRead => Volatile.Read(ref rowsRead);
    /// <summary>All rows are read and checked; the database work (history, update, insert) is running.</summary>
    public bool Writing { get; private set; }

    public void RowRead() => Interlocked.Increment(ref rowsRead);
    public void StartWriting() => Writing = true;

    /// <summary>The import starts over (it planned again after a concurrent change): counting from zero.</summary>
    public ImportProgress Restart()
    {
        Volatile.Write(ref rowsRead, 0);
        Writing = false;
        return this;
    }

    static readonly ConcurrentDictionary<(Guid Organization, Guid Upload), ImportProgress> Running = new();

    /// <summary>Registers an import of an upload; dispose the returned scope when it ends, whatever happens.</summary>
    public static (ImportProgress Progress, IDisposable Scope) Start(Guid organizationId, Guid uploadId, int rowsExpected)
    {
        var progress = new ImportProgress(rowsExpected);
        Running[(organizationId, uploadId)] = progress;
        return (progress, new Finish(organizationId, uploadId));
    }

    /// <summary>The running import of an upload of this organisation, or null (not started, finished, or another organisation's).</summary>
    public static ImportProgress? Of(Guid organizationId, Guid uploadId) => Running.GetValueOrDefault((organizationId, uploadId));

    sealed class Finish(Guid organizationId, Guid uploadId) : IDisposable
    {
        public void Dispose() => Running.TryRemove((organizationId, uploadId), out _);
    }
}
