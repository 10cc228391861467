using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Receptionist.Calls;
using Receptionist.Core.Conversation;
using Receptionist.Core.Phone;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using Receptionist.Host.Configuration;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Host.Twilio;

/// <summary>
/// <c>GET /twilio/relay</c>: Twilio ConversationRelay's WebSocket. The upgrade must carry a valid X-Twilio-Signature
/// over the WebSocket URL (403 before upgrading otherwise); the session binds to the call <c>/twilio/voice</c> started.
/// </summary>
public static class TwilioRelayEndpoint
{
    public static async Task<IResult> Connect(HttpContext http, CallCore calls, IOptionsMonitor<TwilioOptions> twilio, IOptions<ReceptionistOptions> app,
        IOptions<CallsOptions> budget, TimeProvider clock, ILogger<RelaySession> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem("Expected a WebSocket upgrade (Twilio ConversationRelay).", statusCode: StatusCodes.Status400BadRequest);
        }

        var url = PublicUrls.WebSocket(http.Request, app.Value.PublicBaseUrl, http.Request.Path) + http.Request.QueryString;
        if (!TwilioSignature.IsValidUpgrade(twilio.CurrentValue.AuthToken, url, http.Request.Headers[TwilioSignature.Header]))
        {
            logger.LogWarning("Rejected ConversationRelay upgrade: missing or invalid signature");
            return TypedResults.Problem("Missing or invalid X-Twilio-Signature.", statusCode: StatusCodes.Status403Forbidden);
        }

        // The signed URL names the call (TwiML puts ?call= in it), so a session can only bind to the call it was made for.
        var callSid = http.Request.Query["call"].ToString();
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var timings = new RelayTimings(TimeSpan.FromSeconds(twilio.CurrentValue.RelaySilenceSeconds),
            TimeSpan.FromMilliseconds(twilio.CurrentValue.RelaySpeechMillisecondsPerCharacter), budget.Value.TurnBudget);
        var session = new RelaySession(socket, calls, clock, callSid, timings, logger);
        await session.RunAsync(http.RequestAborted);
        return TypedResults.Empty;
    }
}

/// <summary>
/// One ConversationRelay session: Twilio's messages become call-core events (prompt → what the caller said, dtmf →
/// keys, interrupt → <see cref="CallerInterrupted"/>, our silence timer → <see cref="Silence"/>), handled one at a
/// time; each decision goes back as text tokens, or as <c>end</c> when it transfers or hangs up (the
/// &lt;Connect action&gt; then renders it). Nothing about the call is kept beyond this open socket.
/// </summary>
/// <param name="Silence">Caller silence after our words have played before "are you still there?".</param>
/// <param name="PerCharacter">How long Twilio takes to speak one character of our text.</param>
/// <param name="TurnBudget">How long one event may take before the caller hears "one moment" and it is tried once more.</param>
public sealed record RelayTimings(TimeSpan Silence, TimeSpan PerCharacter, TimeSpan TurnBudget);

public sealed class RelaySession(WebSocket socket, CallCore calls, TimeProvider clock, string signedCallSid, RelayTimings timings, ILogger<RelaySession> logger)
{
    /// <summary>How long Twilio has to send <c>setup</c> after the upgrade.</summary>
    public static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Keys typed for a phone number are collected until '#' or this pause.</summary>
    public static readonly TimeSpan DigitPause = TimeSpan.FromSeconds(3);

    /// <summary>Bounds on what a session buffers: one utterance in parts, keys typed, messages waiting.</summary>
    public const int MaxPromptCharacters = 4096;
    public const int MaxDigits = 20;
    private const int MaxQueued = 256;

    private readonly Channel<RelayInbound> _inbox = Channel.CreateBounded<RelayInbound>(new BoundedChannelOptions(MaxQueued) { SingleReader = true });
    private RelaySetup? _setup;
    private string _language = "en-US";
    private Expecting _expecting = Expecting.Anything;
    private string _pendingPrompt = string.Empty;
    private string _digits = string.Empty;
    private int _events;
    private int _generation;
    private ITimer? _timer;
    private bool _ended;
    private bool _listening;

