using System.Net;
using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Platform.Mail;
using Mamori.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

/// <summary>Password reset by e-mail through a real SMTP server: same answer for every address, one hour, works once.</summary>
public sealed partial class PasswordResetTests : IAsyncLifetime
{
    readonly SmtpSink sink = new SmtpSink().Start();
    MamoriApp app = null!;

    public Task InitializeAsync()
    {
        app = new MamoriApp().With("MAMORI_SMTP_HOST", "127.0.0.1").With("MAMORI_SMTP_PORT", sink.Port.ToString())
            .With("MAMORI_SMTP_TLS", "none").With("MAMORI_SMTP_FROM", "mamori@hospital.example");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        sink.Dispose();
    }

    [GeneratedRegex(@"https?://[^\s""<]+/account/reset-password\?[^\s""<]+")] private static partial Regex ResetLink();
    [GeneratedRegex("id=\"reset-sent\"[^>]*>([^<]*)<")] private static partial Regex SentMessage();

    [Fact]
    public async Task A_reset_link_is_mailed_only_to_a_real_account_works_once_and_the_answer_never_tells()
    {
        var (_, users) = await app.CreateOrganizationAsync("reset", false, OrganizationRole.Viewer);
        var user = users[OrganizationRole.Viewer];
        var forReal = await app.Client().PostFormAsync("/account/forgot-password", new() { ["Email"] = user.Email });
        var forNobody = await app.Client().PostFormAsync("/account/forgot-password", new() { ["Email"] = "nobody@reset.example" });
        var said = SentMessage().Match(await forReal.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.Contains("リンクを送りました", said);
        Assert.Equal(said, SentMessage().Match(await forNobody.Content.ReadAsStringAsync()).Groups[1].Value);

        await app.Services.GetRequiredService<MailSender>().RunOnceAsync();
        Assert.Empty(sink.To("nobody@reset.example"));
        var mail = Assert.Single(sink.To(user.Email));
        Assert.Contains("パスワードの再設定", mail.Subject);
        var link = new Uri(WebUtility.HtmlDecode(ResetLink().Match(mail.TextBody ?? "").Value));

        var browser = app.Client();
        var common = await browser.PostFormAsync(link.PathAndQuery, new() { ["NewPassword"] = "password12345" }, link.PathAndQuery);
        Assert.Contains("よく使われていて", await common.Content.ReadAsStringAsync());
        var reset = await browser.PostFormAsync(link.PathAndQuery, new() { ["NewPassword"] = "a-new-passphrase-31" }, link.PathAndQuery);
        Assert.Contains("パスワードを変更しました", await reset.Content.ReadAsStringAsync());
        var again = await app.Client().PostFormAsync(link.PathAndQuery, new() { ["NewPassword"] = "another-passphrase-32" }, link.PathAndQuery);
        Assert.Contains("既に使われています", await again.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await app.Client().PostFormAsync("/account/login",
            new() { ["Email"] = user.Email, ["Password"] = "a-new-passphrase-31" })).StatusCode);
    }
}
