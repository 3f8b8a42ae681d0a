using System.Globalization;
using Mamori.Features.Identity;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Vulnerabilities;

/// <summary>
/// The organisation's appliances × known-exploited / published vulnerabilities: matches with KEV yes/no, 目標日 (KEV
/// dueDate), the required action, the confidence and the status; triage for those who keep the ledger.
/// </summary>
[Requires(Permission.View)]
public sealed class IndexModel(MamoriDb db, TenantContext tenant, TimeProvider clock, UserManager<User> users) : PageModel
{
    public List<MatchRow> Rows { get; private set; } = [];
    public List<VulnFeed> Feeds { get; private set; } = [];
    public bool CanTriage => tenant.Can(Permission.LedgerEdit);
    public bool CanAdministerFeeds { get; private set; }
    public List<UserError> Errors { get; private set; } = [];
    public string? Message { get; private set; }
    public DateOnly Today => clock.Today();

    public async Task OnGetAsync() => await LoadAsync();

    /// <summary>A decision on one match: 影響あり / 対応中 / 影響なし (reason) / 誤検知 / 受容 (approver, expiry).</summary>
    [Requires(Permission.LedgerEdit)]
    public async Task<IActionResult> OnPostTriageAsync(Guid matchId, string? status, string? reason, string? approver, string? expiresOn)
    {
        var match = await db.Set<VulnMatch>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == matchId);
        if (match is null) return NotFound();
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        approver = string.IsNullOrWhiteSpace(approver) ? null : approver.Trim();
        DateOnly? expiry = null;
        if (!Enum.TryParse<TriageStatus>(status, out var s) || !Enum.IsDefined(s))
            Errors.Add(new("状態を選んでください。", "Choose a status.", "status"));
        else if (s is TriageStatus.NotAffected or TriageStatus.FalsePositive && reason is null)
            Errors.Add(new("「影響なし」「誤検知」には理由を書いてください（例: SSL-VPN 機能を使っていない）。", "Give the reason.", "reason"));
        else if (s == TriageStatus.Accepted)
        {
            if (approver is null) Errors.Add(new("「受容」には承認者（院長・安全管理責任者など）を書いてください。", "Name the approver.", "approver"));
            if (!DateOnly.TryParseExact(expiresOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var e))
                Errors.Add(new("「受容」には期限（年月日）を入れてください。期限が来ると再び未対応に戻ります。", "Give the expiry date.", "expiresOn"));
            else if (e <= clock.Today() || e > clock.Today().AddYears(1))
                Errors.Add(new("受容の期限は明日から 1 年以内の日付にしてください。", "The expiry must be within the next year.", "expiresOn"));
            else expiry = e;
        }
        if ((reason?.Length ?? 0) > 1000 || (approver?.Length ?? 0) > 100)
            Errors.Add(new("理由は 1000 文字、承認者は 100 文字までです。", "Reason up to 1000, approver up to 100 characters."));
        if (Errors.Count > 0)
        {
            await LoadAsync();
            return Page();
        }
        var user = (await users.GetUserAsync(User))!;
        db.Add(new VulnTriage
        {
            OrganizationId = match.OrganizationId, AssetId = match.AssetId, CveId = match.CveId, Product = match.Product, RangeKey = match.RangeKey,
            Status = s, Reason = reason, Approver = s == TriageStatus.Accepted ? approver : null, ExpiresOn = expiry,
            DeviceVersion = match.DeviceVersion, DecidedBy = user.DisplayName ?? user.Email ?? "", DecidedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync();
        return Redirect($"/o/{tenant.Organization!.Code}/vulnerabilities#m-{match.Id}");
    }

    async Task LoadAsync()
    {
        Rows = await VulnerabilityList.LoadAsync(db, tenant.OrganizationId!.Value, clock, HttpContext.RequestAborted);
        Feeds = await FeedImport.LatestAsync(db, HttpContext.RequestAborted);
        CanAdministerFeeds = (await users.GetUserAsync(User))?.IsSystemAdmin == true;
    }
}
