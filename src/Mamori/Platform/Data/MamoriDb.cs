using System.Text.Json;
using Mamori.Features.Assets;
using Mamori.Features.Assets.Import;
using Mamori.Features.Audit;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Features.Vendors;
using Mamori.Features.Vulnerabilities;
using Mamori.Platform.Audit;
using Mamori.Platform.Mail;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Mamori.Platform.Data;

public sealed class MamoriDb(DbContextOptions<MamoriDb> options, TenantContext tenant, AuditActor actor, DbCache cache,
    AuditKey? auditKey = null)
    : IdentityDbContext<User, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>The audit chain's key (<see cref="Audit.AuditKey"/>), from the application's services.</summary>
    public AuditKey AuditKey => auditKey ??= AppService<AuditKey>() ?? throw new InvalidOperationException("AuditKey is not registered");

    /// <summary>A service of the application this context was made by (clock, key, logging).</summary>
    T? AppService<T>() where T : class =>
        options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<T>();

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<CatalogEdition> CatalogEditions => Set<CatalogEdition>();
    public DbSet<CatalogNode> CatalogNodes => Set<CatalogNode>();
    public DbSet<CatalogMapping> CatalogMappings => Set<CatalogMapping>();
    public DbSet<Asset> Assets => Set<Asset>();
    public DbSet<AssetHistory> AssetHistory => Set<AssetHistory>();
    public DbSet<CloudService> CloudServices => Set<CloudService>();
    public DbSet<Connection> Connections => Set<Connection>();
    public DbSet<ConnectionEvidence> ConnectionEvidence => Set<ConnectionEvidence>();
    public DbSet<ImportUpload> ImportUploads => Set<ImportUpload>();
    public DbSet<ChecklistAssessment> ChecklistAssessments => Set<ChecklistAssessment>();
    public DbSet<ChecklistAnswer> ChecklistAnswers => Set<ChecklistAnswer>();
    public DbSet<ChecklistSeal> ChecklistSeals => Set<ChecklistSeal>();
    public DbSet<ChecklistEvidence> ChecklistEvidence => Set<ChecklistEvidence>();
    public DbSet<VendorRequest> VendorRequests => Set<VendorRequest>();
    public DbSet<OutboxMail> OutboxMails => Set<OutboxMail>();
    /// <summary>Evidence bytes: reach them only through a (tenant-filtered) ChecklistEvidence row's id.</summary>
    public DbSet<ChecklistEvidenceContent> ChecklistEvidenceContents => Set<ChecklistEvidenceContent>();
    public DbSet<CacheVersion> CacheVersions => Set<CacheVersion>();

    /// <summary>The tenant every IOrganizationOwned query is filtered by. Null: nothing tenant-owned is visible.</summary>
    Guid? CurrentOrganizationId => tenant.OrganizationId;

    readonly List<AuditEntry> pendingEvents = [];
    readonly HashSet<string> pendingScopes = [];

    /// <summary>A value derived from the database, cached until its scope changes (<see cref="DbCache"/>).</summary>
    public Task<T> CachedAsync<T>(string scope, string variant, Func<CancellationToken, Task<T>> build, TimeSpan? idle = null,
        CancellationToken ct = default) where T : class => cache.GetAsync(this, scope, variant, build, idle, ct);

    /// <summary>
    /// For writes SaveChanges cannot see (COPY, raw SQL): the scope's caches go stale with the next SaveChanges, in its
    /// transaction. Tracked changes need no call.
    /// </summary>
    public void CacheChanged(string scope) => pendingScopes.Add(scope);

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);

        b.Entity<User>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.Language).HasMaxLength(8);
        });
        b.Entity<CacheVersion>(e =>
        {
            e.ToTable("cache_versions");
            e.HasKey(v => v.Scope);
            e.Property(v => v.Scope).HasMaxLength(100);
        });
        b.Entity<Organization>(e =>
        {
            e.ToTable("organizations");
            e.HasIndex(o => o.Code).IsUnique();
            e.Property(o => o.Code).HasMaxLength(32);
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(o => o.Prefecture).HasMaxLength(8);
            e.Property(o => o.MedicalInstitutionCode).HasMaxLength(10);
        });
        b.Entity<Membership>(e =>
        {
            e.ToTable("memberships");
            // One row per role held: a member with several roles (院長 = 管理者 + 経営層) has several rows.
            e.HasIndex(m => new { m.OrganizationId, m.UserId, m.Role }).IsUnique();
            e.HasIndex(m => m.UserId);
            e.Property(m => m.Role).HasConversion<string>().HasMaxLength(32);
            e.HasOne(m => m.Organization).WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Invitation>(e =>
        {
            e.ToTable("invitations");
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.HasIndex(i => i.OrganizationId);
            e.Property(i => i.Email).HasMaxLength(256);
            e.Property(i => i.Role).HasConversion<string>().HasMaxLength(32);
            e.HasOne<Organization>().WithMany().HasForeignKey(i => i.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(a => new { a.ChainId, a.Seq });
            e.Property(a => a.Seq).ValueGeneratedNever();
            e.Property(a => a.ChainId).ValueGeneratedNever();
            // Rows written before the keyed chain are version 1 (SHA-256); new rows always carry their version.
            e.Property(a => a.HashVersion).HasDefaultValue(AuditEntry.Unkeyed).HasSentinel((short)0);
            e.HasIndex(a => new { a.OrganizationId, a.OccurredAt });
            e.HasIndex(a => a.OccurredAt);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.PrevHash).HasMaxLength(64).IsFixedLength();
            e.Property(a => a.Hash).HasMaxLength(64).IsFixedLength();
        });
        b.Entity<DataProtectionKey>(e => e.ToTable("data_protection_keys").Property(k => k.Xml).IsRequired()); // the package's entity on our table: existing keys (and cookies) stay
        b.Entity<UserSession>(e =>
        {
            e.ToTable("user_sessions");
            e.HasIndex(x => x.UserId);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.IpAddress).HasMaxLength(64);
            e.Property(x => x.UserAgent).HasMaxLength(320);
        });
        b.Entity<CatalogEdition>(e =>
        {
            e.ToTable("catalog_editions");
            e.HasIndex(x => new { x.FileId, x.Revision }).IsUnique();
            e.HasIndex(x => x.FileId).IsUnique().HasFilter("\"IsCurrent\"").HasDatabaseName("IX_catalog_editions_current");
            e.Property(x => x.Header).HasColumnType("jsonb");
            e.Property(x => x.Sha256).HasMaxLength(64).IsFixedLength();
            e.Ignore(x => x.IsDraft);
            e.HasMany(x => x.Nodes).WithOne().HasForeignKey(n => n.EditionId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Mappings).WithOne().HasForeignKey(m => m.EditionId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<CatalogNode>(e =>
        {
            e.ToTable("catalog_nodes");
            e.HasIndex(x => new { x.EditionId, x.NodeId }).IsUnique();
            e.Property(x => x.Fields).HasColumnType("jsonb");
        });
        b.Entity<CatalogMapping>(e =>
        {
            e.ToTable("catalog_mappings");
            e.HasIndex(x => x.EditionId);
            e.HasIndex(x => new { x.ToFile, x.ToNode });
            e.Property(x => x.Fields).HasColumnType("jsonb");
        });

        b.Entity<Asset>(e =>
        {
            e.ToTable("assets");
            e.HasIndex(a => new { a.OrganizationId, a.ControlNumber }).IsUnique();
            e.HasIndex(a => new { a.OrganizationId, a.Category });
            e.HasIndex(a => new { a.OrganizationId, a.IpAddress });
            // The findings cache's stamp (device count and latest 最終更新日) by an index-only scan: 35 → 9 ms at 100,000 devices.
            e.HasIndex(a => new { a.OrganizationId, a.UpdatedAt });
            // The ledger form's version (xmin): a save whose device changed since it was read updates nothing (two saves at once).
            e.Property(a => a.Version).IsRowVersion();
            e.Property(a => a.ControlNumber).HasMaxLength(64);
            // One lower-cased text of the columns the list's search box covers, kept by PostgreSQL (trigram-indexed when
            // pg_trgm is available), so a search over 100,000 devices is one indexed LIKE instead of ten scans.
            e.Property<string>(Asset.SearchTextColumn).HasComputedColumnSql(LedgerFields.SearchTextSql, stored: true);
            e.Property(a => a.Category).HasConversion<string>().HasMaxLength(32);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.SecurityUpdatesBy).HasConversion<string>().HasMaxLength(16);
            e.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(a => a.Interfaces).WithOne().HasForeignKey(i => i.AssetId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(a => a.OpenPorts).WithOne().HasForeignKey(p => p.AssetId).OnDelete(DeleteBehavior.Cascade);
        });
        // Ids are set in code (Guid v7): a row added through a navigation of a tracked device must be inserted, not updated.
        b.Entity<AssetInterface>(e =>
        {
            e.ToTable("asset_interfaces");
            e.Property(i => i.Id).ValueGeneratedNever();
        });
        b.Entity<OpenPort>(e =>
        {
            e.ToTable("asset_open_ports");
            e.Property(p => p.Id).ValueGeneratedNever();
            e.HasIndex(p => new { p.AssetId, p.Port, p.Protocol }).IsUnique();
        });
        b.Entity<AssetHistory>(e =>
        {
            e.ToTable("asset_history");
            e.HasIndex(h => new { h.OrganizationId, h.AssetId, h.ChangedAt });
            e.Property(h => h.Snapshot).HasColumnType("jsonb");
        });
        b.Entity<CloudService>(e =>
        {
            e.ToTable("cloud_services");
            e.HasIndex(c => c.OrganizationId);
            e.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Connection>(e =>
        {
            e.ToTable("connections");
            e.HasIndex(c => c.OrganizationId);
            e.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(32);
            e.Property(c => c.Method).HasConversion<string>().HasMaxLength(32);
            e.Property(c => c.AccountType).HasConversion<string>().HasMaxLength(16);
            e.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
            e.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Asset>().WithMany().HasForeignKey(c => c.ApplianceAssetId).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<ConnectionEvidence>(e =>
        {
            e.ToTable("connection_evidence");
            e.HasIndex(x => x.ConnectionId);
            e.HasOne<Connection>().WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ImportUpload>(e =>
        {
            e.ToTable("import_uploads");
            e.HasIndex(u => new { u.OrganizationId, u.CreatedAt });
        });

        b.Entity<ChecklistAssessment>(e =>
        {
            e.ToTable("checklist_assessments");
            // One site sheet per edition; one 事業者確認用 per edition and system.
            e.HasIndex(a => new { a.OrganizationId, a.EditionFileId, a.SheetNodeId, a.SystemName }).IsUnique().AreNullsDistinct(false);
            e.Property(a => a.SystemName).HasMaxLength(200);
            e.Ignore(a => a.IsClosed);
            e.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ChecklistAnswer>(e =>
        {
            e.ToTable("checklist_answers");
            e.HasIndex(a => new { a.AssessmentId, a.NodeId }).IsUnique();
            e.Property(a => a.Version).IsRowVersion();
            e.HasOne<ChecklistAssessment>().WithMany().HasForeignKey(a => a.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ChecklistSeal>(e =>
        {
            e.ToTable("checklist_seals");
            e.HasIndex(x => new { x.AssessmentId, x.Round }).IsUnique();
            // text, not jsonb: the snapshot's exact bytes are what its SHA-256 (in the audit chain) covers.
            e.HasOne<ChecklistAssessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ChecklistEvidence>(e =>
        {
            e.ToTable("checklist_evidence");
            e.HasIndex(x => new { x.AssessmentId, x.NodeId });
            e.HasOne<ChecklistAssessment>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ChecklistEvidenceContent>(e =>
        {
            e.ToTable("checklist_evidence_content");
            e.HasKey(x => x.EvidenceId);
            e.HasOne<ChecklistEvidence>().WithOne().HasForeignKey<ChecklistEvidenceContent>(x => x.EvidenceId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<VendorRequest>(e =>
        {
            e.ToTable("vendor_requests");
            e.HasIndex(r => new { r.OrganizationId, r.RequestedAt });
            e.HasIndex(r => r.VendorOrganizationId);
            e.HasIndex(r => r.InviteTokenHash).IsUnique();
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.Version).IsRowVersion();
            e.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Organization>().WithMany().HasForeignKey(r => r.VendorOrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ChecklistAssessment>().WithMany().HasForeignKey(r => r.SiteAssessmentId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<OutboxMail>(e =>
        {
            e.ToTable("mail_outbox");
            e.HasIndex(m => m.NextAttemptAt).HasFilter("\"SentAt\" IS NULL");
            e.HasIndex(m => new { m.OrganizationId, m.CreatedAt });
            e.HasIndex(m => m.Key).IsUnique();
            e.Property(m => m.Kind).HasMaxLength(32);
            e.Property(m => m.To).HasMaxLength(256);
            e.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });

        VulnerabilityModel.Configure(b);

        // Tenant isolation, enforced here once for every organisation-owned entity.
        foreach (var type in b.Model.GetEntityTypes().Where(t => typeof(IOrganizationOwned).IsAssignableFrom(t.ClrType)))
            typeof(MamoriDb).GetMethod(nameof(FilterByTenant), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type.ClrType).Invoke(this, [b]);
        // The audit log is readable only within the current organisation too.
        b.Entity<AuditEntry>().HasQueryFilter(TenantFilter, a => a.OrganizationId == CurrentOrganizationId);
    }

    public const string TenantFilter = "Tenant";

    void FilterByTenant<T>(ModelBuilder b) where T : class, IOrganizationOwned =>
        b.Entity<T>().HasQueryFilter(TenantFilter, e => e.OrganizationId == CurrentOrganizationId);

    /// <summary>
    /// For the command line only (no route, no membership): act within one organisation, so that the tenant filter
    /// applies exactly as in a request. The web never calls this; TenantMiddleware does it from the route.
    /// </summary>
    public void EnterOrganizationForCommandLine(Organization organization) => tenant.Enter(organization, null);

    /// <summary>Queue an audit event (sign-in, view, export, admin action); it is written by the next SaveChanges.</summary>
    public void Audit(string action, string? entityType = null, string? entityId = null, object? details = null, Guid? organizationId = null)
    {
        var (userId, name, ip, ua) = actor.Current();
        pendingEvents.Add(new AuditEntry
        {
            Action = action, EntityType = entityType, EntityId = entityId,
            Details = details is null ? null : JsonSerializer.Serialize(details, AuditJson),
            OrganizationId = organizationId ?? CurrentOrganizationId,
            ActorUserId = userId, ActorName = name, IpAddress = ip, UserAgent = ua,
            PrevHash = "", Hash = "",
        });
    }

    /// <summary>Write one audit event on its own (its own transaction).</summary>
    public async Task RecordAsync(string action, string? entityType = null, string? entityId = null, object? details = null,
        Guid? organizationId = null, CancellationToken ct = default)
    {
        Audit(action, entityType, entityId, details, organizationId);
        await SaveChangesAsync(ct);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Every write goes through here: the changes and their audit rows are saved in one transaction, each row chained
    /// (keyed MAC) into its organisation's chain under that chain's advisory lock, so a chain has no forks or gaps and
    /// writers of different organisations do not wait on each other.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken ct = default)
    {
        ChangeTracker.DetectChanges();
        StampCreationTimes();
        var scopes = CacheScopes();
        var audit = ChangeTracker.Entries().Select(DescribeChange).OfType<AuditEntry>().Concat(pendingEvents).ToList();
        pendingEvents.Clear();
        pendingScopes.Clear();
        if (audit.Count == 0 && scopes.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);

        var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(ct) : null;
        try
        {
            var now = AuditEntry.Truncate(Clock.GetUtcNow().UtcDateTime);
            // Chains in a fixed order: two writers touching the same two organisations cannot deadlock.
            foreach (var chain in audit.GroupBy(a => AuditEntry.ChainOf(a.OrganizationId)).OrderBy(g => g.Key))
            {
                await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLockSpace}, hashtext({chain.Key.ToString()}))", ct);
                // A chain's head is read past the tenant filter (a vendor's submission writes into the site's chain too); only Seq and Hash leave here.
                var last = await AuditEntries.IgnoreQueryFilters([TenantFilter]).AsNoTracking().Where(a => a.ChainId == chain.Key)
                    .OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash }).FirstOrDefaultAsync(ct);
                var (seq, prev) = (last?.Seq ?? 0, last?.Hash ?? AuditEntry.GenesisHash);
                foreach (var entry in chain)
                {
                    entry.ChainId = chain.Key;
                    entry.HashVersion = AuditEntry.Keyed;
                    entry.Seq = ++seq;
                    entry.OccurredAt = now;
                    entry.PrevHash = prev;
                    entry.Hash = prev = entry.ComputeHash(AuditKey);
                }
            }
            AuditEntries.AddRange(audit);
            await DbCache.ChangedAsync(this, scopes, ct); // after the chain locks: one lock order for every writer
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(ct);
                // A seal, an export or a backup anchors the chain heads outside the database, once committed.
                if (audit.Any(a => a.Action is AuditActions.ChecklistSealed or AuditActions.Export or AuditActions.Backup))
                    await TryAnchorAsync(ct);
            }
            return written;
        }
        finally
        {
            if (ownTransaction is not null) await ownTransaction.DisposeAsync();
        }
    }

    /// <summary>First key of the chains' advisory locks ("mamori audit chain"); the second is the chain id's hashtext.</summary>
    const int ChainLockSpace = 727274;

    /// <summary>New rows take their creation time from the one clock: a CreatedAt/AddedAt left unset is stamped here.</summary>
    void StampCreationTimes()
    {
        DateTime? now = null;
        foreach (var entry in ChangeTracker.Entries().Where(e => e.State == EntityState.Added))
            foreach (var name in CreationTimes)
                if (entry.Metadata.FindProperty(name) is { } p && p.ClrType == typeof(DateTime) && (DateTime)entry.CurrentValues[p]! == default)
                    entry.CurrentValues[p] = now ??= Clock.GetUtcNow().UtcDateTime;
    }

    static readonly string[] CreationTimes = ["CreatedAt", "AddedAt"];

    /// <summary>The application's clock (TimeProvider).</summary>
    public TimeProvider Clock => AppService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>
    /// Writes the signed anchor file (<see cref="AuditAnchor"/>) with every chain's head as committed now: at a seal,
    /// backup and export, and regularly from the background.
    /// </summary>
    public Task AnchorAuditAsync(CancellationToken ct = default) => AuditAnchor.WriteAsync(this, ct);

    /// <summary>The change is committed: a failure to write the anchor is logged (the background writer tries again), not thrown.</summary>
    async Task TryAnchorAsync(CancellationToken ct)
    {
        try { await AnchorAuditAsync(ct); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AppService<ILoggerFactory>()?.CreateLogger<MamoriDb>().LogWarning(e, "Could not write the audit anchor");
        }
    }

    /// <summary>The cache scopes (<see cref="DbCache"/>) this save changes: the catalogue, or an organisation's ledger.</summary>
    List<string> CacheScopes() => ChangeTracker.Entries()
        .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
        .Select(e => e.Entity switch
        {
            CatalogEdition or CatalogNode or CatalogMapping => DbCache.Catalog,
            Asset a => DbCache.Ledger(a.OrganizationId),
            Connection c => DbCache.Ledger(c.OrganizationId),
            CloudService c => DbCache.Ledger(c.OrganizationId),
            AssetInterface or OpenPort when CurrentOrganizationId is { } org => DbCache.Ledger(org),
            _ => null,
        })
        .OfType<string>().Concat(pendingScopes).Distinct().ToList();

    static readonly JsonSerializerOptions AuditJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Never copied into the audit log: secrets and hashes of secrets.</summary>
    static readonly HashSet<string> Redacted =
        ["PasswordHash", "SecurityStamp", "ConcurrencyStamp", "TokenHash", "InviteTokenHash", "Value", "Data", "CredentialId", "PublicKey", "Xml", "Content", "Snapshot"];

    /// <summary>Bookkeeping that changes on every sign-in; sign-in events record it instead.</summary>
    static readonly HashSet<string> Bookkeeping =
        ["AccessFailedCount", "LockoutEnd", "LastTotpTimeStep", "LastOrganizationId", "ConcurrencyStamp", "SecurityStamp"];

    AuditEntry? DescribeChange(EntityEntry e)
    {
        // Catalogue revisions are recorded as one import/publish event each, not row by row.
        if (e.Entity is AuditEntry or DataProtectionKey or CatalogEdition or CatalogNode or CatalogMapping) return null;
        // Uploaded files waiting for confirmation are not records; their import is audited as one event.
        if (e.Entity is ImportUpload || e.Entity is AssetHistory) return null;
        // Evidence bytes are recorded by the evidence row (name, size, SHA-256), not copied into the audit log.
        if (e.Entity is ChecklistEvidenceContent) return null;
        // Queued mail is not a record (its body may hold an invitation link); the action that queued it is audited.
        if (e.Entity is OutboxMail) return null;
        if (VulnerabilityModel.IsUnaudited(e.Entity)) return null;
        string action;
        Dictionary<string, object?> details = [];
        switch (e.State)
        {
            case EntityState.Added:
                action = AuditActions.Create;
                foreach (var p in e.Properties) details[p.Metadata.Name] = Show(p.Metadata.Name, p.CurrentValue);
                break;
            case EntityState.Deleted:
                action = AuditActions.Delete;
                foreach (var p in e.Properties) details[p.Metadata.Name] = Show(p.Metadata.Name, p.OriginalValue);
                break;
            case EntityState.Modified:
                var changed = e.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList();
                if (changed.All(p => Bookkeeping.Contains(p.Metadata.Name))) return null;
                action = AuditActions.Update;
                foreach (var p in changed)
                    details[p.Metadata.Name] = new[] { Show(p.Metadata.Name, p.OriginalValue), Show(p.Metadata.Name, p.CurrentValue) };
                break;
            default:
                return null;
        }
        var key = string.Join(",", e.Metadata.FindPrimaryKey()!.Properties.Select(p => e.Property(p.Name).CurrentValue));
        Guid? org = e.Entity switch
        {
            IOrganizationOwned owned => owned.OrganizationId,
            Organization o => o.Id,
            _ => CurrentOrganizationId,
        };
        var (userId, name, ip, ua) = actor.Current();
        return new AuditEntry
        {
            Action = action, EntityType = e.Metadata.ClrType.Name, EntityId = key,
            Details = JsonSerializer.Serialize(details, AuditJson), OrganizationId = org,
            ActorUserId = userId, ActorName = name, IpAddress = ip, UserAgent = ua, PrevHash = "", Hash = "",
        };
    }

    static object? Show(string property, object? value) =>
        Redacted.Contains(property) && value is not null ? "[秘匿]" : value switch
        {
            DateTime d => d.ToString("O"),
            Enum en => en.ToString(),
            _ => value,
        };
}
