using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>What the receptionist does next; channel adapters render these (TwiML, ACS actions, media frames).</summary>
public abstract record CallAction;

public sealed record Say(string Text) : CallAction;

/// <summary>Listen for the caller's answer (speech or keypad). Hints help the recogniser.</summary>
public sealed record Listen(Expecting Expecting, IReadOnlyList<string> Hints) : CallAction;

public sealed record Hangup : CallAction;

public sealed record TransferCall(string Number) : CallAction;

/// <summary>Reserve the slot and store the appointment; the orchestrator answers with a <see cref="ReservationResult"/>.</summary>
public sealed record ReserveSlot(BookingRequest Booking) : CallAction;

/// <summary>A confirmed booking request. <see cref="Start"/> carries the tenant's UTC offset at that moment.</summary>
public sealed record BookingRequest(
    string TenantId,
    string CallId,
    string Service,
    int Minutes,
    DateOnly Date,
    TimeOnly Time,
    DateTimeOffset Start,
    string Name,
    string? Phone);

public sealed record Decision(CallSession Session, IReadOnlyList<CallAction> Actions);
