using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>
/// Answering one sheet: every item saves on its own (a stale form is refused, never overwrites). The sheet's other use
/// cases have their own pages below its address: evidence, sign-off and review, exports, and (Vendors) the submission.
/// </summary>
[Requires(Permission.View)]
public sealed class SheetModel(MamoriDb db, TenantContext tenant, TimeProvider clock) : SheetPageModel(db, tenant, clock)
{
    public async Task<IActionResult> OnGetAsync(Guid id, string? saved, string? submitted)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (saved is not null) View.ItemNotices[saved] = ("保存しました。", "Saved.");
        if (submitted is not null) View.Message = ("提出しました。依頼元の Mamori に届いています。", "Submitted; the site can see it now.");
        return Page();
    }

    [Requires(Permission.ChecklistAnswer)]
    public async Task<IActionResult> OnPostSaveAsync(Guid id, string node, AnswerForm form)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (View.Sheet.Items.FirstOrDefault(n => n.NodeId == node) is not { } item) return NotFound();
        if (Locked(node)) return Page();
        var spec = ItemSpec.From(item);
        var input = form.ToInput(spec);
        var result = await ChecklistService.SaveAnswerAsync(Db, View.Assessment, spec, input, form.Version, Actor, Clock, HttpContext.RequestAborted);
        // The item's wording had another number before the new form: saving it under its new number settles the old answer's 要確認.
        if (result.Ok && View.Outdated.Where(o => o.NewItem?.NodeId == node).Select(o => o.Answer.Id).ToList() is { Count: > 0 } settled)
        {
            foreach (var old in await Db.ChecklistAnswers.Where(x => settled.Contains(x.Id)).ToListAsync(HttpContext.RequestAborted)) old.NeedsReview = null;
            await Db.SaveChangesAsync(HttpContext.RequestAborted);
        }
        if (result.Ok) return Redirect($"{View.Url}?saved={Uri.EscapeDataString(node)}#item-{node}");
        await LoadAsync(id);
        View.Posted[node] = input;
        View.ItemErrors[node] = result.Conflict
            ? [new($"保存できませんでした: この項目は {result.Answer?.UpdatedBy} さんが {(result.Answer is null ? "" : Text.Jst(result.Answer.UpdatedAt))} に変更しています。下の入力はそのまま残しています。最新の内容を確かめてから、もう一度保存してください。",
                $"Not saved: {result.Answer?.UpdatedBy} changed this item meanwhile. Your entries are kept below; check the latest and save again.")]
            : result.Errors;
        return Page();
    }
}

/// <summary>One item's answer form as posted: a.general / a.server / a.terminal / a.network, the dates, note and 担当者.</summary>
public sealed class AnswerForm
{
    public AnswerColumns A { get; set; } = new();
    public DateOnly? CheckedOn1 { get; set; }
    public DateOnly? CheckedOn2 { get; set; }
    public DateOnly? TargetDate { get; set; }
    public string? Note { get; set; }
    public string? Responsible { get; set; }
    /// <summary>The answer's version the form was based on (0: no answer yet).</summary>
    public uint Version { get; set; }

    public sealed class AnswerColumns
    {
        public string? General { get; set; }
        public string? Server { get; set; }
        public string? Terminal { get; set; }
        public string? Network { get; set; }
    }

    /// <summary>The item's own columns only (anything else posted is ignored).</summary>
    public AnswerInput ToInput(ItemSpec item) => new(item.Columns.ToDictionary(c => c, c => c switch
    {
        "server" => A.Server,
        "terminal" => A.Terminal,
        "network" => A.Network,
        _ => A.General,
    } is { Length: > 0 } v ? v : null), CheckedOn1, CheckedOn2, TargetDate, Note, Responsible);
}
