namespace Mamori.Features.Assets;

/// <summary>Fields of the 機器台帳 (the device form's order); each is declared in <see cref="LedgerFields"/>.</summary>
public enum AssetField
{
    ControlNumber,
    Category,
    MedicalDeviceType,
    Name,
    Manufacturer,
    Model,
    OperatingSystem,
    OsVersion,
    Software,
    SoftwareVersion,
    Firmware,
    IpAddress,
    MacAddress,
    NetworkSegment,
    ComputerName,
    Location,
    UserName,
    RegisteredOn,
    Status,
    Description,
    MaintenanceVendor,
    SecurityUpdatesBy,
    SupportEndsOn,
    AntiMalware,
    Authentication,
    LastStocktakeOn,
    UpdatedAt,
    UpdatedBy,
}

/// <summary>Columns of the クラウドサービス台帳, in export order.</summary>
public enum CloudServiceField
{
    Provider,
    NameAndPurpose,
    DomainOrAddress,
    AccessLocationAndRoute,
    UsersOrGroups,
    AuthenticationMethod,
    StartedOn,
    UsageStatus,
}

/// <summary>Columns of the 外部接続・リモートメンテナンス接続台帳, in export order.</summary>
public enum ConnectionField
{
    VendorName,
    Purpose,
    PurposeDetail,
    Method,
    ApplianceAsset,
    SourceRestriction,
    AccountType,
    SecondFactor,
    Schedule,
    NotificationToSite,
    LastConfirmedOn,
    ConfirmationNote,
    Status,
}
