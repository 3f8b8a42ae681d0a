using System.Globalization;
using Mamori.Features.Assets.Import;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Mamori.Features.Assets;

/// <summary>
/// Add, change or delete one device. A stale form (someone else saved meanwhile: the row's xmin differs) is refused with
/// a clear message. Every change goes into the device's history through <see cref="LedgerChanges"/>.
/// </summary>
[Requires(Permission.LedgerEdit)]
public sealed class EditModel(MamoriDb db, TenantContext tenant, TimeProvider clock) : PageModel
{
    [BindProperty] public AssetInput Input { get; set; } = new();
    public FieldErrors Errors { get; } = new();
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
        Input.ReadValues(Request.Form);
        Input.Validate(Errors, clock.Today());
        var asset = id is null ? null : await db.Assets.Include(a => a.Interfaces).FirstOrDefaultAsync(a => a.Id == id);
        if (id is not null && asset is null) return NotFound();
        if (asset is not null && asset.Version != Input.Version) Errors.Add("form", ChangedMeanwhile(asset));
        var number = Asset.NormalizeControlNumber(Input.ControlNumber); // as the ledger stores it: 「PC-０１２」 is 「PC-012」
        if (await db.Assets.AnyAsync(a => a.ControlNumber == number && a.Id != id))
            Errors.Add(nameof(AssetField.ControlNumber), ($"管理番号「{number}」は既に使われています。", $"Control number {number} is already used."));
        if (Errors.Count > 0) return Page();

        var now = AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime);
        var actor = Actor;
        var change = asset is null ? LedgerChange.Create : LedgerChange.Update;
        await using var tx = await db.Database.BeginTransactionAsync();
        asset ??= db.Assets.Add(new Asset { OrganizationId = tenant.OrganizationId!.Value, ControlNumber = number }).Entity;
        Input.ApplyTo(asset);
        asset.UpdatedAt = now;
        asset.UpdatedBy = actor;
        try
        {
            await db.SaveChangesAsync(); // the audit log has the field-by-field diff
        }
        catch (DbUpdateConcurrencyException)
        {
            return await SavedMeanwhileAsync(tx, id);
        }
        await LedgerChanges.RecordAsync(db, asset.OrganizationId, change, LedgerChanges.Form, [asset.Id], now, actor);
        await tx.CommitAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets/{asset.Id}");
    }

    /// <summary>Removes the device from the ledger (its interfaces and ports with it); its history keeps the last version.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(Guid? id, uint version, string? confirm)
    {
        var asset = id is null ? null : await db.Assets.Include(a => a.Interfaces).AsNoTracking().FirstOrDefaultAsync(a => a.Id == id);
        if (asset is null) return NotFound();
        Input = AssetInput.From(asset);
        if (asset.Version != version) Errors.Add("form", ChangedMeanwhile(asset));
        else if (confirm != "yes") Errors.Add("delete", ("削除する場合は「削除します」にチェックを入れてください。", "Tick the box to confirm the deletion."));
        if (Errors.Count > 0) return Page();
        await using var tx = await db.Database.BeginTransactionAsync();
        await LedgerChanges.RecordAsync(db, asset.OrganizationId, LedgerChange.Delete, LedgerChanges.Form, [asset.Id],
            AuditEntry.Truncate(clock.GetUtcNow().UtcDateTime), Actor);
        db.Assets.Remove(asset);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            return await SavedMeanwhileAsync(tx, id);
        }
        await tx.CommitAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/assets");
    }

    string Actor => User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "";

    /// <summary>Someone saved this device between the check and this write (two saves at once): theirs is kept, the form says who.</summary>
    async Task<IActionResult> SavedMeanwhileAsync(IDbContextTransaction tx, Guid? id)
    {
        await tx.RollbackAsync();
        db.ChangeTracker.Clear();
        var current = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id);
        if (current is null) return NotFound();
        Errors.Add("form", ChangedMeanwhile(current));
        return Page();
    }

    static UserError ChangedMeanwhile(Asset current) =>
        ($"保存できません: この機器は {Text.Jst(current.UpdatedAt)} に {current.UpdatedBy} さんが変更しています。画面を開き直して内容を確かめてから、もう一度入力してください。",
            $"Not saved: {current.UpdatedBy} changed this device at {Text.Jst(current.UpdatedAt)}. Reload and try again.");
}

/// <summary>
/// The device form: one value per field of <see cref="LedgerFields.Form"/> as typed (posted as <c>Input.{Field}</c>),
/// the row's version and the further interfaces.
/// </summary>
public sealed class AssetInput
{
    public Guid? Id { get; set; }
    public uint Version { get; set; }
    /// <summary>Further interfaces, one per line: 「IPアドレス, ネットワーク区分」 (the 2枚挿し check reads these).</summary>
    public string? Interfaces { get; set; }
    /// <summary>The typed text of each form field (dates as yyyy-MM-dd, choices by enum name).</summary>
    public Dictionary<AssetField, string?> Values { get; } = NewValues();

