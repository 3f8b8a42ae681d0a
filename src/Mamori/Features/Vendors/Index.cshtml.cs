using Mamori.Features.Organizations;
using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Mamori.Platform.Time;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Mamori.Features.Vendors;

/// <summary>
/// 事業者確認用の依頼: a site's requests to its vendors (system, vendor, status, links to the request and the vendor's
/// answers); for a vendor organisation, the requests addressed to it (<see cref="VendorRequests.AddressedTo"/>).
/// </summary>
[Requires(Permission.View)]
public sealed class IndexModel(MamoriDb db, TenantContext tenant, TimeProvider clock) : PageModel
{
    public List<VendorRequest> Requests { get; private set; } = [];
    public bool IsVendor => tenant.Organization!.Kind == OrganizationKind.Vendor;
    public bool CanRequest => tenant.Can(Permission.VendorRequestManage);
    public bool CanRespond => tenant.Can(Permission.VendorRespond);
    /// <summary>Past its 回答期限 and not answered yet.</summary>
    public bool Overdue(VendorRequest r) => r.Status != VendorRequestStatus.Answered && r.DueOn < clock.Today();

    public async Task OnGetAsync()
    {
        var requests = IsVendor ? VendorRequests.AddressedTo(db, tenant.OrganizationId!.Value) : db.VendorRequests;
        Requests = await requests.AsNoTracking().OrderByDescending(r => r.RequestedAt).ToListAsync(HttpContext.RequestAborted);
    }
}
