using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>Something that happened on the call, already authenticated and parsed by a channel adapter.</summary>
public abstract record CallEvent;

/// <summary>The caller said something; <paramref name="Meaning"/> is what the understanding made of it.</summary>
public sealed record Heard(string Text, double? Confidence, Understood Meaning) : CallEvent;

/// <summary>Keypad digits (DTMF).</summary>
public sealed record KeypadPressed(string Digits) : CallEvent;

/// <summary>The caller said nothing before the listen timed out.</summary>
public sealed record NoInput : CallEvent;

/// <summary>The outcome of a <see cref="ReserveSlot"/> action: whether the slot's lock was inserted.</summary>
public sealed record ReservationResult(bool Reserved, string? AppointmentId) : CallEvent;

/// <summary>The caller hung up or the provider ended the call.</summary>
public sealed record CallEnded : CallEvent;
