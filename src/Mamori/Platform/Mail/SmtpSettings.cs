using Mamori.Platform.Web;
using MimeKit;

namespace Mamori.Platform.Mail;

public enum SmtpTls
{
    None,     // plain SMTP (a relay on the same host or network)
    StartTls, // plain connection upgraded with STARTTLS (port 587)
    Tls,      // TLS from the first byte (port 465)
}

/// <summary>
/// Where Mamori's e-mail goes, from MAMORI_SMTP_* (environment or configuration, docs/operations.md). Without
/// MAMORI_SMTP_HOST nothing is sent or queued and the invitation links are shown on screen as before.
/// A wrong value is not a start-up failure: each mail then waits with the reason, which administrators see.
/// </summary>
public sealed record SmtpSettings(string? Host, int Port, SmtpTls? Tls, string? User, string? Password, MailboxAddress? From, string? PublicUrl)
{
    public bool Enabled => Host is not null;

    /// <summary>Why mail cannot be sent with these settings (shown to administrators), or null.</summary>
    public UserError? Problem =>
        Tls is null ? new UserError("MAMORI_SMTP_TLS の値が正しくありません（none・starttls・tls のどれか）。", "MAMORI_SMTP_TLS must be none, starttls or tls.")
        : Port is < 1 or > 65535 ? new UserError("MAMORI_SMTP_PORT の値が正しくありません（1〜65535）。", "MAMORI_SMTP_PORT must be 1–65535.")
        : From is null ? new UserError("MAMORI_SMTP_FROM（送信元のメールアドレス）が正しくありません。", "MAMORI_SMTP_FROM is not an e-mail address.")
        : null;

    public static SmtpSettings Read(IConfiguration config)
    {
        var host = Value(config, "MAMORI_SMTP_HOST");
        SmtpTls? tls = (Value(config, "MAMORI_SMTP_TLS") ?? "starttls").ToLowerInvariant() switch
        {
            "none" => SmtpTls.None,
            "starttls" => SmtpTls.StartTls,
            "tls" or "ssl" => SmtpTls.Tls,
            _ => null,
        };
        var port = Value(config, "MAMORI_SMTP_PORT") is { } p
            ? int.TryParse(p, out var n) ? n : -1
            : tls switch { SmtpTls.Tls => 465, SmtpTls.None => 25, _ => 587 };
        var user = Value(config, "MAMORI_SMTP_USER");
        var from = Value(config, "MAMORI_SMTP_FROM") ?? (user?.Contains('@') == true ? user : host is null ? null : "mamori@" + host);
        MailboxAddress? sender = from is not null && MailboxAddress.TryParse(from, out var parsed) && parsed.Address.Contains('@') ? parsed : null;
        if (sender is not null) sender.Name = Value(config, "MAMORI_SMTP_FROM_NAME") ?? (string.IsNullOrEmpty(sender.Name) ? "Mamori" : sender.Name);
        return new SmtpSettings(host, port, tls, user, Value(config, "MAMORI_SMTP_PASSWORD"), sender, Value(config, "MAMORI_PUBLIC_URL")?.TrimEnd('/'));
    }

    static string? Value(IConfiguration config, string key) => config[key] is { Length: > 0 } v ? v.Trim() : null;
}
