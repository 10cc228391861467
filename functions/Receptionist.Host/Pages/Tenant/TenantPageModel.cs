using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages.Tenant;

/// <summary>A page of one tenant's dashboard. Whether the owner may see the tenant is decided before the page runs
/// (the folder's policy: <see cref="TenantAccessRequirement"/>); here the tenant is only loaded, and times are shown
/// in its zone.</summary>
public abstract class TenantPageModel(OwnerViews views) : PageModel
{
    [FromRoute]
    public string TenantId { get; set; } = string.Empty;

    public Core.Tenants.Tenant Business { get; private set; } = null!;

    protected OwnerViews Views => views;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await views.TenantAsync(TenantId, HttpContext.RequestAborted) is not { } tenant)
        {
            context.Result = NotFound();
            return;
        }

        Business = tenant;
        await next();
    }

    /// <summary>A time as the owner reads it: the business's day and clock.</summary>
    public static string When(DateTimeOffset local) => local.ToString("ddd d MMM, h:mm tt", System.Globalization.CultureInfo.InvariantCulture);

    public static string Duration(int? seconds) => seconds is { } s ? $"{s / 60}:{s % 60:00}" : "—";

    /// <summary>A number the owner can tap to call.</summary>
    public static string Tel(string number) => "tel:" + number;
}
