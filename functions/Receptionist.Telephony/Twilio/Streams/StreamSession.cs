using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using System.Xml.Linq;
using Receptionist.Telephony.Speech;
using Receptionist.Telephony.Speech.Simulation;

namespace Receptionist.Telephony.Twilio.Streams;

/// <summary>The stream simulator's settings for one call.</summary>
internal sealed record StreamOptions(TimeSpan ReceiveTimeout, TimeSpan ReplyDelay, bool BargeIn, bool Play, string Language);

/// <summary>The WebSocket messages one call may still receive, across all its streams.</summary>
internal sealed class ReceiveBudget(int limit)
{
    private int _used;

    public void Spend()
    {
        if (Interlocked.Increment(ref _used) > limit)
        {
            throw new InvalidOperationException($"The app sent more than {limit} WebSocket messages on this call's media streams; it seems to be looping.");
        }
    }
}

/// <summary>
/// One &lt;Connect&gt;&lt;Stream&gt; played as Twilio plays it: the signed upgrade, connected, start, then a media
/// frame every 20 ms — silence, or the caller's line spoken by espeak-ng — with keypad digits as dtmf; the app's media
/// played in real time, its marks echoed when playback reaches them, its clear obeyed; until the app closes the socket
/// (then the &lt;Connect action&gt;) or the caller hangs up (stop, close, the status callback).
/// </summary>
internal sealed class StreamSession
{
    public const int FrameBytes = 160;
    private const int MaxMessageBytes = 1 << 20;
    private const double AudibleDbfs = -50;
    private static readonly long FrameTicks = Stopwatch.Frequency / 50;
    private static readonly TimeSpan KeyGap = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan BargeInAfter = TimeSpan.FromSeconds(1);
    private static readonly byte[] SilenceFrame = Enumerable.Repeat((byte)0xFF, FrameBytes).ToArray();

    private readonly SimulatedTwilioCall _call;
    private readonly StreamOptions _options;
    private readonly ReceiveBudget _budget;
    private readonly SpeechStandIn _speech;
    private readonly ClientWebSocket _socket;
    private readonly string _streamSid;
    private readonly Action<StreamTurnTiming> _timed;
    private readonly StreamPlayback _playback = new();
    private readonly Channel<AppStreamMessage> _inbox = Channel.CreateUnbounded<AppStreamMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly ConcurrentQueue<SpokenText> _agentWords = new();
    private readonly List<SpokenText> _pendingWords = [];
    private long _shownTurn = -1;
    private long _shownSentence = -1;
    /// <summary>How much longer than <see cref="StreamOptions.ReplyDelay"/> a caller who has nothing more to say waits
    /// in the quiet after the agent's words before hanging up.</summary>
    private static readonly TimeSpan HangUpGrace = TimeSpan.FromSeconds(1.5);

    private readonly HashSet<long> _usedUtterances = [];
    private readonly List<long> _mediaWhileSpeaking = [];
    private readonly CancellationToken _callToken;
    private Speaker? _speaker;
    private long _sequence;
    private long _frames;
    private long _started;

    // The caller.
    private Phase _phase = Phase.Listening;
    private long _listenSince;
    private long _deadline;
    private string _awaited = "the app's greeting (media on the stream)";
    private bool _replyStarted;
    private long _replyBytes;
    private bool _replyWordsSeen;
    private string? _preparedText;
    private Task<byte[]>? _prepared;
    private byte[] _speaking = [];
    private int _offset;
    private long _speechStart;
    private long _lastAudible;
    private string _digits = string.Empty;
    private int _digit;
    private long _nextKeyAt;
    private Turn? _turn;

    private enum Phase
    {
        Listening,
        Preparing,
        Speaking,
        Keying,
    }

    /// <summary>A spoken caller line waiting for its timings: the agent's first audio after it, then the stand-in's record.</summary>
    /// <param name="MediaWhileSpeaking">When the app's media frames arrived while the line was still being sent: the
    /// app may end the turn at a pause inside the line and answer over its tail.</param>
    private sealed record Turn(string Line, long SpeechStart, long SpeechEnd, int SpeechMilliseconds, IReadOnlyList<long> MediaWhileSpeaking)
    {
        public long? FirstAudio { get; set; }
    }

