using Receptionist.Core.Understanding;

namespace Receptionist.Core.Conversation;

/// <summary>Something that happened on the call, already authenticated and parsed by a channel adapter.</summary>
public abstract record CallEvent;

/// <summary>The caller said something; <paramref name="Meaning"/> is what the understanding made of it.</summary>
public sealed record Heard(string Text, double? Confidence, Understood Meaning) : CallEvent;

/// <summary>Keypad digits (DTMF).</summary>
public sealed record KeypadPressed(string Digits) : CallEvent;

/// <summary>The caller said nothing before the listen timed out (the carrier timed it, as &lt;Gather&gt; does).</summary>
public sealed record NoInput : CallEvent;

/// <summary>The caller said nothing for a while after we finished speaking; raised by our own timer on channels whose
/// carrier does not time a listen (ConversationRelay, media streams). The engine treats it as <see cref="NoInput"/>.</summary>
public sealed record Silence : CallEvent;

/// <summary>The channel finished playing what we said (media streams report it; others may not).</summary>
public sealed record PlaybackFinished : CallEvent;

/// <summary>How long one turn of a streamed call took, in milliseconds after the caller stopped speaking: the end of
/// the turn detected, the transcript back, the decision made, the answer's first audio frame sent — and, of that last
/// stretch, how long the speech service took to its first byte (<paramref name="Synthesis"/>: its time, not ours).
/// Recorded with the call's history (kind "latency"); the engine does nothing with it.</summary>
public sealed record TurnTimed(int Utterance, int EndOfTurn, int Transcript, int Decision, int FirstAudio, int Synthesis = 0) : CallEvent
{
    /// <summary>The history line's text: "endOfTurn=246 transcript=310 decision=330 firstAudio=420 synthesis=60".</summary>
    public string Line => FormattableString.Invariant($"endOfTurn={EndOfTurn} transcript={Transcript} decision={Decision} firstAudio={FirstAudio} synthesis={Synthesis}");

    /// <summary>Reads <see cref="Line"/> back; null when it is not one.</summary>
    public static IReadOnlyDictionary<string, int>? Parse(string line)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !int.TryParse(part[(eq + 1)..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms))
            {
                return null;
            }

            values[part[..eq]] = ms;
        }

        return values.Count == 0 ? null : values;
    }
}

/// <summary>The caller spoke over what we were saying and playback stopped; <paramref name="HeardSoFar"/> is what the
/// caller heard of it. What the caller said arrives as its own <see cref="Heard"/>.</summary>
public sealed record CallerInterrupted(string HeardSoFar) : CallEvent;

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