    public string ControlNumber => Values[AssetField.ControlNumber] ?? "";
    public string? this[AssetField field] => Values.GetValueOrDefault(field);

    /// <summary>A new device's choices: a terminal PC, in use, updates by whom not known.</summary>
    static Dictionary<AssetField, string?> NewValues() => new()
    {
        [AssetField.ControlNumber] = "",
        [AssetField.Category] = nameof(AssetCategory.TerminalPc),
        [AssetField.Status] = nameof(AssetStatus.InUse),
        [AssetField.SecurityUpdatesBy] = nameof(SecurityUpdateResponsibility.Unknown),
    };

    public void ReadValues(IFormCollection form)
    {
        foreach (var field in LedgerFields.Form)
            if (form.TryGetValue("Input." + field.Field, out var value)) Values[field.Field] = value.ToString();
    }

    public static AssetInput From(Asset a)
    {
        var input = new AssetInput
        {
            Id = a.Id, Version = a.Version,
            Interfaces = string.Join("\n", a.Interfaces.Select(i => $"{i.IpAddress}, {i.Segment}".Trim(' ', ','))),
        };
        foreach (var field in LedgerFields.Form)
            input.Values[field.Field] = field.Get(a) switch
            {
                null => null,
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                var v => v.ToString(),
            };
        return input;
    }

    public void Validate(FieldErrors errors, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(ControlNumber) || Asset.NormalizeControlNumber(ControlNumber).Length > 64)
            errors.Add(nameof(AssetField.ControlNumber), ("管理番号を入力してください（64文字まで）。", "Enter a control number (up to 64 characters)."));
        foreach (var field in LedgerFields.Form)
        {
            if (this[field.Field] is not { Length: > 0 } value || string.IsNullOrWhiteSpace(value)) continue;
            var name = field.Field.ToString();
            if (field.Kind == LedgerFieldKind.IpAddress && !IpAddressText.TryNormalize(value, out _))
                errors.Add(name, ($"{field.Ja}「{value}」は正しいアドレスではありません。", $"Not a valid {field.En}."));
            if (field.Kind == LedgerFieldKind.MacAddress && !MacAddressText.TryNormalize(value, out _))
                errors.Add(name, ($"{field.Ja}「{value}」は正しくありません（例: 00:1A:2B:3C:4D:5E）。", $"Not a valid {field.En}."));
        }
        foreach (var (line, n) in InterfaceLines().Select((l, i) => (l, i + 1)))
            if (line.Ip is { Length: > 0 } ip && !IpAddressText.TryNormalize(ip, out _))
                errors.Add(nameof(Interfaces), ($"ネットワークの{n}行目: 「{ip}」は正しい IP アドレスではありません。", $"Interface line {n}: not a valid IP address."));
        if (Date(AssetField.RegisteredOn) is { } r && r > today.AddDays(1))
            errors.Add(nameof(AssetField.RegisteredOn), ("登録日が未来の日付です。", "The registration date is in the future."));
    }

    DateOnly? Date(AssetField field) =>
        DateOnly.TryParse(this[field], CultureInfo.InvariantCulture, out var d) ? d : null;

    IEnumerable<(string? Ip, string? Segment)> InterfaceLines() =>
        (Interfaces ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split([',', '、'], 2, StringSplitOptions.TrimEntries))
            .Select(p => ((string?)p[0], p.Length > 1 && p[1].Length > 0 ? p[1] : null));

    /// <summary>Writes every form field to the device, each by its kind (text trimmed, empty as none; addresses normalised).</summary>
    public void ApplyTo(Asset a)
    {
        foreach (var field in LedgerFields.Form)
        {
            var text = this[field.Field];
            var clean = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
            object? value = field.Kind switch
            {
                _ when field.Field == AssetField.ControlNumber => text ?? "",
                LedgerFieldKind.IpAddress => IpAddressText.TryNormalize(text, out var ip) ? ip : null,
                LedgerFieldKind.MacAddress => MacAddressText.TryNormalize(text, out var mac) ? mac : null,
                LedgerFieldKind.Date => Date(field.Field),
                LedgerFieldKind.Choice => Enum.TryParse(field.Property!.PropertyType, text, out var choice) && Enum.IsDefined(field.Property.PropertyType, choice!)
                    ? choice : Enum.Parse(field.Property.PropertyType, NewValues()[field.Field]!),
                _ => clean,
            };
            field.Property!.SetValue(a, value);
        }
        a.Interfaces.Clear();
        foreach (var (lineIp, segment) in InterfaceLines())
            a.Interfaces.Add(new AssetInterface { AssetId = a.Id, IpAddress = IpAddressText.TryNormalize(lineIp, out var n) ? n : null, Segment = segment });
    }
}
