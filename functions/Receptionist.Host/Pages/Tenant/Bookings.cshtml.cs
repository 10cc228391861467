using Microsoft.AspNetCore.Mvc;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages.Tenant;

/// <summary>Seven days of appointments from today (or from <see cref="Week"/>), with a cancel button for each booked one.</summary>
public sealed class BookingsModel(OwnerViews views, TimeProvider clock) : TenantPageModel(views)
{
    [FromQuery(Name = "from")]
    public DateOnly? Week { get; set; }

    public DateOnly First { get; private set; }

    public IReadOnlyList<AppointmentView> Appointments { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(Business.ToLocal(clock.GetUtcNow()).DateTime);
        First = Week is { Year: >= 2000 and <= 9000 } week ? week : today;
        Appointments = await Views.AppointmentsAsync(Business, First, First.AddDays(6), ct);
    }

    public async Task<IActionResult> OnPostMoveAsync(string? appointmentId, DateOnly? date, TimeOnly? time, CancellationToken ct)
    {
        if (date is null || time is null)
        {
            Notice = "Give the new day and time to move it to.";
            return RedirectToPage(new { from = Week?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        }

        var (moved, refused) = await Views.MoveAsync(Business, appointmentId ?? string.Empty, date.Value, time.Value, ct);
        if (moved is null && refused is null)
        {
            return NotFound();
        }

        Notice = moved is not null ? $"{moved.Service} for {moved.CallerName} is moved to {When(moved.Start)}; they get a text." : "Not moved: " + refused;
        return RedirectToPage(new { from = Week?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
    }

    public async Task<IActionResult> OnPostCancelAsync(string? appointmentId, CancellationToken ct)
    {
        var (appointment, cancelled) = await Views.CancelAsync(Business, appointmentId ?? string.Empty, "dashboard", ct);
        if (appointment is null)
        {
            return NotFound();
        }

        Notice = cancelled ? $"{appointment.Service} for {appointment.CallerName} on {When(appointment.Start)} is cancelled; they get a text."
            : $"That appointment is {appointment.Status}: nothing to cancel.";
        return RedirectToPage(new { from = Week?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
    }
}
