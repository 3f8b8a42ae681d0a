using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Mamori.Tests.Integration;

public sealed partial class InvitationAndApiTests : IAsyncLifetime
{
    readonly MamoriApp app = new();
    MamoriApp.TestUser admin = null!;

    public async Task InitializeAsync() => admin = (await app.CreateOrganizationAsync("inv", withTotp: true)).Users[OrganizationRole.Administrator];
    public async Task DisposeAsync() => await app.DisposeAsync();

    [GeneratedRegex("/invite/([A-Za-z0-9_-]+)")] private static partial Regex InviteLink();

    [Fact]
    public async Task An_invited_person_creates_an_account_joins_with_the_role_and_the_link_cannot_be_used_again()
    {
        var client = await app.SignedInClientAsync(admin);
        var page = await (await client.PostFormAsync("/o/inv/settings?handler=Invite",
            new() { ["inviteEmail"] = "new.member@inv.example", ["inviteRole"] = "Executive", ["inviteDays"] = "7" }, "/o/inv/settings")).Content.ReadAsStringAsync();
        var token = InviteLink().Match(page).Groups[1].Value;
        Assert.NotEmpty(token);

        var invited = app.Client();
        Assert.Contains("経営層", await invited.GetStringAsync($"/invite/{token}"));
        var weak = await invited.PostFormAsync($"/invite/{token}", new() { ["Account.DisplayName"] = "新 メンバー", ["Account.Password"] = "short1" });
        Assert.Contains("13 文字以上", await weak.Content.ReadAsStringAsync());
        var joined = await invited.PostFormAsync($"/invite/{token}", new() { ["Account.DisplayName"] = "新 メンバー", ["Account.Password"] = "a-long-password-2026" });
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        // The organisation requires 2FA, so the new member is sent to enrolment first.
        var next = await invited.GetAsync("/o/inv");
        Assert.Equal("/account/two-factor", next.Headers.Location!.OriginalString);

        var role = await app.ScopedAsync(sp => sp.GetRequiredService<MamoriDb>().Memberships.IgnoreQueryFilters([MamoriDb.TenantFilter])
            .Where(m => m.User!.Email == "new.member@inv.example").Select(m => m.Role).SingleAsync());
        Assert.Equal(OrganizationRole.Executive, role);

        var again = await app.Client().GetAsync($"/invite/{token}");
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("既に使われています", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_or_expired_invitation_says_so_in_japanese()
    {
        var wrong = await app.Client().GetAsync("/invite/not-a-real-token");
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Contains("招待リンクは無効です", await wrong.Content.ReadAsStringAsync());

        var (token, hash) = Invitations.NewToken();
        await app.ScopedAsync(async sp =>
        {
            var db = sp.GetRequiredService<MamoriDb>();
            var org = await db.Organizations.SingleAsync(o => o.Code == "inv");
            db.Invitations.Add(new Invitation { OrganizationId = org.Id, Email = "late@inv.example", Role = OrganizationRole.Viewer, TokenHash = hash, ExpiresAt = DateTime.UtcNow.AddMinutes(-1), CreatedByUserId = admin.Id });
            return await db.SaveChangesAsync();
        });
        var expired = await app.Client().GetAsync($"/invite/{token}");
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("期限切れ", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_json_api_and_its_openapi_document_and_health_work()
    {
        var anonymous = app.Client();
        Assert.Equal("ok", (await anonymous.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("status").GetString());
        var openapi = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/o/{org}", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me")).StatusCode);

        var client = await app.SignedInClientAsync(admin);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("inv", me.GetProperty("organizations")[0].GetProperty("code").GetString());
        var org = await client.GetFromJsonAsync<JsonElement>("/api/v1/o/inv");
        Assert.Equal(1, org.GetProperty("members").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/o/no-such-org")).StatusCode);
    }
}
