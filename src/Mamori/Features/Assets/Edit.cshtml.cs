using System.Text.Json;
using Mamori.Features.Assets.Import;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Assets;

/// <summary>Add or change one device. A stale form (someone else saved meanwhile) is refused with a clear message.</summary>
[Requires(Permission.LedgerEdit)]
public sealed class EditModel(MamoriDb db, TenantContext tenant, Text t) : PageModel
{
    [BindProperty] public AssetInput Input { get; set; } = new();
    public Dictionary<string, string> Errors { get; } = [];
    public bool IsNew => Input.Id is null;

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        if (id is null) return Page();
        var asset = await db.Assets.AsNoTracking().Include(a => a.Interfaces).FirstOrDefaultAsync(a => a.Id == id);
        if (asset is null) return NotFound();
        Input = AssetInput.From(asset);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Input.Id = id;
        Input.Validate(Errors, t);
        var asset = id is null ? null : await db.Assets.Include(a => a.Interfaces).FirstOrDefaultAsync(a => a.Id == id);
        if (id is not null && asset is null) return NotFound();
        if (asset is not null && asset.UpdatedAt.Ticks != Input.Version) Errors["form"] = ChangedMeanwhile(asset);
        var number = Asset.NormalizeControlNumber(Input.ControlNumber); // as the ledger stores it: 「PC-０１２」 is 「PC-012」
        if (await db.Assets.AnyAsync(a => a.ControlNumber == number && a.Id != id))
            Errors[nameof(Input.ControlNumber)] = t[$"管理番号「{number}」は既に使われています。", $"Control number {number} is already used."];
        if (Errors.Count > 0) return Page();

        var now = AuditEntry.Truncate(DateTime.UtcNow);
        var actor = User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "";
        if (asset is not null)
            // History keeps what each change replaced (the before-image); the audit log has the field-by-field diff.
            db.AssetHistory.Add(new AssetHistory
            {
                OrganizationId = asset.OrganizationId, AssetId = asset.Id, ChangedAt = now, ChangedBy = actor,
                Source = "form", Snapshot = JsonSerializer.Serialize(AssetInput.From(asset)),
            });
        asset ??= db.Assets.Add(new Asset { OrganizationId = tenant.OrganizationId!.Value, ControlNumber = number }).Entity;
        Input.ApplyTo(asset);
        asset.UpdatedAt = now;
        asset.UpdatedBy = actor;
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone saved this device between the check above and this write (two saves at once): theirs is kept.
            var current = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id);
            if (current is null) return NotFound();
            Errors["form"] = ChangedMeanwhile(current);
            return Page();
        }
        return Redirect($"/o/{tenant.Organization!.Code}/assets/{asset.Id}");
    }

    string ChangedMeanwhile(Asset current) =>
        t[$"保存できません: この機器は {Text.Jst(current.UpdatedAt)} に {current.UpdatedBy} さんが変更しています。画面を開き直して内容を確かめてから、もう一度入力してください。",
            $"Not saved: {current.UpdatedBy} changed this device at {Text.Jst(current.UpdatedAt)}. Reload and try again."];
}

public sealed class AssetInput
{
    public Guid? Id { get; set; }
    public long Version { get; set; }
    public string ControlNumber { get; set; } = "";
    public AssetCategory Category { get; set; } = AssetCategory.TerminalPc;
    public string? MedicalDeviceType { get; set; }
    public string? Name { get; set; }
    public string? Manufacturer { get; set; }
    public string? Model { get; set; }
    public string? OperatingSystem { get; set; }
    public string? OsVersion { get; set; }
    public string? Software { get; set; }
    public string? SoftwareVersion { get; set; }
    public string? Firmware { get; set; }
    public string? IpAddress { get; set; }
    public string? MacAddress { get; set; }
    public string? ComputerName { get; set; }
    public string? Location { get; set; }
    public string? UserName { get; set; }
    public DateOnly? RegisteredOn { get; set; }
    public AssetStatus Status { get; set; } = AssetStatus.InUse;
    public string? Description { get; set; }
    public string? MaintenanceVendor { get; set; }
    public SecurityUpdateResponsibility SecurityUpdatesBy { get; set; } = SecurityUpdateResponsibility.Unknown;
    public DateOnly? SupportEndsOn { get; set; }
    public string? AntiMalware { get; set; }
    public string? Authentication { get; set; }
    public DateOnly? LastStocktakeOn { get; set; }
    /// <summary>Further interfaces, one per line: 「IPアドレス, ネットワーク区分」 (the 2枚挿し check reads these).</summary>
    public string? Interfaces { get; set; }

