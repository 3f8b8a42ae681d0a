using Mamori.Features.Assets;

namespace Mamori.Features.Assets.Import;

/// <summary>One valid data row of an imported ledger, parsed and normalised; <see cref="ToAsset"/> makes the entity.</summary>
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
        var asset = new Asset
        {
            OrganizationId = organizationId,
            ControlNumber = ControlNumber,
            Category = Category,
            MedicalDeviceType = MedicalDeviceType,
            Name = Name,
            Manufacturer = Manufacturer,
            Model = Model,
            OperatingSystem = OperatingSystem,
            OsVersion = OsVersion,
            Software = Software,
            SoftwareVersion = SoftwareVersion,
            Firmware = Firmware,
            IpAddress = IpAddresses.FirstOrDefault(),
            MacAddress = MacAddress,
            ComputerName = ComputerName,
            Location = Location,
            UserName = UserName,
            RegisteredOn = RegisteredOn,
            Status = Status,
            Description = Description,
            MaintenanceVendor = MaintenanceVendor,
            SecurityUpdatesBy = SecurityUpdatesBy,
            SupportEndsOn = SupportEndsOn,
            AntiMalware = AntiMalware,
            Authentication = Authentication,
            LastStocktakeOn = LastStocktakeOn,
            UpdatedBy = updatedBy,
        };
        asset.Interfaces = Interfaces(asset.Id);
        return asset;
    }

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
