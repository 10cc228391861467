namespace Receptionist.Core.Notifications;

/// <summary>What a notification is about: the caller's confirmations and reminder, or the owner's message alert.</summary>
public static class NotificationKinds
{
    public const string Booked = "booked";
    public const string Moved = "moved";
    public const string Cancelled = "cancelled";
    public const string Reminder = "reminder";
    public const string OwnerMessage = "owner-message";

    /// <summary>One owner text gathering the non-urgent messages of a batch window (the tenant's <c>ownerAlertBatchMinutes</c>).</summary>
    public const string OwnerBatch = "owner-batch";

    /// <summary>The owner's daily digest of the last 24 hours.</summary>
    public const string Digest = "digest";

    /// <summary>Not a text: the call's summary and cost, once it ended.</summary>
    public const string AfterCall = "after-call";
}

/// <summary>Where a notification is in its life. A notification is written once (by its key) and only moves forward:
/// scheduled → sending → sent | failed | dead-lettered, or scheduled → cancelled, or straight to skipped; a non-urgent
/// owner alert of a batching tenant: scheduled (for its window's end) → batched.</summary>
public static class NotificationStatus
{
    /// <summary>Planned for <see cref="Notification.ScheduledFor"/> (a reminder waiting for its time, or a send about to start).</summary>
    public const string Scheduled = "scheduled";

    /// <summary>Handed to the provider at least once without an answer we recorded: an attempt in flight (until
    /// <see cref="Notification.ClaimedUntil"/>), one that died with its worker, or a retryable error.</summary>
    public const string Sending = "sending";

    /// <summary>The provider accepted it; <see cref="Notification.ProviderId"/> is its id.</summary>
    public const string Sent = "sent";

    /// <summary>The provider refused it for good (an invalid number, an opted-out recipient): never retried.</summary>
    public const string Failed = "failed";

    /// <summary>Every attempt failed with a retryable error; given up.</summary>
    public const string DeadLettered = "dead-lettered";

    /// <summary>Not sent, and never will be: withheld or landline number, no notify number, no longer booked.</summary>
    public const string Skipped = "skipped";

    /// <summary>A scheduled reminder whose appointment was moved or cancelled.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A message's owner alert that is no text of its own: it went into the owner's batched text that
    /// <see cref="Notification.Detail"/> names (<see cref="BatchedInto"/>).</summary>
    public const string Batched = "batched";

    public static bool IsFinal(string status) => status is Sent or Failed or DeadLettered or Skipped or Cancelled or Batched;

    /// <summary>The detail of a <see cref="Batched"/> alert: which batch text it is in (compared whole, never parsed).</summary>
    public static string BatchedInto(string batchKey) => $"in the owner's batched text {batchKey}";
}

/// <summary>
/// One text message to a caller or an owner, as the owner sees it in `notifications list`. <see cref="Key"/> is derived
/// from what it is about (<c>{appointment id}.booked</c>, <c>{message id}.owner</c>, …), so planning it twice is one
/// notification and sending it is done at most once per recorded attempt.
/// </summary>
/// <param name="To">E.164 number in full (the owner needs it); null when there is none (withheld).</param>
/// <param name="Detail">Why it was skipped, or the provider's refusal (never a credential).</param>
public sealed record Notification(
    string TenantId,
    string Key,
    string Kind,
    string? To,
    string Body,
    string Status,
    string? ProviderId,
    int Attempts,
    DateTimeOffset ScheduledFor,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Detail,
    int? ProviderErrorCode,
    string RelatedId)
{
    /// <summary>The call that led to it (its cost counts toward that call), when there was one.</summary>
    public string? CallId { get; init; }

    /// <summary>While an attempt is in flight: until when it holds the notification (no other attempt sends it
    /// meanwhile). Null between attempts.</summary>
    public DateTimeOffset? ClaimedUntil { get; init; }

    /// <summary>The stored version this was read at (the store's ETag); null for a row not read from storage.</summary>
    public string? Version { get; init; }
}

/// <summary>The notification changed since it was read (another attempt claimed it): nothing was written.</summary>
public sealed class NotificationConflictException(string key, Exception inner)
    : Exception($"Notification {key} was changed by another writer since it was read.", inner);

/// <summary>The Notifications table: one row per notification key, per tenant.</summary>
public interface INotificationStore
{
    /// <summary>Writes <paramref name="notification"/> unless its key exists; returns what is stored either way.</summary>
    Task<Notification> AddAsync(Notification notification, CancellationToken cancellationToken);

    Task<Notification?> GetAsync(string tenantId, string key, CancellationToken cancellationToken);

    /// <summary>Replaces the stored row the caller read (status, attempts, provider id, detail) if it is still the
    /// version read (<see cref="Notification.Version"/>), so two attempts can never both claim one; returns it at its
    /// new version. Throws <see cref="NotificationConflictException"/> when another writer came first.</summary>
    Task<Notification> UpdateAsync(Notification notification, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Notification>> ListAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>Identifies one appointment in storage: its id and when it is (the calendar is partitioned by local day).</summary>
public sealed record AppointmentKey(string TenantId, string Id, DateOnly Date, DateTimeOffset Start);

/// <summary>
/// What the call core tells the after-call workflows (docs/workflows.md). Every call is idempotent — starting what was
/// started is a no-op — so a retried turn may call it again. It returns once the work is durably recorded (not done).
/// </summary>
public interface IWorkflows
{
    /// <summary>An appointment was booked: confirmation now, reminder before it.</summary>
    Task BookedAsync(AppointmentKey appointment, CancellationToken cancellationToken);

    /// <summary>An appointment was moved: the old one's reminder stops; the new one gets a confirmation and its reminder.</summary>
    Task MovedAsync(AppointmentKey from, AppointmentKey to, CancellationToken cancellationToken);

    /// <summary>An appointment was cancelled: its reminder stops and the caller gets a confirmation of the cancel.</summary>
    Task CancelledAsync(AppointmentKey appointment, CancellationToken cancellationToken);

    /// <summary>A caller left a message: the owner is told (urgent ones at once).</summary>
    Task MessageTakenAsync(string tenantId, string messageId, CancellationToken cancellationToken);

    /// <summary>The carrier says the call ended: its summary and cost are worked out and stored.</summary>
    Task CallEndedAsync(string tenantId, string callId, CancellationToken cancellationToken);
}
