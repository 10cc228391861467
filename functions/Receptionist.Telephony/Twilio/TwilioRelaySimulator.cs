using Receptionist.Telephony.Twilio.Relay;

namespace Receptionist.Telephony.Twilio;

/// <summary>
/// Plays Twilio's side of a ConversationRelay call against the app (docs/protocols.md §4). The call starts like a gather
/// call (signed form POST to /twilio/voice) and any TwiML is followed as <see cref="TwilioCallSimulator"/> follows it;
/// on &lt;Connect&gt;&lt;ConversationRelay&gt; the welcomeGreeting is the agent's first turn and a WebSocket is opened
/// to its url with X-Twilio-Signature (over that url, no parameters): setup, then each caller line as a prompt (text),
/// one dtmf message per digit ("#123"), nothing (""), or a normal close and the status callback (null: hang-up). The
/// app's text messages are the agent's turns, up to one with last:true; its end message (or its closing the socket)
/// ends the session and Twilio requests the &lt;Connect action&gt; with SessionStatus, SessionDuration and
/// HandoffData, whose TwiML is followed (a &lt;Dial&gt;, a new ConversationRelay with a new session, a hang-up).
/// </summary>
/// <remarks>
/// Agent speech "plays" for <see cref="PlaybackMillisecondsPerCharacter"/> per character: a caller line that is
/// ready while interruptible text still plays sends an interrupt message first (what was spoken so far and for how
/// long); text that may not be interrupted is heard out before the line is sent. A malformed message from the app
/// (not JSON, a text without a token, …), more than <see cref="MaxWebSocketMessages"/> messages or
/// 200 HTTP requests, or waiting longer than <see cref="ReceiveTimeout"/> throws
/// <see cref="InvalidOperationException"/>; a non-2xx answer <see cref="HttpRequestException"/>, a refused upgrade
/// <see cref="System.Net.WebSockets.WebSocketException"/>, each naming the path and status.
/// </remarks>
public sealed class TwilioRelaySimulator(HttpClient http, Uri baseUrl, string authToken, string accountSid) : ICallSimulator
{
    /// <summary>WebSocket messages a call may send and receive in all (setup, prompts, digits, interrupts, the app's).</summary>
    public const int MaxWebSocketMessages = 500;

    private int _playback;
    private TimeSpan _receiveTimeout = TimeSpan.FromSeconds(15);
    private TimeSpan _replyDelay = TimeSpan.FromMilliseconds(10);

    public event Action<SimulatedTurn>? TurnAdded;

    /// <summary>What a transfer (&lt;Dial action&gt;) reports back as DialCallStatus: "completed" (a person answered),
    /// or "no-answer", "busy", "failed" to play a failed transfer.</summary>
    public string DialStatus { get; set; } = "completed";

    /// <summary>How long each character of the agent's text takes to say: 0 (default) plays everything instantly, so
    /// scripted calls never interrupt; about 60 is a person listening on the phone.</summary>
    public int PlaybackMillisecondsPerCharacter
    {
        get => _playback;
        set => _playback = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be 0 or more");
    }

    /// <summary>The longest wait for anything from the app (a reply, the upgrade, the closing handshake).</summary>
    public TimeSpan ReceiveTimeout
    {
        get => _receiveTimeout;
        set => _receiveTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
    }

    /// <summary>How long after the agent's last token the caller starts to say their next line (or hangs up): what the
    /// app sends right after its last token (an end, more text) is heard first, as on a real call.</summary>
    public TimeSpan ReplyDelay
    {
        get => _replyDelay;
        set => _replyDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be 0 or more");
    }

    public Task<SimulatedCall> RunAsync(string to, string from, ICallerLines caller, CancellationToken cancellationToken)
    {
        var call = new SimulatedTwilioCall(http, baseUrl, authToken, accountSid, to, from, caller, DialStatus, t => TurnAdded?.Invoke(t));
        var options = new RelayOptions(PlaybackMillisecondsPerCharacter, ReceiveTimeout, ReplyDelay);
        var budget = new MessageBudget(MaxWebSocketMessages);
        return call.RunAsync((connect, url, ct) => RelaySession.RunAsync(call, connect, url, options, budget, ct), cancellationToken);
    }
}
