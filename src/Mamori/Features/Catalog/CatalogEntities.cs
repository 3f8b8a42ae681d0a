namespace Mamori.Features.Catalog;

/// <summary>
/// One revision of one framework edition file. Rows of a published revision are never changed
/// (database triggers refuse it); a correction is a new revision and the old one stays readable,
/// so assessments keep pointing at exactly what they were answered against.
/// </summary>
public sealed class CatalogEdition
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string FileId { get; set; }
    public int Revision { get; set; }
    /// <summary>The revision users see; exactly one per file id once published.</summary>
    public bool IsCurrent { get; set; }
    public DateTime? PublishedAt { get; set; }
    public required string Framework { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public string? TitleEn { get; set; }
    public required string Publisher { get; set; }
    public required string Edition { get; set; }
    public int? FiscalYear { get; set; }
    public string? Published { get; set; }
    /// <summary>File-level fields as JSON (sources, gaps, notes, history…).</summary>
    public required string Header { get; set; }
    /// <summary>The YAML exactly as imported.</summary>
    public required string SourceText { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>shipped (catalog/ in the release), upload (web) or cli.</summary>
    public required string Origin { get; set; }
    public string? FileName { get; set; }
    public DateTime ImportedAt { get; set; }
    public required string ImportedBy { get; set; }
    public int NodeCount { get; set; }
    public List<CatalogNode> Nodes { get; set; } = [];
    public List<CatalogMapping> Mappings { get; set; } = [];

    public bool IsDraft => PublishedAt is null;
}

public sealed class CatalogNode
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid EditionId { get; set; }
    public required string NodeId { get; set; }
    public string? ParentNodeId { get; set; }
    public int Ordinal { get; set; }
    /// <summary>Position in the file (document order), for the tree.</summary>
    public int Position { get; set; }
    public int Depth { get; set; }
    public string? Ref { get; set; }
    public required string Kind { get; set; }
    public string? Label { get; set; }
    public string? Summary { get; set; }
    public string? SummaryEn { get; set; }
    public required string Confidence { get; set; }
    /// <summary>All fields of the node (JSON), inherited applies_to/answers/date_fields included.</summary>
    public required string Fields { get; set; }
    public int Line { get; set; }
}

public sealed class CatalogMapping
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The revision of the file holding the mapping (its from side).</summary>
    public Guid EditionId { get; set; }
    public required string FromFile { get; set; }
    public required string FromNode { get; set; }
    public required string ToFile { get; set; }
    public required string ToNode { get; set; }
    public required string Relation { get; set; }
    public string? Kind { get; set; }
    public required string Confidence { get; set; }
    public string? Note { get; set; }
    public required string Fields { get; set; }
    public int Line { get; set; }
}
