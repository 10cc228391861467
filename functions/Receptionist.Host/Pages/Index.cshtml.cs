using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages;

/// <summary>The signed-in owner's businesses; with one, straight to its calls.</summary>
public sealed class IndexModel(OwnerViews views) : PageModel
{
    public IReadOnlyList<Core.Tenants.Tenant> Tenants { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var ids = OwnerAccess.Tenants(User);
        if (ids.Count == 1)
        {
            return LocalRedirect($"/t/{ids[0]}/calls");
        }

        var found = new List<Core.Tenants.Tenant>();
        foreach (var id in ids)
        {
            if (await views.TenantAsync(id, ct) is { } t)
            {
                found.Add(t);
            }
        }

        Tenants = found;
        return Page();
    }
}
