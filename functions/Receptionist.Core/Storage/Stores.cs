using Receptionist.Core.Notifications;
using Receptionist.Core.Conversation;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Storage;

/// <summary>Tenants and the dialled-number routes to them.</summary>
public interface ITenantStore
{
    /// <summary>Creates or updates tenants all-or-nothing with respect to validation: a number that belongs to another
    /// tenant fails the whole import before anything is written.</summary>
    Task<IReadOnlyList<string>> ImportAsync(IReadOnlyList<ValidTenant> tenants, CancellationToken cancellationToken);

    Task<TenantDocument?> GetAsync(string tenantId, CancellationToken cancellationToken);

    Task<string?> RouteAsync(string e164, CancellationToken cancellationToken);

    Task<IReadOnlyList<TenantDocument>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A line of a call's history, as the owner sees it.</summary>
public sealed record CallTurn(int Sequence, DateTimeOffset At, string Speaker, string Kind, string Text);

/// <summary>A stored call: the session plus what is needed to answer a redelivered event identically.</summary>
/// <param name="Turn">How many caller events the call has handled (its own count, whichever channel).</param>
/// <param name="LastActions">The last decision, as neutral actions (never rendered TwiML): a channel re-renders it
/// when an event is delivered again.</param>
public sealed record CallRecord(CallSession Session, int Turn, IReadOnlyList<CallAction> LastActions, int HistoryCount, DateTimeOffset UpdatedAt)
{
    /// <summary>How many recent event ids a call remembers to spot redeliveries.</summary>
    public const int RememberedEvents = 32;

    /// <summary>"twilio" or "acs".</summary>
    public string Channel { get; init; } = "twilio";

    /// <summary>How the channel handled the call ("gather", "relay"; ACS: "recognize").</summary>
    public string Mode { get; init; } = "gather";

    /// <summary>The provider ids of the latest events handled, newest last (at most <see cref="RememberedEvents"/>).</summary>
    public IReadOnlyList<string> RecentEvents { get; init; } = [];

    /// <summary>The call's length as the carrier reported it at the end.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>Opaque to all but the channel that wrote it at the start (ACS: the caller's identifier).</summary>
    public string? ChannelData { get; init; }

    /// <summary>LLM tokens spent understanding this call's callers (input, output), for its cost.</summary>
    public int LlmInputTokens { get; init; }

    public int LlmOutputTokens { get; init; }

    public bool Seen(string eventId) => RecentEvents.Contains(eventId, StringComparer.Ordinal);

    public CallRecord Remember(string eventId) =>
        this with { RecentEvents = [.. RecentEvents.Append(eventId).TakeLast(RememberedEvents)] };
}

public sealed record StoredCall(CallRecord Record, string ETag);

/// <summary>Another request changed the call between our read and our write (HTTP 412).</summary>
public sealed class CallConcurrencyException(string callId) : Exception($"Call {callId} was changed concurrently.");

public interface ICallStore
{
    Task<StoredCall?> GetAsync(string callId, CancellationToken cancellationToken);

    /// <summary>Inserts a new call with its first history lines; false when the call already exists (a retried start).</summary>
    Task<bool> CreateAsync(CallRecord record, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken);

    /// <summary>Replaces the call if its ETag still matches and appends history, atomically (one entity-group transaction).</summary>
    /// <exception cref="CallConcurrencyException">The ETag no longer matches.</exception>
    Task SaveTurnAsync(CallRecord record, string etag, IReadOnlyList<CallTurn> history, CancellationToken cancellationToken);

