using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>Sign-off of a sheet: the 管理者 seals the current round, the 経営層 records the review, and every sealed round stays viewable.</summary>
[Requires(Permission.View)]
public sealed class SignoffModel(MamoriDb db, TenantContext tenant, TimeProvider clock) : SheetPageModel(db, tenant, clock)
{
    /// <summary>A sealed round as it was frozen (every revision stays viewable); null: the sheet is shown.</summary>
    public (ChecklistSeal Seal, System.Text.Json.JsonElement Snapshot)? Frozen { get; private set; }

    public async Task<IActionResult> OnGetRoundAsync(Guid id, int round)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (View.Seals.FirstOrDefault(s => s.Round == round) is not { } seal) return NotFound();
        Frozen = (seal, System.Text.Json.JsonDocument.Parse(seal.Snapshot).RootElement.Clone());
        await Db.RecordAsync(AuditActions.View, "ChecklistSeal", seal.Id.ToString(), new { round });
        return Page();
    }

    [Requires(Permission.ChecklistSeal)]
    public async Task<IActionResult> OnPostSealAsync(Guid id)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (View.VendorRequest is not null) return StatusCode(StatusCodes.Status403Forbidden); // the vendor's submission is its sign-off
        var (seal, missing) = await ChecklistService.SealAsync(Db, View.Assessment, View.Sheet, Actor, Clock, HttpContext.RequestAborted);
        await LoadAsync(id);
        View.Message = seal is not null
            ? ($"{seal.Round}回目の確認に署名しました（記録のハッシュ {seal.Sha256[..16]}… を監査ログに記録）。", $"Round {seal.Round} signed (hash {seal.Sha256[..16]}… recorded in the audit log).")
            : ($"まだ署名できません: 回答や確認日のない項目が {missing.Count} 件あります。", $"Cannot sign yet: {missing.Count} items are incomplete.");
        return Page();
    }

    [Requires(Permission.ChecklistReview)]
    public async Task<IActionResult> OnPostReviewAsync(Guid id, int round, DateOnly? reviewedOn, string? comment)
    {
        if (!await LoadAsync(id)) return NotFound();
        var seal = await Db.ChecklistSeals.FirstOrDefaultAsync(s => s.AssessmentId == id && s.Round == round);
        if (seal is null) return NotFound();
        var reviewer = Guid.TryParse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var u) ? u : (Guid?)null;
        if (await ChecklistService.ReviewAsync(Db, seal, reviewedOn, comment, Actor, reviewer, View.Today, HttpContext.RequestAborted) is { } error)
        {
            View.Message = (error.Ja, error.En);
            return Page();
        }
        return Redirect($"{View.Url}#seals");
    }
}
