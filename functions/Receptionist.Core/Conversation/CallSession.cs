using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

public enum ConversationState
{
    Greeting,
    CollectService,
    CollectDate,
    CollectTime,
    CollectName,
    CollectCallback,
    ConfirmCallback,
    Confirm,
    Booking,
    AnythingElse,
    MessageName,
    MessageBody,
    ConfirmMessage,
    FindAppointment,
    ChooseAppointment,
    VerifyNumber,
    ConfirmCancel,
    OfferMessage,
    Transferring,
    Ended,
}

/// <summary>What the caller is trying to get done; decides which read-back and which side effect a "yes" leads to.</summary>
public enum CallTask
{
    None,
    Book,
    Reschedule,
    Cancel,
    Message,
}

public enum CallOutcome
{
    InProgress,
    Booked,
    Rescheduled,
    Cancelled,
    MessageTaken,
    Answered,
    Completed,
    Transferred,
    Abandoned,
    Rejected,
    Failed,
}

/// <summary>What the caller has told us so far towards a booking (or the new slot of a reschedule).</summary>
public sealed record BookingDraft(
    string? Service = null,
    int? Minutes = null,
    DateOnly? Date = null,
    TimeOnly? Time = null,
    string? Name = null,
    TimePreference Preference = TimePreference.None,
    IReadOnlyList<TimeOnly>? Offered = null)
{
    public static BookingDraft Empty { get; } = new();
}

/// <summary>What the caller said about the appointment when asking to move or cancel it: <see cref="Service"/>,
/// <see cref="Date"/> and <see cref="Time"/> pick the appointment ("cancel my cleaning on Friday"); for a move, the
/// New* fields are the day and time it should move to ("move my haircut to Friday at 11").</summary>
public sealed record ChangeRequest(
    string? Service = null,
    DateOnly? Date = null,
    SpokenTime? Time = null,
    DateOnly? NewDate = null,
    SpokenTime? NewTime = null,
    TimePreference NewPreference = TimePreference.None)
{
    /// <summary>"Same time": the new slot keeps the appointment's time (on another day).</summary>
    public bool KeepsTime { get; init; }

    public bool IsEmpty => Service is null && Date is null && Time is null && !HasNewSlot;

    public bool HasNewSlot => NewDate is not null || NewTime is not null || NewPreference != TimePreference.None;
}

/// <summary>A message for the business, being taken.</summary>
public sealed record MessageDraft(string? Name = null, string? Text = null, bool Urgent = false)
{
    public static MessageDraft Empty { get; } = new();
}

/// <summary>An existing appointment as the conversation sees it: enough to read it back and to change it.</summary>
/// <param name="Phone">The number the appointment was booked with (null: none on file). Only compared with the caller
/// ID or with the last four digits a caller says; never spoken.</param>
public sealed record AppointmentRef(string Id, string Service, int Minutes, DateOnly Date, TimeOnly Time, string Name, DateTimeOffset Start, string? Phone = null);

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
    public CallTask Task { get; init; } = CallTask.None;

    /// <summary>The number to call back: caller ID when given (confirmed by the network), else what the caller said.</summary>
    public string? Callback { get; init; } = CallerNumber;

    /// <summary>Whether the caller confirmed <see cref="Callback"/> (always true for caller ID).</summary>
    public bool CallbackConfirmed { get; init; } = CallerNumber is not null;

    public MessageDraft Message { get; init; } = MessageDraft.Empty;

    /// <summary>What the caller said their trouble is — an emergency described, a question we could not answer — in
    /// their words: if they then answer "what's the message?" with a bare "yes" (they think they told us already), it
    /// is the message, read back for them to confirm. Cleared once a message is taken.</summary>
    public string? Concern { get; init; }

    /// <summary>The name the caller introduced themselves with, in whatever turn ("Hi, this is Abdullah Rahimi, can I
    /// speak with someone?"): a booking or a message that needs a name takes it instead of asking again (the read-back
    /// shows it, for the caller to correct).</summary>
    public string? CallerName { get; init; }

    /// <summary>A service the caller asked a question about ("how much are headshots?"): a booking that follows and names
    /// no service is for it.</summary>
    public string? ServiceAskedAbout { get; init; }

    /// <summary>The appointment being moved or cancelled.</summary>
    public AppointmentRef? Target { get; init; }

    /// <summary>What the caller said about the appointment to move or cancel, until it is used.</summary>
    public ChangeRequest? Asked { get; init; }

    /// <summary>Appointments found for the caller, while they choose one.</summary>
    public IReadOnlyList<AppointmentRef> Found { get; init; } = [];

    /// <summary>How many lookups were made this call (by caller ID, then by name): the lookup's retry budget.</summary>
    public int Lookups { get; init; }

    /// <summary>How many of <see cref="Lookups"/> were by a name the caller gave (at most
    /// <see cref="ConversationEngine.MaxNameLookups"/> a call).</summary>
    public int NameLookups { get; init; }

    /// <summary>Appointments a name lookup found that are not on the caller ID: held back, unspoken, while the caller
    /// proves the number on file (<see cref="ConversationState.VerifyNumber"/>).</summary>
    public IReadOnlyList<AppointmentRef> Pending { get; init; } = [];

    /// <summary>Wrong answers to "the last four digits of the number on the booking" this call (never reset).</summary>
    public int VerifyTries { get; init; }

    /// <summary>Numbers on file the caller proved this call (by their last four digits); their appointments need no
    /// second check.</summary>
    public IReadOnlyList<string> VerifiedPhones { get; init; } = [];

    /// <summary>Messages taken on this call (a message id is derived from it, so a retried turn stores it once).</summary>
    public int MessagesTaken { get; init; }

    public bool Ended => State == ConversationState.Ended;
}
