using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Receptionist.Telephony.Simulation;

namespace Receptionist.Telephony.Twilio.Simulation;

/// <summary>
/// A loopback stand-in for Twilio's REST API (Messages create only), on Kestrel at 127.0.0.1 — never another address —
/// with a fixed port or one the OS chose. `./receptionist up` points the app's <c>Twilio:ApiBaseUrl</c> at it so SMS
/// never leave the machine; the tests use it as Twilio. It checks what Twilio checks — POST to
/// /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth AccountSid:AuthToken, a form body with To, From and
/// Body — and answers like Twilio: 201 with a message resource, or an error in Twilio's JSON shape
/// (<c>{"code","message","more_info","status"}</c>). <see cref="FailNext"/> and its siblings make the next request fail.
/// Bounded: a request body of at most 64 KiB, a hung answer of at most 30 s, the latest 1,000 requests and messages kept.
/// </summary>
public sealed partial class TwilioRestStandIn : IAsyncDisposable
{
    public const string DefaultAccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string DefaultAuthToken = "fake-rest-auth-token-0123456789";

    /// <summary>How many requests (and accepted messages) are kept for <see cref="Requests"/> and <see cref="Messages"/>.</summary>
    public const int MaxRecorded = 1000;

    private const string Json = "application/json; charset=utf-8";
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly TimeSpan MaxHang = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();
    private readonly ConcurrentQueue<Failure> _failures = new();
    private int _disposed;

    private TwilioRestStandIn(WebApplication app, Uri baseUrl, string accountSid, string authToken, TimeProvider time)
    {
        _app = app;
        _time = time;
        BaseUrl = baseUrl;
        AccountSid = accountSid;
        AuthToken = authToken;
    }

    /// <summary>Raised for every message answered 201, before the answer is sent (so it has run when the client has its
    /// sid). Runs on a request thread; a handler that throws does not change the answer.</summary>
    public event Action<ReceivedMessage>? MessageAccepted;

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>What the app's <c>Twilio:ApiBaseUrl</c> is set to: <c>http://127.0.0.1:{port}</c> (no path).</summary>
    public string ApiBaseUrl => BaseUrl.GetLeftPart(UriPartial.Authority);

    public string AccountSid { get; }

    public string AuthToken { get; }

    /// <summary>Every request that reached the stand-in, whatever it was answered, in arrival order (the latest
    /// <see cref="MaxRecorded"/>; a body over 64 KiB is answered 413 and not kept).</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Every message answered 201, in the order they were accepted (the latest <see cref="MaxRecorded"/>).</summary>
    public IReadOnlyList<ReceivedMessage> Messages => [.. _messages];

    /// <summary>The sid of every message answered 201 (the latest <see cref="MaxRecorded"/>).</summary>
    public IReadOnlyList<string> CreatedSids => [.. _messages.Select(m => m.Sid)];

    /// <param name="port">The port on 127.0.0.1; 0 lets the OS choose.</param>
    /// <param name="accountSid">The account whose Messages resource is served; requests must authenticate as it.</param>
    /// <param name="authToken">The account's auth token (the Basic auth password).</param>
    /// <param name="timeProvider">Where the messages' times come from; the system clock by default.</param>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<TwilioRestStandIn> StartAsync(
        int port = 0,
        string accountSid = DefaultAccountSid,
        string authToken = DefaultAuthToken,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentException.ThrowIfNullOrEmpty(accountSid);
        ArgumentException.ThrowIfNullOrEmpty(authToken);

