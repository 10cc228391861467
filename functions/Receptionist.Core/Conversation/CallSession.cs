namespace Receptionist.Core.Conversation;

public enum ConversationState
{
    Greeting,
    CollectService,
    CollectDate,
    CollectTime,
    CollectName,
    CollectCallback,
    Confirm,
    Booking,
    AnythingElse,
    Ended,
}

public enum CallOutcome
{
    InProgress,
    Booked,
    Completed,
    Transferred,
    Abandoned,
    Rejected,
    Failed,
}

/// <summary>What the caller has told us so far towards a booking.</summary>
public sealed record BookingDraft(
    string? Service = null,
    int? Minutes = null,
    DateOnly? Date = null,
    TimeOnly? Time = null,
    string? Name = null,
    string? Phone = null)
{
    public static BookingDraft Empty { get; } = new();
}

/// <summary>One call's conversation state; immutable, persisted between turns (never kept in memory).</summary>
public sealed record CallSession(
    string CallId,
    string TenantId,
    string? CallerNumber,
    string DialledNumber,
    DateTimeOffset StartedAt,
    ConversationState State,
    BookingDraft Draft,
    int Misses = 0,
    int Silences = 0,
    CallOutcome Outcome = CallOutcome.InProgress,
    string? AppointmentId = null)
{
    public bool Ended => State == ConversationState.Ended;
}
