using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace Receptionist.Telephony.Twilio.Relay;

/// <summary>The relay simulator's settings for one call.</summary>
internal sealed record RelayOptions(int PlaybackMillisecondsPerCharacter, TimeSpan ReceiveTimeout, TimeSpan ReplyDelay);

/// <summary>The WebSocket messages one call may still send and receive, across all its sessions.</summary>
internal sealed class MessageBudget(int limit)
{
    private int _used;

    public void Spend(string what)
    {
        if (++_used > limit)
        {
            throw new InvalidOperationException($"The call exchanged more than {limit} WebSocket messages (at {what}); the app and the caller seem to be looping.");
        }
    }
}

/// <summary>
/// One &lt;Connect&gt;&lt;ConversationRelay&gt; played as Twilio plays it: the signed WebSocket upgrade, setup, the
/// caller's lines as prompt / dtmf messages (interrupting the agent's playback where allowed), the app's text tokens
/// as agent turns, until the app ends the session (end) or closes the socket, or the caller hangs up; then the
/// &lt;Connect action&gt; request Twilio makes with SessionStatus, SessionDuration and HandoffData.
/// </summary>
internal sealed class RelaySession
{
    private const int MaxMessageBytes = 1 << 20;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    private readonly SimulatedTwilioCall _call;
    private readonly RelayOptions _options;
    private readonly MessageBudget _budget;
    private readonly ClientWebSocket _socket;
    private readonly AgentPlayback _playback;
    private readonly string _language;
    private readonly Interruptibility _defaultInterruptible;
    private bool _closeReceived;

    private RelaySession(SimulatedTwilioCall call, RelayOptions options, MessageBudget budget, ClientWebSocket socket, string language, Interruptibility defaultInterruptible)
    {
        _call = call;
        _options = options;
        _budget = budget;
        _socket = socket;
        _language = language;
        _defaultInterruptible = defaultInterruptible;
        _playback = new AgentPlayback(options.PlaybackMillisecondsPerCharacter);
    }

    private static long Now => Stopwatch.GetTimestamp();

    public static async Task<ConnectOutcome> RunAsync(SimulatedTwilioCall call, XElement connect, Uri documentUrl, RelayOptions options, MessageBudget budget, CancellationToken cancellationToken)
    {
        var relay = connect.Elements().FirstOrDefault(e => e.Name.LocalName == "ConversationRelay")
            ?? throw new InvalidOperationException(
                $"{documentUrl.AbsolutePath} answered <Connect> without <ConversationRelay> ({string.Join(", ", connect.Elements().Select(e => "<" + e.Name.LocalName + ">"))}); the simulator plays ConversationRelay only.");
        var url = (string?)relay.Attribute("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var wsUri) || wsUri.Scheme is not ("ws" or "wss"))
        {
            throw new InvalidOperationException($"<ConversationRelay url=\"{url}\"> is not an absolute ws:// or wss:// URL.");
        }

        var actionAttribute = (string?)connect.Attribute("action");
        var action = actionAttribute is null ? null : new Uri(documentUrl, actionAttribute);
        var welcome = ((string?)relay.Attribute("welcomeGreeting"))?.Trim() ?? string.Empty;
        var welcomeInterruptible = RelayMessages.ParseInterruptible((string?)relay.Attribute("welcomeGreetingInterruptible"), Interruptibility.Any, "welcomeGreetingInterruptible");
        var interruptible = RelayMessages.ParseInterruptible((string?)relay.Attribute("interruptible"), Interruptibility.Any, "interruptible");
        var language = (string?)relay.Attribute("transcriptionLanguage") ?? (string?)relay.Attribute("language") ?? "en-US";
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in relay.Elements().Where(e => e.Name.LocalName == "Parameter"))
        {
            parameters[(string?)parameter.Attribute("name") ?? string.Empty] = (string?)parameter.Attribute("value") ?? string.Empty;
        }

        if (welcome.Length > 0)
        {
            call.Add("agent", welcome);
        }

        var sessionId = "VX" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader(TwilioSignature.Header, TwilioSignature.Compute(call.AuthToken, url, []));
        var started = Now;
        await ConnectAsync(socket, wsUri, options.ReceiveTimeout, cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var session = new RelaySession(call, options, budget, socket, language, interruptible);
        string? status;
        string? handoffData = null;
        try
        {
            await session.SendAsync(RelayMessages.Setup(sessionId, call, parameters), "setup", stop.Token);
            if (welcome.Length > 0)
            {
                session._playback.Enqueue(welcome, welcomeInterruptible, Now);
            }

            var ending = await session.ConverseAsync(expectAgentFirst: welcome.Length == 0, cancellationToken, stop.Token);
            if (ending is null)
            {
                await call.HangUpAsync(cancellationToken);
                return ConnectOutcome.HungUp;
            }

            (status, handoffData) = (ending.Value.Status, ending.Value.HandoffData);
        }
        finally
        {
            await stop.CancelAsync(); // a receive still pending aborts the socket
        }

        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = call.AccountSid, ["CallSid"] = call.CallSid, ["From"] = call.From, ["To"] = call.To,
            ["Direction"] = "inbound", ["CallStatus"] = "in-progress", ["SessionId"] = sessionId, ["SessionStatus"] = status,
            ["SessionDuration"] = ((long)Stopwatch.GetElapsedTime(started).TotalSeconds).ToString(CultureInfo.InvariantCulture),
        };
        if (handoffData is not null)
        {
            form["HandoffData"] = handoffData;
        }

        return action is null ? ConnectOutcome.NextVerb : new ConnectOutcome(false, action, form);
    }

