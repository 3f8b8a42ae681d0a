using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mamori.Features.Catalog;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Mamori.Platform.Mail;

/// <summary>
/// Sends the outbox: every <see cref="PollInterval"/> (and as soon as a mail is queued) it sends what is due; a failed
/// mail keeps its error and attempt count and is tried again after 1, 2, 4 … 60 minutes, up to
/// <see cref="AutomaticAttempts"/> times, then waits for an administrator's 再送. Once an hour it queues the 目標日
/// reminders. Several Mamori processes may run it at once: rows are claimed with FOR UPDATE SKIP LOCKED.
/// </summary>
public sealed class MailSender(IServiceScopeFactory scopes, SmtpSettings settings, TimeProvider time, MailSignal signal, ILogger<MailSender> log)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan ReminderInterval = TimeSpan.FromHours(1);
    public const int AutomaticAttempts = 10;
    /// <summary>目標日 reminders: this many days before the date, and once after it (but not for dates long past).</summary>
    public const int DaysBefore = 7, OverdueWindowDays = 30;
    const int Batch = 20;

    readonly SemaphoreSlim onePass = new(1, 1);
    DateTimeOffset lastReminders = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!settings.Enabled) return;
        if (settings.Problem is { } problem) log.LogWarning("メール設定に誤りがあります: {Problem}", problem.Ja);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var remind = time.GetUtcNow() - lastReminders >= ReminderInterval;
                await RunOnceAsync(remind, stop);
                if (remind) lastReminders = time.GetUtcNow();
                await signal.WaitAsync(PollInterval, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception e)
            {
                log.LogError(e, "メールの送信処理でエラーが起きました（{Interval} 秒後にもう一度試します）", PollInterval.TotalSeconds);
                try { await Task.Delay(PollInterval, time, stop); } catch (OperationCanceledException) { }
            }
        }
    }

    /// <summary>One round: queue due 目標日 reminders (optionally), then send every mail that is due. Returns how many were sent.</summary>
    public async Task<int> RunOnceAsync(bool reminders = true, CancellationToken ct = default)
    {
        if (!settings.Enabled) return 0;
        await onePass.WaitAsync(ct);
        try
        {
            if (reminders) await QueueRemindersAsync(ct);
            var sent = 0;
            while (await SendBatchAsync(ct) is var (done, more))
            {
                sent += done;
                if (!more) break;
            }
            return sent;
        }
        finally { onePass.Release(); }
    }

    /// <summary>Sends up to one batch of due mails; (sent, whether a full batch was due so more may wait).</summary>
    async Task<(int Sent, bool More)> SendBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
        var now = time.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var due = await db.Set<OutboxMail>()
            .FromSql($"SELECT * FROM mail_outbox WHERE \"SentAt\" IS NULL AND \"NextAttemptAt\" <= {now} ORDER BY \"NextAttemptAt\" LIMIT {Batch} FOR UPDATE SKIP LOCKED")
            .IgnoreQueryFilters([MamoriDb.TenantFilter]).ToListAsync(ct);
        if (due.Count == 0) return (0, false);

        var sent = 0;
        string? connectionError = settings.Problem?.Ja;
        using var client = new SmtpClient { Timeout = 30_000 };
        if (connectionError is null)
            try
            {
                await client.ConnectAsync(settings.Host!, settings.Port, settings.Tls switch
                {
                    SmtpTls.None => SecureSocketOptions.None,
                    SmtpTls.Tls => SecureSocketOptions.SslOnConnect,
                    _ => SecureSocketOptions.StartTls,
                }, ct);
                if (settings.User is not null) await client.AuthenticateAsync(settings.User, settings.Password ?? "", ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                connectionError = Describe(e);
            }
        foreach (var mail in due)
        {
            mail.Attempts++;
            mail.LastAttemptAt = now;
            var error = connectionError;
            if (error is null)
                try
                {
                    await client.SendAsync(ToMessage(mail, now), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    error = Describe(e);
                    if (e is not SmtpCommandException) connectionError = error; // the connection is gone: the rest wait too
                }
            if (error is null)
            {
                (mail.SentAt, mail.NextAttemptAt, mail.LastError, mail.TextBody, mail.HtmlBody) = (now, null, null, null, null);
                sent++;
            }
            else
            {
                mail.LastError = error.Length > 1000 ? error[..1000] : error;
                mail.NextAttemptAt = mail.Attempts >= AutomaticAttempts ? null : now + RetryDelay(mail.Attempts);
                log.LogWarning("メールを送れませんでした（{Kind}、{Attempts} 回目）: {Error}", mail.Kind, mail.Attempts, mail.LastError);
            }
        }
        if (client.IsConnected) try { await client.DisconnectAsync(true, ct); } catch (Exception e) when (e is IOException or SocketException or ProtocolException) { }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (sent, due.Count == Batch && connectionError is null);
    }

    /// <summary>1, 2, 4, 8 … minutes after the n-th failed attempt, at most an hour.</summary>
    public static TimeSpan RetryDelay(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Max(0, attempts - 1))));

    MimeMessage ToMessage(OutboxMail mail, DateTime now)
    {
        var message = new MimeMessage { Subject = mail.Subject, Date = new DateTimeOffset(now, TimeSpan.Zero) };
        message.From.Add(settings.From!);
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();
        return message;
    }

    /// <summary>What went wrong, in words an administrator can act on (Japanese first, the server's own message after).</summary>
    string Describe(Exception e) => e switch
    {
        AuthenticationException => $"SMTP サーバーにサインインできません（MAMORI_SMTP_USER・MAMORI_SMTP_PASSWORD を確認してください）: {e.Message}",
        NotSupportedException => $"SMTP サーバーが必要な機能（STARTTLS または認証）に対応していません（MAMORI_SMTP_TLS・MAMORI_SMTP_USER を確認してください）: {e.Message}",
        SmtpCommandException c => $"SMTP サーバーが受け付けませんでした（{(int)c.StatusCode}）: {e.Message}",
        SocketException or IOException or TimeoutException or OperationCanceledException =>
            $"SMTP サーバー {settings.Host}:{settings.Port} に接続できません: {e.Message}",
        SslHandshakeException => $"SMTP サーバーとの TLS 接続に失敗しました（MAMORI_SMTP_TLS を確認してください）: {e.Message}",
        _ => $"メールを送れませんでした（{e.GetType().Name}）: {e.Message}",
    };

    /// <summary>
    /// 目標日 reminders: an item answered いいえ with a 目標日 gets one mail to the members who manage the checklist
    /// <see cref="DaysBefore"/> days before it (or later, until the day) and one once it has passed. The outbox row's
    /// unique key (item, date, address, kind) makes each happen once, also across restarts and several processes.
    /// Only the organisation's own sheets: not a vendor's answers to a request, nor the site's copy of them.
    /// </summary>
    async Task QueueRemindersAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
        var today = time.Today();
        var (earliest, latest) = (today.AddDays(-OverdueWindowDays), today.AddDays(DaysBefore));
        var items = await (
                from a in db.ChecklistAnswers.IgnoreQueryFilters([MamoriDb.TenantFilter])
                join s in db.ChecklistAssessments.IgnoreQueryFilters([MamoriDb.TenantFilter]) on a.AssessmentId equals s.Id
                where a.TargetDate >= earliest && a.TargetDate <= latest && s.VendorRequestId == null
                      && (a.General == "no" || a.Server == "no" || a.Terminal == "no" || a.Network == "no")
                join o in db.Organizations on s.OrganizationId equals o.Id
                select new { a.Id, a.NodeId, Target = a.TargetDate!.Value, s.OrganizationId, Org = o.Code, Sheet = s.Id, s.EditionFileId, s.SheetNodeId, s.SystemName })
            .AsNoTracking().ToListAsync(ct);
        if (items.Count == 0) return;
        var index = await CatalogIndex.GetAsync(db, ct);
        var queued = 0;
        foreach (var org in items.GroupBy(i => i.OrganizationId))
        {
            var recipients = await MailOutbox.RecipientsAsync(db, org.Key, Permissions.Holding(Permission.ChecklistAnswer), ct);
            foreach (var item in org)
            {
                var overdue = item.Target < today;
                var kind = overdue ? "target_date_overdue" : "target_date_soon";
                var candidates = recipients.Select(r => (r.Email, r.Language, Key: $"{kind}:{item.Id}:{item.Target:yyyy-MM-dd}:{r.Email.ToLowerInvariant()}")).ToList();
                var keys = candidates.Select(c => c.Key).ToList();
                var existing = await db.Set<OutboxMail>().IgnoreQueryFilters([MamoriDb.TenantFilter]).Where(m => keys.Contains(m.Key!)).Select(m => m.Key).ToListAsync(ct);
                var edition = index.Edition(item.EditionFileId);
                var title = index.Node(item.EditionFileId, item.NodeId)?.Title ?? item.NodeId;
                var sheet = $"{edition?.Row.Title} {index.Node(item.EditionFileId, item.SheetNodeId)?.Row.Label}{(item.SystemName is { } system ? $"（{system}）" : "")}".Trim();
                var days = item.Target.DayNumber - today.DayNumber;
                var content = overdue
                    ? new MailContent($"目標日を過ぎています: {title}", $"Target date passed: {title}")
                        .Paragraph($"{sheet} の「{title}」は「いいえ」と回答され、目標日 {item.Target:yyyy-MM-dd} を過ぎました。対策が済んだら回答と確認日を更新してください。まだの場合は、目標日を見直してください。",
                            $"\"{title}\" on {sheet} was answered No with the target date {item.Target:yyyy-MM-dd}, which has passed. Update the answer and date once it is done, or set a new target date.")
                    : new MailContent($"目標日まであと {days} 日: {title}", $"Target date in {days} days: {title}")
                        .Paragraph($"{sheet} の「{title}」は「いいえ」と回答され、目標日は {item.Target:yyyy-MM-dd}（あと {days} 日）です。対策が済んだら回答と確認日を更新してください。",
                            $"\"{title}\" on {sheet} was answered No with the target date {item.Target:yyyy-MM-dd} ({days} days from now). Update the answer and date once it is done.");
                if (settings.PublicUrl is { } baseUrl) content.Link($"{baseUrl}/o/{item.Org}/checklists/{item.Sheet}#item-{item.NodeId}");
                else content.Paragraph("Mamori にサインインし、チェックリストから開いてください。", "Sign in to Mamori and open it from the checklists.");
                foreach (var c in candidates.Where(c => !existing.Contains(c.Key)))
                {
                    MailOutbox.Queue(db, time, signal, org.Key, kind, c.Email, c.Language, content, c.Key);
                    queued++;
                }
            }
        }
        if (queued == 0) return;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            log.LogInformation("目標日のお知らせは別の処理が先に登録しました（次の回で残りを登録します）");
        }
    }

}
