using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Twilio;

/// <summary>A form POST the fake app received (after its signature was checked).</summary>
internal sealed record RelayAppRequest(string Url, string Path, IReadOnlyDictionary<string, string> Form, string? Signature);

/// <summary>How the fake app answers a POST.</summary>
internal sealed record RelayAppAnswer(HttpStatusCode Status, string Body)
{
    public static RelayAppAnswer Twiml(string xml) => new(HttpStatusCode.OK, xml);
}

/// <summary>
/// The app side of a ConversationRelay call on 127.0.0.1 (an OS-chosen port), over HttpListener: form POSTs and the
/// WebSocket upgrade at /twilio/relay must carry a valid X-Twilio-Signature (403 otherwise, as the real app answers),
/// POSTs are answered by <see cref="Answer"/>, each accepted socket has its setup read and is then played by
/// <see cref="Relay"/>. Everything received is recorded; a failure on the server side (an assertion in a relay
/// script) is kept and rethrown by <see cref="ThrowIfFailed"/>.
/// </summary>
internal sealed class FakeRelayApp : IAsyncDisposable
{
    public const string AuthToken = "relay-auth-token-0123456789";
    public static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentQueue<RelayAppRequest> _requests = new();
    private readonly ConcurrentQueue<RelayConnection> _connections = new();
    private readonly ConcurrentQueue<string?> _refusedSignatures = new();
    private readonly List<Task> _handlers = [];
    private readonly Task _accepting;

    public FakeRelayApp()
    {
        (_listener, Port) = Listen();
        BaseUrl = new Uri($"http://127.0.0.1:{Port}/");
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public Uri BaseUrl { get; }

    /// <summary>The ConversationRelay url as the app would write it in TwiML.</summary>
    public string RelayUrl => $"ws://127.0.0.1:{Port}{TwilioPaths.Relay}";

    /// <summary>Answers each POST (after the signature check); by default 404.</summary>
    public Func<RelayAppRequest, RelayAppAnswer> Answer { get; set; } = _ => new RelayAppAnswer(HttpStatusCode.NotFound, "no answer scripted");

    /// <summary>Plays the app's side of each accepted socket after its setup; when it returns with the socket open,
    /// the fake reads on until the caller closes.</summary>
    public Func<RelayConnection, Task> Relay { get; set; } = _ => Task.CompletedTask;

    /// <summary>Refuse every WebSocket upgrade with this status (even a correctly signed one).</summary>
    public HttpStatusCode? RefuseUpgrades { get; set; }

    public IReadOnlyList<RelayAppRequest> Requests => [.. _requests];

    public IReadOnlyList<RelayConnection> Connections => [.. _connections];

    /// <summary>The X-Twilio-Signature of each upgrade refused for a bad signature.</summary>
    public IReadOnlyList<string?> RefusedSignatures => [.. _refusedSignatures];

    /// <summary>Waits (bounded) until every request and socket the app took is done, then <see cref="ThrowIfFailed"/>.</summary>
    public async Task SettleAsync()
    {
        Task[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }

        await Task.WhenAll(handlers).WaitAsync(ServerTimeout);
        ThrowIfFailed();
    }

    public void ThrowIfFailed()
    {
        if (!_failures.IsEmpty)
        {
            throw new AggregateException("the fake relay app failed", _failures);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        Task[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers, _accepting];
        }

        await Task.WhenAll(handlers).WaitAsync(ServerTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var connection in _connections)
        {
            connection.Socket.Dispose();
        }

        _stop.Dispose();
    }

    private static (HttpListener Listener, int Port) Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close(); // the port was taken in between: try another
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            lock (_handlers)
            {
                _handlers.Add(HandleAsync(context));
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            if (context.Request.IsWebSocketRequest)
            {
                await UpgradeAsync(context);
            }
            else
            {
                await PostAsync(context);
            }
        }
        catch (Exception ex)
        {
            _failures.Enqueue(ex);
            try
            {
                context.Response.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task PostAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(_stop.Token);
        var form = FormBody.Parse(body);
        var url = request.Url!.AbsoluteUri;
        var signature = request.Headers[TwilioSignature.Header];
        RelayAppAnswer answer;
        if (request.HttpMethod != "POST" || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
        {
            answer = new RelayAppAnswer(HttpStatusCode.BadRequest, "a form POST expected");
        }
        else if (!TwilioSignature.IsValid(AuthToken, url, form, signature))
        {
            answer = new RelayAppAnswer(HttpStatusCode.Forbidden, "bad signature");
        }
        else
        {
            var recorded = new RelayAppRequest(url, request.Url.AbsolutePath, form, signature);
            _requests.Enqueue(recorded);
            answer = Answer(recorded);
        }

        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        context.Response.StatusCode = (int)answer.Status;
        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
        context.Response.Close();
    }

    private async Task UpgradeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var wsUrl = "ws" + request.Url!.AbsoluteUri[request.Url.Scheme.Length..];
        var signature = request.Headers[TwilioSignature.Header];
        var valid = request.Url.AbsolutePath == TwilioPaths.Relay && TwilioSignature.IsValid(AuthToken, wsUrl, [], signature);
        if (!valid || RefuseUpgrades is not null)
        {
            if (!valid)
            {
                _refusedSignatures.Enqueue(signature);
            }

            context.Response.StatusCode = (int)(RefuseUpgrades ?? HttpStatusCode.Forbidden);
            context.Response.Close();
            return;
        }

        var accepted = await context.AcceptWebSocketAsync(subProtocol: null);
        var connection = new RelayConnection(accepted.WebSocket, wsUrl, signature, _stop.Token);
        try
        {
            var setup = await connection.ReceiveAsync();
            Assert.NotNull(setup);
            Assert.Equal("setup", setup.Value.GetProperty("type").GetString());
            connection.Setup = setup.Value;
            _connections.Enqueue(connection);
            await Relay(connection).WaitAsync(ServerTimeout, _stop.Token);
            while (connection.Socket.State == WebSocketState.Open && await connection.ReceiveAsync() is not null)
            {
            }
        }
        finally
        {
            connection.Socket.Dispose(); // drops the connection, as a server does after the closing handshake
        }
    }

}

/// <summary>One message the fake app received, and when (a <see cref="Stopwatch"/> timestamp).</summary>
internal sealed record RelayReceived(JsonElement Message, long At)
{
    public string Type => Message.GetProperty("type").GetString()!;
}

/// <summary>The app's end of one ConversationRelay socket: what it received, and what a test's script sends.</summary>
internal sealed class RelayConnection(WebSocket socket, string url, string? signature, CancellationToken stop)
{
    private readonly ConcurrentQueue<RelayReceived> _received = new();
    private readonly ConcurrentQueue<long> _sent = new();

    public WebSocket Socket { get; } = socket;

    /// <summary>The URL of the upgrade request, ws:// spelling.</summary>
    public string Url { get; } = url;

    public string? Signature { get; } = signature;

    public JsonElement Setup { get; set; }

    /// <summary>Every message after setup, in order.</summary>
    public IReadOnlyList<RelayReceived> Received => [.. _received.Skip(1)];

    /// <summary>When each message was sent (Stopwatch timestamps).</summary>
    public IReadOnlyList<long> SentAt => [.. _sent];

    /// <summary>How the caller closed the socket (null while open, or when the app closed it first).</summary>
    public WebSocketCloseStatus? ClosedByCaller { get; private set; }

    public bool ClosedByApp { get; private set; }

    /// <summary>The next message, or null once the caller closed (the close is answered). Bounded.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(timeout ?? FakeRelayApp.ServerTimeout);
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            var result = await Socket.ReceiveAsync(chunk, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                ClosedByCaller = ClosedByApp ? null : result.CloseStatus;
                if (Socket.State == WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", stop);
                }

                return null;
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(buffer.ToArray());
                var message = document.RootElement.Clone();
                _received.Enqueue(new RelayReceived(message, Stopwatch.GetTimestamp()));
                return message;
            }
        }
    }