    private static async Task ConnectAsync(ClientWebSocket socket, Uri wsUri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(wsUri, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Timed out after {Seconds(timeout)} waiting for the WebSocket upgrade at {wsUri}.");
        }
        catch (WebSocketException ex)
        {
            var code = (int)socket.HttpStatusCode;
            throw new WebSocketException(
                ex.WebSocketErrorCode,
                code == 0
                    ? $"{wsUri} could not be reached for the WebSocket upgrade: {ex.Message}"
                    : $"{wsUri.AbsolutePath} refused the WebSocket upgrade: it answered {code} ({socket.HttpStatusCode}) instead of 101.",
                ex);
        }
    }

    /// <summary>
    /// The conversation: the caller's lines go out, the app's messages come in, until the app ends the session
    /// ("ended", with its handoffData) or closes the socket ("completed"), or the caller hangs up (null; the socket
    /// has been closed normally). Whatever the caller was about to say when the session ended stays pending.
    /// </summary>
    /// <remarks>The caller's lines are asked for with the call's token, not the session's: a line still pending when
    /// the session ends belongs to what comes next.</remarks>
    private async Task<(string Status, string? HandoffData)?> ConverseAsync(bool expectAgentFirst, CancellationToken callToken, CancellationToken cancellationToken)
    {
        var receive = ReceiveAsync(cancellationToken);
        var awaitingReply = expectAgentFirst;
        var awaited = "the app's first words (a text message with last:true): there was no welcomeGreeting";
        var deadline = awaitingReply ? Now + Ticks(_options.ReceiveTimeout) : long.MaxValue;
        var speakAt = Now + Ticks(_options.ReplyDelay);
        long? promptSentAt = null;
        try
        {
            while (true)
            {
                var now = Now;
                var line = awaitingReply ? null : _call.Lines.Pending(callToken);
                var wakeAt = awaitingReply ? deadline : long.MaxValue;
                if (line is { IsCompleted: true })
                {
                    var text = await line;
                    var heardAt = HeardAt(text, Math.Max(now, speakAt));
                    if (heardAt <= now)
                    {
                        _call.Lines.Consume();
                        if (text is null)
                        {
                            await CloseAsync("the caller hung up", receive, cancellationToken);
                            return null;
                        }

                        await SpeakAsync(text, now, cancellationToken);
                        awaitingReply = true;
                        promptSentAt = text.Length > 0 ? Now : null;
                        awaited = text.Length > 0
                            ? $"the app's reply (a text message with last:true) to the caller's \"{text}\""
                            : "the app to speak after the caller's silence (its silence timer)";
                        deadline = Now + Ticks(_options.ReceiveTimeout);
                        continue;
                    }

                    wakeAt = Math.Min(wakeAt, heardAt);
                    line = null; // said already; heard at wakeAt, not something to wait for
                }

                if (wakeAt <= now)
                {
                    throw new InvalidOperationException($"Timed out after {Seconds(_options.ReceiveTimeout)} waiting for {awaited}.");
                }

                await WaitAsync(receive, line, wakeAt, cancellationToken);
                if (!receive.IsCompleted)
                {
                    continue;
                }

                var message = await receive;
                now = Now;
                switch (message)
                {
                    case AppText t:
                        if (promptSentAt is { } sent)
                        {
                            _call.AddTiming(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                            promptSentAt = null;
                        }

                        var token = t.Token.Trim();
                        if (token.Length > 0)
                        {
                            _call.Add("agent", token);
                        }

                        _playback.Enqueue(token, t.Interruptible ?? _defaultInterruptible, now);
                        if (t.Last)
                        {
                            awaitingReply = false;
                            speakAt = now + Ticks(_options.ReplyDelay);
                        }

                        break;
                    case AppEnd end:
                        await CloseAsync("the app ended the session", ReceiveAsync(cancellationToken), cancellationToken);
                        return ("ended", end.HandoffData);
                    case AppClosed:
                        await CloseAsync("the app closed the socket", receive, cancellationToken);
                        return ("completed", null);
                }

                deadline = awaitingReply ? now + Ticks(_options.ReceiveTimeout) : long.MaxValue;
                receive = ReceiveAsync(cancellationToken);
            }
        }
        finally
        {
            _ = receive.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>When the caller's line can be heard, from <paramref name="at"/> on: a hang-up at once; silence once the
    /// agent has finished; speech or keys once nothing plays or what plays may be interrupted by them.</summary>
    private long HeardAt(string? line, long at) => line switch
    {
        null => at,
        "" => Math.Max(at, _playback.End),
        _ => _playback.EarliestHeard(at, Kind(line)),
    };

    private static Interruptibility Kind(string line) => IsDigits(line) ? Interruptibility.Dtmf : Interruptibility.Speech;

    private static bool IsDigits(string line) => line.StartsWith('#') && line.Length > 1;

    private async Task SpeakAsync(string line, long now, CancellationToken cancellationToken)
    {
        if (line.Length == 0)
        {
            _playback.Clear();
            _call.Add("caller", "(silence)");
            return;
        }

        if (_playback.Interrupt(now, Kind(line)) is { } cut)
        {
            await SendAsync(RelayMessages.Interrupt(cut.SpokenSoFar, cut.ElapsedMilliseconds), "interrupt", cancellationToken);
        }

        _playback.Clear();
        _call.Add("caller", line);
        if (IsDigits(line))
        {
            foreach (var digit in line[1..])
            {
                await SendAsync(RelayMessages.Dtmf(digit), "dtmf", cancellationToken);
            }
        }
        else
        {
            await SendAsync(RelayMessages.Prompt(line, _language), "prompt", cancellationToken);
        }
    }

    /// <summary>Until a message arrives, the caller's line is there, or <paramref name="wakeAt"/>. A line that became
    /// ready since the caller looked ends the wait at once (were it left out, nothing would wake the wait for it).</summary>
    private static async Task WaitAsync(Task<AppMessage> receive, Task<string?>? line, long wakeAt, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new List<Task>(3) { receive };
        if (line is not null)
        {
            tasks.Add(line);
        }

        if (wakeAt != long.MaxValue)
        {
            var delay = Stopwatch.GetElapsedTime(Now, wakeAt);
            tasks.Add(Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay, timer.Token));
        }

        await Task.WhenAny(tasks);
        await timer.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Closes the socket normally (or answers the app's close) and waits for the closing handshake; messages
    /// still arriving are read and dropped.</summary>
    private async Task CloseAsync(string reason, Task<AppMessage> receive, CancellationToken cancellationToken)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, cancellationToken);
        }

        while (!_closeReceived)
        {
            var deadline = Now + Ticks(_options.ReceiveTimeout);
            await WaitAsync(receive, null, deadline, cancellationToken);
            if (!receive.IsCompleted)
            {
                throw new InvalidOperationException($"Timed out after {Seconds(_options.ReceiveTimeout)} waiting for the app to close the WebSocket ({reason}).");
            }

            if (await receive is not AppClosed)
            {
                receive = ReceiveAsync(cancellationToken);
            }
        }
    }

    private async Task SendAsync(byte[] message, string what, CancellationToken cancellationToken)
    {
        _budget.Spend(what);
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    /// <summary>The app's next message (one JSON text message, possibly in several frames), or <see cref="AppClosed"/>.</summary>
    private async Task<AppMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
            }
            catch (WebSocketException ex)
            {
                throw new WebSocketException(ex.WebSocketErrorCode, $"The app's WebSocket broke off without a close: {ex.Message}", ex);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                _closeReceived = true;
                return new AppClosed();
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxMessageBytes)
            {
                throw new InvalidOperationException($"The app sent a WebSocket message of more than {MaxMessageBytes} bytes.");
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            _budget.Spend("a message from the app");
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                throw new InvalidOperationException($"The app sent a binary WebSocket message; ConversationRelay messages are JSON text: {RelayMessages.Preview(buffer.WrittenSpan)}");
            }

            return RelayMessages.Parse(buffer.WrittenSpan);
        }
    }

    private static long Ticks(TimeSpan span) => span == TimeSpan.MaxValue ? long.MaxValue / 2 : (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
