using Mamori.Platform.Data;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Mvc;

namespace Mamori.Features.Vulnerabilities;

/// <summary>The line on the device page: this device's open matches (KEV first), linking to the area.</summary>
public sealed class DeviceVulnerabilitiesViewComponent(MamoriDb db, TenantContext tenant, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid assetId)
    {
        var rows = await VulnerabilityList.LoadAsync(db, tenant.OrganizationId!.Value, clock, HttpContext.RequestAborted, assetId);
        return View("/Features/Vulnerabilities/_DeviceVulnerabilities.cshtml", rows);
    }
}
