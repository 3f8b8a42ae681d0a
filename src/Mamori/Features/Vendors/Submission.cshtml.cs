using Mamori.Features.Checklists;
using Mamori.Platform.Data;
using Mamori.Platform.Mail;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Mamori.Features.Vendors;

/// <summary>
/// A 事業者確認用 requested in Mamori, by its sheet: the vendor submits its sheet to the site (提出), the site returns the
/// submitted copy with a comment (差戻し). On refusal the sheet is shown with the reason (409).
/// </summary>
[Requires(Permission.View)]
public sealed class SubmissionModel(MamoriDb db, TenantContext tenant, TimeProvider clock, MailOutbox mail) : SheetPageModel(db, tenant, clock)
{
    /// <summary>提出 (vendor): the answers and documents go to the requesting site; refused when incomplete or already submitted.</summary>
    [Requires(Permission.VendorRespond)]
    public async Task<IActionResult> OnPostSubmitAsync(Guid id)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (!View.IsVendorSide) return StatusCode(StatusCodes.Status403Forbidden);
        var errors = await VendorRequests.SubmitAsync(Db, Tenant.OrganizationId!.Value, View.VendorRequest!.Id, View.Sheet, Actor, Clock, HttpContext.RequestAborted, mail);
        return errors.Count == 0 ? Redirect($"{View.Url}?submitted=1#vendor-request") : await RefusedAsync(id, errors);
    }

    /// <summary>差戻し (site): sends the submitted sheet back to the vendor with a comment.</summary>
    [Requires(Permission.VendorRequestManage)]
    public async Task<IActionResult> OnPostReturnAsync(Guid id, string? comment)
    {
        if (!await LoadAsync(id)) return NotFound();
        if (View.VendorRequest is null || View.IsVendorSide) return StatusCode(StatusCodes.Status403Forbidden);
        var errors = await VendorRequests.ReturnAsync(Db, View.VendorRequest.Id, comment, Actor, Clock, HttpContext.RequestAborted, mail);
        return errors.Count == 0 ? Redirect($"{View.Url}#vendor-request") : await RefusedAsync(id, errors);
    }

    async Task<IActionResult> RefusedAsync(Guid id, List<Platform.Web.UserError> errors)
    {
        await LoadAsync(id);
        View.Message = (string.Join(" ", errors.Select(e => e.Ja)), string.Join(" ", errors.Select(e => e.En)));
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }
}