    private StreamSession(SimulatedTwilioCall call, StreamOptions options, ReceiveBudget budget, SpeechStandIn speech, ClientWebSocket socket, string streamSid,
        Action<StreamTurnTiming> timed, CancellationToken callToken)
    {
        _call = call;
        _options = options;
        _budget = budget;
        _speech = speech;
        _socket = socket;
        _streamSid = streamSid;
        _timed = timed;
        _callToken = callToken;
    }

    private static long Now => Stopwatch.GetTimestamp();

    public static async Task<ConnectOutcome> RunAsync(SimulatedTwilioCall call, XElement connect, Uri documentUrl, StreamOptions options, ReceiveBudget budget,
        SpeechStandIn speech, Action<StreamTurnTiming> timed, Action<string> playProblem, CancellationToken cancellationToken)
    {
        if (connect.Elements().Any(e => e.Name.LocalName == "ConversationRelay"))
        {
            throw new InvalidOperationException($"{documentUrl.AbsolutePath} answered <Connect><ConversationRelay>: the tenant is in relay mode (use `call --mode relay`).");
        }

        var stream = connect.Elements().FirstOrDefault(e => e.Name.LocalName == "Stream")
            ?? throw new InvalidOperationException(
                $"{documentUrl.AbsolutePath} answered <Connect> without <Stream> ({string.Join(", ", connect.Elements().Select(e => "<" + e.Name.LocalName + ">"))}).");
        var url = (string?)stream.Attribute("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var wsUri) || wsUri.Scheme is not ("ws" or "wss"))
        {
            throw new InvalidOperationException($"<Stream url=\"{url}\"> is not an absolute ws:// or wss:// URL.");
        }

        if (wsUri.Query.Length > 0)
        {
            throw new InvalidOperationException($"<Stream url=\"{url}\"> has a query string, which Twilio does not allow: pass values as <Parameter>s.");
        }

        var actionAttribute = (string?)connect.Attribute("action");
        var action = actionAttribute is null ? null : new Uri(documentUrl, actionAttribute);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in stream.Elements().Where(e => e.Name.LocalName == "Parameter"))
        {
            parameters[(string?)parameter.Attribute("name") ?? string.Empty] = (string?)parameter.Attribute("value") ?? string.Empty;
        }

        var streamSid = "MZ" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader(TwilioSignature.Header, TwilioSignature.Compute(call.AuthToken, url, []));
        await ConnectAsync(socket, wsUri, options.ReceiveTimeout, cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var session = new StreamSession(call, options, budget, speech, socket, streamSid, timed, cancellationToken);
        void Heard(SpokenText spoken)
        {
            if (spoken.CorrelationId.StartsWith(streamSid + "/", StringComparison.Ordinal) || spoken.CorrelationId == streamSid)
            {
                session._agentWords.Enqueue(spoken);
            }
        }

        speech.Synthesized += Heard;
        Task receiving = Task.CompletedTask;
        bool hungUp;
        try
        {
            if (options.Play)
            {
                session._speaker = Speaker.TryStart(out var problem);
                if (problem is not null)
                {
                    playProblem(problem);
                }
            }

            receiving = session.ReceiveLoopAsync(stop.Token);
            hungUp = await session.ConverseAsync(parameters, stop.Token);
        }
        finally
        {
            speech.Synthesized -= Heard;
            await stop.CancelAsync(); // a receive still pending aborts the socket
            await receiving.ContinueWith(_ => { }, TaskScheduler.Default);
            session.ShowAgentWords(final: true);
            session.ShowUnseenAudio();
            session.FinishTurn();
            if (session._speaker is { } speaker)
            {
                await speaker.DisposeAsync();
                if (speaker.Problem is { } problem)
                {
                    playProblem(problem);
                }
            }
        }

        if (hungUp)
        {
            await call.HangUpAsync(cancellationToken);
            return ConnectOutcome.HungUp;
        }

        return action is null ? ConnectOutcome.NextVerb : new ConnectOutcome(false, action, call.Form("in-progress"));
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

    /// <summary>The stream from connected to its end: true when the caller hung up (stop sent, socket closed), false
    /// when the app closed it.</summary>
    private async Task<bool> ConverseAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        await SendAsync(StreamMessages.Connected(), cancellationToken);
        _started = Now;
        _listenSince = _started;
        _deadline = _started + Ticks(_options.ReceiveTimeout);
        await SendAsync(StreamMessages.Start(++_sequence, _streamSid, _call, parameters), cancellationToken);
        Task<bool>? waiting = null;
        while (true)
        {
            while (_inbox.Reader.TryRead(out var message))
            {
                if (await HandleAsync(message, cancellationToken))
                {
                    return false;
                }
            }

            var now = Now;
            foreach (var mark in _playback.Reached(now))
            {
                await SendAsync(StreamMessages.Mark(++_sequence, _streamSid, mark), cancellationToken);
            }

            ShowAgentWords();
            var frameAt = _started + (_frames * FrameTicks);
            while (frameAt <= now)
            {
                // Each frame is decided at its own time: frames held back (a loaded machine) go out at once, as from a
                // phone line, and what they carry (speech, the gaps between keys) keeps its timing in the audio.
                var frame = await StepAsync(frameAt, cancellationToken);
                if (frame is null)
                {
                    await HangUpAsync(cancellationToken);
                    return true;
                }

                await SendAsync(StreamMessages.Media(++_sequence, _streamSid, _frames + 1, _frames * 20, frame), cancellationToken);
                _frames++;
                frameAt = _started + (_frames * FrameTicks);
            }

            var wakeAt = Math.Min(frameAt, _playback.NextMarkAt);
            waiting ??= _inbox.Reader.WaitToReadAsync(cancellationToken).AsTask();
            var delay = Stopwatch.GetElapsedTime(Now, wakeAt);
            if (delay > TimeSpan.Zero)
            {
                await Task.WhenAny(waiting, Task.Delay(delay, cancellationToken));
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (waiting.IsCompleted)
            {
                if (!await waiting)
                {
                    throw new InvalidOperationException("The media stream's receiver stopped without a close."); // not expected: the loop always ends with a message
                }

                waiting = null;
            }
        }
    }

    /// <summary>What the caller does in the 20 ms frame due now: the frame to send (silence or speech), or null to hang
    /// up. Lines are asked for with the call's token: a line not yet spoken when the stream ends stays pending.</summary>
    private async Task<byte[]?> StepAsync(long now, CancellationToken cancellationToken)
    {
        switch (_phase)
        {
            case Phase.Preparing:
                if (!_prepared!.IsCompleted)
                {
                    return SilenceFrame;
                }

                StartSpeaking(await _prepared, now);
                goto case Phase.Speaking;
            case Phase.Speaking:
                var frame = new byte[FrameBytes];
                var length = Math.Min(FrameBytes, _speaking.Length - _offset);
                _speaking.AsSpan(_offset, length).CopyTo(frame);
                frame.AsSpan(length).Fill(0xFF);
                _offset += length;
                if (Dbfs(frame) > AudibleDbfs)
                {
                    _lastAudible = now;
                }

                if (_offset >= _speaking.Length)
                {
                    var end = _lastAudible > _speechStart ? _lastAudible : now;
                    _turn = new Turn(_preparedText!, _speechStart, end, _speaking.Length / 8, [.. _mediaWhileSpeaking]);
                    _prepared = null;
                    Listen(now, $"the app's reply to the caller's \"{_preparedText}\" (media on the stream)");
                    AnsweredOverTheLine();
                }

                return frame;
            case Phase.Keying:
                if (now >= _nextKeyAt)
                {
                    await SendAsync(StreamMessages.Dtmf(++_sequence, _streamSid, _digits[_digit++]), cancellationToken);
                    _nextKeyAt = now + Ticks(KeyGap);
                    if (_digit == _digits.Length)
                    {
                        Listen(now, $"the app's answer to the keys {_digits} (media on the stream)");
                    }
                }

                return SilenceFrame;
        }

        if (!_replyStarted)
        {
            if (now > _deadline)
            {
                throw new InvalidOperationException($"Timed out after {Seconds(_options.ReceiveTimeout)} waiting for {_awaited}.");
            }

            return SilenceFrame;
        }

        var pending = _call.Lines.Pending(_callToken);
        if (!pending.IsCompleted)
        {
            return SilenceFrame; // a person still typing
        }

        var line = await pending;
        var speech = line is { Length: > 0 } && !IsDigits(line);
        if (speech && (_prepared is null || _preparedText != line))
        {
            (_preparedText, _prepared) = (line, SpeakAsync(line!));
        }

        var quietSince = Math.Max(_playback.End, _playback.LastArrival);
        // A caller with nothing more to say hears the goodbye out and hangs up only once the line stays quiet a while,
        // as on a phone: the app ends a call it is ending first.
        var heard = now >= quietSince + Ticks(line is null ? _options.ReplyDelay + HangUpGrace : _options.ReplyDelay)
            || (_options.BargeIn && line is { Length: > 0 } && _playback.IsPlaying(now) && now >= _playback.RunStart + Ticks(BargeInAfter));
        if (!heard)
        {
            return SilenceFrame;
        }

        _call.Lines.Consume();
        ShowUnseenAudio();
        FinishTurn();
        switch (line)
        {
            case null:
                return null;
            case "":
                _call.Add("caller", "(silence)");
                Listen(now, "the app to speak after the caller's silence (its silence timer)");
                return SilenceFrame;
            case var _ when IsDigits(line):
                _call.Add("caller", line);
                (_digits, _digit, _nextKeyAt, _phase) = (line[1..], 0, now, Phase.Keying);
                return await StepAsync(now, cancellationToken);
            default:
                _call.Add("caller", line);
                _speech.Script(_streamSid, line);
                _phase = Phase.Preparing;
                return await StepAsync(now, cancellationToken);
        }
    }

    /// <summary>The line in espeak-ng's voice, μ-law 8 kHz, without the quiet espeak-ng leaves before and after it: the
    /// caller's audio ends with their last sound, so the app's end of turn is measured from there.</summary>
    private async Task<byte[]> SpeakAsync(string line)
    {
        var audio = await SpeechStandIn.Espeak.SpeakAsync(line, _options.Language, SpeechAudioFormat.Mulaw8Khz, _callToken);
        int first = -1, last = -1;
        for (var at = 0; at < audio.Length; at += FrameBytes)
        {
            if (Dbfs(audio.AsSpan(at, Math.Min(FrameBytes, audio.Length - at))) > AudibleDbfs)
            {
                first = first < 0 ? at : first;
                last = at;
            }
        }

        return first < 0 ? audio : audio[first..Math.Min(audio.Length, last + FrameBytes)];
    }

    private void StartSpeaking(byte[] audio, long now)
    {
        (_speaking, _offset, _speechStart, _lastAudible, _phase) = (audio, 0, now, long.MinValue, Phase.Speaking);
        _mediaWhileSpeaking.Clear();
    }

    /// <summary>The caller has had their say and waits for the agent's next words: audio that starts after now.</summary>
    private void Listen(long now, string awaited)
    {
        (_phase, _listenSince, _replyStarted, _awaited, _replyBytes, _replyWordsSeen) = (Phase.Listening, now, false, awaited, 0, false);
        _deadline = now + Ticks(_options.ReceiveTimeout);
    }

    /// <summary>The app ended the turn at a pause inside the line just sent and its reply began over the rest of it:
    /// that is the reply awaited, not something still to come.</summary>
    private void AnsweredOverTheLine()
    {
        if (UtteranceSince(_speechStart) is { } utterance && _mediaWhileSpeaking.Any(t => t >= utterance.ReceivedAt))
        {
            _replyStarted = true;
        }
    }

    private static bool IsDigits(string? line) => line is { Length: > 1 } && line[0] == '#';

    /// <summary>One message from the app; true when it closed the stream (normally; otherwise it throws).</summary>
    private async Task<bool> HandleAsync(AppStreamMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case AppMedia media:
                _speaker?.Play(media.Mulaw);
                if (_phase == Phase.Speaking)
                {
                    _mediaWhileSpeaking.Add(media.At);
                }

                if (_playback.Enqueue(media.Mulaw.Length, media.At) && media.At >= _listenSince && !_replyStarted && _phase == Phase.Listening)
                {
                    _replyStarted = true;
                    if (_turn is { FirstAudio: null } turn)
                    {
                        turn.FirstAudio = media.At;
                    }
                }

                _replyBytes += _replyStarted ? media.Mulaw.Length : 0;

                return false;
            case AppMark mark:
                _playback.Mark(mark.Name, mark.At);
                return false;
            case AppClear clear:
                foreach (var name in _playback.Clear(clear.At))
                {
                    await SendAsync(StreamMessages.Mark(++_sequence, _streamSid, name), cancellationToken);
                }

                return false;
            case AppStreamClosed closed:
                if (closed.Status != WebSocketCloseStatus.NormalClosure)
                {
                    throw new InvalidOperationException($"The app closed the media stream with {(int?)closed.Status} {closed.Status} ({closed.Description}), not a normal closure.");
                }

                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stream over", cancellationToken);
                }

                return true;
            case AppStreamFailed failed:
                throw failed.Error is InvalidOperationException or WebSocketException
                    ? failed.Error
                    : new InvalidOperationException($"The media stream failed: {failed.Error.Message}", failed.Error);
            default:
                return false;
        }
    }

