using Mamori.Features.Organizations;

namespace Mamori.Platform.Mail;

/// <summary>
/// One e-mail to one address, written in the same transaction as the action that causes it and sent afterwards by
/// <see cref="MailSender"/>. Owned by the organisation the address belongs to (whose administrators see it if it
/// cannot be sent): the inviting organisation for an invitation, the vendor for mail to the vendor's members, the
/// site for mail to the site's members.
/// </summary>
public sealed class OutboxMail : IOrganizationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    /// <summary>invitation, vendor_request, vendor_answered, vendor_returned, target_date_soon, target_date_overdue.</summary>
    public required string Kind { get; set; }
    public required string To { get; set; }
    public required string Subject { get; set; }
    /// <summary>Cleared once sent: an invitation's body holds its link, whose token is otherwise stored only hashed.</summary>
    public string? TextBody { get; set; }
    public string? HtmlBody { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the next attempt is due; null after the last automatic attempt failed (an administrator may retry).</summary>
    public DateTime? NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Unique when set: a 目標日 reminder is queued once per item, date and address, also across restarts.</summary>
    public string? Key { get; set; }
}
