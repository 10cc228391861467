using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Receptionist.Telephony.Speech;
using Receptionist.Telephony.Speech.Simulation;

namespace Receptionist.Host.Tests.Streaming;

/// <summary>
/// ACS's side of a bidirectional media streaming socket, for the app's tests: the upgrade with its JWT and call
/// headers, AudioMetadata, then a 20 ms PCM16 16 kHz frame every 20 ms of real time (silence, or the caller's
/// espeak-ng speech), keys as DtmfData; what the app sends is "played" in real time, and StopAudio drops what is
/// queued. ACS echoes no marks. Every wait is bounded.
/// </summary>
internal sealed class AcsMediaClient : IAsyncDisposable
{
    public static readonly TimeSpan Wait = MediaStreamClient.Wait;
    private const int FrameBytes = 640;
    private const double BytesPerSecond = 32_000;

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<byte[]> _speech = new();
    private readonly object _gate = new();
    private readonly List<(string Kind, long At)> _events = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _sending = Task.CompletedTask;
    private Task _receiving = Task.CompletedTask;
    private long _playEnd;
    private long _lastAudio;
    private long _audioBytes;
    private TaskCompletionSource? _spoken;

    private AcsMediaClient()
    {
    }

    /// <summary>The media subscription's id, as ACS names it in AudioMetadata (the app's stream id).</summary>
    public string SubscriptionId { get; } = Guid.NewGuid().ToString();

    public (WebSocketCloseStatus? Status, string? Reason)? Closed { get; private set; }

    /// <summary>Agent audio bytes received so far (PCM16 16 kHz: 32 a millisecond).</summary>
    public long AudioBytes => Interlocked.Read(ref _audioBytes);

    public long SpeechEndedAt { get; private set; }

    /// <summary>When what the app has sent so far will have played out (Stopwatch ticks).</summary>
    public long PlayEnd
    {
        get
        {
            lock (_gate)
            {
                return _playEnd;
            }
        }
    }

    public long SpeechStartedAt { get; private set; }

    /// <summary>Everything received, in order, with when (Stopwatch ticks): "audio", "stop".</summary>
    public IReadOnlyList<(string Kind, long At)> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Opens the socket as ACS does: <paramref name="token"/> as the bearer JWT (none when null), the call's
    /// connection and correlation ids as headers.</summary>
    public static async Task<AcsMediaClient> ConnectAsync(Uri url, string? token, string connection)
    {
        var client = new AcsMediaClient();
        client._socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            client._socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        client._socket.Options.SetRequestHeader("x-ms-call-connection-id", connection);
        client._socket.Options.SetRequestHeader("x-ms-call-correlation-id", Guid.NewGuid().ToString());
        using var cts = new CancellationTokenSource(Wait);
        await client._socket.ConnectAsync(url, cts.Token);
        client._receiving = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>AudioMetadata, then the frames begin.</summary>
    public async Task StartAsync(string encoding = "PCM", int sampleRate = 16_000)
    {
        await SendAsync(new JsonObject
        {
            ["kind"] = "AudioMetadata",
            ["audioMetadata"] = new JsonObject { ["subscriptionId"] = SubscriptionId, ["encoding"] = encoding, ["sampleRate"] = sampleRate, ["channels"] = 1, ["length"] = FrameBytes },
        });
        _sending = Task.Run(SendLoopAsync);
    }

    /// <summary>Speaks <paramref name="text"/> (espeak-ng, PCM16 16 kHz) in real time; returns when its last frame went out.</summary>
    public async Task SayAsync(string text)
    {
        var audio = await SpeechStandIn.Espeak.SpeakAsync(text, "en-US", SpeechAudioFormat.Pcm16Khz, CancellationToken.None);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _spoken = done;
        for (var at = 0; at < audio.Length; at += FrameBytes)
        {
            var frame = new byte[FrameBytes];
            audio.AsSpan(at, Math.Min(FrameBytes, audio.Length - at)).CopyTo(frame);
            _speech.Enqueue(frame);
        }

        _speech.Enqueue([]); // the end marker
        await done.Task.WaitAsync(Wait);
    }

    public async Task PressAsync(string digits)
    {
        foreach (var digit in digits)
        {
            await SendAsync(new JsonObject { ["kind"] = "DtmfData", ["dtmfData"] = new JsonObject { ["data"] = digit.ToString() } });
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the agent has spoken (after <paramref name="since"/>) and everything it sent has played out
    /// with nothing new for half a second, or the socket closed.</summary>
    public async Task WaitForAgentAsync(long since = 0)
    {
        var gap = TimeSpan.FromMilliseconds(500);
        var deadline = Stopwatch.GetTimestamp() + (long)(Wait.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var now = Stopwatch.GetTimestamp();
            long last, end;
            lock (_gate)
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
        return Closed ?? throw new InvalidOperationException("The socket ended without a close frame");
    }

    public async Task SendRawAsync(string text)
    {
        using var cts = new CancellationTokenSource(Wait);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(Task.WhenAll(_sending, _receiving), Task.Delay(Wait));
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // the app went first
            }
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var silence = new byte[FrameBytes];
        var start = Stopwatch.GetTimestamp();
        var chunk = 0L;
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var frame = silence;
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
                await SendAsync(new JsonObject
                {
                    ["kind"] = "AudioData",
                    ["audioData"] = new JsonObject
                    {
                        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"), ["participantRawID"] = "4:+15557654321",
                        ["data"] = Convert.ToBase64String(frame), ["silent"] = ReferenceEquals(frame, silence),
                    },
                });
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
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), _stop.Token);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Closed = (result.CloseStatus, result.CloseStatusDescription);
                    await _sendLock.WaitAsync();
                    try
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed", CancellationToken.None);
                    }
                    finally
                    {
                        _sendLock.Release();
                    }

                    return;
                }

                var message = (JsonObject)JsonNode.Parse(buffer.AsSpan(0, count))!;
                var now = Stopwatch.GetTimestamp();
                switch ((string?)message["kind"])
                {
                    case "AudioData":
                        var bytes = Convert.FromBase64String((string)message["audioData"]!["data"]!).Length;
                        Interlocked.Add(ref _audioBytes, bytes);
                        lock (_gate)
                        {
                            _playEnd = Math.Max(now, _playEnd) + (long)(bytes / BytesPerSecond * Stopwatch.Frequency);
                            _lastAudio = now;
                            _events.Add(("audio", now));
                        }

                        break;
                    case "StopAudio":
                        lock (_gate)
                        {
                            _playEnd = now;
                            _events.Add(("stop", now));
                        }

                        break;
                    default:
                        throw new InvalidOperationException("The app sent " + message.ToJsonString());
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // the socket went away
        }
    }

    private async Task SendAsync(JsonObject message)
    {
        if (_socket.State != WebSocketState.Open)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
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
}
