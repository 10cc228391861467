using Receptionist.Telephony.Speech.Simulation;
using Receptionist.Telephony.Twilio.Streams;

namespace Receptionist.Telephony.Twilio;

/// <summary>Plays Twilio's side of one call against the app, in one voice mode (gather webhooks, ConversationRelay or
/// Media Streams).</summary>
public interface ICallSimulator
{
    /// <summary>Each line of the transcript as it happens.</summary>
    event Action<SimulatedTurn>? TurnAdded;

    /// <summary>How a transfer goes: "completed" (a person answered), "no-answer", "busy" or "failed".</summary>
    string DialStatus { get; set; }

    Task<SimulatedCall> RunAsync(string to, string from, ICallerLines caller, CancellationToken cancellationToken);
}

/// <summary>The simulators by voice mode name.</summary>
public static class CallSimulators
{
    public static IReadOnlyList<string> Modes { get; } = ["gather", "relay", "stream"];

    /// <summary>The simulator for <paramref name="mode"/>; "stream" needs the loopback speech stand-in the app
    /// recognises and synthesises with (the overload that takes it).</summary>
    public static ICallSimulator Create(string mode, HttpClient http, Uri baseUrl, string authToken, string accountSid) =>
        Create(mode, http, baseUrl, authToken, accountSid, speech: null);

    public static ICallSimulator Create(string mode, HttpClient http, Uri baseUrl, string authToken, string accountSid, SpeechStandIn? speech) => mode switch
    {
        "gather" => new TwilioCallSimulator(http, baseUrl, authToken, accountSid),
        "relay" => new TwilioRelaySimulator(http, baseUrl, authToken, accountSid),
        "stream" => new TwilioStreamSimulator(http, baseUrl, authToken, accountSid,
            speech ?? throw new ArgumentNullException(nameof(speech), "stream mode needs the SpeechStandIn the app's Speech:Endpoint points at")),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"not one of {string.Join(", ", Modes)}"),
    };
}

/// <summary>A caller who pauses before each answer, as on a live call (the bench's <c>--think</c>); the pause is not
/// part of the measured response times.</summary>
public sealed class ThinkingCaller(ICallerLines inner, TimeSpan pause, TimeProvider clock) : ICallerLines
{
    public async ValueTask<string?> NextAsync(CancellationToken cancellationToken)
    {
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause, clock, cancellationToken);
        }

        return await inner.NextAsync(cancellationToken);
    }
}
