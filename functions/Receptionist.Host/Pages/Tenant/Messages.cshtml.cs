using Microsoft.AspNetCore.Mvc;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages.Tenant;

public sealed class MessagesModel(OwnerViews views) : TenantPageModel(views)
{
    public IReadOnlyList<MessageView> Messages { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Messages = await Views.MessagesAsync(Business, ct);

    public async Task<IActionResult> OnPostHandledAsync(string? messageId, CancellationToken ct)
    {
        if (await Views.MarkHandledAsync(Business, messageId, ct) is not { } m)
        {
            return NotFound();
        }

        Notice = $"The message from {m.CallerName} is marked handled.";
        return RedirectToPage();
    }
}
