using Mamori.Features.Assets.Import;
using Mamori.Features.Checklists;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>Add or change a connection. The appliance must be a device of this organisation's ledger.</summary>
[Requires(Permission.LedgerEdit)]
public sealed class ConnectionEditModel(MamoriDb db, TenantContext tenant, Text t, TimeProvider clock) : PageModel
{
    [BindProperty] public ConnectionInput Input { get; set; } = new();
    public FieldErrors Errors { get; } = new();
    public List<Asset> NetworkDevices { get; private set; } = [];
    public bool IsNew { get; private set; } = true;
    public Guid? Id { get; private set; }
    public List<ConnectionEvidence> Evidence { get; private set; } = [];
    public string? EvidenceError { get; private set; }

    async Task LoadEvidenceAsync(Guid id) =>
        Evidence = await db.ConnectionEvidence.AsNoTracking().Where(e => e.ConnectionId == id).OrderBy(e => e.AddedAt)
            .Select(e => new ConnectionEvidence { Id = e.Id, ConnectionId = e.ConnectionId, Title = e.Title, ContentType = e.ContentType, Size = e.Size,
                Sha256 = e.Sha256, Content = Array.Empty<byte>(), AddedAt = e.AddedAt, AddedBy = e.AddedBy }).ToListAsync();

    /// <summary>The vendor's confirmation (reply, signed sheet) attached to the connection: type checked by content, SHA-256 kept.</summary>
    public async Task<IActionResult> OnPostEvidenceAsync(Guid id, IFormFile? file)
    {
        var connection = await db.Connections.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id);
        if (connection is null) return NotFound();
        (Input, IsNew, Id) = (ConnectionInput.From(connection), false, id);
        await LoadDevicesAsync();
        using var buffer = new MemoryStream();
        if (file is not null) await file.CopyToAsync(buffer);
        var content = buffer.ToArray();
        var (contentType, ja, en) = EvidenceFiles.Check(file?.FileName ?? "", content, AssetImporter.MaxUploadBytes);
        if (file is null || contentType is null)
        {
            EvidenceError = file is null ? t["添付するファイルを選んでください。", "Choose a file."] : t[ja!, en!];
            await LoadEvidenceAsync(id);
            return Page();
        }
        db.ConnectionEvidence.Add(new ConnectionEvidence
        {
            OrganizationId = connection.OrganizationId, ConnectionId = id, Title = Path.GetFileName(file.FileName), ContentType = contentType,
            Size = content.Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), Content = content,
            AddedAt = clock.GetUtcNow().UtcDateTime, AddedBy = User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "",
        });
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets/connections/edit/{id}#evidence");
    }

    public async Task<IActionResult> OnGetFileAsync(Guid id, Guid evidence)
    {
        var row = await db.ConnectionEvidence.AsNoTracking().FirstOrDefaultAsync(e => e.Id == evidence && e.ConnectionId == id);
        if (row is null) return NotFound();
        await db.RecordAsync(AuditActions.View, "ConnectionEvidence", row.Id.ToString(), new { row.Title, row.Sha256 });
        return File(row.Content, row.ContentType, row.Title);
    }

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        await LoadDevicesAsync();
        if (id is null) return Page();
        var c = await db.Connections.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id);
        if (c is null) return NotFound();
        (Input, IsNew, Id) = (ConnectionInput.From(c), false, id);
        await LoadEvidenceAsync(id.Value);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        var connection = id is null ? null : await db.Connections.FirstOrDefaultAsync(x => x.Id == id);
        if (id is not null && connection is null) return NotFound();
        IsNew = connection is null;
        if (string.IsNullOrWhiteSpace(Input.VendorName)) Errors.Add(nameof(Input.VendorName), ("事業者名を入力してください。", "Enter the vendor."));
        if (Input.ApplianceAssetId is { } aid && !await db.Assets.AnyAsync(a => a.Id == aid))
            Errors.Add(nameof(Input.ApplianceAssetId), ("選んだ機器が台帳にありません。", "That device is not in your ledger."));
        if (Input.LastConfirmedOn is { } d && d > clock.Today())
            Errors.Add(nameof(Input.LastConfirmedOn), ("確認日が未来の日付です。", "The confirmation date is in the future."));
        if (Input.Purpose == ConnectionPurpose.Other && string.IsNullOrWhiteSpace(Input.PurposeDetail))
            Errors.Add(nameof(Input.PurposeDetail), ("用途が「その他」のときは内容を書いてください。", "Describe the purpose."));
        if (Errors.Count > 0)
        {
            await LoadDevicesAsync();
            if (id is { } existing)
            {
                Id = existing;
                await LoadEvidenceAsync(existing);
            }
            return Page();
        }
        connection ??= db.Connections.Add(new Connection { OrganizationId = tenant.OrganizationId!.Value, VendorName = "" }).Entity;
        Input.ApplyTo(connection);
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets/connections");
    }

    async Task LoadDevicesAsync() =>
        NetworkDevices = await db.Assets.AsNoTracking()
            .Where(a => a.Category == AssetCategory.VpnAppliance || a.Category == AssetCategory.Router || a.Category == AssetCategory.MobileRouter
                        || a.Category == AssetCategory.Firewall || a.Category == AssetCategory.Server || a.Id == Input.ApplianceAssetId)
            .OrderBy(a => a.Category).ThenBy(a => a.ControlNumber).Take(500).ToListAsync();
}

public sealed class ConnectionInput
{
    public string VendorName { get; set; } = "";
    public ConnectionPurpose Purpose { get; set; } = ConnectionPurpose.Ehr;
    public string? PurposeDetail { get; set; }
    public ConnectionMethod Method { get; set; } = ConnectionMethod.IpsecVpn;
    public Guid? ApplianceAssetId { get; set; }
    public string? SourceRestriction { get; set; }
    public ConnectionAccountType AccountType { get; set; } = ConnectionAccountType.Unknown;
    /// <summary>"yes", "no" or "" (unknown).</summary>
    public string? SecondFactor { get; set; }
    public string? Schedule { get; set; }
    public string? NotificationToSite { get; set; }
    public DateOnly? LastConfirmedOn { get; set; }
    public string? ConfirmationNote { get; set; }
    public ConnectionStatus Status { get; set; } = ConnectionStatus.Active;

    public static ConnectionInput From(Connection c) => new()
    {
        VendorName = c.VendorName, Purpose = c.Purpose, PurposeDetail = c.PurposeDetail, Method = c.Method, ApplianceAssetId = c.ApplianceAssetId,
        SourceRestriction = c.SourceRestriction, AccountType = c.AccountType, SecondFactor = c.SecondFactor switch { true => "yes", false => "no", null => "" },
        Schedule = c.Schedule, NotificationToSite = c.NotificationToSite, LastConfirmedOn = c.LastConfirmedOn, ConfirmationNote = c.ConfirmationNote, Status = c.Status,
    };

    public void ApplyTo(Connection c)
    {
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        c.VendorName = VendorName.Trim(); c.Purpose = Purpose; c.PurposeDetail = Clean(PurposeDetail); c.Method = Method;
        c.ApplianceAssetId = ApplianceAssetId; c.SourceRestriction = Clean(SourceRestriction); c.AccountType = AccountType;
        c.SecondFactor = SecondFactor switch { "yes" => true, "no" => false, _ => null };
        c.Schedule = Clean(Schedule); c.NotificationToSite = Clean(NotificationToSite); c.LastConfirmedOn = LastConfirmedOn;
        c.ConfirmationNote = Clean(ConfirmationNote); c.Status = Status;
    }
}
