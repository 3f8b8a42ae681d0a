using System.Linq.Expressions;
using System.Reflection;
using Mamori.Features.Assets;

namespace Mamori.Features.Assets.Import;

/// <summary>
/// One valid data row of an imported ledger, parsed and normalised; <see cref="ToAsset"/> makes the entity. Its properties
/// carry the names of the <see cref="LedgerFields"/> they hold: the reader, the COPY and <see cref="ToAsset"/> find them by name.
/// </summary>
public sealed class AssetImportRow
{
    /// <summary>Row (line) number in the file.</summary>
    public int RowNumber { get; init; }
    public string ControlNumber { get; set; } = "";
    public AssetCategory Category { get; set; } = AssetCategory.Other;
    public string? MedicalDeviceType { get; set; }
    public string? Name { get; set; }
    public string? Manufacturer { get; set; }
    public string? Model { get; set; }
    public string? OperatingSystem { get; set; }
    public string? OsVersion { get; set; }
    public string? Software { get; set; }
    public string? SoftwareVersion { get; set; }
    public string? Firmware { get; set; }
    /// <summary>Normalised addresses; a cell may list several (「192.168.1.10, 10.0.0.5」: a 2枚挿し device).</summary>
    public List<string> IpAddresses { get; set; } = [];
    public string? MacAddress { get; set; }
    public string? NetworkSegment { get; set; }
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

    /// <summary>
    /// A new ledger row. The first address is the primary one; with several addresses or a network segment, each
    /// address also becomes an interface (the first carrying the MAC address and segment), so 2枚挿し is visible.
    /// </summary>
    public Asset ToAsset(Guid organizationId, string updatedBy)
    {
        var asset = new Asset { OrganizationId = organizationId, ControlNumber = ControlNumber, UpdatedBy = updatedBy };
        CopyColumns(this, asset);
        asset.IpAddress = IpAddresses.FirstOrDefault();
        asset.Interfaces = Interfaces(asset.Id);
        return asset;
    }

    /// <summary>
    /// Every importable ledger column (<see cref="LedgerFields"/>) from this row's property of the same name onto the
    /// device's; the addresses (a list here) are the caller's.
    /// </summary>
    static readonly Action<AssetImportRow, Asset> CopyColumns = BuildCopy();

    static Action<AssetImportRow, Asset> BuildCopy()
    {
        var (row, asset) = (Expression.Parameter(typeof(AssetImportRow)), Expression.Parameter(typeof(Asset)));
        var assignments = LedgerFields.Importable.Where(f => f.Property is not null && f.Field != AssetField.IpAddress)
            .Select(f => Expression.Assign(Expression.Property(asset, f.Property!), Expression.Property(row, Column(f))));
        return Expression.Lambda<Action<AssetImportRow, Asset>>(Expression.Block(assignments), row, asset).Compile();
    }

    /// <summary>
    /// How the reader stores a text or date cell of a field without rules of its own (<see cref="LedgerFieldKind.Text"/>,
    /// <see cref="LedgerFieldKind.LongText"/>, <see cref="LedgerFieldKind.Date"/>), by field: into the property of its name.
    /// </summary>
    internal static readonly Action<AssetImportRow, string>?[] TextSetters = Setters<string>(LedgerFieldKind.Text, LedgerFieldKind.LongText);
    internal static readonly Action<AssetImportRow, DateOnly?>?[] DateSetters = Setters<DateOnly?>(LedgerFieldKind.Date);

    static Action<AssetImportRow, T>?[] Setters<T>(params LedgerFieldKind[] kinds)
    {
        var setters = new Action<AssetImportRow, T>?[(int)Enum.GetValues<AssetField>().Max() + 1];
        foreach (var field in LedgerFields.Importable.Where(f => kinds.Contains(f.Kind)))
        {
            var (row, value) = (Expression.Parameter(typeof(AssetImportRow)), Expression.Parameter(typeof(T)));
            setters[(int)field.Field] = Expression.Lambda<Action<AssetImportRow, T>>(Expression.Assign(Expression.Property(row, Column(field)), value), row, value).Compile();
        }
        return setters;
    }

    static PropertyInfo Column(LedgerField field) => typeof(AssetImportRow).GetProperty(field.Field.ToString())
        ?? throw new InvalidOperationException($"AssetImportRow has no property for the ledger field {field.Field} (see LedgerFields).");

    /// <summary>
    /// A field as the ledger will hold and show it (the normalised text, a choice's Japanese name, a date as 2019/9/14),
    /// for the preview; every address of the row, and the network segment, which the ledger keeps on the interfaces.
    /// </summary>
    public string? StoredValue(AssetField field) => field switch
    {
        AssetField.IpAddress => IpAddresses.Count == 0 ? null : string.Join(", ", IpAddresses),
        AssetField.NetworkSegment => NetworkSegment,
        _ => AssetLedgerExport.Value(ToAsset(Guid.Empty, ""), field),
    };

    /// <summary>
    /// The device's addresses as a re-import compares them with the ledger: "address" (with segments: "address|segment")
    /// per interface, or the one address when there are no interfaces, sorted ordinally and joined with ';'.
    /// </summary>
    public string InterfaceKey(bool withSegments)
    {
        var interfaces = Interfaces(Guid.Empty);
        IEnumerable<string> keys = interfaces.Count > 0
            ? interfaces.Select(i => withSegments ? $"{i.IpAddress}|{i.Segment}" : i.IpAddress ?? "")
            : IpAddresses.Select(ip => withSegments ? ip + "|" : ip);
        return string.Join(';', keys.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The interfaces after this row updates a device that had <paramref name="before"/>: the file's addresses, each
    /// keeping the segment and MAC address recorded on the interface with the same address where the file has no such
    /// column. One address without a segment needs no interface (as in <see cref="Interfaces"/>).
    /// </summary>
    public List<AssetInterface> InterfacesReplacing(Guid assetId, IEnumerable<AssetInterface> before, bool fileHasSegment, bool fileHasMac)
    {
        var next = Interfaces(assetId);
        if (next.Count == 0 && IpAddresses.Count == 1)
            next = [new AssetInterface { AssetId = assetId, IpAddress = IpAddresses[0], MacAddress = MacAddress }];
        foreach (var i in next)
        {
            if (before.FirstOrDefault(b => b.IpAddress == i.IpAddress) is not { } same) continue;
            if (!fileHasSegment) i.Segment ??= same.Segment;
            if (!fileHasMac) i.MacAddress ??= same.MacAddress;
        }
        return next.Count == 1 && next[0].Segment is null ? [] : next;
    }

    /// <summary>The device's interfaces: one per address when it has several addresses or a network segment, else none.</summary>
    public List<AssetInterface> Interfaces(Guid assetId)
    {
        if (IpAddresses.Count <= 1 && NetworkSegment is null) return [];
        List<string?> addresses = IpAddresses.Count == 0 ? [null] : [.. IpAddresses];
        return addresses.Select((ip, i) => new AssetInterface
        {
            AssetId = assetId,
            IpAddress = ip,
            MacAddress = i == 0 ? MacAddress : null,
            Segment = i == 0 ? NetworkSegment : null,
        }).ToList();
    }
}
