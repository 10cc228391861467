using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Receptionist.Telephony.Speech;
using Receptionist.Telephony.Speech.Simulation;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Streaming;

/// <summary>
/// Twilio's side of a bidirectional Media Streams socket, for the app's tests: signed upgrade, connected + start, then
/// a 20 ms μ-law frame every 20 ms of real time (silence, or the caller's espeak-ng speech), keys as dtmf; what the
/// app sends is "played" in real time — each mark echoed when playback reaches it, every pending mark at once on a
/// clear. Every wait is bounded.
/// </summary>
internal sealed class MediaStreamClient : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private const int FrameBytes = 160;

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<byte[]> _speech = new();
    private readonly List<(string Name, long DueAt)> _marks = [];
    private readonly object _gate = new();
    private readonly List<(string Event, long At)> _events = [];
    private Task _sending = Task.CompletedTask;
    private Task _receiving = Task.CompletedTask;
    private long _playEnd;
    private long _lastMedia;
    private long _mediaBytes;
    private int _sequence;
    private TaskCompletionSource? _spoken;

    private MediaStreamClient()
    {
    }

    public string StreamSid { get; } = "MZ" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The close the app sent, once it did.</summary>
    public (WebSocketCloseStatus? Status, string? Reason)? Closed { get; private set; }

    /// <summary>Why the receive loop stopped, when not by a close frame.</summary>
    public Exception? ReceiveError { get; private set; }

    /// <summary>Agent audio bytes received so far.</summary>
    public long MediaBytes => Interlocked.Read(ref _mediaBytes);

    /// <summary>When the caller's last speech frame went out (Stopwatch ticks), 0 before any.</summary>
    public long SpeechEndedAt { get; private set; }

    public long SpeechStartedAt { get; private set; }

    public static async Task<MediaStreamClient> ConnectAsync(string url, string? signature = "")
    {
        var client = new MediaStreamClient();
        client._socket.Options.CollectHttpResponseDetails = true;
        if (signature is not null)
        {
            client._socket.Options.SetRequestHeader(TwilioSignature.Header, signature.Length == 0 ? TwilioSignature.Compute(AppHost.AuthToken, url, []) : signature);
        }

        using var cts = new CancellationTokenSource(Wait);
        await client._socket.ConnectAsync(new Uri(url), cts.Token);
        client._receiving = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>connected, start (with the TwiML's parameters), then the frames begin.</summary>
    public async Task StartAsync(string callSid, string? tenant, string encoding = "audio/x-mulaw")
    {
        await SendAsync(new JsonObject { ["event"] = "connected", ["protocol"] = "Call", ["version"] = "1.0.0" });
        var parameters = new JsonObject();
        if (tenant is not null)
        {
            parameters["tenant"] = tenant;
        }

        await SendAsync(new JsonObject
        {
            ["event"] = "start", ["sequenceNumber"] = Next(), ["streamSid"] = StreamSid,
            ["start"] = new JsonObject
            {
                ["accountSid"] = AppHost.AccountSid, ["streamSid"] = StreamSid, ["callSid"] = callSid, ["tracks"] = new JsonArray("inbound"),
                ["customParameters"] = parameters,
                ["mediaFormat"] = new JsonObject { ["encoding"] = encoding, ["sampleRate"] = 8000, ["channels"] = 1 },
            },
        });
        _sending = Task.Run(SendLoopAsync);
    }

    /// <summary>Speaks <paramref name="text"/> (espeak-ng, μ-law 8 kHz) in real time; returns when its last frame went out.</summary>
    public async Task SayAsync(string text)
    {
        var audio = await SpeechStandIn.Espeak.SpeakAsync(text, "en-US", SpeechAudioFormat.Mulaw8Khz, CancellationToken.None);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _spoken = done;
        for (var at = 0; at < audio.Length; at += FrameBytes)
        {
            var frame = new byte[FrameBytes];
            Array.Fill(frame, (byte)0xFF);
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
            await SendAsync(new JsonObject
            {
                ["event"] = "dtmf", ["streamSid"] = StreamSid, ["sequenceNumber"] = Next(),
                ["dtmf"] = new JsonObject { ["track"] = "inbound_track", ["digit"] = digit.ToString() },
            });
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the agent has spoken (after <paramref name="since"/>) and everything it sent has played out
    /// with nothing new for <paramref name="quiet"/>.</summary>
    public async Task WaitForAgentAsync(long since = 0, TimeSpan? quiet = null)
    {
        var gap = quiet ?? TimeSpan.FromMilliseconds(500);
        var deadline = Stopwatch.GetTimestamp() + (long)(Wait.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var now = Stopwatch.GetTimestamp();
            long last, end;
            lock (_gate)
            {
                (last, end) = (_lastMedia, _playEnd);
            }

            if (Closed is not null || (last > since && now > end && Stopwatch.GetElapsedTime(last, now) > gap))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The agent did not speak and finish within the wait.");
    }

    /// <summary>Everything received, in order, with when (Stopwatch ticks): "media", "mark:NAME", "clear".</summary>
    public IReadOnlyList<(string Event, long At)> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
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
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    public Task StopAsync(string callSid) => SendAsync(new JsonObject
    {
        ["event"] = "stop", ["sequenceNumber"] = Next(), ["streamSid"] = StreamSid,
        ["stop"] = new JsonObject { ["accountSid"] = AppHost.AccountSid, ["callSid"] = callSid },
    });

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
    }

    private string Next() => Interlocked.Increment(ref _sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task SendLoopAsync()
    {
        var silence = new byte[FrameBytes];
        Array.Fill(silence, (byte)0xFF);
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
                    ["event"] = "media", ["sequenceNumber"] = Next(), ["streamSid"] = StreamSid,
                    ["media"] = new JsonObject
                    {
                        ["track"] = "inbound", ["chunk"] = chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["timestamp"] = (chunk * 20).ToString(System.Globalization.CultureInfo.InvariantCulture), ["payload"] = Convert.ToBase64String(frame),
                    },
                });
                EchoDueMarks();
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

    private void EchoDueMarks()
    {
        List<string> due;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            due = [.. _marks.Where(m => m.DueAt <= now).Select(m => m.Name)];
            _marks.RemoveAll(m => m.DueAt <= now);
        }

        foreach (var name in due)
        {
            _ = SendAsync(new JsonObject { ["event"] = "mark", ["sequenceNumber"] = Next(), ["streamSid"] = StreamSid, ["mark"] = new JsonObject { ["name"] = name } });
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
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed", CancellationToken.None); // as Twilio answers
                    }
                    finally
                    {
                        _sendLock.Release();
                    }

                    return;
                }

                var message = (JsonObject)JsonNode.Parse(buffer.AsSpan(0, count))!;
                var now = Stopwatch.GetTimestamp();
                switch ((string?)message["event"])
                {
                    case "media":
                        var bytes = Convert.FromBase64String((string)message["media"]!["payload"]!).Length;
                        Interlocked.Add(ref _mediaBytes, bytes);
                        lock (_gate)
                        {
                            _playEnd = Math.Max(now, _playEnd) + (long)(bytes / 8000.0 * Stopwatch.Frequency);
                            _lastMedia = now;
                            _events.Add(("media", now));
                        }

                        break;
                    case "mark":
                        lock (_gate)
                        {
                            var name = (string)message["mark"]!["name"]!;
                            _marks.Add((name, Math.Max(now, _playEnd)));
                            _events.Add(("mark:" + name, now));
                        }

                        break;
                    case "clear":
                        lock (_gate)
                        {
                            _playEnd = now;
                            for (var i = 0; i < _marks.Count; i++)
                            {
                                _marks[i] = (_marks[i].Name, 0); // Twilio echoes every pending mark at once
                            }

                            _events.Add(("clear", now));
                        }

                        EchoDueMarks();
                        break;
                    default:
                        throw new InvalidOperationException("The app sent " + message.ToJsonString());
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            ReceiveError = e;
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
        catch (WebSocketException)
        {
            // closed meanwhile
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private readonly SemaphoreSlim _sendLock = new(1, 1);
}
