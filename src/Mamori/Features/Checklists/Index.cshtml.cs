using Mamori.Features.Catalog;
using Mamori.Features.Organizations;
using Mamori.Features.Vendors;
using Mamori.Platform.Data;
using Mamori.Platform.Mail;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Mamori.Platform.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Checklists;

/// <summary>The organisation's checklists by fiscal year, and the sheets it can start (from its kind: 病院・診療所 or 薬局).</summary>
[Requires(Permission.View)]
public sealed class IndexModel(MamoriDb db, TenantContext tenant, Text t, MailOutbox mail, TimeProvider clock) : PageModel
{
    public List<ChecklistProgress> Assessments { get; } = [];
    public List<(IndexedEdition Edition, IndexedNode Sheet)> Startable { get; private set; } = [];
    public List<(IndexedEdition Edition, IndexedNode Sheet)> VendorSheets { get; private set; } = [];
    /// <summary>Site: its requests to vendors. Vendor: the requests addressed to it.</summary>
    public List<VendorRequest> Requests { get; private set; } = [];
    public List<Organization> VendorDirectory { get; private set; } = [];
    public bool IsVendor => tenant.Organization!.Kind == OrganizationKind.Vendor;
    /// <summary>Shown once after a request to a vendor not yet in Mamori: the invitation link to send them.</summary>
    public string? NewInvitationLink { get; private set; }
    public string? Notice { get; private set; }
    public string? Error { get; private set; }
    public bool CanEdit => tenant.Can(Permission.ChecklistAnswer);

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var today = clock.Today();
        foreach (var a in await db.ChecklistAssessments.AsNoTracking().OrderByDescending(a => a.FiscalYear).ToListAsync(ct))
            if (await ChecklistProgress.LoadAsync(db, a, today, ct) is { } progress) Assessments.Add(progress);
        var index = await CatalogIndex.GetAsync(db, ct);
        Startable = ChecklistSheets.Available(index, tenant.Organization!.Kind)
            .Where(s => !Assessments.Any(a => a.Assessment.EditionFileId == s.Edition.FileId && a.Assessment.SheetNodeId == s.Sheet.NodeId)).ToList();
        if (IsVendor)
        {
            Requests = await VendorRequests.AddressedTo(db, tenant.OrganizationId!.Value).AsNoTracking()
                .OrderByDescending(r => r.RequestedAt).ToListAsync(ct);
            return;
        }
        VendorSheets = ChecklistSheets.VendorSheets(index);
        Requests = await db.VendorRequests.AsNoTracking().OrderByDescending(r => r.RequestedAt).ToListAsync(ct);
        VendorDirectory = await VendorRequests.DirectoryAsync(db, tenant.Organization.IsDemo, ct);
    }

    /// <summary>A site asks a vendor for its 事業者確認用 about one system (a vendor not yet in Mamori gets an invitation link).</summary>
    [Requires(Permission.VendorRequestManage)]
    public async Task<IActionResult> OnPostRequestAsync(string file, string? system, string? vendorName, Guid? vendorOrganization, string? inviteEmail, string? message, DateOnly? dueOn)
    {
        if (IsVendor) return StatusCode(StatusCodes.Status403Forbidden);
        var ct = HttpContext.RequestAborted;
        var index = await CatalogIndex.GetAsync(db, ct);
        var choice = ChecklistSheets.VendorSheets(index).FirstOrDefault(s => s.Edition.FileId == file);
        if (choice.Edition is null) return NotFound();
        var (request, token, errors) = await VendorRequests.CreateAsync(db, tenant.Organization!, choice.Edition,
            new VendorRequestInput(file, system, vendorName, vendorOrganization, inviteEmail, message, dueOn), Actor, clock, ct, mail);
        await OnGetAsync();
        if (request is null)
        {
            Error = string.Join(" ", errors.Select(e => t[e.Ja, e.En]));
            return Page();
        }
        Notice = token is null
            ? t[$"{request.VendorName} に依頼しました。事業者の Mamori に表示されます。", $"Requested from {request.VendorName}; it appears in their Mamori."]
            : t[$"{request.InviteEmail} 宛ての招待リンクを作りました（{VendorRequests.InvitationLifetime.Days}日間有効）。このリンクを事業者の担当者に送ってください。この画面を閉じると、もう表示されません。",
                $"Invitation link for {request.InviteEmail} created (valid {VendorRequests.InvitationLifetime.Days} days). Send it to the vendor; it is shown only now."];
        if (token is not null) NewInvitationLink = $"{Request.Scheme}://{Request.Host}/vendor-invite/{token}";
        if (mail.Enabled) Notice += " " + t["依頼のメールも送ります。", "An e-mail about it is being sent too."];
        return Page();
    }

    /// <summary>A vendor opens a request addressed to it: its own sheet is created the first time.</summary>
    [Requires(Permission.VendorRespond)]
    public async Task<IActionResult> OnPostAnswerAsync(Guid request)
    {
        if (!IsVendor) return StatusCode(StatusCodes.Status403Forbidden);
        var sheet = await VendorRequests.StartAnswerAsync(db, tenant.OrganizationId!.Value, request, Actor, clock, HttpContext.RequestAborted);
        return sheet is null ? NotFound() : Redirect($"/o/{tenant.Organization!.Code}/checklists/{sheet.Id}");
    }

    string Actor => User.FindFirst("mamori:name")?.Value ?? User.Identity?.Name ?? "";

    /// <summary>事業者確認用 entered by the site from the vendor's returned file (one per vendor and system).</summary>
    [Requires(Permission.ChecklistAnswer)]
    public async Task<IActionResult> OnPostStartVendorAsync(string file, string? system)
    {
        var index = await CatalogIndex.GetAsync(db, HttpContext.RequestAborted);
        var choice = ChecklistSheets.VendorSheets(index).FirstOrDefault(s => s.Edition.FileId == file);
        if (choice.Edition is null) return NotFound();
        system = system?.Trim();
        if (string.IsNullOrEmpty(system) || system.Length > 200)
        {
            Error = t["事業者名とシステム名を入力してください（200文字まで）。例: 電子カルテ（○○システム株式会社）", "Enter the vendor and system (up to 200 characters)."];
            await OnGetAsync();
            return Page();
        }
        var assessment = await ChecklistService.StartAsync(db, tenant.OrganizationId!.Value, choice.Edition, choice.Sheet.NodeId, Actor, clock, HttpContext.RequestAborted, system);
        return Redirect($"/o/{tenant.Organization!.Code}/checklists/{assessment.Id}");
    }

    [Requires(Permission.ChecklistAnswer)]
    public async Task<IActionResult> OnPostStartAsync(string file, string sheet)
    {
        var index = await CatalogIndex.GetAsync(db, HttpContext.RequestAborted);
        var choice = ChecklistSheets.Available(index, tenant.Organization!.Kind).FirstOrDefault(s => s.Edition.FileId == file && s.Sheet.NodeId == sheet);
        if (choice.Edition is null) return NotFound();
        var assessment = await ChecklistService.StartAsync(db, tenant.OrganizationId!.Value, choice.Edition, sheet, Actor, clock, HttpContext.RequestAborted);
        return Redirect($"/o/{tenant.Organization.Code}/checklists/{assessment.Id}");
    }
}
