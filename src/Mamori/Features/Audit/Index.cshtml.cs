using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Reports;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Audit;

/// <summary>
/// The organisation's audit log for its administrators: one readable line per event (details on demand), filtered by
/// area, date and person, paged, exported. Viewing and exporting are themselves audited.
/// </summary>
[Requires(Permission.AuditRead)]
public sealed class IndexModel(MamoriDb db, TenantContext tenant, Text t, TimeProvider clock) : PageModel
{
    const int PageSize = 50;
    const int ExportLimit = 100_000;

    public static readonly (string Value, string Ja, string En)[] ActionGroups =
    [
        ("auth.", "サインイン・認証", "Sign-in & authentication"),
        ("record.", "作成・変更・削除・閲覧・出力", "Create, change, delete, view, export"),
        ("admin.", "管理操作", "Administration"),
        ("security.", "アクセス拒否", "Access denied"),
    ];

    public AuditFilter Filter { get; private set; } = new();
    /// <summary>The area chosen (<c>area=</c> in the query string), as its query value.</summary>
    public string? AreaValue => Filter.Area is { } a ? AuditLabels.Areas.First(x => x.Area == a).Value : null;
    /// <summary>Last 7 days: all entries, and failed sign-ins or second factors (moved here from the home page).</summary>
    public (int Entries, int FailedSignIns) LastWeek { get; private set; }
    public List<AuditEntry> Entries { get; private set; } = [];
    public int PageNumber { get; private set; } = 1;
    public bool HasMore { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The query string of the current filter (for the pager and the export link).</summary>
    public string Query(int? page = null) => QueryString.Create(new Dictionary<string, string?>
    {
        ["area"] = AreaValue, ["from"] = Filter.From?.ToString("yyyy-MM-dd"), ["to"] = Filter.To?.ToString("yyyy-MM-dd"),
        ["action"] = Filter.Action, ["actor"] = Filter.Actor, ["p"] = page > 1 ? page.ToString() : null,
    }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToString();

    public async Task OnGetAsync(DateOnly? from, DateOnly? to, string? action, string? actor, string? area, int p = 1)
    {
        Filter = Build(from, to, action, actor, area);
        PageNumber = Math.Max(1, p);
        var rows = await Filter.Apply(db).Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync();
        HasMore = rows.Count > PageSize;
        Entries = rows.Take(PageSize).ToList();
        var weekAgo = clock.GetUtcNow().UtcDateTime.AddDays(-7);
        var week = await db.AuditEntries.Where(a => a.OccurredAt >= weekAgo)
            .GroupBy(a => 1)
            .Select(g => new { All = g.Count(), Failed = g.Count(a => a.Action == AuditActions.SignInFailed || a.Action == AuditActions.SecondFactorFailed) })
            .SingleOrDefaultAsync(); // one group at most (First without OrderBy would log a warning)
        LastWeek = (week?.All ?? 0, week?.Failed ?? 0);
        await db.RecordAsync(AuditActions.View, "AuditLog", tenant.Organization!.Code, new { page = PageNumber, from, to, action, actor, area = AreaValue });
    }

    public async Task<IActionResult> OnGetExportAsync(DateOnly? from, DateOnly? to, string? action, string? actor, string? area)
    {
        Filter = Build(from, to, action, actor, area);
        var rows = await Filter.Apply(db).Take(ExportLimit).ToListAsync();
        await db.RecordAsync(AuditActions.Export, "AuditLog", tenant.Organization!.Code, new { rows = rows.Count, from, to, action, actor, area = AreaValue });
        var csv = SpreadsheetSafe.Csv(
            new[] { new[] { "番号", "日時(JST)", "日時(UTC)", "実行者", "種類", "対象種別", "対象ID", "内容", "接続元", "ハッシュ", "できごと" } }
                .Concat(rows.Select(a => new[]
                {
                    a.Seq.ToString(), Text.Jst(a.OccurredAt), a.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"), a.ActorName, a.Action,
                    a.EntityType, a.EntityId, a.Details, a.IpAddress, a.Hash, AuditLabels.Summary(a).Ja,
                })));
        return File(csv, "text/csv; charset=utf-8", $"audit-{tenant.Organization.Code}-{JapanTime.ToJst(clock.GetUtcNow().UtcDateTime):yyyyMMdd-HHmmss}.csv");
    }

    AuditFilter Build(DateOnly? from, DateOnly? to, string? action, string? actor, string? area)
    {
        if (from is { } f && to is { } tt && f > tt)
        {
            Error = t["開始日が終了日より後になっています。入れ替えて表示しています。", "The start date was after the end date; they were swapped."];
            (from, to) = (to, from);
        }
        return new AuditFilter(from, to, ActionGroups.Any(g => g.Value == action) ? action : null, actor, AuditLabels.ParseArea(area));
    }
}