    public static AssetInput From(Asset a) => new()
    {
        Id = a.Id, Version = a.UpdatedAt.Ticks, ControlNumber = a.ControlNumber, Category = a.Category, MedicalDeviceType = a.MedicalDeviceType,
        Name = a.Name, Manufacturer = a.Manufacturer, Model = a.Model, OperatingSystem = a.OperatingSystem, OsVersion = a.OsVersion,
        Software = a.Software, SoftwareVersion = a.SoftwareVersion, Firmware = a.Firmware, IpAddress = a.IpAddress, MacAddress = a.MacAddress,
        ComputerName = a.ComputerName, Location = a.Location, UserName = a.UserName, RegisteredOn = a.RegisteredOn, Status = a.Status,
        Description = a.Description, MaintenanceVendor = a.MaintenanceVendor, SecurityUpdatesBy = a.SecurityUpdatesBy,
        SupportEndsOn = a.SupportEndsOn, AntiMalware = a.AntiMalware, Authentication = a.Authentication, LastStocktakeOn = a.LastStocktakeOn,
        Interfaces = string.Join("\n", a.Interfaces.Select(i => $"{i.IpAddress}, {i.Segment}".Trim(' ', ','))),
    };

    public void Validate(Dictionary<string, string> errors, Text t)
    {
        if (string.IsNullOrWhiteSpace(ControlNumber) || Asset.NormalizeControlNumber(ControlNumber).Length > 64)
            errors[nameof(ControlNumber)] = t["管理番号を入力してください（64文字まで）。", "Enter a control number (up to 64 characters)."];
        if (!string.IsNullOrWhiteSpace(IpAddress) && !IpAddressText.TryNormalize(IpAddress, out _))
            errors[nameof(IpAddress)] = t[$"IPアドレス「{IpAddress}」は正しいアドレスではありません。", "Not a valid IP address."];
        if (!string.IsNullOrWhiteSpace(MacAddress) && !MacAddressText.TryNormalize(MacAddress, out _))
            errors[nameof(MacAddress)] = t[$"MACアドレス「{MacAddress}」は正しくありません（例: 00:1A:2B:3C:4D:5E）。", "Not a valid MAC address."];
        foreach (var (line, n) in InterfaceLines().Select((l, i) => (l, i + 1)))
            if (line.Ip is { Length: > 0 } ip && !IpAddressText.TryNormalize(ip, out _))
                errors[nameof(Interfaces)] = t[$"ネットワークの{n}行目: 「{ip}」は正しい IP アドレスではありません。", $"Interface line {n}: not a valid IP address."];
        if (RegisteredOn is { } r && r > DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).AddDays(1))
            errors[nameof(RegisteredOn)] = t["登録日が未来の日付です。", "The registration date is in the future."];
    }

    IEnumerable<(string? Ip, string? Segment)> InterfaceLines() =>
        (Interfaces ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split([',', '、'], 2, StringSplitOptions.TrimEntries))
            .Select(p => ((string?)p[0], p.Length > 1 && p[1].Length > 0 ? p[1] : null));

    public void ApplyTo(Asset a)
    {
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        a.ControlNumber = ControlNumber; a.Category = Category; a.MedicalDeviceType = Clean(MedicalDeviceType); a.Name = Clean(Name);
        a.Manufacturer = Clean(Manufacturer); a.Model = Clean(Model); a.OperatingSystem = Clean(OperatingSystem); a.OsVersion = Clean(OsVersion);
        a.Software = Clean(Software); a.SoftwareVersion = Clean(SoftwareVersion); a.Firmware = Clean(Firmware);
        a.IpAddress = IpAddressText.TryNormalize(IpAddress, out var ip) ? ip : null;
        a.MacAddress = MacAddressText.TryNormalize(MacAddress, out var mac) ? mac : null;
        a.ComputerName = Clean(ComputerName); a.Location = Clean(Location); a.UserName = Clean(UserName); a.RegisteredOn = RegisteredOn;
        a.Status = Status; a.Description = Clean(Description); a.MaintenanceVendor = Clean(MaintenanceVendor); a.SecurityUpdatesBy = SecurityUpdatesBy;
        a.SupportEndsOn = SupportEndsOn; a.AntiMalware = Clean(AntiMalware); a.Authentication = Clean(Authentication); a.LastStocktakeOn = LastStocktakeOn;
        a.Interfaces.Clear();
        foreach (var (lineIp, segment) in InterfaceLines())
            a.Interfaces.Add(new AssetInterface { AssetId = a.Id, IpAddress = IpAddressText.TryNormalize(lineIp, out var n) ? n : null, Segment = segment });
    }
}
