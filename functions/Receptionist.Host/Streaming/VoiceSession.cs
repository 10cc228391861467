using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Receptionist.Audio.Vad;
using Receptionist.Calls;
using Receptionist.Core.Conversation;
using Receptionist.Core.Phone;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using Receptionist.Telephony.Speech;

namespace Receptionist.Host.Streaming;

/// <summary>One channel's socket as the voice session sees it: frames and marks out (<see cref="IAgentAudioSink"/>),
/// dropping what the far end still holds, closing.</summary>
public interface IVoiceChannel : IAgentAudioSink
{
    /// <summary>The carrier, as stored with the call ("twilio", "acs").</summary>
    string Name { get; }

    /// <summary>Drops the audio the far end still holds (Twilio <c>clear</c>, ACS <c>StopAudio</c>).</summary>
    ValueTask ClearAsync(CancellationToken ct);

    ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct);

    /// <summary>A decision that ends the stream has played out (its words heard): carry it out before the socket
    /// closes. Twilio: nothing (the &lt;Connect action&gt; dials or hangs up); ACS: transferToParticipant or hang up
    /// through Call Automation. <paramref name="decision"/> is null when the session could not go on (the caller heard
    /// the apology): end the call.</summary>
    ValueTask HandBackAsync(CallReply? decision, CancellationToken ct);
}

/// <summary>What the channel's receive loop tells the session (audio itself goes to <see cref="VoiceSession.Feed"/>).</summary>
public abstract record VoiceInbound;

/// <summary>The stream names its call: the carrier's call id, the tenant the TwiML/answer named, the stream's id.</summary>
public sealed record StreamBegan(string CallId, string? Tenant, string StreamId) : VoiceInbound;

public sealed record KeyPressed(string Digit) : VoiceInbound;

/// <summary>Playback reached a mark (or a clear dropped it).</summary>
public sealed record MarkPlayed(string Name) : VoiceInbound;

/// <summary>The carrier says the stream is over (Twilio <c>stop</c>), or the socket closed.</summary>
public sealed record StreamEnded(string Why) : VoiceInbound;

/// <summary>A frame broke the channel's limits: the socket is closed with this status.</summary>
public sealed record StreamRefused(WebSocketCloseStatus Status, string Reason) : VoiceInbound;

/// <summary>How one voice session behaves (its timers and thresholds); times are real (<see cref="TimeProvider"/>).</summary>
public sealed record VoiceSessionSettings(TimeSpan Silence, TimeSpan TurnBudget, int RealSpeechMilliseconds, bool PaceToRealTime = true)
{
    /// <summary>How long the carrier has to name the call after the upgrade.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Keys typed for a phone number are collected until '#' or this pause.</summary>
    public static readonly TimeSpan DigitPause = TimeSpan.FromSeconds(3);

    /// <summary>Past the audio's own length, how long we wait for the far end to report it played before acting as if
    /// it had (a lost mark must not hang the call).</summary>
    public static readonly TimeSpan PlaybackGrace = TimeSpan.FromSeconds(2);
}

/// <summary>The services a session uses.</summary>
public sealed record VoiceServices(CallCore Calls, ISpeechToText SpeechToText, ITextToSpeech TextToSpeech, VadModelSource Vad, PromptCache Prompts, TimeProvider Clock);

/// <summary>
/// The streaming voice path for one call's open media socket, channel-neutral (docs/streaming.md). The caller's audio
/// goes through the <see cref="CallerListener"/> (VAD → end of turn → speech-to-text from the onset); what was heard
/// becomes a call-core event, handled one at a time as on every channel; the decision's words are synthesised and
/// streamed back by the <see cref="AgentSpeaker"/>. Barge-in follows each prompt's policy: a prompt that may be
/// interrupted is cleared as soon as speech starts; a read-back or a confirmation only by real speech (continuous for
/// <see cref="VoiceSessionSettings.RealSpeechMilliseconds"/>) or words that are not a backchannel. The call's state
/// stays in storage: a session that dies loses at most the turn being spoken.
/// </summary>
public sealed class VoiceSession : IDisposable
{
    private const int MaxQueued = 1024;
    private const int MaxDigits = 20;