        return await LoopbackApp.StartAsync(
            port,
            (app, baseUrl) => new TwilioRestStandIn(app, baseUrl, accountSid, authToken, timeProvider ?? TimeProvider.System),
            (standIn, context) => standIn.HandleAsync(context),
            k =>
            {
                k.AddServerHeader = false;
                k.Limits.MaxRequestBodySize = MaxBodyBytes;
            },
            cancellationToken);
    }

    /// <summary>The next request is answered with <paramref name="status"/> and a Twilio error body (code, message).</summary>
    public void FailNext(int status, int code, string message) => _failures.Enqueue(new Failure(status, code, message, Raw: null, Hang: false));

    /// <summary>The next request is answered with <paramref name="status"/> and <paramref name="body"/> as text/html (a gateway's page).</summary>
    public void FailNextWithRawBody(int status, string body) => _failures.Enqueue(new Failure(status, 0, string.Empty, body, Hang: false));

    /// <summary>The next request gets no answer until the client gives up (or the stand-in stops; at most 30 s, then a 503).</summary>
    public void HangNext() => _failures.Enqueue(new Failure(0, 0, string.Empty, Raw: null, Hang: true));

    /// <summary>While set, every request is answered 503 (Twilio's 20503 "Service Unavailable") and nothing is accepted:
    /// an outage, for as long as a test needs one.</summary>
    public bool Unavailable { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync(); // ends every hung answer
        using (var stopping = new CancellationTokenSource(StopTimeout))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        try
        {
            ReceivedRequest received;
            try
            {
                received = await ReadAsync(context.Request, aborted.Token);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await WriteAsync(context.Response, (413, Error(413, 20413, "Request Entity Too Large"), Json), aborted.Token);
                return;
            }

            Keep(_requests, received);
            await WriteAsync(context.Response, await AnswerAsync(received, aborted.Token), aborted.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            context.Abort(); // stopping, or the client went away
        }
    }

    private async Task<(int Status, string Body, string ContentType)> AnswerAsync(ReceivedRequest request, CancellationToken cancellationToken)
    {
        if (Unavailable)
        {
            return (503, Error(503, 20503, "Service Unavailable"), Json);
        }

        if (_failures.TryDequeue(out var failure))
        {
            if (failure.Hang)
            {
                await Task.Delay(MaxHang, cancellationToken);
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
            return (405, Error(405, 20004, "Method not allowed (this stand-in only creates messages)"), Json);
        }

        var to = request.FormValue("To");
        var from = request.FormValue("From");
        var service = request.FormValue("MessagingServiceSid");
        var body = request.FormValue("Body");
        if (string.IsNullOrEmpty(to))
        {
            return (400, Error(400, 21604, "A 'To' phone number is required."), Json);
        }

        if (!E164().IsMatch(to))
        {
            return (400, Error(400, 21211, $"Invalid 'To' Phone Number: {to}"), Json);
        }

        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(service))
        {
            return (400, Error(400, 21603, "A 'From' phone number is required."), Json);
        }

        if (!string.IsNullOrEmpty(service) && !string.IsNullOrEmpty(from))
        {
            // Twilio accepts both only when From belongs to the service's pool; this stand-in has no pools.
            return (400, Error(400, 21704, "The Messaging Service does not contain a phone number matching 'From'."), Json);
        }

        if (string.IsNullOrEmpty(body))
        {
            return (400, Error(400, 21602, "Message body is required."), Json);
        }

        var message = new ReceivedMessage("SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), to, from ?? string.Empty, body, _time.GetUtcNow())
        {
            MessagingServiceSid = string.IsNullOrEmpty(service) ? null : service,
        };
        Keep(_messages, message);
        try
        {
            MessageAccepted?.Invoke(message);
        }
        catch (Exception)
        {
            // A subscriber's failure (a console gone away) is not Twilio's: the message was still accepted.
        }

        return (201, MessageResource(message), Json);
    }

    private string MessageResource(ReceivedMessage message)
    {
        var created = message.ReceivedAt.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var uri = $"/2010-04-01/Accounts/{AccountSid}/Messages/{message.Sid}";
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["account_sid"] = AccountSid,
            ["api_version"] = "2010-04-01",
            ["body"] = message.Body,
            ["date_created"] = created,
            ["date_sent"] = null,
            ["date_updated"] = created,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = message.From.Length > 0 ? message.From : null,
            ["messaging_service_sid"] = message.MessagingServiceSid,
            ["num_media"] = "0",
            ["num_segments"] = "1",
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = message.Sid,
            ["status"] = "queued",
            ["subresource_uris"] = new Dictionary<string, string> { ["media"] = uri + "/Media.json" },
            ["to"] = message.To,
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

    private static async Task WriteAsync(HttpResponse response, (int Status, string Body, string ContentType) answer, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
        await response.CompleteAsync();
    }

    private static void Keep<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        while (queue.Count > MaxRecorded)
        {
            queue.TryDequeue(out _); // the oldest goes
        }
    }

    private static async Task<ReceivedRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var form = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            ? ParseForm(body)
            : [];

        string? user = null, password = null;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
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
            request.Method,
            request.Path.Value ?? "/",
            request.QueryString.Value ?? string.Empty,
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

    /// <summary>One request as the stand-in saw it; <see cref="Form"/> keeps every field in order, duplicates included.</summary>
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

    /// <summary>One message the stand-in answered 201 for: what Twilio would have sent, and when it was accepted.</summary>
    /// <summary>A message accepted; <see cref="From"/> is empty when it was sent through <see cref="MessagingServiceSid"/>.</summary>
    public sealed record ReceivedMessage(string Sid, string To, string From, string Body, DateTimeOffset ReceivedAt)
    {
        public string? MessagingServiceSid { get; init; }
    }
}
