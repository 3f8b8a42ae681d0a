using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Catalog;

public sealed record CatalogImportRequest(string Yaml, string FileName, string Origin, string ImportedBy, bool AsRevision, bool Publish);

public sealed record CatalogImportResult(CatalogEdition? Edition, List<CatalogProblem> Problems)
{
    public bool Ok => Edition is not null && Problems.Count == 0;
}

/// <summary>
/// The one way catalogue content enters the database: read → check against the published catalogue →
/// write the revision, its nodes and mappings and the audit event in one transaction. All or nothing.
/// </summary>
public static class CatalogImport
{
    public const int MaxFileBytes = 5 * 1024 * 1024;
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "catalog");
    const long SyncLock = 727275; // "mamori catalogue": one importer at a time

    /// <summary>Reads every *.yaml of a directory and checks the files as one set (cross-file references included).</summary>
    public static (List<(CatalogFile File, string Yaml)> Files, List<CatalogProblem> Problems) ReadDirectory(string directory)
    {
        var files = new List<(CatalogFile, string)>();
        var problems = new List<CatalogProblem>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var yaml = File.ReadAllText(path);
            var (file, fileProblems) = CatalogReader.Read(yaml, path);
            problems.AddRange(fileProblems);
            if (file is not null) files.Add((file, yaml));
        }
        var nodes = files.SelectMany(f => f.Item1.Nodes.Select(n => (f.Item1.FileId, n.Id))).ToHashSet();
        var ids = files.Select(f => f.Item1.FileId).ToHashSet();
        foreach (var (file, _) in files)
            problems.AddRange(CatalogReader.CheckReferences(file, (f, n) => nodes.Contains((f, n)), ids.Contains, file.FileId + ".yaml"));
        return (files, problems);
    }

    /// <summary>
    /// Brings the database up to the catalogue shipped with this release: a file never seen becomes revision 1,
    /// a changed file a new published revision. Unchanged files cost one hash comparison.
    /// </summary>
    public static async Task<int> SyncShippedAsync(MamoriDb db, TimeProvider clock, string directory, CancellationToken ct = default)
    {
        if (!Directory.Exists(directory)) return 0;
        // Every start: hash the files and stop there when the database already has each of them (no YAML parsing).
        var known = (await db.CatalogEditions.AsNoTracking().Select(e => new { e.FileId, e.Sha256 }).ToListAsync(ct))
            .Select(k => (k.FileId, k.Sha256)).ToHashSet();
        if (Directory.EnumerateFiles(directory, "*.yaml").All(path =>
                known.Contains((Path.GetFileNameWithoutExtension(path), Sha256(File.ReadAllText(path))))))
            return 0;
        var (files, problems) = ReadDirectory(directory);
        if (problems.Count > 0)
            throw new InvalidOperationException("同梱のカタログファイルに誤りがあります / shipped catalogue is invalid:\n" + string.Join("\n", problems));
        var pending = files.Where(f => !known.Contains((f.File.FileId, Sha256(f.Yaml)))).ToList();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({SyncLock})", ct);
        var imported = 0;
        foreach (var (file, yaml) in pending)
        {
            var shas = await db.CatalogEditions.Where(e => e.FileId == file.FileId).Select(e => e.Sha256).ToListAsync(ct);
            if (shas.Contains(Sha256(yaml))) continue; // another process got here first
            await WriteAsync(db, clock, file, new CatalogImportRequest(yaml, file.FileId + ".yaml", "shipped", "Mamori リリース同梱", shas.Count > 0, true), ct);
            imported++;
        }
        await tx.CommitAsync(ct);
        return imported;
    }

    public static async Task<CatalogImportResult> ImportAsync(MamoriDb db, TimeProvider clock, CatalogImportRequest request, CancellationToken ct = default)
    {
        var name = Path.GetFileName(request.FileName);
        var (file, problems) = CatalogReader.Read(request.Yaml, name);
        if (file is null) return new(null, problems);
        // Report everything at once: problems within the file and references to the rest of the catalogue.

        await using var tx = await BeginAsync(db, ct);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({SyncLock})", ct);
        var existing = await db.CatalogEditions.AsNoTracking().Where(e => e.FileId == file.FileId)
            .Select(e => new { e.Revision, e.Sha256 }).ToListAsync(ct);
        var sha = Sha256(request.Yaml);
        if (existing.Count > 0 && !request.AsRevision)
            problems.Add(new(name, 1, $"版「{file.FileId}」は既にカタログにあります。内容を直す場合は「修正版（新しいリビジョン）として取り込む」を選んでください。",
                $"Edition '{file.FileId}' already exists; import it as a new revision to correct it."));
        else if (existing.Count == 0 && request.AsRevision)
            problems.Add(new(name, 1, $"修正する版「{file.FileId}」がカタログにありません。新しい版として取り込んでください。",
                $"There is no edition '{file.FileId}' to revise."));
        else if (existing.FirstOrDefault(e => e.Sha256 == sha) is { } same)
            problems.Add(new(name, 0, $"同じ内容がリビジョン {same.Revision} として既に取り込まれています。", $"Identical to revision {same.Revision}."));

        problems.AddRange(await CheckAgainstPublishedAsync(db, file, name, ct));
        if (problems.Count > 0) return new(null, problems);

        var edition = await WriteAsync(db, clock, file, request, ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return new(edition, []);
    }

    /// <summary>Publishes a draft revision: it becomes the current one; the previous revision stays readable.</summary>
    /// <param name="officialForm">Drafts read from an official Excel are published only by OfficialFormImport (it also re-attaches answers).</param>
    public static async Task<List<CatalogProblem>> PublishAsync(MamoriDb db, TimeProvider clock, Guid editionId, CancellationToken ct = default, bool officialForm = false)
    {
        await using var tx = await BeginAsync(db, ct);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({SyncLock})", ct);
        var draft = await db.CatalogEditions.FirstOrDefaultAsync(e => e.Id == editionId, ct);
        if (draft is null || !draft.IsDraft)
            return [new("", 0, "公開できる下書きが見つかりません（既に公開済みの可能性があります）。", "No such draft.")];
        if ((draft.Origin == OfficialFormImport.Origin) != officialForm)
            return [new("", 0, "Excel から取り込んだ下書きは「公式様式（Excel）の取り込み」の画面から公開してください。", "Publish drafts read from Excel on the official-form page.")];
        var (file, problems) = CatalogReader.Read(draft.SourceText, draft.FileName ?? draft.FileId + ".yaml");
        if (file is null) return problems;
        problems.AddRange(await CheckAgainstPublishedAsync(db, file, draft.FileName ?? draft.FileId, ct));
        if (problems.Count > 0) return problems;
        await MakeCurrentAsync(db, clock, draft, ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return [];
    }

    /// <summary>A transaction of its own, or none when the caller's transaction already covers the work.</summary>
    static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction?> BeginAsync(MamoriDb db, CancellationToken ct) =>
        db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;

    /// <summary>Discards a draft that was never published (published revisions cannot be deleted).</summary>
    public static async Task<bool> DiscardDraftAsync(MamoriDb db, Guid editionId, CancellationToken ct = default)
    {
        var draft = await db.CatalogEditions.Include(e => e.Nodes).Include(e => e.Mappings).FirstOrDefaultAsync(e => e.Id == editionId, ct);
        if (draft is null || !draft.IsDraft) return false;
        db.CatalogEditions.Remove(draft);
        db.Audit(AuditActions.CatalogDraftDiscarded, "CatalogEdition", $"{draft.FileId}@{draft.Revision}", new { draft.FileId, draft.Revision });
        await db.SaveChangesAsync(ct);
        return true;
    }

    static async Task<List<CatalogProblem>> CheckAgainstPublishedAsync(MamoriDb db, CatalogFile file, string name, CancellationToken ct)
    {
        var published = await db.CatalogNodes.AsNoTracking()
            .Join(db.CatalogEditions.Where(e => e.IsCurrent), n => n.EditionId, e => e.Id, (n, e) => new { e.FileId, n.NodeId })
            .Where(x => x.FileId != file.FileId).ToListAsync(ct);
        var nodes = published.Select(x => (x.FileId, x.NodeId)).ToHashSet();
        var files = published.Select(x => x.FileId).ToHashSet();
        var own = file.Nodes.Select(n => n.Id).ToHashSet();
        var problems = CatalogReader.CheckReferences(file,
            (f, n) => f == file.FileId ? own.Contains(n) : nodes.Contains((f, n)),
            f => f == file.FileId || files.Contains(f), name);

        // A revision must keep every node other editions map to.
        var incoming = await db.CatalogMappings.AsNoTracking()
            .Join(db.CatalogEditions.Where(e => e.IsCurrent), m => m.EditionId, e => e.Id, (m, e) => m)
            .Where(m => m.ToFile == file.FileId && m.FromFile != file.FileId)
            .Select(m => new { m.FromFile, m.FromNode, m.ToNode }).ToListAsync(ct);
        foreach (var m in incoming.Where(m => !own.Contains(m.ToNode)))
            problems.Add(new(name, 0, $"項目「{m.ToNode}」がありません。「{m.FromFile}/{m.FromNode}」からの対応付けが参照しているため削除できません。",
                $"Node '{m.ToNode}' is the target of a mapping from '{m.FromFile}/{m.FromNode}' and cannot be removed."));
        return problems;
    }

    static async Task<CatalogEdition> WriteAsync(MamoriDb db, TimeProvider clock, CatalogFile file, CatalogImportRequest request, CancellationToken ct)
    {
        var revision = (await db.CatalogEditions.Where(e => e.FileId == file.FileId).MaxAsync(e => (int?)e.Revision, ct) ?? 0) + 1;
        var edition = ToEdition(file, request, revision, AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime));
        db.CatalogEditions.Add(edition);
        db.Audit(AuditActions.CatalogImported, "CatalogEdition", $"{file.FileId}@{revision}",
            new { file.FileId, revision, edition.Sha256, nodes = file.Nodes.Count, mappings = file.Mappings.Count, request.Origin, edition.FileName });
        await db.SaveChangesAsync(ct);
        if (request.Publish) await MakeCurrentAsync(db, clock, edition, ct);
        return edition;
    }

    /// <summary>The database rows for one revision of a file (not yet saved).</summary>
    public static CatalogEdition ToEdition(CatalogFile file, CatalogImportRequest request, int revision, DateTime importedAt)
    {
        var edition = new CatalogEdition
        {
            FileId = file.FileId, Revision = revision, Framework = file.Framework, Kind = file.Kind, Title = file.Title,
            TitleEn = file.TitleEn, Publisher = file.Publisher, Edition = file.Edition, FiscalYear = file.FiscalYear,
            Published = file.Published, Header = file.Header.ToJsonString(Json), SourceText = request.Yaml, Sha256 = Sha256(request.Yaml),
            Origin = request.Origin, FileName = Path.GetFileName(request.FileName), ImportedBy = request.ImportedBy, ImportedAt = importedAt,
            NodeCount = file.Nodes.Count,
        };
        var position = 0;
        edition.Nodes.AddRange(file.Nodes.Select(n => new CatalogNode
        {
            EditionId = edition.Id, NodeId = n.Id, ParentNodeId = n.ParentId, Ordinal = n.Ordinal, Position = position++, Depth = n.Depth,
            Ref = n.Ref, Kind = n.Kind, Label = n.Label, Summary = n.Summary, SummaryEn = n.SummaryEn, Confidence = n.Confidence,
            Fields = n.Fields.ToJsonString(Json), Line = n.Line,
        }));
        edition.Mappings.AddRange(file.Mappings.Select(m =>
        {
            var (fromFile, fromNode) = Split(m.From);
            var (toFile, toNode) = Split(m.To);
            return new CatalogMapping
            {
                EditionId = edition.Id, FromFile = fromFile, FromNode = fromNode, ToFile = toFile, ToNode = toNode, Relation = m.Relation,
                Kind = m.Kind, Confidence = m.Confidence, Note = m.Note, Fields = m.Fields.ToJsonString(Json), Line = m.Line,
            };
        }));
        return edition;
    }

    static async Task MakeCurrentAsync(MamoriDb db, TimeProvider clock, CatalogEdition edition, CancellationToken ct)
    {
        // Two statements: the unique index allows one current revision per file at any moment.
        await db.CatalogEditions.Where(e => e.FileId == edition.FileId && e.IsCurrent)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.IsCurrent, false), ct);
        edition.IsCurrent = true;
        edition.PublishedAt = AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime);
        db.Audit(AuditActions.CatalogPublished, "CatalogEdition", $"{edition.FileId}@{edition.Revision}",
            new { edition.FileId, edition.Revision, edition.Sha256 });
        await db.SaveChangesAsync(ct);
    }

    static (string File, string Node) Split(string reference)
    {
        var slash = reference.IndexOf('/');
        return (reference[..slash], reference[(slash + 1)..]);
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
