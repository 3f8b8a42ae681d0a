using Mamori.Assets;
using Mamori.Data;
using Mamori.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>Add or change a connection. The appliance must be a device of this organisation's ledger.</summary>
[OrgAccess(Mamori.Organizations.OrganizationRole.Administrator, Mamori.Organizations.OrganizationRole.Manager, Mamori.Organizations.OrganizationRole.Operator)]
public sealed class ConnectionEditModel(MamoriDb db, TenantContext tenant, Mamori.Web.Text t) : PageModel
{
    [BindProperty] public ConnectionInput Input { get; set; } = new();
    public Dictionary<string, string> Errors { get; } = [];
    public List<Asset> NetworkDevices { get; private set; } = [];
    public bool IsNew { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        await LoadDevicesAsync();
        if (id is null) return Page();
        var c = await db.Connections.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id);
        if (c is null) return NotFound();
        (Input, IsNew) = (ConnectionInput.From(c), false);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        var connection = id is null ? null : await db.Connections.FirstOrDefaultAsync(x => x.Id == id);
        if (id is not null && connection is null) return NotFound();
        IsNew = connection is null;
        if (string.IsNullOrWhiteSpace(Input.VendorName)) Errors[nameof(Input.VendorName)] = t["事業者名を入力してください。", "Enter the vendor."];
        if (Input.ApplianceAssetId is { } aid && !await db.Assets.AnyAsync(a => a.Id == aid))
            Errors[nameof(Input.ApplianceAssetId)] = t["選んだ機器が台帳にありません。", "That device is not in your ledger."];
        if (Input.LastConfirmedOn is { } d && d > AssetFindings.Today)
            Errors[nameof(Input.LastConfirmedOn)] = t["確認日が未来の日付です。", "The confirmation date is in the future."];
        if (Input.Purpose == ConnectionPurpose.Other && string.IsNullOrWhiteSpace(Input.PurposeDetail))
            Errors[nameof(Input.PurposeDetail)] = t["用途が「その他」のときは内容を書いてください。", "Describe the purpose."];
        if (Errors.Count > 0)
        {
            await LoadDevicesAsync();
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
