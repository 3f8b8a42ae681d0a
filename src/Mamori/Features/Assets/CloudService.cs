using Mamori.Features.Organizations;

namespace Mamori.Features.Assets;

/// <summary>
/// One row of the クラウドサービス台帳 (cloud-service ledger). The fields are the eight the MHLW inspection
/// training lists for cloud services under checklist item 2-①.
/// </summary>
public sealed class CloudService : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>サービス提供事業者.</summary>
    public required string Provider { get; set; }
    /// <summary>サービス名称・用途.</summary>
    public required string NameAndPurpose { get; set; }
    /// <summary>ドメイン・アドレス.</summary>
    public string? DomainOrAddress { get; set; }
    /// <summary>利用場所・アクセス経路.</summary>
    public string? AccessLocationAndRoute { get; set; }
    /// <summary>利用者・グループ.</summary>
    public string? UsersOrGroups { get; set; }
    /// <summary>利用者認証方法.</summary>
    public string? AuthenticationMethod { get; set; }
    /// <summary>利用開始日.</summary>
    public DateOnly? StartedOn { get; set; }
    /// <summary>利用状況 (free text as in the training example).</summary>
    public string? UsageStatus { get; set; }
}
