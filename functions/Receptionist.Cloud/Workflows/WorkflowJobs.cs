using System.Globalization;
using Receptionist.Core.Notifications;

namespace Receptionist.Cloud.Workflows;

/// <summary>How hard one SMS is tried: attempts, and the doubling wait between them (seconds).</summary>
public sealed record SendPolicy(int MaxAttempts, double FirstRetrySeconds, double MaxRetrySeconds)
{
    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): first, 2×first, 4×first, … capped.</summary>
    public TimeSpan After(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetrySeconds, FirstRetrySeconds * Math.Pow(2, Math.Max(0, attempt - 1))));
}

/// <summary>
/// What a workflow is about. Inputs carry ids only (the framework keeps them in its history): numbers, names and words
/// are read by the activities from the app's own tables.
/// </summary>
/// <param name="Kind">A <see cref="NotificationKinds"/> value: booked / moved (an appointment workflow), cancelled /
/// owner-message (one notification).</param>
/// <param name="Date">The appointment's local day, yyyy-MM-dd (empty for a message).</param>
public sealed record WorkflowJob(string Kind, string TenantId, string RelatedId, string Date, DateTime StartUtc, SendPolicy Policy)
{
    /// <summary>A wait before the work starts (the call's report).</summary>
    public double DelaySeconds { get; init; }

    /// <summary>An owner batch: when its window closes (<see cref="StartUtc"/> is when it opened).</summary>
    public DateTime WindowEndUtc { get; init; }

    /// <summary>The owner batch of the window <paramref name="start"/>–<paramref name="end"/>: about "batch-{start}".</summary>
    public static WorkflowJob OwnerBatch(string tenantId, DateTimeOffset start, DateTimeOffset end, SendPolicy policy) =>
        new(NotificationKinds.OwnerBatch, tenantId, NotificationKeys.BatchId(start), string.Empty, start.UtcDateTime, policy) { WindowEndUtc = end.UtcDateTime };

    public static WorkflowJob For(string kind, AppointmentKey a, SendPolicy policy) =>
        new(kind, a.TenantId, a.Id, a.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), a.Start.UtcDateTime, policy);

    public AppointmentKey Appointment() =>
        new(TenantId, RelatedId, DateOnly.ParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture), new DateTimeOffset(DateTime.SpecifyKind(StartUtc, DateTimeKind.Utc)));

    /// <summary>The key of this job's notification of <paramref name="kind"/>: what it is about, then what it says.</summary>
    public string Key(string kind) => NotificationKeys.For(RelatedId, kind);
}

/// <summary>Notification keys and workflow instance ids, derived from what they are about so a second start is a no-op.</summary>
public static class NotificationKeys
{
    public static string For(string relatedId, string kind) => $"{relatedId}.{kind}";

    /// <summary>The one workflow of an appointment (confirmation, then its reminder).</summary>
    public static string AppointmentInstance(string tenantId, string appointmentId) => $"appointment:{tenantId}:{appointmentId}";

    /// <summary>A call's after-call work (summary, cost).</summary>
    public static string CallInstance(string callId) => $"call:{callId}";

    /// <summary>What an owner batch is about: its window's start, to the minute in UTC ("batch-20261123T2330Z").</summary>
    public static string BatchId(DateTimeOffset windowStart) =>
        "batch-" + windowStart.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);

    /// <summary>The one batch workflow of a tenant's window: every message of the window starts it, once.</summary>
    public static string OwnerBatchInstance(string tenantId, DateTimeOffset windowStart) => $"owner-batch:{tenantId}:{BatchId(windowStart)[6..]}";

    /// <summary>A single notification's workflow (a cancel's confirmation, an owner's message alert).</summary>
    public static string NotificationInstance(string tenantId, string relatedId, string kind) => $"notification:{tenantId}:{relatedId}:{kind}";
}

/// <summary>The result of planning a notification: its key when there is one to send, and for an appointment, how long
/// from now (the app's clock) its reminder is due.</summary>
public sealed record PlanResult(string? Key, double? ReminderInSeconds, string? ReminderKey)
{
    /// <summary>When the reminder is due on the app's clock (what <see cref="ReminderInSeconds"/> counts down to).</summary>
    public DateTimeOffset? ReminderAt { get; init; }

    /// <summary>What the first attempt at <see cref="Key"/> came to (the plan makes it): a final status, or "retry".</summary>
    public string? FirstAttempt { get; init; }

    /// <summary>The first attempt stood back: another attempt holds the notification this many seconds more.</summary>
    public double? FirstHeldForSeconds { get; init; }

    /// <summary>Not yet (an owner batch whose window has not closed on the app's clock): look again in this many seconds.</summary>
    public double? WaitSeconds { get; init; }
}

/// <summary>One attempt at a planned notification.</summary>
public sealed record SendRequest(string TenantId, string Key, int Attempt)
{
    /// <summary>What the notification is about: an appointment's texts are sent only while it is booked.</summary>
    public WorkflowJob? Job { get; init; }
}

/// <summary>What an attempt came to: a <see cref="NotificationStatus"/> when it is final, or "retry".</summary>
public sealed record SendOutcome(string Status)
{
    public const string Retry = "retry";

    /// <summary>Another attempt holds the notification for this many seconds more: look again then, without counting
    /// this as an attempt.</summary>
    public double? HeldForSeconds { get; init; }
}

/// <summary>Stops a scheduled notification (a reminder whose appointment moved or was cancelled).</summary>
public sealed record StopRequest(string TenantId, string Key, string Reason);
