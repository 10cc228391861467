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

/// <summary>A stored call: the session plus what is needed to answer a retried webhook identically.</summary>
public sealed record CallRecord(CallSession Session, int Turn, string LastResponse, int HistoryCount, DateTimeOffset UpdatedAt);

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
}

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

    Task<IReadOnlyList<Appointment>> ListAsync(string tenantId, DateTimeOffset? from, CancellationToken cancellationToken);

    /// <summary>Booked intervals in the tenant's local time between two instants.</summary>
    Task<IReadOnlyList<BusyInterval>> BusyAsync(Tenant tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
