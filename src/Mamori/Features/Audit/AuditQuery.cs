using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Audit;

/// <summary>Filter for the organisation's audit log (page, API and export share it). Dates are JST calendar days.</summary>
public sealed record AuditFilter(DateOnly? From = null, DateOnly? To = null, string? Action = null, string? Actor = null, AuditArea? Area = null)
{
    public IQueryable<AuditEntry> Apply(MamoriDb db)
    {
        IQueryable<AuditEntry> q = db.AuditEntries.AsNoTracking(); // tenant filter applies
        if (From is { } from) { var f = JapanTime.StartOfDayUtc(from); q = q.Where(a => a.OccurredAt >= f); }
        if (To is { } to) { var t = JapanTime.StartOfDayUtc(to.AddDays(1)); q = q.Where(a => a.OccurredAt < t); }
        if (!string.IsNullOrWhiteSpace(Action)) q = q.Where(a => a.Action.StartsWith(Action));
        if (!string.IsNullOrWhiteSpace(Actor)) q = q.Where(a => a.ActorName.Contains(Actor));
        if (Area is { } area)
        {
            var (prefixes, types) = AuditLabels.Scope(area);
            var (p0, p1) = (prefixes[0], prefixes.Length > 1 ? prefixes[1] : prefixes[0]);
            q = q.Where(a => a.Action.StartsWith(p0) || a.Action.StartsWith(p1) || (a.Action.StartsWith("record.") && types.Contains(a.EntityType!)));
        }
        return q.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Seq); // rows from before the per-organisation chains carry the old global numbers
    }
}