    private readonly IVoiceChannel _channel;
    private readonly VoiceServices _services;
    private readonly VoiceSessionSettings _settings;
    private readonly Func<string, int, string> _eventId;
    private readonly Func<string, string> _closedEventId;
    private readonly ILogger _logger;
    private readonly Channel<object> _inbox = Channel.CreateBounded<object>(new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _ended = new();
    private readonly HashSet<int> _abandoned = [];
    private readonly HashSet<string> _pendingMarks = new(StringComparer.Ordinal); // guarded by itself, with _markSays
    private readonly Dictionary<string, Say> _markSays = new(StringComparer.Ordinal);
    private readonly List<Say> _heardSays = [];
    private readonly Dictionary<int, (long SpeechEnded, long Detected, long DetectedAt)> _turnEnds = [];

    private StreamBegan? _stream;
    private Tenant? _tenant;
    private CallerListener? _listener;
    private AgentSpeaker? _speaker;
    private CancellationTokenSource? _speaking;
    private IReadOnlyList<Say> _prompt = [];
    private bool _speakingDone = true;
    private bool _endAfterPlayback;
    private CallReply? _handBack;
    private Expecting _expecting = Expecting.Anything;
    private string _digits = string.Empty;
    private int _events;
    private int _generation;
    private ITimer? _timer;
    private ITimer? _playbackTimer;
    private bool _closed;

    public VoiceSession(IVoiceChannel channel, VoiceServices services, VoiceSessionSettings settings, Func<string, int, string> eventId,
        Func<string, string> closedEventId, ILogger logger)
    {
        _channel = channel;
        _services = services;
        _settings = settings;
        _eventId = eventId;
        _closedEventId = closedEventId;
        _logger = logger;
    }

    public void Dispose()
    {
        _ended.Dispose();
        _speaking?.Dispose();
    }

    /// <summary>From the channel's receive loop: a message for the session.</summary>
    public void Post(VoiceInbound message) => _inbox.Writer.TryWrite(message);

    /// <summary>From the channel's receive loop: caller audio, PCM16 16 kHz. Ignored before the call is bound.</summary>
    public void Feed(ReadOnlySpan<short> pcm16k) => _listener?.Feed(pcm16k);

    public async Task RunAsync(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _ended.Token);
        Arm(VoiceSessionSettings.StartTimeout, g => new StartTimedOut(g));
        try
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync(linked.Token))
            {
                if (!await HandleAsync(message, linked.Token))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // the socket went away: handled below
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Voice session failed");
            await TryAsync(() => ApologiseAndCloseAsync(CancellationToken.None));
        }
        finally
        {
            _timer?.Dispose();
            _playbackTimer?.Dispose();
            _speaking?.Cancel();
            await _ended.CancelAsync();
        }