    /// <summary>The next message, which must be of this type.</summary>
    public async Task<JsonElement> ExpectAsync(string type, TimeSpan? timeout = null)
    {
        var message = await ReceiveAsync(timeout);
        Assert.True(message is not null, $"expected a {type} message, the caller closed the socket");
        Assert.Equal(type, message.Value.GetProperty("type").GetString());
        return message.Value;
    }

    public Task SayAsync(string token, bool last = true, object? interruptible = null) =>
        SendJsonAsync(interruptible is null
            ? new Dictionary<string, object> { ["type"] = "text", ["token"] = token, ["last"] = last }
            : new Dictionary<string, object> { ["type"] = "text", ["token"] = token, ["last"] = last, ["interruptible"] = interruptible });

    /// <summary>Ends the session (handoffData only when given) and closes the socket.</summary>
    public async Task EndAsync(string? handoffData = null)
    {
        await SendJsonAsync(handoffData is null
            ? new Dictionary<string, object> { ["type"] = "end" }
            : new Dictionary<string, object> { ["type"] = "end", ["handoffData"] = handoffData });
        await CloseAsync();
    }

    /// <summary>Closes the socket from the app's side and waits for the caller's close.</summary>
    public async Task CloseAsync()
    {
        ClosedByApp = true;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(FakeRelayApp.ServerTimeout);
        if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "session over", deadline.Token);
        }
    }

    public Task SendJsonAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public async Task SendRawAsync(string text, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        _sent.Enqueue(Stopwatch.GetTimestamp());
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), type, endOfMessage: true, stop);
    }
}
