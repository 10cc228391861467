using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Receptionist.Telephony.Tests.Twilio;

/// <summary>
/// A loopback stand-in for Twilio's REST API (Messages create only), on 127.0.0.1 with a port the OS chose. It checks
/// what Twilio checks — POST to /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth AccountSid:AuthToken,
/// a form body with To, From and Body — and answers like Twilio: 201 with a message resource, or an error in Twilio's
/// JSON shape (<c>{"code","message","more_info","status"}</c>). <see cref="FailNext"/> makes the next request fail.
/// </summary>
public sealed partial class FakeTwilioRestServer : IAsyncDisposable
{
    public const string DefaultAccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string DefaultAuthToken = "fake-rest-auth-token-0123456789";

    private static readonly TimeSpan MaxHang = TimeSpan.FromSeconds(30);

    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _createdSids = new();
    private readonly ConcurrentQueue<Failure> _failures = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly Task _acceptLoop;
    private int _disposed;

    private FakeTwilioRestServer(HttpListener listener, Uri baseUrl, string accountSid, string authToken)
    {
        _listener = listener;
        BaseUrl = baseUrl;
        AccountSid = accountSid;
        AuthToken = authToken;
        _acceptLoop = AcceptLoopAsync();
    }

    public Uri BaseUrl { get; }

    public string AccountSid { get; }

    public string AuthToken { get; }

    /// <summary>Every request that reached the server, whatever it was answered, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    /// <summary>The sid of every message the fake answered 201 for.</summary>
    public IReadOnlyList<string> CreatedSids => _createdSids.ToArray();

    public static FakeTwilioRestServer Start(string accountSid = DefaultAccountSid, string authToken = DefaultAuthToken)
    {
        // HttpListener cannot bind port 0: take a port the OS hands out, release it and bind it (retried on a race).
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeTwilioRestServer(listener, new Uri($"http://127.0.0.1:{port}"), accountSid, authToken);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>The next request is answered with <paramref name="status"/> and a Twilio error body (code, message).</summary>
    public void FailNext(int status, int code, string message) => _failures.Enqueue(new Failure(status, code, message, Raw: null, Hang: false));

    /// <summary>The next request is answered with <paramref name="status"/> and <paramref name="body"/> as text/html (a gateway's page).</summary>
    public void FailNextWithRawBody(int status, string body) => _failures.Enqueue(new Failure(status, 0, string.Empty, body, Hang: false));

    /// <summary>The next request gets no answer until the client gives up (or the server stops; at most 30 s).</summary>
    public void HangNext() => _failures.Enqueue(new Failure(0, 0, string.Empty, Raw: null, Hang: true));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Close();
        var all = Task.WhenAll(_inFlight.Keys.Append(_acceptLoop));
        await all.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            var handling = HandleAsync(context);
            _inFlight.TryAdd(handling, 0);
            _ = handling.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var received = await ReadAsync(context.Request);
            _requests.Enqueue(received);
            var (status, json, contentType) = await AnswerAsync(received);
            var bytes = Encoding.UTF8.GetBytes(json);
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes, _stopping.Token);
            response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            response.Abort(); // stopping, or the client went away
        }
    }

    private async Task<(int Status, string Body, string ContentType)> AnswerAsync(ReceivedRequest request)
    {
        const string Json = "application/json; charset=utf-8";
        if (_failures.TryDequeue(out var failure))
        {
            if (failure.Hang)
            {
                await Task.Delay(MaxHang, _stopping.Token);
                return (503, Error(503, 20503, "Service Unavailable"), Json);
            }

            return failure.Raw is { } raw
                ? (failure.Status, raw, "text/html; charset=utf-8")
                : (failure.Status, Error(failure.Status, failure.Code, failure.Message), Json);
        }

        if (request.BasicUser != AccountSid || request.BasicPassword != AuthToken)
        {
            return (401, Error(401, 20003, "Authenticate", detail: "Your AccountSid or AuthToken was incorrect."), Json);
        }

        var messagesPath = $"/2010-04-01/Accounts/{AccountSid}/Messages.json";
        if (request.Path != messagesPath)
        {
            return (404, Error(404, 20404, $"The requested resource {request.Path} was not found"), Json);
        }

        if (request.Method != "POST")
        {
            return (405, Error(405, 20004, "Method not allowed (this fake only creates messages)"), Json);
        }

        var to = request.FormValue("To");
        var from = request.FormValue("From");
        var body = request.FormValue("Body");
        if (string.IsNullOrEmpty(to))
        {
            return (400, Error(400, 21604, "A 'To' phone number is required."), Json);
        }

        if (!E164().IsMatch(to))
        {
            return (400, Error(400, 21211, $"Invalid 'To' Phone Number: {to}"), Json);
        }

        if (string.IsNullOrEmpty(from))
        {
            return (400, Error(400, 21603, "A 'From' phone number is required."), Json);
        }

        if (string.IsNullOrEmpty(body))
        {
            return (400, Error(400, 21602, "Message body is required."), Json);
        }

        return (201, MessageResource(to, from, body), Json);
    }

    private string MessageResource(string to, string from, string body)
    {
        var sid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var uri = $"/2010-04-01/Accounts/{AccountSid}/Messages/{sid}";
        _createdSids.Enqueue(sid);
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["account_sid"] = AccountSid,
            ["api_version"] = "2010-04-01",
            ["body"] = body,
            ["date_created"] = now,
            ["date_sent"] = null,
            ["date_updated"] = now,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = from,
            ["messaging_service_sid"] = null,
            ["num_media"] = "0",
            ["num_segments"] = "1",
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = sid,
            ["status"] = "queued",
            ["subresource_uris"] = new Dictionary<string, string> { ["media"] = uri + "/Media.json" },
            ["to"] = to,
            ["uri"] = uri + ".json",
        });
    }

    private static string Error(int status, int code, string message, string? detail = null)
    {
        var error = new Dictionary<string, object?>
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        };
        if (detail is not null)
        {
            error["detail"] = detail;
        }

        return JsonSerializer.Serialize(error);
    }

    private static async Task<ReceivedRequest> ReadAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var form = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            ? ParseForm(body)
            : [];

        string? user = null, password = null;
        var authorization = request.Headers["Authorization"];
        if (authorization?.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                (user, password) = colon < 0 ? (pair, null) : (pair[..colon], pair[(colon + 1)..]);
            }
            catch (FormatException)
            {
                // Not Base64: no credentials.
            }
        }

        return new ReceivedRequest(
            request.HttpMethod,
            request.Url?.AbsolutePath ?? string.Empty,
            request.Url?.Query ?? string.Empty,
            request.ContentType,
            body,
            form,
            user,
            password);
    }

    private static List<KeyValuePair<string, string>> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(kv => new KeyValuePair<string, string>(Decode(kv[0]), kv.Length > 1 ? Decode(kv[1]) : string.Empty))
            .ToList();

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    private sealed record Failure(int Status, int Code, string Message, string? Raw, bool Hang);

    /// <summary>One request as the fake saw it; <see cref="Form"/> keeps every field in order, duplicates included.</summary>
    public sealed record ReceivedRequest(
        string Method,
        string Path,
        string Query,
        string? ContentType,
        string Body,
        IReadOnlyList<KeyValuePair<string, string>> Form,
        string? BasicUser,
        string? BasicPassword)
    {
        public string? FormValue(string name) => Form.FirstOrDefault(p => p.Key == name).Value;
    }
}
