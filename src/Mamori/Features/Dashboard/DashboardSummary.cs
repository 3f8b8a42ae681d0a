using Mamori.Features.Audit;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Dashboard;

/// <summary>
/// The organisation's administrative counts (every query goes through the tenant filter): shown on the settings page
/// and the audit log, and returned by the API; the home page shows what to do next instead.
/// </summary>
public sealed record DashboardSummary(int Members, int OpenInvitations, int AuditEntriesLast7Days, int FailedSignInsLast7Days, int AdministratorsWithout2fa)
{
    public static async Task<DashboardSummary> LoadAsync(MamoriDb db, TimeProvider clock, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var weekAgo = now.AddDays(-7);
        return new DashboardSummary(
            await db.Memberships.Select(m => m.UserId).Distinct().CountAsync(ct), // one row per role held: count people
            await db.Invitations.CountAsync(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, ct),
            await db.AuditEntries.CountAsync(a => a.OccurredAt >= weekAgo, ct),
            await db.AuditEntries.CountAsync(a => a.OccurredAt >= weekAgo && (a.Action == AuditActions.SignInFailed || a.Action == AuditActions.SecondFactorFailed), ct),
            await db.Memberships.CountAsync(m => m.Role == OrganizationRole.Administrator && !m.User!.TwoFactorEnabled, ct));
    }
}
