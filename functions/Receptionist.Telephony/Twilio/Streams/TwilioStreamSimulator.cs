using System.Collections.Concurrent;
using Receptionist.Telephony.Speech.Simulation;

namespace Receptionist.Telephony.Twilio.Streams;

/// <summary>
/// Plays Twilio's side of a bidirectional Media Streams call (&lt;Connect&gt;&lt;Stream&gt;) against the app, with real
/// audio. The call starts like every Twilio call (signed form POST to /twilio/voice) and TwiML is followed as
/// <see cref="TwilioCallSimulator"/> follows it; on &lt;Connect&gt;&lt;Stream url&gt; a WebSocket is opened to the url
/// with X-Twilio-Signature (over that url, no parameters), connected and start are sent (the &lt;Parameter&gt;s as
/// customParameters), and then, like a phone line, a 160-byte μ-law media frame every 20 ms in real time: silence, or
/// the caller's line spoken by espeak-ng. Each line is first scripted on the <see cref="SpeechStandIn"/> (the app's
/// recognition of that audio returns it); "#123" is sent as dtmf messages 100 ms apart, "" is silence (the app
/// re-prompts), null hangs up (stop, a normal close, the status callback). The app's media is played in real time
/// (8,000 bytes a second, queued), its marks echoed when playback reaches them, its clear drops what is queued and
/// echoes every pending mark. The agent's words in the transcript are what the stand-in synthesised for this stream.
/// When the app closes the socket the &lt;Connect action&gt; is requested and its TwiML followed.
/// </summary>
/// <remarks>
/// The caller speaks once the agent's audio has played out and nothing new came for <see cref="ReplyDelay"/> (the first
/// line after the greeting), or, with <see cref="BargeIn"/>, 1 s into the agent's prompt; with no line left it hangs
/// up 1.5 s after that (the app, ending the call, closes first). When the app ends the turn at a pause inside a line
/// and answers over the rest of it, that answer is the reply. A malformed message from the
/// app, a close other than a normal one, more than <see cref="MaxReceivedMessages"/> messages or a message over 1 MiB,
/// or waiting longer than <see cref="ReceiveTimeout"/> throws <see cref="InvalidOperationException"/> naming what was
/// wrong or awaited; a non-2xx answer <see cref="HttpRequestException"/>, a refused upgrade
/// <see cref="System.Net.WebSockets.WebSocketException"/>.
/// </remarks>
public sealed class TwilioStreamSimulator(HttpClient http, Uri baseUrl, string authToken, string accountSid, SpeechStandIn speech) : ICallSimulator
{
    /// <summary>WebSocket messages the app may send on one call's streams in all (20 ms of audio each would be 6.7 minutes).</summary>
    public const int MaxReceivedMessages = 20_000;

    private readonly ConcurrentQueue<StreamTurnTiming> _timings = new();
    private TimeSpan _receiveTimeout = TimeSpan.FromSeconds(15);
    private TimeSpan _replyDelay = TimeSpan.FromMilliseconds(400);
    private string? _playProblem;

    public event Action<SimulatedTurn>? TurnAdded;

    /// <summary>What a transfer (&lt;Dial action&gt;) reports back as DialCallStatus: "completed" (a person answered),
    /// or "no-answer", "busy", "failed" to play a failed transfer.</summary>
    public string DialStatus { get; set; } = "completed";

    /// <summary>The longest wait for the agent's words (the greeting, a reply, a re-prompt), the upgrade or the closing handshake.</summary>
    public TimeSpan ReceiveTimeout
    {
        get => _receiveTimeout;
        set => _receiveTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
    }

    /// <summary>How long after the agent's audio has played out (and nothing more came) the caller says their next line.</summary>
    public TimeSpan ReplyDelay
    {
        get => _replyDelay;
        set => _replyDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be 0 or more");
    }

    /// <summary>The caller speaks (or presses keys) 1 s into each of the agent's prompts instead of after it: the app
    /// should stop its audio (clear).</summary>
    public bool BargeIn { get; set; }

    /// <summary>Plays the agent's audio on this machine's speaker with aplay, when there is one (see <see cref="PlayProblem"/>).</summary>
    public bool Play { get; set; }

    /// <summary>The caller's language, for espeak-ng's voice.</summary>
    public string Language { get; set; } = "en-US";

    /// <summary>Why <see cref="Play"/> played nothing (aplay missing, or it failed), if it did not.</summary>
    public string? PlayProblem => _playProblem;

    /// <summary>Whether <see cref="Play"/> can work here: aplay is on the PATH.</summary>
    public static bool CanPlay => Speaker.IsAvailable;

    /// <summary>Each spoken caller line's timings, of every call this simulator ran, in the order the turns finished.</summary>
    public IReadOnlyList<StreamTurnTiming> Timings => [.. _timings];

    public Task<SimulatedCall> RunAsync(string to, string from, ICallerLines caller, CancellationToken cancellationToken)
    {
        var call = new SimulatedTwilioCall(http, baseUrl, authToken, accountSid, to, from, caller, DialStatus, t => TurnAdded?.Invoke(t));
        var options = new StreamOptions(ReceiveTimeout, ReplyDelay, BargeIn, Play, Language);
        var budget = new ReceiveBudget(MaxReceivedMessages);
        return call.RunAsync(
            (connect, url, ct) => StreamSession.RunAsync(call, connect, url, options, budget, speech, _timings.Enqueue, p => _playProblem = p, ct),
            cancellationToken);
    }
}

/// <summary>One spoken caller line's timings, in milliseconds from the end of its audio (the last audible 20 ms frame
/// sent); null where it did not happen.</summary>
/// <param name="SpeechMilliseconds">How long the caller's audio was (espeak-ng's, with its own short pauses).</param>
/// <param name="EndOfTurnMilliseconds">The app detected the end of the turn: the speech stand-in had the last byte of
/// its recognition upload (the app finishes the upload at the end of the turn).</param>
/// <param name="TranscriptMilliseconds">The transcript was ready: the stand-in answered.</param>
/// <param name="FirstAudioMilliseconds">The agent's first audio frame after the app's end of turn: negative when the app
/// ended the turn at a pause inside the line ("No, thanks." at the comma) and answered over the rest of it.</param>
public sealed record StreamTurnTiming(string CallSid, string StreamSid, string CallerLine, int SpeechMilliseconds,
    double? EndOfTurnMilliseconds, double? TranscriptMilliseconds, double? FirstAudioMilliseconds);