    /// <summary>The caller hangs up: stop, a normal close, and the app's close in answer (bounded).</summary>
    private async Task HangUpAsync(CancellationToken cancellationToken)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        await SendAsync(StreamMessages.Stop(++_sequence, _streamSid, _call), cancellationToken);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "the caller hung up", cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ReceiveTimeout);
        try
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync(deadline.Token))
            {
                if (message is AppStreamClosed)
                {
                    return;
                }

                if (message is AppStreamFailed failed)
                {
                    throw failed.Error;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Timed out after {Seconds(_options.ReceiveTimeout)} waiting for the app to close the WebSocket (the caller hung up).");
        }
    }

    /// <summary>Reads the app's messages into the inbox until it closes, the socket breaks or something is malformed
    /// (the last message then says which).</summary>
    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.GetMemory(8192), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _inbox.Writer.TryWrite(new AppStreamClosed(_socket.CloseStatus, _socket.CloseStatusDescription, Now));
                    return;
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

                _budget.Spend();
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    throw new InvalidOperationException($"The app sent a binary WebSocket message; Media Streams messages are JSON text: {StreamMessages.Preview(buffer.WrittenSpan)}");
                }

                _inbox.Writer.TryWrite(StreamMessages.Parse(buffer.WrittenSpan, _streamSid, Now));
                buffer.ResetWrittenCount();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            _inbox.Writer.TryWrite(new AppStreamFailed(new WebSocketException(ex.WebSocketErrorCode, $"The app's media stream broke off without a close: {ex.Message}", ex), Now));
        }
        catch (InvalidOperationException ex)
        {
            _inbox.Writer.TryWrite(new AppStreamFailed(ex, Now));
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }

    /// <summary>The agent's words synthesised since last shown, in the order they are spoken: the app synthesises a
    /// turn's sentences at once and a short one may finish first, so they are put back in the order of their
    /// correlation ids ("{stream}/t{turn}.{sentence}"), arrival order otherwise.</summary>
    private void ShowAgentWords(bool final = false)
    {
        while (_agentWords.TryDequeue(out var spoken))
        {
            _pendingWords.Add(spoken);
        }

        // A sentence waits while an earlier one of its turn has not been synthesised yet (until the call is over).
        _pendingWords.Sort((a, b) => SpokenOrder(a.CorrelationId).CompareTo(SpokenOrder(b.CorrelationId)));
        while (_pendingWords.Count > 0)
        {
            var (turn, sentence) = SpokenOrder(_pendingWords[0].CorrelationId);
            if (!final && turn != long.MaxValue && sentence != (turn == _shownTurn ? _shownSentence + 1 : 0))
            {
                break;
            }

            (_shownTurn, _shownSentence) = (turn, sentence);
            _call.Add("agent", _pendingWords[0].Text);
            _pendingWords.RemoveAt(0);
            _replyWordsSeen = true;
        }
    }

    private static (long Turn, long Sentence) SpokenOrder(string correlationId)
    {
        var id = correlationId[(correlationId.IndexOf('/', StringComparison.Ordinal) + 1)..].TrimStart('t');
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && long.TryParse(id[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var turn)
            && long.TryParse(id[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var sentence)
            ? (turn, sentence) : (long.MaxValue, long.MaxValue);
    }

    /// <summary>The agent spoke audio whose words the stand-in never synthesised for this stream (a prompt the app
    /// cached, or synthesised elsewhere): the transcript says so instead of leaving the turn out.</summary>
    private void ShowUnseenAudio()
    {
        if (_replyBytes > 0 && !_replyWordsSeen)
        {
            var seconds = (_replyBytes / (double)StreamPlayback.BytesPerSecond).ToString("0.0", CultureInfo.InvariantCulture);
            _call.Add("agent", $"({seconds} s of audio whose words the speech stand-in did not synthesise for this stream)");
        }

        (_replyBytes, _replyWordsSeen) = (0, true);
    }

    /// <summary>The first recognition upload of this stream the stand-in received since <paramref name="start"/> that no
    /// earlier line's timings used: the app's end of turn for the line begun then.</summary>
    private HeardUtterance? UtteranceSince(long start) => _speech.Heard
        .Where(h => h.CorrelationId.StartsWith(_streamSid + "/", StringComparison.Ordinal) && h.ReceivedAt >= start && !_usedUtterances.Contains(h.ReceivedAt))
        .OrderBy(h => h.ReceivedAt)
        .FirstOrDefault();

    /// <summary>The last spoken line's timings, from the end of its audio: when the stand-in had the whole recognition
    /// upload (the app's end of turn), when it answered, when the agent's first audio after it arrived.</summary>
    private void FinishTurn()
    {
        if (_turn is not { } turn)
        {
            return;
        }

        _turn = null;
        var utterance = UtteranceSince(turn.SpeechStart);
        if (utterance is not null)
        {
            _usedUtterances.Add(utterance.ReceivedAt);
        }

        double? Since(long? at) => at is { } t ? Math.Round(Stopwatch.GetElapsedTime(turn.SpeechEnd, t).TotalMilliseconds, 1) : null;
        // The reply's first frame is the first after the app's end of turn: before the line's end (negative) when the
        // app ended the turn at a pause inside it, else the first after the caller fell silent.
        var firstAudio = Since(utterance is null ? turn.FirstAudio : turn.MediaWhileSpeaking.Where(t => t >= utterance.ReceivedAt).Cast<long?>().FirstOrDefault() ?? turn.FirstAudio);
        if (firstAudio is { } ms)
        {
            _call.AddTiming(ms);
        }

        _timed(new StreamTurnTiming(_call.CallSid, _streamSid, turn.Line, turn.SpeechMilliseconds, Since(utterance?.ReceivedAt), Since(utterance?.AnsweredAt), firstAudio));
    }

    private async Task SendAsync(byte[] message, CancellationToken cancellationToken) =>
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>RMS level of a μ-law frame in dBFS (G.711 decoding).</summary>
    private static double Dbfs(ReadOnlySpan<byte> mulaw)
    {
        double sum = 0;
        foreach (var code in mulaw)
        {
            var u = ~code & 0xFF;
            var t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
            double sample = (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
            sum += sample * sample;
        }

        var rms = Math.Sqrt(sum / Math.Max(1, mulaw.Length));
        return rms <= 0 ? double.NegativeInfinity : 20 * Math.Log10(rms / 32768);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
