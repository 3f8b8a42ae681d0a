using Mamori.Features.Audit;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Mail;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Organizations;

/// <summary>E-mail to this organisation's addresses that is waiting or could not be sent, with the reason; 再送 (administrators only).</summary>
[Requires(Permission.SettingsManage)]
public sealed class MailSettingsModel(MamoriDb db, TenantContext tenant, SmtpSettings settings, MailSignal signal, TimeProvider time, Text t) : PageModel
{
    public SmtpSettings Settings => settings;
    /// <summary>Not sent yet (waiting, failing, or stopped after the automatic attempts).</summary>
    public List<OutboxMail> Unsent { get; private set; } = [];
    /// <summary>The latest sent, so an administrator can see that mail does go out.</summary>
    public List<OutboxMail> RecentlySent { get; private set; } = [];
    public string? Message { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostRetryAsync(Guid mailId)
    {
        var mail = await db.OutboxMails.FirstOrDefaultAsync(m => m.Id == mailId && m.SentAt == null); // tenant filter: another organisation's is not found
        if (mail is null) return NotFound();
        mail.NextAttemptAt = time.GetUtcNow().UtcDateTime;
        db.Audit(AuditActions.MailRetried, "OutboxMail", mail.Id.ToString(), new { mail.Kind, mail.To, mail.Attempts });
        await db.SaveChangesAsync();
        signal.Wake();
        Message = t[$"{mail.To} へのメールをもう一度送ります。", $"The mail to {mail.To} will be sent again."];
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync()
    {
        Unsent = await db.OutboxMails.AsNoTracking().Where(m => m.SentAt == null).OrderBy(m => m.CreatedAt).Take(200).ToListAsync();
        RecentlySent = await db.OutboxMails.AsNoTracking().Where(m => m.SentAt != null).OrderByDescending(m => m.SentAt).Take(20).ToListAsync();
        // The list names people's e-mail addresses: viewing it is recorded.
        await db.RecordAsync(AuditActions.View, "OutboxMail", tenant.Organization!.Code);
    }

    public static (string Ja, string En) KindLabel(string kind) => kind switch
    {
        "invitation" => ("メンバーへの招待", "Invitation"),
        "vendor_request" => ("事業者確認用の依頼", "Vendor sheet request"),
        "vendor_answered" => ("事業者の回答（回答済）", "Vendor answered"),
        "vendor_returned" => ("差戻し", "Returned to vendor"),
        "target_date_soon" => ("目標日の7日前のお知らせ", "Target date in 7 days"),
        "target_date_overdue" => ("目標日を過ぎたお知らせ", "Target date passed"),
        _ => (kind, kind),
    };
}
