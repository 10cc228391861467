using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Receptionist.Telephony.Simulation;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// A loopback stand-in for the Azure Communication Services Call Automation REST API (docs/acs.md, "Local stand-in"),
/// on Kestrel at 127.0.0.1: the app is given <see cref="ConnectionString"/> and <see cref="OpenIdMetadataUrl"/> and
/// talks to it as to ACS. Every REST request must be HMAC-signed with the access key (401 otherwise, counted in
/// <see cref="RejectedRequests"/>) and carry api-version=2025-06-15; a POST repeating a Repeatability-Request-ID gets
/// the first answer again and does nothing twice; callbacks are POSTed to the app's callback URI in order, one at a
/// time, after the response that caused them, each with a JWT from the stand-in's own RSA key, which the OpenID
/// metadata and JWKS it serves describe. Calls ring here through <see cref="AddIncomingCall"/> (the simulator adds its
/// own) and are played by <see cref="AcsCallSimulator"/>. It also serves the SMS API (<c>POST /sms</c>, api-version
/// 2021-03-07: docs/acs.md, "Text messages over ACS"), HMAC-signed the same way: it records the texts it accepts
/// (<see cref="Texts"/>) and can be told to fail the next one (<see cref="FailNextSms"/>).
/// </summary>
public sealed class AcsStandIn : IAsyncDisposable
{
    public const string ApiVersion = "2025-06-15";

    private const string OpenIdPath = "/calling/.well-known/acsopenidconfiguration";
    private const string JwksPath = "/calling/.well-known/jwks";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly AcsStandInOptions _options;
    private readonly byte[] _key;
    private readonly StandInTokens _tokens;
    private readonly StandInCallbacks _callbacks;
    private readonly StandInOperations _operations;
    private readonly StandInSms _sms;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<AcsRecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StandInResponse>> _repeatable = new(StringComparer.Ordinal);
    private int _rejected;

    private AcsStandIn(WebApplication app, AcsStandInOptions options, byte[] key, Uri endpoint)
    {
        _app = app;
        _options = options;
        _key = key;
        Endpoint = endpoint;
        _tokens = new StandInTokens(endpoint.AbsoluteUri.TrimEnd('/'), options.ResourceId, options.TimeProvider);
        _callbacks = new StandInCallbacks(_tokens, options.TimeProvider);
        _operations = new StandInOperations(options, _callbacks, _stop.Token);
        _sms = new StandInSms(options.TimeProvider, _stop.Token);
    }

    /// <summary>Raised for every text accepted, before the answer is sent. Runs on a request thread; a handler that
    /// throws does not change the answer.</summary>
    public event Action<AcsReceivedText>? TextAccepted
    {
        add => _sms.TextAccepted += value;
        remove => _sms.TextAccepted -= value;
    }

    /// <summary>Every text accepted through the SMS API, in order (a repeated repeatabilityRequestId is not a second text).</summary>
    public IReadOnlyList<AcsReceivedText> Texts => _sms.Texts;

    /// <summary>The next SMS request fails as <paramref name="failure"/> says (queued: each call fails one more request).</summary>
    public void FailNextSms(AcsSmsFailure failure) => _sms.FailNext(failure);

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>What the app's <c>Acs:ConnectionString</c> is set to.</summary>
    public string ConnectionString => $"endpoint={Endpoint};accesskey={_options.AccessKey}";

    /// <summary>What the app's <c>Acs:OpenIdMetadataUrl</c> is set to (served over plain HTTP: the app's metadata
    /// retriever must allow that for loopback).</summary>
    public string OpenIdMetadataUrl => $"{Endpoint}calling/.well-known/acsopenidconfiguration";

    /// <summary>The issuer of the callback JWTs, as the metadata document states it.</summary>
    public string Issuer => _tokens.Issuer;

    /// <summary>REST requests refused for a missing or invalid HMAC signature.</summary>
    public int RejectedRequests => Volatile.Read(ref _rejected);

    /// <summary>Every REST request whose signature was valid, in the order they were answered.</summary>
    public IReadOnlyList<AcsRecordedRequest> Requests => [.. _requests];

    public static async Task<AcsStandIn> StartAsync(AcsStandInOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = new byte[options.AccessKey.Length];
        if (!Convert.TryFromBase64String(options.AccessKey, key, out var keyLength) || keyLength == 0)
        {
            throw new ArgumentException("AccessKey must be base64, as in an ACS connection string.", nameof(options));
        }

        return await LoopbackApp.StartAsync(
            options.Port,
            (app, baseUrl) => new AcsStandIn(app, options, key[..keyLength], baseUrl),
            (standIn, context) => standIn.HandleAsync(context),
            kestrel: null,
            cancellationToken);
    }

    /// <summary>A PSTN call from <paramref name="from"/> (E.164, or "anonymous") to <paramref name="to"/> now rings:
    /// its incomingCallContext can be answered or rejected once.</summary>
    public AcsStandInCall AddIncomingCall(string to, string from) => _operations.AddIncomingCall(to, from);

    /// <summary>How the app answered <paramref name="incoming"/>: its call connection and the media streaming it asked
    /// for (null without); null while it is not answered.</summary>
    public (string Connection, AcsStandInMedia? Media)? MediaOf(AcsStandInCall incoming) => _operations.Answered(incoming);

