using Microsoft.AspNetCore.Mvc;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages.Tenant;

/// <summary>Seven days of appointments from today (or from <see cref="Week"/>): a week grid at a glance (hour rows, day
/// columns, closed hours shaded), then the list with a cancel and a move button for each booked one.</summary>
public sealed class BookingsModel(OwnerViews views, TimeProvider clock) : TenantPageModel(views)
{
    [FromQuery(Name = "from")]
    public DateOnly? Week { get; set; }

    public DateOnly First { get; private set; }

    public IReadOnlyList<AppointmentView> Appointments { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public IReadOnlyList<DateOnly> Days => [.. Enumerable.Range(0, 7).Select(First.AddDays)];

    /// <summary>The grid's hours: from the earliest opening (or appointment) of the week to the latest closing; 9–17 for
    /// a week with neither.</summary>
    public IReadOnlyList<int> Hours { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(Business.ToLocal(clock.GetUtcNow()).DateTime);
        First = Week is { Year: >= 2000 and <= 9000 } week ? week : today;
        Appointments = await Views.AppointmentsAsync(Business, First, First.AddDays(6), ct);
        Hours = GridHours();
    }

    /// <summary>The appointments starting on <paramref name="day"/> in the hour from <paramref name="hour"/>.</summary>
    public IEnumerable<AppointmentView> StartingAt(DateOnly day, int hour) =>
        Appointments.Where(a => DateOnly.FromDateTime(a.Start.DateTime) == day && a.Start.Hour == hour);

    /// <summary>The business is open for some of that hour.</summary>
    public bool IsOpen(DateOnly day, int hour)
    {
        var from = new TimeOnly(hour, 0);
        var to = hour == 23 ? TimeOnly.MaxValue : new TimeOnly(hour + 1, 0);
        return Business.HoursOn(day).Any(r => r.Start < to && r.End > from);
    }

    private List<int> GridHours()
    {
        var starts = Days.SelectMany(Business.HoursOn).Select(r => r.Start.Hour).Concat(Appointments.Select(a => a.Start.Hour)).ToList();
        var ends = Days.SelectMany(Business.HoursOn).Select(r => r.End.Minute > 0 ? r.End.Hour : r.End.Hour - 1)
            .Concat(Appointments.Select(a => a.Start.Hour)).ToList();
        var first = starts.Count > 0 ? starts.Min() : 9;
        var last = ends.Count > 0 ? Math.Max(ends.Max(), first) : 16;
        return [.. Enumerable.Range(first, last - first + 1)];
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
