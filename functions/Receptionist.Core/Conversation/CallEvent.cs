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

/// <summary>The outcome of <see cref="ReserveSlot"/> or <see cref="MoveAppointment"/>: whether the new slot's locks were inserted.</summary>
public sealed record ReservationResult(bool Reserved, string? AppointmentId) : CallEvent;

/// <summary>The outcome of <see cref="CancelAppointment"/>.</summary>
public sealed record CancelResult(bool Cancelled) : CallEvent;

/// <summary>The outcome of <see cref="FindAppointments"/>: upcoming appointments, soonest first.</summary>
public sealed record AppointmentsFound(IReadOnlyList<AppointmentRef> Appointments) : CallEvent;

/// <summary>The outcome of <see cref="TransferCall"/>: whether a person answered.</summary>
public sealed record TransferResult(bool Connected) : CallEvent;

/// <summary>The caller hung up or the provider ended the call.</summary>
public sealed record CallEnded : CallEvent;