    Task<IReadOnlyList<CallTurn>> HistoryAsync(string callId, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<CallRecord>> ListByTenantAsync(string tenantId, int max, CancellationToken cancellationToken);

    /// <summary>One page of a tenant's calls that began in [<paramref name="from"/>, <paramref name="to"/>), newest
    /// first; <paramref name="continuation"/> is the previous page's <see cref="CallPage.Continuation"/>.</summary>
    /// <exception cref="FormatException"><paramref name="continuation"/> is not a token this store gave out for the tenant.</exception>
    Task<CallPage> PageByTenantAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, int pageSize, string? continuation, CancellationToken cancellationToken);
}

/// <summary>A page of calls and where the next one starts (null: this was the last).</summary>
public sealed record CallPage(IReadOnlyList<CallListing> Calls, string? Continuation);

/// <summary>A call as a list shows it. For an ended call it comes from the tenant's index alone (one query a page);
/// <see cref="Summary"/> and <see cref="Cost"/> once the after-call report exists.</summary>
public sealed record CallListing(
    string CallId,
    DateTimeOffset StartedAt,
    string? From,
    string Channel,
    string Mode,
    int? DurationSeconds,
    CallOutcome Outcome,
    bool Ended,
    string? Summary,
    decimal? Cost);

public sealed record Appointment(
    string TenantId,
    string Id,
    string Service,
    DateTimeOffset Start,
    int Minutes,
    string CallerName,
    string? CallerPhone,
    string Status,
    string CallId,
    DateTimeOffset CreatedAt);

public interface IAppointmentStore
{
    /// <summary>Reserves every 15-minute granule the booking covers by inserting lock entities in one transaction and
    /// stores the appointment. Returns null when another booking holds any granule. Idempotent per call and slot.</summary>
    Task<Appointment?> ReserveAsync(BookingRequest booking, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Moves an appointment: reserves the new slot first (granules it already holds are handed over), then
    /// releases the old one and marks it rescheduled. Returns the new appointment, or null when the new slot is taken
    /// (the old appointment is then untouched). Idempotent per call and slot.</summary>
    Task<Appointment?> MoveAsync(AppointmentRef from, BookingRequest to, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Cancels a booked appointment and releases its slot; false when it is not (or no longer) booked.</summary>
    Task<bool> CancelAsync(string tenantId, AppointmentRef appointment, string callId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Booked appointments starting after <paramref name="from"/>, soonest first, whose caller phone equals
    /// <paramref name="phone"/> and/or whose name matches <paramref name="name"/> (every word of it, any case).</summary>
    Task<IReadOnlyList<Appointment>> FindUpcomingAsync(string tenantId, DateTimeOffset from, string? phone, string? name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Appointment>> ListAsync(string tenantId, DateTimeOffset? from, CancellationToken cancellationToken);

    /// <summary>Appointments (not move holds) that start in [<paramref name="from"/>, <paramref name="to"/>), in order;
    /// only the day partitions of that window are read.</summary>
    Task<IReadOnlyList<Appointment>> ListBetweenAsync(Tenant tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>One appointment in whatever status it is now (booked, cancelled, rescheduled), or null.</summary>
    Task<Appointment?> GetAsync(AppointmentKey key, CancellationToken cancellationToken);

    /// <summary>Booked intervals in the tenant's local time between two instants.</summary>
    Task<IReadOnlyList<BusyInterval>> BusyAsync(Tenant tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>A message a caller left for the business.</summary>
public sealed record StoredMessage(
    string TenantId,
    string Id,
    string CallId,
    string CallerName,
    string? CallerPhone,
    string Text,
    bool Urgent,
    DateTimeOffset CreatedAt)
{
    /// <summary>When the owner marked it handled; null while it waits in their inbox.</summary>
    public DateTimeOffset? HandledAt { get; init; }
}

public interface IMessageStore
{
    /// <summary>Stores the message (once per id: a retried turn does not store it twice). Returns the stored message.</summary>
    Task<StoredMessage> SaveAsync(MessageRequest message, DateTimeOffset now, CancellationToken cancellationToken);

    Task<StoredMessage?> GetAsync(string tenantId, string messageId, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<StoredMessage>> ListAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The owner dealt with it (kept, out of the inbox). Again is a no-op; null when there is no such message.</summary>
    Task<StoredMessage?> MarkHandledAsync(string tenantId, string messageId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>How often appointments may be looked up by name from one caller number (or from withheld numbers) in a
/// day, across calls: a bound on guessing names and digits.</summary>
public interface ILookupLimiter
{
    /// <summary>Counts one name lookup; false when the caller number has used up its lookups for the day.</summary>
    Task<bool> TryAcquireAsync(string tenantId, string? callerNumber, DateTimeOffset now, CancellationToken cancellationToken);
}