        if (!_endAfterPlayback && _stream is not null && _tenant is not null)
        {
            // The stream ended without our closing it for a transfer or a hang-up: the caller hung up.
            await TryAsync(() => _services.Calls.EndAsync(_stream.CallId, new CallEnd(_closedEventId(_stream.StreamId), null, "Media stream closed"), CancellationToken.None));
        }
    }

    private async Task<bool> HandleAsync(object message, CancellationToken ct)
    {
        if (_stream is null)
        {
            return message switch
            {
                StreamBegan began => await BindAsync(began, ct),
                StreamRefused refused => await CloseAsync(refused.Status, refused.Reason, ct),
                StartTimedOut or StreamEnded => await CloseAsync(WebSocketCloseStatus.PolicyViolation, "no start message", ct),
                _ => true, // connected, marks, keys before the start: nothing to do
            };
        }

        switch (message)
        {
            case SpeechStarted started:
                return await OnSpeechAsync(started, ct);
            case RealSpeechHeard real when IsPlaying && !Say.SpeechMayInterrupt(_prompt):
                await InterruptAsync(ct);
                return true;
            case TurnEnded ended:
                _turnEnds[ended.Utterance] = (ended.SpeechEndedAtSample, ended.DetectedAtSample, Stopwatch.GetTimestamp());
                return true;
            case UtteranceHeard heard:
                return await OnHeardAsync(heard, ct);
            case TurnLatency latency:
                await RecordAsync(latency, ct);
                return true;
            case KeyPressed key:
                return await OnKeyAsync(key.Digit, ct);
            case DigitsPaused paused when paused.Generation == _generation && _digits.Length > 0:
                return await DecideAsync(new KeypadPressed(TakeDigits()), ct);
            case MarkPlayed mark:
                lock (_pendingMarks)
                {
                    if (_pendingMarks.Remove(mark.Name) && _markSays.Remove(mark.Name, out var say))
                    {
                        _heardSays.Add(say); // the caller heard this sentence to its end
                    }
                }

                return await AfterPlaybackAsync(ct);
            case SpeakingFinished done when done.Generation == _generation:
                _speakingDone = true;
                _speaking?.Dispose();
                _speaking = null;
                return await AfterPlaybackAsync(ct);
            case PlaybackTimedOut timedOut when timedOut.Generation == _generation:
                lock (_pendingMarks)
                {
                    _logger.LogWarning("{Count} marks were not reported played; carrying on as if they had", _pendingMarks.Count);
                    _pendingMarks.Clear();
                    _markSays.Clear();
                }

                return await AfterPlaybackAsync(ct);
            case PlayedOut when _endAfterPlayback:
                return await AfterPlaybackAsync(ct);
            case SilenceElapsed tick when tick.Generation == _generation && !IsPlaying && !(_listener?.InTurn ?? false):
                return await DecideAsync(new Silence(), ct);
            case StreamRefused refused:
                return await CloseAsync(refused.Status, refused.Reason, ct);
            case StreamEnded:
                // The caller hung up (stop, or their close): answer their close so the socket ends cleanly, not aborted.
                return await CloseAsync(WebSocketCloseStatus.NormalClosure, "stream ended", ct);
            default:
                return true; // stale timers, a second start
        }
    }

    /// <summary>Binds the session to the call the carrier names; anything else closes the socket with the reason and
    /// stores nothing.</summary>
    private async Task<bool> BindAsync(StreamBegan began, CancellationToken ct)
    {
        CallReply latest;
        try
        {
            latest = await _services.Calls.LatestAsync(began.CallId, ct);
        }
        catch (Exception ex) when (StorageTrouble.Is(ex))
        {
            _logger.LogError(ex, "Could not load the call for a media stream");
            return await CloseAsync(WebSocketCloseStatus.InternalServerError, "storage unavailable", ct);
        }

        var reason = latest switch
        {
            { Status: TurnStatus.UnknownCall } or { Record: null } or { Tenant: null } => "unknown call",
            { Record.Channel: var channel } when channel != _channel.Name => "the call is not on this channel",
            { Record.Mode: var mode } when mode != VoiceModes.Name(VoiceMode.Stream) => "the call is not in stream mode",
            { Record.Session.Ended: true } => "the call has ended",
            _ when began.Tenant is not null && began.Tenant != latest.Tenant!.Id => "the tenant does not match the call",
            _ => null,
        };
        if (reason is not null)
        {
            _logger.LogWarning("Refused a media stream: {Reason}", reason);
            return await CloseAsync(WebSocketCloseStatus.PolicyViolation, reason, ct);
        }

        SileroVadStream vad;
        try
        {
            vad = _services.Vad.Model.CreateStream();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            _logger.LogError(ex, "The VAD model cannot be loaded; the media stream cannot listen");
            return await CloseAsync(WebSocketCloseStatus.InternalServerError, "voice activity model unavailable", ct);
        }

        _stream = began;
        _tenant = latest.Tenant!;
        var token = _ended.Token;
        _listener = new CallerListener(vad, _services.SpeechToText, _tenant.Language, began.StreamId, _settings.RealSpeechMilliseconds, e => _inbox.Writer.TryWrite(e), token);
        // The greeting and the system's own phrases are the same on every call: synthesised once per voice.
        var greeting = latest.Record!.Turn <= 1 ? latest.Actions.OfType<Say>().Select(s => s.Text).ToHashSet(StringComparer.Ordinal) : [];
        _speaker = new AgentSpeaker(_services.TextToSpeech, _channel, _tenant.Voice, _tenant.Language, _services.Clock, _logger, _services.Prompts,
            say => greeting.Contains(say.Text) || say.Text is SystemPhrases.OneMoment or SystemPhrases.TechnicalDifficulty)
        {
            Paced = _settings.PaceToRealTime,
        };
        _generation++;
        _timer?.Dispose();
        await RenderAsync(latest, ct);
        return true;
    }

    private async Task<bool> OnSpeechAsync(SpeechStarted started, CancellationToken ct)
    {
        _generation++; // the caller is talking: no "are you still there?"
        _timer?.Dispose();
        if (IsPlaying && Say.SpeechMayInterrupt(_prompt))
        {
            await InterruptAsync(ct);
        }

        return true;
    }

    private async Task<bool> OnHeardAsync(UtteranceHeard heard, CancellationToken ct)
    {
        if (_abandoned.Remove(heard.Utterance))
        {
            return true;
        }

        var text = heard.Result.Status == RecognitionStatus.Recognized ? heard.Result.Text.Trim() : string.Empty;
        if (IsPlaying)
        {
            // A short utterance over a prompt that real speech alone may cut: a backchannel is let go; anything else
            // ("no", "wait") stops the prompt and is answered.
            if (text.Length == 0 || Core.Understanding.Classifiers.BackchannelClassifier.Is(text, Core.Understanding.Lexicon.English))
            {
                _logger.LogDebug("Ignored a backchannel during a prompt");
                return true;
            }

            await InterruptAsync(ct);
        }

        if (heard.Result.Status == RecognitionStatus.Failed)
        {
            _logger.LogWarning("Speech recognition failed ({Detail}); the caller is asked again", heard.Result.Detail);
        }

        var latency = _turnEnds.Remove(heard.Utterance, out var end) ? new TurnLatency(heard.Utterance,
            Milliseconds(end.Detected - end.SpeechEnded), Milliseconds(end.Detected - end.SpeechEnded) + Stopwatch.GetElapsedTime(end.DetectedAt, heard.TranscriptAtTimestamp).TotalMilliseconds,
            end.DetectedAt) : null;
        return await DecideAsync(new CallerSaid(text, heard.Result.Confidence), ct, latency, heard.TranscriptAtTimestamp);
    }

    private async Task<bool> OnKeyAsync(string digit, CancellationToken ct)
    {
        _generation++;
        _timer?.Dispose();
        if (IsPlaying)
        {
            await InterruptAsync(ct); // keys always cut a prompt, as on the other channels
        }

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

        Arm(VoiceSessionSettings.DigitPause, g => new DigitsPaused(g));
        return true;
    }

    private string TakeDigits()
    {
        var digits = _digits;
        _digits = string.Empty;
        return digits;
    }

    /// <summary>One event through the call core, within the turn budget, and its decision spoken.</summary>
    private async Task<bool> DecideAsync(CallEvent ev, CancellationToken ct, TurnLatency? latency = null, long heardAt = 0)
    {
        if (_endAfterPlayback)
        {
            // The call is ending (a goodbye or a transfer is playing out): a "thanks" said now has no turn to take.
            _logger.LogDebug("Ignored caller input while the call ends");
            return true;
        }

        _generation++;
        _timer?.Dispose();
        if (ev is not KeypadPressed)
        {
            _digits = string.Empty;
        }

        var eventId = _eventId(_stream!.StreamId, ++_events);
        var socketSpan = Activity.Current;
        Activity.Current = null;
        using var span = ReceptionistTelemetry.Source.StartActivity("receptionist.stream.turn", ActivityKind.Server, default(ActivityContext),
            links: socketSpan is null ? null : [new ActivityLink(socketSpan.Context)]);
        span?.SetTag(ReceptionistTelemetry.Tags.CallId, _stream.CallId);
        span?.SetTag(ReceptionistTelemetry.Tags.Channel, _channel.Name);
        CallReply reply;
        try
        {
            reply = await HandleWithinBudgetAsync(eventId, ev, ct);
        }
        catch (Exception ex) when (StorageTrouble.Is(ex) || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            _logger.LogError(ex, "Call handling failed in a media stream; apologising and ending");
            return await ApologiseAndCloseAsync(ct);
        }

        var decided = heardAt == 0 ? 0 : Stopwatch.GetElapsedTime(heardAt).TotalMilliseconds;
        await RenderAsync(reply, ct, latency is null ? null : latency with { DecisionMilliseconds = latency.TranscriptMilliseconds + decided });
        return !_closed;
    }

    private async Task<CallReply> HandleWithinBudgetAsync(string eventId, CallEvent ev, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var deadline = new CancellationTokenSource(_settings.TurnBudget, _services.Clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            try
            {
                return await _services.Calls.HandleAsync(_stream!.CallId, eventId, ev, linked.Token);
            }
            catch (OperationCanceledException) when (attempt == 1 && deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                _logger.LogWarning("Stream turn took longer than {Budget}; holding and retrying once", _settings.TurnBudget);
                await SpeakAsync([new Say(SystemPhrases.OneMoment)], ct);
            }
        }
    }

    /// <summary>Speaks what a decision says; a decision that transfers or hangs up closes the stream once its words
    /// have played (the &lt;Connect action&gt; then dials or hangs up).</summary>
    private async Task RenderAsync(CallReply reply, CancellationToken ct, TurnLatency? latency = null)
    {
        var ends = reply.Status is TurnStatus.UnknownCall or TurnStatus.Ended || reply.Actions.Any(a => a is TransferCall or Hangup);
        if (reply.Actions.OfType<Listen>().LastOrDefault() is { } listen)
        {
            _expecting = listen.Expecting;
            _listener!.Expectation = CallerListener.For(listen.Expecting);
        }

        var says = reply.Actions.OfType<Say>().ToList();
        _endAfterPlayback = ends;
        _handBack = ends ? reply : null;
        await SpeakAsync(says, ct, latency);
        if (says.Count == 0)
        {
            await AfterPlaybackAsync(ct);
        }
    }

    /// <summary>Starts speaking (in the background, so barge-in and marks are handled meanwhile).</summary>
    private async Task SpeakAsync(IReadOnlyList<Say> says, CancellationToken ct, TurnLatency? latency = null)
    {
        if (says.Count == 0)
        {
            return;
        }

        if (IsPlaying)
        {
            await InterruptAsync(ct); // a new decision replaces whatever still plays
        }

        var generation = ++_generation;
        _timer?.Dispose();
        _prompt = says;
        _heardSays.Clear();
        _speakingDone = false;
        var speaking = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _speaking = speaking;
        var turn = _events;
        var correlation = $"{_stream!.StreamId}/t{turn}";
        var speaker = _speaker!;
        var started = Stopwatch.GetTimestamp();
        _ = Task.Run(async () =>
        {
            try
            {
                var spoken = await speaker.SpeakAsync(says, turn, correlation, speaking.Token, (mark, index, expected) =>
                {
                    lock (_pendingMarks)
                    {
                        if (!expected)
                        {
                            _pendingMarks.Remove(mark);
                            _markSays.Remove(mark);
                        }
                        else if (!speaking.IsCancellationRequested)
                        {
                            _pendingMarks.Add(mark);
                            _markSays[mark] = says[index];
                        }
                    }
                });
                if (latency is not null && spoken.FirstFrameAtTimestamp != 0)
                {
                    var first = latency with
                    {
                        FirstAudioMilliseconds = latency.DecisionMilliseconds + Stopwatch.GetElapsedTime(started, spoken.FirstFrameAtTimestamp).TotalMilliseconds,
                        SynthesisMilliseconds = spoken.SynthesisFirstByte.TotalMilliseconds,
                    };
                    _logger.LogInformation("Turn latency (ms after the caller stopped): end of turn {EndOfTurn:F0}, transcript {Transcript:F0}, decision {Decision:F0}, first audio {FirstAudio:F0}",
                        first.EndOfTurnMilliseconds, first.TranscriptMilliseconds, first.DecisionMilliseconds, first.FirstAudioMilliseconds);
                    _inbox.Writer.TryWrite(first); // recorded with the call, from the session's loop
                }
            }
            catch (OperationCanceledException)
            {
                // interrupted
            }
            catch (Exception ex) when (ex is WebSocketException or InvalidOperationException)
            {
                _logger.LogDebug(ex, "Speaking on the media socket failed; the peer is gone");
            }

            _inbox.Writer.TryWrite(new SpeakingFinished(generation));
        }, CancellationToken.None);
    }

    /// <summary>A turn's times go into the call's history (off the turn's path: the answer is already playing). A lost
    /// write loses only the figure.</summary>
    private async Task RecordAsync(TurnLatency t, CancellationToken ct)
    {
        try
        {
            await _services.Calls.HandleAsync(_stream!.CallId, _eventId(_stream.StreamId, ++_events),
                new TurnTimed(t.Utterance, (int)t.EndOfTurnMilliseconds, (int)t.TranscriptMilliseconds, (int)t.DecisionMilliseconds, (int)t.FirstAudioMilliseconds,
                (int)t.SynthesisMilliseconds), ct);
        }
        catch (Exception ex) when (StorageTrouble.Is(ex))
        {
            _logger.LogWarning(ex, "Could not record a turn's latency");
        }
    }

    /// <summary>True while our words are still being sent or played.</summary>
    private bool IsPlaying
    {
        get
        {
            lock (_pendingMarks)
            {
                return !_speakingDone || _pendingMarks.Count > 0;
            }
        }
    }

    /// <summary>Barge-in: stop sending, drop what the far end holds, tell the call core what the caller heard.</summary>
    private async Task InterruptAsync(CancellationToken ct)
    {
        var heard = string.Join(" ", _heardSays.Select(s => s.Text));
        _speaking?.Cancel();
        _speaking = null;
        _speakingDone = true;
        lock (_pendingMarks)
        {
            _pendingMarks.Clear(); // their echoes after the clear were not heard
            _markSays.Clear();
        }

        _generation++;
        _prompt = [];
        await _channel.ClearAsync(ct);
        _speaker?.Cleared();
        _logger.LogDebug("Barge-in: the prompt was cleared");
        if (_endAfterPlayback)
        {
            // The call is ending anyway: nothing more will play, so hand it back now (no mark will come to do it).
            await HandBackAsync(ct);
            return;
        }

        try
        {
            await _services.Calls.HandleAsync(_stream!.CallId, _eventId(_stream.StreamId, ++_events), new CallerInterrupted(heard), ct);
        }
        catch (Exception ex) when (StorageTrouble.Is(ex))
        {
            _logger.LogWarning(ex, "Could not record the interruption");
        }
    }

    /// <summary>Once our words have played: the call ends (transfer, hang-up), or the silence timer runs.</summary>
    private async Task<bool> AfterPlaybackAsync(CancellationToken ct)
    {
        if (!_speakingDone)
        {
            return true;
        }

        lock (_pendingMarks)
        {
            if (_pendingMarks.Count > 0)
            {
                var grace = (_speaker?.QueuedAhead ?? TimeSpan.Zero) + VoiceSessionSettings.PlaybackGrace;
                var generation = _generation;
                _playbackTimer?.Dispose();
                _playbackTimer = _services.Clock.CreateTimer(_ => _inbox.Writer.TryWrite(new PlaybackTimedOut(generation)), null, grace, Timeout.InfiniteTimeSpan);
                return true;
            }
        }

        if (_endAfterPlayback)
        {
            // Where the far end reports no marks, what was sent last plays out up to the pacer's lead later.
            var queued = _speaker?.QueuedAhead ?? TimeSpan.Zero;
            if (queued > PlayedOutTolerance)
            {
                _playbackTimer?.Dispose();
                _playbackTimer = _services.Clock.CreateTimer(_ => _inbox.Writer.TryWrite(new PlayedOut()), null, queued, Timeout.InfiniteTimeSpan);
                return true;
            }

            return await HandBackAsync(ct);
        }

        Arm(_settings.Silence, g => new SilenceElapsed(g));
        return true;
    }

    /// <summary>Carries out the decision that ends the stream (the carrier's transfer or hang-up) and closes it.</summary>
    private async Task<bool> HandBackAsync(CancellationToken ct)
    {
        await _channel.HandBackAsync(_handBack, ct);
        return await CloseAsync(WebSocketCloseStatus.NormalClosure, "call handed back", ct);
    }

    private async Task<bool> ApologiseAndCloseAsync(CancellationToken ct)
    {
        _endAfterPlayback = true;
        _handBack = null;
        if (_speaker is not null)
        {
            _speaking?.Cancel();
            await SpeakAsync([new Say(SystemPhrases.TechnicalDifficulty)], ct);
            return true; // closes once played
        }

        return await CloseAsync(WebSocketCloseStatus.InternalServerError, "call handling failed", ct);
    }

    private async Task<bool> CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        _closed = true;
        _listener?.Abandon();
        await _channel.CloseAsync(status, reason, ct);
        return false;
    }

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (StorageTrouble.Is(ex) || ex is WebSocketException or OperationCanceledException)
        {
            _logger.LogError(ex, "Could not finish the media stream cleanly");
        }
    }

    private void Arm(TimeSpan due, Func<int, object> tick)
    {
        _timer?.Dispose();
        var generation = _generation;
        _timer = _services.Clock.CreateTimer(_ => _inbox.Writer.TryWrite(tick(generation)), null, due, Timeout.InfiniteTimeSpan);
    }

    private static double Milliseconds(long samples) => samples * 1000.0 / Audio.AudioRates.Wideband;

    private sealed record StartTimedOut(int Generation);

    private sealed record SilenceElapsed(int Generation);

    private sealed record DigitsPaused(int Generation);

    private sealed record SpeakingFinished(int Generation);

    private sealed record PlaybackTimedOut(int Generation);

    /// <summary>The audio of a decision that ends the stream should have played out (channels without marks).</summary>
    private sealed record PlayedOut;

    private static readonly TimeSpan PlayedOutTolerance = TimeSpan.FromMilliseconds(20);
}

/// <summary>One turn's times in milliseconds from the end of the caller's speech: the end of the turn detected, the
/// transcript back, the decision made, the first audio frame of the answer sent.</summary>
public sealed record TurnLatency(int Utterance, double EndOfTurnMilliseconds, double TranscriptMilliseconds, long DetectedAtTimestamp)
{
    public double DecisionMilliseconds { get; init; }

    public double FirstAudioMilliseconds { get; init; }

    /// <summary>Of the time to the first audio, what the speech service took to its first byte (not ours).</summary>
    public double SynthesisMilliseconds { get; init; }
}
