using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Receptionist.Telephony.Speech;
using Receptionist.Telephony.Speech.Simulation;

namespace Receptionist.Host.Tests.Streaming;

/// <summary>
/// A carrier's side of a bidirectional media socket, for the app's tests, whatever the carrier: a frame every 20 ms of
/// real time (silence, or the caller's espeak-ng speech in the carrier's format), the app's audio "played" in real time
/// (its play-out modelled from the bytes received), the app's close answered. The carrier's messages are its
/// subclass's (<see cref="MediaStreamClient"/> for Twilio, <see cref="AcsMediaClient"/> for ACS). Every wait is bounded.
/// </summary>
internal abstract class CarrierMediaClient(int frameBytes, byte silence, SpeechAudioFormat format, double bytesPerSecond) : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<byte[]> _speech = new();
    private readonly List<(string Event, long At)> _events = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _sending = Task.CompletedTask;
    private Task _receiving = Task.CompletedTask;
    private long _playEnd;
    private long _lastAudio;
    private long _audioBytes;
    private TaskCompletionSource? _spoken;

    protected ClientWebSocket Socket { get; } = new();

    /// <summary>Guards the play-out model and what subclasses keep beside it.</summary>
    protected object Gate { get; } = new();

    /// <summary>The close the app sent, once it did.</summary>
    public (WebSocketCloseStatus? Status, string? Reason)? Closed { get; private set; }

    /// <summary>Why the receive loop stopped, when not by a close frame.</summary>
    public Exception? ReceiveError { get; private set; }

    /// <summary>Agent audio bytes received so far.</summary>
    public long AudioBytes => Interlocked.Read(ref _audioBytes);

    /// <summary>When the caller's last speech frame went out (Stopwatch ticks), 0 before any.</summary>
    public long SpeechEndedAt { get; private set; }

    public long SpeechStartedAt { get; private set; }

    /// <summary>When what the app has sent so far will have played out (Stopwatch ticks).</summary>
    public long PlayEnd
    {
        get
        {
            lock (Gate)
            {
                return _playEnd;
            }
        }
    }

    /// <summary>Everything received, in order, with when (Stopwatch ticks), as the subclass names it.</summary>
    public IReadOnlyList<(string Event, long At)> Events
    {
        get
        {
            lock (Gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Speaks <paramref name="text"/> (espeak-ng, in the carrier's format) in real time; returns when its last
    /// frame went out.</summary>
    public async Task SayAsync(string text)
    {
        var audio = await SpeechStandIn.Espeak.SpeakAsync(text, "en-US", format, CancellationToken.None);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _spoken = done;
        for (var at = 0; at < audio.Length; at += frameBytes)
        {
            var frame = new byte[frameBytes];
            Array.Fill(frame, silence);
            audio.AsSpan(at, Math.Min(frameBytes, audio.Length - at)).CopyTo(frame);
            _speech.Enqueue(frame);
        }

        _speech.Enqueue([]); // the end marker
        await done.Task.WaitAsync(Wait);
    }

    /// <summary>Waits until the agent has spoken (after <paramref name="since"/>) and everything it sent has played out
    /// with nothing new for <paramref name="quiet"/>, or the socket closed.</summary>
    public async Task WaitForAgentAsync(long since = 0, TimeSpan? quiet = null)
    {
        var gap = quiet ?? TimeSpan.FromMilliseconds(500);
        var deadline = Stopwatch.GetTimestamp() + (long)(Wait.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var now = Stopwatch.GetTimestamp();
            long last, end;
            lock (Gate)
            {
                (last, end) = (_lastAudio, _playEnd);
            }

            if (Closed is not null || (last > since && now > end && Stopwatch.GetElapsedTime(last, now) > gap))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The agent did not speak and finish within the wait.");
    }

    public async Task<(WebSocketCloseStatus? Status, string? Reason)> WaitClosedAsync()
    {
        await _receiving.WaitAsync(Wait);
        return Closed ?? throw new InvalidOperationException("The socket ended without a close frame", ReceiveError);
    }

    /// <summary>Sends a raw text frame (bad-input tests).</summary>
    public async Task SendRawAsync(string text)
    {
        using var cts = new CancellationTokenSource(Wait);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(Task.WhenAll(_sending, _receiving), Task.Delay(Wait));
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // the app went first
            }
        }

        Socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    protected async Task OpenAsync(Uri url)
    {
        Socket.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(Wait);
        await Socket.ConnectAsync(url, cts.Token);
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The frames begin (after the carrier's opening messages).</summary>
    protected void StartSending() => _sending = Task.Run(SendLoopAsync);

    /// <summary>The carrier's message carrying one 20 ms frame of the caller's audio.</summary>
    protected abstract JsonObject AudioFrame(byte[] frame, long chunk, bool silent);

    /// <summary>After each frame sent (Twilio echoes the marks whose audio has played).</summary>
    protected virtual void AfterFrame()
    {
    }

    /// <summary>One message from the app; anything the carrier would not accept throws.</summary>
    protected abstract void OnMessage(JsonObject message, long now);

    /// <summary>The app's audio arrived: it plays after what is queued.</summary>
    protected void Played(string name, int bytes, long now)
    {
        Interlocked.Add(ref _audioBytes, bytes);
        lock (Gate)
        {
            _playEnd = Math.Max(now, _playEnd) + (long)(bytes / bytesPerSecond * Stopwatch.Frequency);
            _lastAudio = now;
            _events.Add((name, now));
        }
    }

    /// <summary>The app dropped what is queued.</summary>
    protected void Flushed(string name, long now)
    {
        lock (Gate)
        {
            _playEnd = now;
            _events.Add((name, now));
        }
    }

    protected void Record(string name, long now)
    {
        lock (Gate)
        {
            _events.Add((name, now));
        }
    }

    protected async Task SendAsync(JsonObject message)
    {
        if (Socket.State != WebSocketState.Open)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            await Socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            // closed meanwhile
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task SendLoopAsync()
    {
        var quiet = new byte[frameBytes];
        Array.Fill(quiet, silence);
        var start = Stopwatch.GetTimestamp();
        var chunk = 0L;
        try
        {
            while (!_stop.IsCancellationRequested && Socket.State == WebSocketState.Open)
            {
                var frame = quiet;
                if (_speech.TryDequeue(out var spoken))
                {
                    if (spoken.Length == 0)
                    {
                        SpeechEndedAt = Stopwatch.GetTimestamp();
                        _spoken?.TrySetResult();
                    }
                    else
                    {
                        SpeechStartedAt = SpeechStartedAt > SpeechEndedAt ? SpeechStartedAt : Stopwatch.GetTimestamp();
                        frame = spoken;
                    }
                }

                chunk++;
                await SendAsync(AudioFrame(frame, chunk, ReferenceEquals(frame, quiet)));
                AfterFrame();
                var due = start + (long)(chunk * 0.02 * Stopwatch.Frequency);
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // the call is over
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await Socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), _stop.Token);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Closed = (result.CloseStatus, result.CloseStatusDescription);
                    await _sendLock.WaitAsync();
                    try
                    {
                        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed", CancellationToken.None); // as the carrier answers
                    }
                    finally
                    {
                        _sendLock.Release();
                    }

                    return;
                }

                OnMessage((JsonObject)JsonNode.Parse(buffer.AsSpan(0, count))!, Stopwatch.GetTimestamp());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            ReceiveError = e;
        }
    }
}
