using System.Globalization;
using Receptionist.Calls;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Reporting;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Host.Owners;

/// <summary>A call as an owner sees it in a list: times in the business's zone, the caller's number in full.</summary>
public sealed record CallView(
    string CallId,
    DateTimeOffset StartedAt,
    string? From,
    string Channel,
    string Mode,
    int? DurationSeconds,
    string Outcome,
    bool InProgress,
    string? Summary,
    decimal? Cost);

/// <summary>One line of a call's transcript.</summary>
public sealed record TranscriptLine(DateTimeOffset At, string Speaker, string Text);

public sealed record CallDetailView(CallView Call, IReadOnlyList<TranscriptLine> Transcript, IReadOnlyList<string> Questions);

/// <summary>An appointment; <see cref="Id"/> is the handle the API and the pages cancel it by (its start and id).</summary>
public sealed record AppointmentView(string Id, string Service, DateTimeOffset Start, int Minutes, string CallerName, string? CallerPhone, string Status, string CallId);

public sealed record MessageView(string Id, DateTimeOffset CreatedAt, string CallerName, string? CallerPhone, string Text, bool Urgent, DateTimeOffset? HandledAt, string CallId);

/// <summary>A page of a list and the token for the next one (null: the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// What owners read and change, for the dashboard and the admin API alike (one place for each rule): every method takes
/// the tenant, so every query is scoped to it by construction. Changes go through the same stores and workflows as a
/// phone call's.
/// </summary>
public sealed class OwnerViews(TenantDirectory tenants, ICallStore calls, IAppointmentStore appointments, IMessageStore messages, ICallReportStore reports,
    IWorkflows workflows, TimeProvider clock, ILogger<OwnerViews> logger)
{
    public const int MaxPageSize = 100;

    public Task<Tenant?> TenantAsync(string tenantId, CancellationToken ct) => tenants.ByIdAsync(tenantId, ct);

    /// <summary>A page of the tenant's calls that began in [from, to), newest first; with <paramref name="outcome"/>, only
    /// calls that came to it (up to 10 stored pages are read to fill one).</summary>
    public async Task<Page<CallView>> CallsAsync(Tenant tenant, DateTimeOffset? from, DateTimeOffset? to, int pageSize, string? next, CancellationToken ct,
        CallOutcome? outcome = null)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var found = new List<CallListing>();
        var reads = 0;
        do
        {
            var page = await calls.PageByTenantAsync(tenant.Id, from, to, pageSize, next, ct);
            found.AddRange(page.Calls.Where(c => outcome is null || c.Outcome == outcome));
            next = page.Continuation;
        }
        while (outcome is not null && found.Count < pageSize && next is not null && ++reads < 10);

        return new Page<CallView>(found.Select(c => new CallView(c.CallId, tenant.ToLocal(c.StartedAt), c.From, c.Channel, c.Mode, c.DurationSeconds,
            c.Outcome.ToString(), !c.Ended, c.Summary, c.Cost)).ToList(), next);
    }

    /// <summary>The call with its transcript; null when it is not this tenant's (or does not exist).</summary>
    public async Task<CallDetailView?> CallAsync(Tenant tenant, string callId, CancellationToken ct)
    {
        if (!IsKey(callId))
        {
            return null;
        }

        var stored = await calls.GetAsync(callId, ct);
        if (stored is null || stored.Record.Session.TenantId != tenant.Id)
        {
            return null;
        }

        var historyTask = calls.HistoryAsync(callId, ct);
        var report = await reports.GetAsync(callId, ct);
        var history = await historyTask;
        var transcript = history.Where(h => h.Speaker is "agent" or "caller")
            .Select(h => new TranscriptLine(tenant.ToLocal(h.At), h.Speaker, h.Kind == "silence" ? "(silence)" : h.Text))
            .ToList();
        return new CallDetailView(View(tenant, stored.Record, report), transcript, report?.Summary.Questions ?? []);
    }

    /// <summary>The stored call (its turn count and last decision), for the test chat.</summary>
    public async Task<CallRecord?> CallRecordAsync(string callId, CancellationToken ct) =>
        IsKey(callId) && await calls.GetAsync(callId, ct) is { } stored ? stored.Record : null;

    /// <summary>Appointments that start on local days [<paramref name="firstDay"/>, <paramref name="lastDay"/>], in order.</summary>
    public async Task<IReadOnlyList<AppointmentView>> AppointmentsAsync(Tenant tenant, DateOnly firstDay, DateOnly lastDay, CancellationToken ct)
    {
        var list = await appointments.ListBetweenAsync(tenant, tenant.AtLocal(firstDay, TimeOnly.MinValue), tenant.AtLocal(lastDay.AddDays(1), TimeOnly.MinValue), ct);
        return list.Select(a => View(tenant, a)).ToList();
    }

    /// <summary>Cancels a booked appointment as a call would (the same store and locks) and texts the caller. Returns
    /// the appointment as it now stands; null when there is no such appointment of this tenant.</summary>
    public async Task<(AppointmentView? Appointment, bool Cancelled)> CancelAsync(Tenant tenant, string handle, string who, CancellationToken ct)
    {
        if (await FindAsync(tenant, handle, ct) is not var (a, key, target))
        {
            return (null, false);
        }

        if (a.Status != "booked")
        {
            return (View(tenant, a), false);
        }

        var cancelled = await appointments.CancelAsync(tenant.Id, target, who, clock.GetUtcNow(), CancellationToken.None);
        if (cancelled)
        {
            logger.LogInformation("Appointment {AppointmentId} of {TenantId} cancelled from the dashboard or API", a.Id, tenant.Id);
            await StartTextAsync(a.Id, "cancel", () => workflows.CancelledAsync(key, CancellationToken.None));
        }

        return (View(tenant, (await appointments.GetAsync(key, ct)) ?? a), cancelled);
    }

    /// <summary>Moves a booked appointment to <paramref name="date"/> at <paramref name="time"/>, as a call's move does: the
    /// slot must be open and free (the appointment's own slot counts as free), the new slot is reserved before the old
    /// one is released, and the caller is texted. Returns the new appointment, or why not.</summary>
    public async Task<(AppointmentView? Moved, string? Refused)> MoveAsync(Tenant tenant, string handle, DateOnly date, TimeOnly time, CancellationToken ct)
    {
        if (await FindAsync(tenant, handle, ct) is not var (a, key, from))
        {
            return (null, null);
        }

        if (a.Status != "booked")
        {
            return (null, $"The appointment is {a.Status}, not booked: it cannot be moved.");
        }

        var now = clock.GetUtcNow();
        var busy = await appointments.BusyAsync(tenant, tenant.AtLocal(date, TimeOnly.MinValue), tenant.AtLocal(date.AddDays(1), TimeOnly.MinValue), ct);
        if (!Availability.IsFree(tenant, date, time, a.Minutes, Availability.WithoutOwn(busy, from.Date, from.Time, a.Minutes), now))
        {
            return (null, $"{a.Service} ({a.Minutes} min) does not fit at {time:HH:mm} on {date:yyyy-MM-dd}: closed, past, or booked.");
        }

        var to = new BookingRequest(tenant.Id, "owner-" + a.Id, a.Service, a.Minutes, date, time, tenant.AtLocal(date, time), a.CallerName, a.CallerPhone);
        var moved = await appointments.MoveAsync(from, to, now, CancellationToken.None);
        if (moved is null)
        {
            return (null, "That slot was just taken.");
        }

        logger.LogInformation("Appointment {AppointmentId} of {TenantId} moved from the dashboard or API", a.Id, tenant.Id);
        await StartTextAsync(a.Id, "move", () => workflows.MovedAsync(key, new AppointmentKey(tenant.Id, moved.Id, date, moved.Start), CancellationToken.None));
        return (View(tenant, moved), null);
    }

    /// <summary>The appointment an API or page handle names, with its storage key and its description for the calendar
    /// store; null when the handle is malformed or names no appointment of this tenant.</summary>
    private async Task<(Appointment Appointment, AppointmentKey Key, AppointmentRef Ref)?> FindAsync(Tenant tenant, string handle, CancellationToken ct)
    {
        if (!TryParseHandle(handle, out var start, out var id))
        {
            return null;
        }

        var local = tenant.ToLocal(start);
        var date = DateOnly.FromDateTime(local.DateTime);
        var key = new AppointmentKey(tenant.Id, id, date, start);
        return await appointments.GetAsync(key, ct) is { } a
            ? (a, key, new AppointmentRef(a.Id, a.Service, a.Minutes, date, TimeOnly.FromDateTime(local.DateTime), a.CallerName, a.Start, a.CallerPhone))
            : null;
    }

    /// <summary>Starts the caller's text about a change that already stands: a failure to start it is logged, never
    /// turned into a failed change.</summary>
    private async Task StartTextAsync(string appointmentId, string change, Func<Task> start)
    {
        try
        {
            await start();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The {Change} of {AppointmentId} stands, but its confirmation text could not be started", change, appointmentId);
        }
    }

    /// <summary>Unhandled first, urgent first among them, newest first.</summary>
    public async Task<IReadOnlyList<MessageView>> MessagesAsync(Tenant tenant, CancellationToken ct) =>
        (await messages.ListAsync(tenant.Id, ct))
            .OrderBy(m => m.HandledAt is not null).ThenByDescending(m => m.HandledAt is null && m.Urgent).ThenByDescending(m => m.CreatedAt)
            .Select(m => View(tenant, m)).ToList();

    public async Task<MessageView?> MarkHandledAsync(Tenant tenant, string? messageId, CancellationToken ct) =>
        IsKey(messageId) && await messages.MarkHandledAsync(tenant.Id, messageId!, clock.GetUtcNow(), ct) is { } m ? View(tenant, m) : null;

    /// <summary>Whether an id from a URL can be a storage key at all (Azure Tables refuses '/', '\', '#', '?', control
    /// characters and keys over 1 KiB): anything else is "no such thing", never a storage error.</summary>
    public static bool IsKey(string? id) =>
        id is { Length: > 0 and <= 200 } && !id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    /// <summary>An appointment's handle: its UTC start and its id (the calendar is partitioned by day).</summary>
    public static string Handle(Appointment a) => a.Start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "_" + a.Id;

    public static bool TryParseHandle(string handle, out DateTimeOffset start, out string id)
    {
        start = default;
        id = string.Empty;
        var cut = handle.IndexOf('_', StringComparison.Ordinal);
        if (cut != 16 || handle.Length > 200
            || !DateTimeOffset.TryParseExact(handle[..cut], "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
        {
            return false;
        }

        id = handle[(cut + 1)..];
        return IsKey(id);
    }

    private static CallView View(Tenant tenant, CallRecord c, CallReportRecord? report)
    {
        var s = c.Session;
        return new CallView(s.CallId, tenant.ToLocal(s.StartedAt), s.CallerNumber, c.Channel, c.Mode, c.DurationSeconds, s.Outcome.ToString(),
            !s.Ended, report?.Summary.Text, report?.Cost.Total);
    }

    private static AppointmentView View(Tenant tenant, Appointment a) =>
        new(Handle(a), a.Service, tenant.ToLocal(a.Start), a.Minutes, a.CallerName, a.CallerPhone, a.Status, a.CallId);

    private static MessageView View(Tenant tenant, StoredMessage m) =>
        new(m.Id, tenant.ToLocal(m.CreatedAt), m.CallerName, m.CallerPhone, m.Text, m.Urgent, m.HandledAt is { } h ? tenant.ToLocal(h) : null, m.CallId);
}
