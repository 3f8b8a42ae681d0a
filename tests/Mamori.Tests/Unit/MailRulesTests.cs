using Mamori.Platform.Mail;
using Microsoft.Extensions.Configuration;

namespace Mamori.Tests.Unit;

/// <summary>MAMORI_SMTP_* as an operator writes them, the retry schedule, and what a mail looks like in each language.</summary>
public sealed class MailRulesTests
{
    static SmtpSettings Read(params (string Key, string Value)[] values) =>
        SmtpSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [Fact]
    public void No_host_means_no_mail_and_the_port_follows_the_TLS_mode()
    {
        Assert.False(Read().Enabled);
        Assert.Equal(587, Read(("MAMORI_SMTP_HOST", "smtp.example.jp")).Port);
        Assert.Equal(465, Read(("MAMORI_SMTP_HOST", "smtp.example.jp"), ("MAMORI_SMTP_TLS", "tls")).Port);
        Assert.Equal(25, Read(("MAMORI_SMTP_HOST", "relay"), ("MAMORI_SMTP_TLS", "NONE")).Port);
        Assert.Equal(2525, Read(("MAMORI_SMTP_HOST", "relay"), ("MAMORI_SMTP_PORT", "2525")).Port);
    }

    [Fact]
    public void The_sender_defaults_to_the_user_and_a_wrong_value_is_named_for_the_administrator()
    {
        var settings = Read(("MAMORI_SMTP_HOST", "smtp.example.jp"), ("MAMORI_SMTP_USER", "notice@clinic.example.jp"));
        Assert.Equal("notice@clinic.example.jp", settings.From!.Address);
        Assert.Equal("Mamori", settings.From.Name);
        Assert.Null(settings.Problem);
        Assert.Equal("まもり医院", Read(("MAMORI_SMTP_HOST", "h"), ("MAMORI_SMTP_FROM", "まもり医院 <info@clinic.example.jp>")).From!.Name);
        Assert.Contains("MAMORI_SMTP_TLS", Read(("MAMORI_SMTP_HOST", "h"), ("MAMORI_SMTP_TLS", "yes")).Problem?.Ja);
        Assert.Contains("MAMORI_SMTP_PORT", Read(("MAMORI_SMTP_HOST", "h"), ("MAMORI_SMTP_PORT", "587x")).Problem?.Ja);
        Assert.Contains("MAMORI_SMTP_FROM", Read(("MAMORI_SMTP_HOST", "h"), ("MAMORI_SMTP_FROM", "not an address")).Problem?.Ja);
    }

    [Fact]
    public void Retries_back_off_to_at_most_an_hour()
    {
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(1, 8).Select(n => MailSender.RetryDelay(n).TotalMinutes));
    }

    [Fact]
    public void A_mail_is_written_in_one_language_or_Japanese_then_English_and_escapes_what_people_typed()
    {
        var content = new MailContent("「<i>A&B</i>」の件", "About <i>A&B</i>").Paragraph("こんにちは", "Hello").Quote("1行目\n<script>").Link("https://m.example/x?a=1&b=2");
        var ja = content.Render(MailLanguage.Japanese);
        Assert.Equal("【Mamori】「<i>A&B</i>」の件", ja.Subject);
        Assert.DoesNotContain("Hello", ja.Text);
        Assert.Contains("> 1行目\n> <script>", ja.Text);
        Assert.Contains("1行目<br>&lt;script&gt;", ja.Html);
        Assert.Contains("<a href=\"https://m.example/x?a=1&amp;b=2\">", ja.Html);
        var en = content.Render(MailLanguage.English);
        Assert.Equal("[Mamori] About <i>A&B</i>", en.Subject);
        Assert.DoesNotContain("こんにちは", en.Text);
        Assert.Contains("lang=\"en\"", en.Html);
        var both = content.Render(MailLanguage.JapaneseThenEnglish);
        Assert.True(both.Text.IndexOf("こんにちは", StringComparison.Ordinal) < both.Text.IndexOf("Hello", StringComparison.Ordinal));
    }
}