    public async Task RunAsync(CancellationToken ct)
    {
        var receiving = ReceiveAsync(ct);
        Arm(SetupTimeout, g => new SetupTimedOut(g));
        try
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync(ct))
            {
                if (!await HandleAsync(message, ct))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the connection dropped: handled below
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never let a bug or an outage kill the call silently: apologise and hand back to the <Connect action>.
            logger.LogError(ex, "ConversationRelay session failed");
            await TryAsync(() => FailAsync(CancellationToken.None));
        }
        finally
        {
            _timer?.Dispose();
        }

        if (!_ended && _setup is not null)
        {
            // The socket went away under us (an abrupt drop): the call is over for the caller.
            await TryAsync(() => EndCallAsync(CancellationToken.None));
        }

        await receiving.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Reads frames into the inbox; malformed ones are logged and skipped, oversized ones close the socket.</summary>
    private async Task ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[ConversationRelayProtocol.MaxMessageBytes];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var (read, count) = await WebSocketMessages.ReadAsync(socket, buffer, ct);
                if (read == WebSocketRead.TooBig)
                {
                    logger.LogWarning("ConversationRelay frame over {Max} bytes; closing the socket", buffer.Length);
                    await _inbox.Writer.WriteAsync(new FrameTooBig(), ct); // only the processing loop sends
                    return;
                }

                if (read == WebSocketRead.Closed)
                {
                    break;
                }

                if (read == WebSocketRead.Binary)
                {
                    logger.LogWarning("Ignored a binary ConversationRelay frame");
                }
                else if (!ConversationRelayProtocol.TryParse(buffer.AsSpan(0, count), out var message, out var error))
                {
                    logger.LogWarning("Ignored a malformed ConversationRelay message: {Error}", error);
                }
                else
                {
                    await _inbox.Writer.WriteAsync(message, ct);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ChannelClosedException)
        {
            logger.LogDebug(ex, "ConversationRelay socket closed");
        }