    /// <summary>A JWT as ACS signs the upgrade of a media WebSocket with (the callbacks' issuer, key and audience), for
    /// the <c>Authorization: Bearer</c> header.</summary>
    public string MediaToken() => _tokens.CreateToken();

    /// <summary>POSTs <c>[cloudEvent]</c> to <paramref name="callbackUri"/> with a fresh callback JWT, as ACS delivers
    /// an event (a redelivery, an event the stand-in would not send by itself). A <see cref="JsonNode"/> is sent as
    /// it is, any other object serialized with the web defaults (camelCase). The caller disposes the response.</summary>
    public Task<HttpResponseMessage> PostCallbackAsync(Uri callbackUri, object cloudEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var node = cloudEvent as JsonNode ?? JsonSerializer.SerializeToNode(cloudEvent, cloudEvent.GetType(), JsonSerializerOptions.Web)!;
        return _callbacks.PostAsync(callbackUri, node, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_operations.Calls.Select(c => c.Callbacks.Delivering)).WaitAsync(StopTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        using (var stopping = new CancellationTokenSource(StopTimeout))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
        _callbacks.Dispose();
        _tokens.Dispose();
        _stop.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var received = Stopwatch.GetTimestamp();
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (HttpMethods.IsGet(request.Method) && path == OpenIdPath)
        {
            await WriteAsync(context.Response, new StandInResponse(HttpStatusCode.OK, _tokens.Metadata(new Uri(Endpoint, JwksPath))));
            return;
        }

        if (HttpMethods.IsGet(request.Method) && path == JwksPath)
        {
            await WriteAsync(context.Response, new StandInResponse(HttpStatusCode.OK, _tokens.Jwks()));
            return;
        }

        var body = await ReadBodyAsync(request, context.RequestAborted);
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var unsigned = StandInHmac.Verify(_key, request.Method, target, request.Headers.Host, request.Headers["x-ms-date"], request.Headers["x-ms-content-sha256"],
            request.Headers.Authorization, body, _options.TimeProvider.GetUtcNow());
        if (unsigned is not null)
        {
            Interlocked.Increment(ref _rejected);
            await WriteAsync(context.Response, StandInResponse.Error(HttpStatusCode.Unauthorized, "Unauthorized", unsigned));
            return;
        }

        var outcome = path == StandInSms.Path
            ? new StandInOutcome(await _sms.HandleAsync(request.Method, request.Query["api-version"], body, context.RequestAborted))
            : request.Query["api-version"] == ApiVersion
            ? await HandleOnceAsync(request, path, body, received)
            : new StandInOutcome(StandInResponse.BadRequest($"The query must have api-version={ApiVersion}.", "api-version"));
        _requests.Enqueue(new AcsRecordedRequest(request.Method, target, Encoding.UTF8.GetString(body),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), (int)outcome.Response.Status));
        await WriteAsync(context.Response, outcome.Response);
        await context.Response.CompleteAsync();
        outcome.AfterResponse?.Invoke();
    }

    /// <summary>
    /// Runs the operation, unless it is a POST repeating a Repeatability-Request-ID already seen: then the first
    /// answer again and nothing else (a failed first attempt is not kept, so a retry runs). The id must be a UUID and
    /// come with Repeatability-First-Sent (RFC 1123), as the service requires.
    /// </summary>
    private async Task<StandInOutcome> HandleOnceAsync(HttpRequest request, string path, byte[] body, long received)
    {
        var id = request.Headers["Repeatability-Request-ID"].ToString();
        if (!HttpMethods.IsPost(request.Method) || id.Length == 0)
        {
            return _operations.Handle(request.Method, path, body, received);
        }

        if (!Guid.TryParse(id, out _))
        {
            return new StandInOutcome(StandInResponse.BadRequest($"Repeatability-Request-ID '{id}' is not a UUID.", "Repeatability-Request-ID"));
        }

        var firstSent = request.Headers["Repeatability-First-Sent"].ToString();
        if (!DateTimeOffset.TryParseExact(firstSent, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            return new StandInOutcome(StandInResponse.BadRequest(
                $"Repeatability-First-Sent '{firstSent}' is not an RFC 1123 date (it is required with Repeatability-Request-ID).", "Repeatability-First-Sent"));
        }

        var mine = new TaskCompletionSource<StandInResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _repeatable.GetOrAdd(id, mine);
        if (first != mine)
        {
            return new StandInOutcome(await first.Task);
        }

        StandInOutcome outcome;
        try
        {
            outcome = _operations.Handle(request.Method, path, body, received);
        }
        catch (Exception ex)
        {
            _repeatable.TryRemove(KeyValuePair.Create(id, mine));
            mine.SetException(ex);
            throw;
        }

        if (!outcome.Response.IsSuccess)
        {
            _repeatable.TryRemove(KeyValuePair.Create(id, mine));
        }

        mine.SetResult(outcome.Response);
        return outcome;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpResponse response, StandInResponse answer)
    {
        response.StatusCode = (int)answer.Status;
        if (answer.Body is not null)
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(answer.Body.ToJsonString());
        }
    }
}
