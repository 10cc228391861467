using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Twilio.Streams;

/// <summary>A signed form POST the fake app received.</summary>
internal sealed record StreamAppRequest(string Path, string PathAndQuery, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// The app side of a Media Streams call on Kestrel at 127.0.0.1 (an OS-chosen port): POSTs must carry a valid
/// X-Twilio-Signature (403 otherwise) and are answered by <see cref="Answer"/> (the status callback 204); the upgrade at
/// /twilio/media must be signed over its ws:// URL with no parameters (403 before upgrading otherwise); each accepted
/// socket has its connected and start read, then is played by <see cref="Stream"/>. A failure on the app's side (an
/// assertion in a script) is kept and rethrown by <see cref="SettleAsync"/>.
/// </summary>
internal sealed class FakeStreamApp : IAsyncDisposable
{
    public const string AuthToken = "stream-auth-token-0123456789";
    public const string MediaPath = "/twilio/media";
    public static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentQueue<StreamAppRequest> _requests = new();
    private readonly ConcurrentQueue<StreamConnection> _connections = new();
    private readonly ConcurrentQueue<string?> _refused = new();
    private readonly List<Task> _sockets = [];

    private FakeStreamApp(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The Stream url as the app writes it in TwiML.</summary>
    public string MediaUrl => $"ws://127.0.0.1:{BaseUrl.Port}{MediaPath}";

    /// <summary>Answers each signed POST but the status callback; by default 404.</summary>
    public Func<StreamAppRequest, string?> Answer { get; set; } = _ => null;

    /// <summary>Plays the app's side of each socket after connected and start; when it returns with the socket open,
    /// the app reads on until the caller closes.</summary>
    public Func<StreamConnection, Task> Stream { get; set; } = _ => Task.CompletedTask;

    public IReadOnlyList<StreamAppRequest> Requests => [.. _requests];

    public IReadOnlyList<StreamConnection> Connections => [.. _connections];

    public IReadOnlyList<string?> RefusedSignatures => [.. _refused];

    public static async Task<FakeStreamApp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeStreamApp(app);
        app.UseWebSockets();
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        fake.BaseUrl = new Uri($"http://127.0.0.1:{address.Port}/");
        return fake;
    }

    /// <summary>Waits (bounded) until every socket the app took is done; then throws what failed on the app's side.</summary>
    public async Task SettleAsync()
    {
        Task[] sockets;
        lock (_sockets)
        {
            sockets = [.. _sockets];
        }

        await Task.WhenAll(sockets).WaitAsync(ServerTimeout);
        ThrowIfFailed();
    }

    public void ThrowIfFailed()
    {
        if (!_failures.IsEmpty)
        {
            throw new AggregateException("the fake stream app failed", _failures);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (context.WebSockets.IsWebSocketRequest)
        {
            var url = $"ws://{request.Host}{request.Path}{request.QueryString}";
            var signature = request.Headers[TwilioSignature.Header].ToString();
            if (request.Path != MediaPath || !TwilioSignature.IsValid(AuthToken, url, [], signature))
            {
                _refused.Enqueue(signature);
                context.Response.StatusCode = 403;
                return;
            }

            var socket = await context.WebSockets.AcceptWebSocketAsync();
            var done = RunSocketAsync(new StreamConnection(socket, signature));
            lock (_sockets)
            {
                _sockets.Add(done);
            }

            await done;
            return;
        }

        var form = (await request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var fullUrl = $"{request.Scheme}://{request.Host}{request.Path}{request.QueryString}";
        if (!TwilioSignature.IsValid(AuthToken, fullUrl, form, request.Headers[TwilioSignature.Header].ToString()))
        {
            context.Response.StatusCode = 403;
            return;
        }

        var recorded = new StreamAppRequest(request.Path, request.Path + request.QueryString, form);
        _requests.Enqueue(recorded);
        if (request.Path == TwilioPaths.Status)
        {
            context.Response.StatusCode = 204;
            return;
        }

        if (Answer(recorded) is not { } twiml)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.WriteAsync(twiml);
    }

    private async Task RunSocketAsync(StreamConnection connection)
    {
        try
        {
            connection.StartReading();
            connection.Connected = await connection.ExpectAsync("connected");
            connection.Start = await connection.ExpectAsync("start");
            _connections.Enqueue(connection);
            await Stream(connection).WaitAsync(ServerTimeout);
            await connection.DrainAsync();
        }
        catch (Exception ex)
        {
            _failures.Enqueue(ex);
            connection.Socket.Abort();
        }
    }
}

/// <summary>One message the fake app received, and when (a <see cref="Stopwatch"/> timestamp).</summary>
internal sealed record StreamReceived(JsonElement Message, long At)
{
    public string Event => Message.GetProperty("event").GetString()!;

    public byte[] Payload => Convert.FromBase64String(Message.GetProperty("media").GetProperty("payload").GetString()!);
}

/// <summary>The app's end of one Media Streams socket: everything received (a reader runs from the start), and what a
/// test's script sends.</summary>
internal sealed class StreamConnection(WebSocket socket, string signature)
{
    private readonly ConcurrentQueue<StreamReceived> _received = new();
    private readonly Channel<StreamReceived?> _inbox = Channel.CreateUnbounded<StreamReceived?>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _echoes = new(StringComparer.Ordinal);
    private Task _reading = Task.CompletedTask;

    public WebSocket Socket { get; } = socket;

    public string Signature { get; } = signature;

    public JsonElement Connected { get; set; }

    public JsonElement Start { get; set; }

    public string StreamSid => Start.GetProperty("streamSid").GetString()!;

    /// <summary>Every message received, in order (connected and start included).</summary>
    public IReadOnlyList<StreamReceived> Received => [.. _received];

    public IEnumerable<StreamReceived> Media => Received.Where(r => r.Event == "media");

    /// <summary>How the caller closed the socket (null while open).</summary>
    public WebSocketCloseStatus? ClosedByCaller { get; private set; }

    public void StartReading() => _reading = ReadAsync();

    /// <summary>The next message (skipping media unless asked for), or null once the caller closed.</summary>
    public async Task<StreamReceived?> NextAsync(bool media = false, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? FakeStreamApp.ServerTimeout);
        while (true)
        {
            var message = await _inbox.Reader.ReadAsync(deadline.Token);
            if (message is null || media || message.Event != "media")
            {
                return message;
            }
        }
    }

    public async Task<JsonElement> ExpectAsync(string type, TimeSpan? timeout = null)
    {
        var message = await NextAsync(type == "media", timeout);
        Assert.True(message is not null, $"expected a {type} message, the caller closed the socket");
        Assert.Equal(type, message.Event);
        return message.Message;
    }

    /// <summary>Waits until the caller's audio has been loud (speech) and then quiet for <paramref name="quiet"/>; the
    /// speech's μ-law bytes, and when its last loud frame came.</summary>
    public async Task<(byte[] Speech, long EndedAt)> HearUtteranceAsync(TimeSpan quiet, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? FakeStreamApp.ServerTimeout);
        var speech = new MemoryStream();
        long lastLoud = 0;
        var silentFrames = 0;
        while (true)
        {
            var message = await _inbox.Reader.ReadAsync(deadline.Token);
            Assert.True(message is not null, "the caller closed the socket before speaking");
            if (message.Event != "media")
            {
                continue;
            }

            var payload = message.Payload;
            var loud = MuLawLevel.Dbfs(payload) > -40;
            if (loud)
            {
                (lastLoud, silentFrames) = (message.At, 0);
            }
            else
            {
                silentFrames++;
            }

            if (lastLoud != 0)
            {
                speech.Write(payload);
                if (silentFrames * 20 >= quiet.TotalMilliseconds)
                {
                    return (speech.ToArray(), lastLoud);
                }
            }
        }
    }

    /// <summary>Sends μ-law audio as media messages of <paramref name="chunkBytes"/> (all at once: the simulator queues it).</summary>
    public async Task PlayAsync(byte[] mulaw, int chunkBytes = 1600)
    {
        for (var at = 0; at < mulaw.Length; at += chunkBytes)
        {
            var chunk = mulaw.AsSpan(at, Math.Min(chunkBytes, mulaw.Length - at));
            await SendJsonAsync(new { @event = "media", streamSid = StreamSid, media = new { payload = Convert.ToBase64String(chunk) } });
        }
    }

    public Task MarkAsync(string name) => SendJsonAsync(new { @event = "mark", streamSid = StreamSid, mark = new { name } });

    public Task ClearAsync() => SendJsonAsync(new { @event = "clear", streamSid = StreamSid });

    /// <summary>Waits for the echo of the named mark (whether or not a read took it already); when it came.</summary>
    public Task<long> MarkEchoAsync(string name, TimeSpan? timeout = null) =>
        Echo(name).Task.WaitAsync(timeout ?? FakeStreamApp.ServerTimeout);

    private TaskCompletionSource<long> Echo(string name) => _echoes.GetOrAdd(name, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Closes from the app's side (normal closure) and waits for the caller's answer; nothing when the caller
    /// closed first.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        using var deadline = new CancellationTokenSource(FakeStreamApp.ServerTimeout);
        if (Socket.State == WebSocketState.Open)
        {
            await Socket.CloseOutputAsync(status, "stream over", deadline.Token);
        }

        await _reading.WaitAsync(deadline.Token);
    }

    public async Task SendJsonAsync(object message) => await SendRawAsync(JsonSerializer.Serialize(message));

    public async Task SendRawAsync(string text)
    {
        using var deadline = new CancellationTokenSource(FakeStreamApp.ServerTimeout);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
    }

    /// <summary>Reads on (bounded) until the caller closes, answering its close.</summary>
    public async Task DrainAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            await _reading.WaitAsync(FakeStreamApp.ServerTimeout);
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(chunk, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClosedByCaller = result.CloseStatus;
                    if (Socket.State == WebSocketState.CloseReceived)
                    {
                        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    }

                    return;
                }

                buffer.Write(chunk, 0, result.Count);
                if (result.EndOfMessage)
                {
                    using var document = JsonDocument.Parse(buffer.ToArray());
                    var received = new StreamReceived(document.RootElement.Clone(), Stopwatch.GetTimestamp());
                    buffer.SetLength(0);
                    _received.Enqueue(received);
                    _inbox.Writer.TryWrite(received);
                    if (received.Event == "mark")
                    {
                        Echo(received.Message.GetProperty("mark").GetProperty("name").GetString()!).TrySetResult(received.At);
                    }
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _inbox.Writer.TryWrite(null);
        }
    }
}

/// <summary>G.711 μ-law levels, for telling the caller's speech from silence.</summary>
internal static class MuLawLevel
{
    public static short Decode(byte code)
    {
        var u = ~code & 0xFF;
        var t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    public static double Dbfs(ReadOnlySpan<byte> mulaw)
    {
        double sum = 0;
        foreach (var code in mulaw)
        {
            double s = Decode(code);
            sum += s * s;
        }

        var rms = Math.Sqrt(sum / Math.Max(1, mulaw.Length));
        return rms <= 0 ? double.NegativeInfinity : 20 * Math.Log10(rms / 32768);
    }

    /// <summary>μ-law 8 kHz as PCM16 16 kHz little-endian (each sample twice: enough for the stand-in's checks).</summary>
    public static byte[] ToPcm16At16Khz(ReadOnlySpan<byte> mulaw)
    {
        var pcm = new byte[mulaw.Length * 4];
        for (var i = 0; i < mulaw.Length; i++)
        {
            var s = Decode(mulaw[i]);
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 4), s);
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan((i * 4) + 2), s);
        }

        return pcm;
    }
}