        _inbox.Writer.TryWrite(new SocketClosed());
    }

    /// <summary>Handles one message; false when the session is over.</summary>
    private async Task<bool> HandleAsync(RelayInbound message, CancellationToken ct)
    {
        if (_setup is null)
        {
            return message switch
            {
                RelaySetup setup => await BindAsync(setup, ct),
                SetupTimedOut or SocketClosed => await CloseAsync(WebSocketCloseStatus.PolicyViolation, "no setup message", ct),
                _ => await CloseAsync(WebSocketCloseStatus.PolicyViolation, "the first message must be setup", ct),
            };
        }

        switch (message)
        {
            case RelayPrompt { Last: false } part when _pendingPrompt.Length + part.VoicePrompt.Length < MaxPromptCharacters:
                _pendingPrompt += part.VoicePrompt;
                return true;
            case RelayPrompt prompt:
                var text = (_pendingPrompt + prompt.VoicePrompt).Trim();
                _pendingPrompt = string.Empty;
                return text.Length == 0 || await DecideAsync(new CallerSaid(text, null), ct);
            case RelayDtmf dtmf:
                return await DigitAsync(dtmf.Digit, ct);
            case DigitsPaused paused when paused.Generation == _generation && _digits.Length > 0:
                return await DecideAsync(new KeypadPressed(TakeDigits()), ct);
            case RelayInterrupt interrupt:
                return await DecideAsync(new CallerInterrupted(interrupt.UtteranceUntilInterrupt), ct);
            case SilenceElapsed tick when tick.Generation == _generation:
                // The caller's words may already be waiting behind the timer: they win.
                return _inbox.Reader.TryPeek(out var waiting) && waiting is RelayPrompt or RelayDtmf || await DecideAsync(new Silence(), ct);
            case FrameTooBig:
                return await CloseAsync(WebSocketCloseStatus.MessageTooBig, "frame over 64 kB", ct);
            case RelayError error:
                logger.LogWarning("ConversationRelay reported an error: {Description}", error.Description);
                return true;
            case SocketClosed:
                if (!_ended)
                {
                    // Twilio closed the session without our asking: the caller hung up.
                    await TryAsync(() => EndCallAsync(CancellationToken.None));
                }

                return await CloseAsync(WebSocketCloseStatus.NormalClosure, "closed", ct);
            default:
                return true; // setup again, info, stale timers, unknown types
        }
    }

    /// <summary>Binds the session to the call <c>/twilio/voice</c> started for the dialled tenant; anything else closes
    /// the socket with a reason and stores nothing.</summary>
    private async Task<bool> BindAsync(RelaySetup setup, CancellationToken ct)
    {
        CallReply latest;
        try
        {
            latest = await calls.LatestAsync(setup.CallSid, ct);
        }
        catch (Exception ex) when (StorageTrouble.Is(ex))
        {
            logger.LogError(ex, "Could not load the call for a ConversationRelay setup");
            return await FailAsync(ct);
        }

        var reason = latest switch
        {
            _ when !string.Equals(setup.CallSid, signedCallSid, StringComparison.Ordinal) => "the session is not for this call",
            { Status: TurnStatus.UnknownCall } or { Record: null } or { Tenant: null } => "unknown call",
            { Record.Mode: var mode } when mode != VoiceModes.Name(VoiceMode.Relay) => "the call is not in relay mode",
            { Record.Session.Ended: true } => "the call has ended",
            _ when !PhoneNumber.TryNormalize(setup.To, out var to) || to != latest.Record!.Session.DialledNumber => "the number does not match the call",
            _ => null,
        };
        if (reason is not null)
        {
            logger.LogWarning("Refused a ConversationRelay session: {Reason}", reason);
            return await CloseAsync(WebSocketCloseStatus.PolicyViolation, reason, ct);
        }

        _setup = setup;
        _listening = true;
        _language = latest.Tenant!.Language;
        _expecting = latest.Actions.OfType<Listen>().LastOrDefault()?.Expecting ?? Expecting.Anything;
        ArmSilence(latest.Actions);
        return true;
    }

    private async Task<bool> DigitAsync(string digit, CancellationToken ct)
    {
        if (_expecting != Expecting.Phone)
        {
            return await DecideAsync(new KeypadPressed(digit), ct);
        }

        if (digit == "#")
        {
            return _digits.Length == 0 || await DecideAsync(new KeypadPressed(TakeDigits()), ct);
        }

        _digits += digit;
        if (_digits.Length >= MaxDigits)
        {
            return await DecideAsync(new KeypadPressed(TakeDigits()), ct);
        }

        Arm(DigitPause, g => new DigitsPaused(g));
        return true;
    }

    private string TakeDigits()
    {
        var digits = _digits;
        _digits = string.Empty;
        return digits;
    }

    /// <summary>One event through the call core and its decision back to Twilio.</summary>
    private async Task<bool> DecideAsync(CallEvent ev, CancellationToken ct)
    {
        _generation++; // any caller activity stops the pending silence or digit timer
        _timer?.Dispose();
        if (ev is not KeypadPressed)
        {
            _digits = string.Empty; // keys typed before something else was said are not part of a later number
        }

        CallReply reply;
        var eventId = TwilioEventIds.Relay(_setup!.SessionId, ++_events);
        // One trace per turn, as a webhook's: not one span under the socket's request that lasts the whole call.
        var socketSpan = Activity.Current;
        Activity.Current = null;
        using var span = ReceptionistTelemetry.Source.StartActivity("receptionist.relay.message", ActivityKind.Server, default(ActivityContext),
            links: socketSpan is null ? null : [new ActivityLink(socketSpan.Context)]);
        span?.SetTag(ReceptionistTelemetry.Tags.CallId, _setup.CallSid);
        span?.SetTag(ReceptionistTelemetry.Tags.Channel, "twilio");
        try
        {
            reply = await HandleWithinBudgetAsync(eventId, ev, ct);
        }
        catch (Exception ex) when (StorageTrouble.Is(ex) || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogError(ex, "Call handling failed in a relay session; apologising and ending");
            return await FailAsync(ct);
        }

        // A Duplicate here means our own retry found the first try saved: its answer was never sent, so send it now.
        if (reply.Status is TurnStatus.UnknownCall or TurnStatus.Ended || reply.Actions.Any(a => a is TransferCall or Hangup))
        {
            // The <Connect action> renders this decision (its prompts, then the transfer or the hang-up).
            return await EndAsync(Twiml.HandoffData(reply.Actions.Any(a => a is TransferCall) ? Twiml.HandoffReasons.Transfer : Twiml.HandoffReasons.Hangup), ct);
        }

        var says = reply.Actions.OfType<Say>().ToList();
        for (var i = 0; i < says.Count; i++)
        {
            var token = i < says.Count - 1 ? says[i].Text + " " : says[i].Text;
            await SendAsync(ConversationRelayProtocol.Text(token, i == says.Count - 1, says[i].BargeIn == BargeIn.Any, _language), ct);
        }

        if (reply.Actions.OfType<Listen>().LastOrDefault() is { } listen)
        {
            _expecting = listen.Expecting;
            ArmSilence(reply.Actions);
        }
        else if (_listening)
        {
            Arm(timings.Silence, g => new SilenceElapsed(g)); // e.g. an interruption with nothing said after it
        }

        return true;
    }

    /// <summary>One event through the call core within the turn budget; past it the caller hears "one moment" and the
    /// same event (same id, so nothing runs twice) is tried once more.</summary>
    private async Task<CallReply> HandleWithinBudgetAsync(string eventId, CallEvent ev, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var deadline = new CancellationTokenSource(timings.TurnBudget, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            try
            {
                return await calls.HandleAsync(_setup!.CallSid, eventId, ev, linked.Token);
            }
            catch (OperationCanceledException) when (attempt == 1 && deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Relay turn took longer than {Budget}; holding and retrying once", timings.TurnBudget);
                await SendAsync(ConversationRelayProtocol.Text(SystemPhrases.OneMoment + " ", false, false, _language), ct);
            }
        }
    }

    /// <summary>Storage is down: a spoken apology, then the end of the session (the action hangs up).</summary>
    private async Task<bool> FailAsync(CancellationToken ct)
    {
        await SendAsync(ConversationRelayProtocol.Text(SystemPhrases.TechnicalDifficulty, true, false, _language), ct);
        return await EndAsync(Twiml.HandoffData(Twiml.HandoffReasons.Error), ct);
    }

    private async Task<bool> EndAsync(string handoffData, CancellationToken ct)
    {
        _ended = true;
        await SendAsync(ConversationRelayProtocol.End(handoffData), ct);
        return await CloseAsync(WebSocketCloseStatus.NormalClosure, "session ended", ct);
    }

    private async Task<bool> CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        _ended = true;
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync(status, reason, ct);
            }
            catch (WebSocketException ex)
            {
                logger.LogDebug(ex, "Closing the relay socket failed");
            }
        }

        return false;
    }

    private async Task SendAsync(byte[] json, CancellationToken ct)
    {
        if (socket.State != WebSocketState.Open)
        {
            return;
        }

        try
        {
            await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        catch (WebSocketException ex)
        {
            logger.LogDebug(ex, "Sending on the relay socket failed; the peer is gone");
        }
    }

    private Task EndCallAsync(CancellationToken ct) =>
        calls.EndAsync(_setup!.CallSid, new CallEnd(TwilioEventIds.RelayClosed(_setup.SessionId), null, "Relay session closed by Twilio"), ct);

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (StorageTrouble.Is(ex) || ex is WebSocketException)
        {
            logger.LogError(ex, "Could not finish the relay session cleanly");
        }
    }

    /// <summary>After a decision that listens, "are you still there?" follows when the caller says nothing for the
    /// configured silence once our words have played.</summary>
    private void ArmSilence(IReadOnlyList<CallAction> actions)
    {
        if (actions.Any(a => a is Listen))
        {
            var playing = timings.PerCharacter * actions.OfType<Say>().Sum(s => s.Text.Length);
            Arm(timings.Silence + playing, g => new SilenceElapsed(g));
        }
    }

    private void Arm(TimeSpan due, Func<int, RelayInbound> tick)
    {
        _timer?.Dispose();
        var generation = _generation;
        _timer = clock.CreateTimer(_ => _inbox.Writer.TryWrite(tick(generation)), null, due, Timeout.InfiniteTimeSpan);
    }

    private sealed record SetupTimedOut(int Generation) : RelayInbound;

    private sealed record SilenceElapsed(int Generation) : RelayInbound;

    private sealed record DigitsPaused(int Generation) : RelayInbound;

    private sealed record SocketClosed : RelayInbound;

    private sealed record FrameTooBig : RelayInbound;
}
