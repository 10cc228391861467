using System.Text.Json.Serialization;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>What the receptionist does next; channel adapters render these (TwiML, ACS actions, media frames).
/// Actions marked as side effects are run by the orchestrator, which feeds their outcome back as an event.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$action")]
[JsonDerivedType(typeof(Say), "say")]
[JsonDerivedType(typeof(Listen), "listen")]
[JsonDerivedType(typeof(Hangup), "hangup")]
[JsonDerivedType(typeof(TransferCall), "transfer")]
public abstract record CallAction;

/// <summary>Whether the caller may cut a prompt off by speaking over it.</summary>
public enum BargeIn
{
    /// <summary>Any speech stops playback (greetings, questions).</summary>
    Any,

    /// <summary>Only real speech stops it — not a short "uh-huh" or "okay" (read-backs, booking confirmations).</summary>
    RealSpeech,
}

/// <param name="BargeIn">Whether speech over it stops it (<see cref="ConversationEngine"/> sets it in one place).</param>
public sealed record Say(string Text, BargeIn BargeIn = BargeIn.Any) : CallAction
{
    /// <summary>Whether speech may cut off prompts played together. Carriers cannot tell a backchannel ("uh-huh") from
    /// real speech, so when one of them must not be cut off by it, only keys may cut them.</summary>
    public static bool SpeechMayInterrupt(IEnumerable<Say> says) => says.All(s => s.BargeIn == BargeIn.Any);
}

/// <summary>Listen for the caller's answer (speech or keypad). Hints help the recogniser. <paramref name="Keys"/>: what
/// keys mean here, for channels that must say up front how many to collect (ACS).</summary>
public sealed record Listen(Expecting Expecting, IReadOnlyList<string> Hints, KeyEntry Keys = KeyEntry.One) : CallAction;

/// <summary>How the caller answers with the keypad in a state.</summary>
public enum KeyEntry
{
    /// <summary>One key is a choice (1 = yes, 2 = no, 0 = a person, n = the n-th option).</summary>
    One,

    /// <summary>A whole number, ended with # (a callback number, the last four digits; at a callback read-back, a corrected number).</summary>
    Number,
}

public sealed record Hangup : CallAction;

/// <summary>Put the caller through to a person; the channel reports back with <see cref="TransferResult"/>.</summary>
public sealed record TransferCall(string Number) : CallAction;

/// <summary>Side effect: reserve the slot and store the appointment; answered with a <see cref="ReservationResult"/>.</summary>
public sealed record ReserveSlot(BookingRequest Booking) : CallAction;

/// <summary>Side effect: reserve the new slot, then release the old one; answered with a <see cref="ReservationResult"/>.</summary>
public sealed record MoveAppointment(AppointmentRef From, BookingRequest To) : CallAction;

/// <summary>Side effect: cancel the appointment and release its slot; answered with <see cref="CancelResult"/>.</summary>
public sealed record CancelAppointment(AppointmentRef Appointment, string CallId) : CallAction;

/// <summary>Side effect: look up the caller's upcoming appointments; answered with <see cref="AppointmentsFound"/>.</summary>
public sealed record FindAppointments(string? Phone, string? Name) : CallAction;

/// <summary>Side effect: store the message and alert the owner (no answer needed).</summary>
public sealed record SaveMessage(MessageRequest Message) : CallAction;

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

/// <summary>A message the caller confirmed. <see cref="Id"/> is stable for the call, so a retried turn stores it once.</summary>
public sealed record MessageRequest(string TenantId, string CallId, string Id, string Name, string? Phone, string Text, bool Urgent);

public sealed record Decision(CallSession Session, IReadOnlyList<CallAction> Actions);
