using Microsoft.AspNetCore.Mvc;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages.Tenant;

public sealed class CallModel(OwnerViews views) : TenantPageModel(views)
{
    [FromRoute]
    public string CallId { get; set; } = string.Empty;

    public CallDetailView Detail { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await Views.CallAsync(Business, CallId, ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        return Page();
    }
}
