using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Receptionist.Calls;
using Receptionist.Core.Notifications;
using Receptionist.Core.Phone;
using Receptionist.Host.Configuration;
using Receptionist.Host.Workflows;
using Receptionist.Telephony.Acs;

namespace Receptionist.Host.Acs;

/// <summary>
/// Azure Communication Services: Event Grid delivers IncomingCall and SMSReceived to /acs/events, ACS posts each call's
/// events to /acs/callbacks/{callId}, and opens a stream-mode call's media WebSocket at /acs/media
/// (<see cref="Streaming.AcsMediaEndpoint"/>). All are authenticated before anything is read or stored (401 otherwise); with ACS not
/// configured they answer 404.
/// </summary>
public static class AcsEndpoints
{
    /// <summary>Larger bodies are not Event Grid's or ACS's (Event Grid batches are at most 1 MB).</summary>
    private const int MaxBody = 1024 * 1024;

    public static IEndpointRouteBuilder MapAcsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/acs").DisableAntiforgery();
        group.MapPost("/events", Events);
        group.MapMethods("/events", [HttpMethods.Options], Handshake);
        group.MapPost("/callbacks/{callId}", Callback);
        group.MapGet("/media", Streaming.AcsMediaEndpoint.Connect);
        return app;
    }

    /// <summary>The CloudEvents abuse-protection handshake (subscriptions with the CloudEvents schema).</summary>
    public static async Task<IResult> Handshake(HttpContext http, AcsAuthentication auth, CancellationToken ct)
    {
        if (auth.NotConfigured is { } off)
        {
            return off;
        }

        if (!await auth.IsEventGridAsync(http, ct))
        {
            return auth.Unauthorized("Event Grid");
        }

        http.Response.Headers["WebHook-Allowed-Origin"] = http.Request.Headers["WebHook-Request-Origin"].ToString() is { Length: > 0 } origin ? origin : "*";
        http.Response.Headers["WebHook-Allowed-Rate"] = "*";
        return TypedResults.Ok();
    }

    public static async Task<IResult> Events(HttpContext http, AcsAuthentication auth, IOptions<ReceptionistOptions> app, ILogger<AcsCallRunner> logger,
        TenantDirectory tenants, IOptOutStore optOuts, TimeProvider clock, CancellationToken ct)
    {
        if (auth.NotConfigured is { } off)
        {
            return off;
        }

        if (!await auth.IsEventGridAsync(http, ct))
        {
            return auth.Unauthorized("Event Grid");
        }

        if (await ReadBodyAsync(http, ct) is not { } body)
        {
            return TooLarge();
        }

        IReadOnlyList<(string Id, string Type, BinaryData? Data, object? SystemData)> events;
        try
        {
            events = Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException)
        {
            return TypedResults.Problem($"Not an array of Event Grid events or CloudEvents: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        foreach (var ev in events)
        {
            if (ev.SystemData is SubscriptionValidationEventData validation)
            {
                logger.LogInformation("Event Grid subscription validated");
                return TypedResults.Ok(new { validationResponse = validation.ValidationCode });
            }

            if (ev.Type == SmsReceivedType)
            {
                // A text to one of the businesses' ACS numbers: STOP or START is recorded as for Twilio's webhook. ACS
                // itself answers the carrier-required keywords on its numbers, so nothing is sent back from here.
                if (!TrySmsReceived(ev.Data, out var text, out var wrong))
                {
                    return TypedResults.Problem($"Event {ev.Id} (SMSReceived): {wrong}", statusCode: StatusCodes.Status400BadRequest);
                }

                if (await InboundTexts.RecordAsync(tenants, optOuts, clock, logger, text.From!, text.To!, text.Message, null, ct) is { } problem)
                {
                    return problem;
                }

                continue;
            }

            if (ev.Type != IncomingCallType)
            {
                continue;
            }

            if (!TryIncoming(ev.Data, out var incoming, out var missing))
            {
                return TypedResults.Problem($"Event {ev.Id} (IncomingCall): {missing}", statusCode: StatusCodes.Status400BadRequest);
            }

            try
            {
                await Runner(http).IncomingAsync(incoming, PublicUrls.Base(http.Request, app.Value.PublicBaseUrl), ct);
            }
            catch (Exception ex) when (StorageTrouble.Is(ex))
            {
                // Event Grid retries a failed delivery; the caller hears ringing meanwhile.
                logger.LogError(ex, "Could not store the incoming call");
                return TypedResults.Problem("Storage is unavailable; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }

        return TypedResults.Ok();
    }

    public static async Task<IResult> Callback(HttpContext http, string callId, AcsAuthentication auth, CancellationToken ct)
    {
        if (auth.NotConfigured is { } off)
        {
            return off;
        }

        var tenantId = http.Request.Query["tenant"].ToString();
        Activity.Current?.SetTag(Calls.ReceptionistTelemetry.Tags.CallId, callId);
        Activity.Current?.SetTag(Calls.ReceptionistTelemetry.Tags.Channel, AcsCalls.Channel);
        if (!await auth.IsCallbackAsync(http, callId, tenantId, ct))
        {
            return auth.Unauthorized("ACS callback");
        }

        if (await ReadBodyAsync(http, ct) is not { } body)
        {
            return TooLarge();
        }

        if (!AcsCallbackEvent.TryParseMany(body, out var events, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        foreach (var ev in events)
        {
            if (!await Runner(http).OnEventAsync(callId, tenantId, ev, ct))
            {
                return TypedResults.Problem("No such call.", statusCode: StatusCodes.Status404NotFound);
            }
        }

        return TypedResults.Ok();
    }

    /// <summary>Resolved only once ACS is known to be configured (it needs the connection).</summary>
    private static AcsCallRunner Runner(HttpContext http) => http.RequestServices.GetRequiredService<AcsCallRunner>();

    private const string IncomingCallType = "Microsoft.Communication.IncomingCall";
    private const string SmsReceivedType = "Microsoft.Communication.SMSReceived";

    /// <summary>The events of a delivery in either schema a subscription may use: Event Grid's (parsed with
    /// Azure.Messaging.EventGrid, which also reads the validation event) or CloudEvents 1.0.</summary>
    private static List<(string Id, string Type, BinaryData? Data, object? SystemData)> Parse(byte[] body)
    {
        using (var doc = JsonDocument.Parse(body))
        {
            var first = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().FirstOrDefault() : doc.RootElement;
            if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("specversion", out _))
            {
                return [.. CloudEvent.ParseMany(BinaryData.FromBytes(body)).Select(e => (e.Id, e.Type, e.Data, e.TryGetSystemEventData(out var d) ? d : null))];
            }
        }

        return [.. EventGridEvent.ParseMany(BinaryData.FromBytes(body)).Select(e => (e.Id, e.EventType, (BinaryData?)e.Data, e.TryGetSystemEventData(out var d) ? d : null))];
    }

    /// <summary>SMSReceived's data (AcsSmsReceivedEventData): the numbers normalized to E.164.</summary>
    private sealed record SmsReceivedData(string? MessageId, string? From, string? To, string? Message);

    private static bool TrySmsReceived(BinaryData? data, out SmsReceivedData text, out string wrong)
    {
        text = null!;
        SmsReceivedData? d;
        try
        {
            d = data?.ToObjectFromJson<SmsReceivedData>(AcsJson.Options);
        }
        catch (JsonException ex)
        {
            wrong = $"its data is not an SMSReceived ({ex.Message})";
            return false;
        }

        string from = string.Empty, to = string.Empty;
        wrong = d is null ? "data is missing"
            : !PhoneNumber.TryNormalize(d.From, out from) ? "from is missing or not a phone number"
            : !PhoneNumber.TryNormalize(d.To, out to) ? "to is missing or not a phone number"
            : string.Empty;
        if (wrong.Length > 0)
        {
            return false;
        }

        text = d! with { From = from, To = to };
        return true;
    }

    private sealed record IncomingCallData(AcsIdentifier? To, AcsIdentifier? From, string? ServerCallId, string? IncomingCallContext);

    /// <summary>IncomingCall's data, the caller's identifier kept as ACS gave it; false with what is missing.</summary>
    private static bool TryIncoming(BinaryData? data, out AcsIncomingCall call, out string missing)
    {
        call = null!;
        IncomingCallData? d;
        try
        {
            d = data?.ToObjectFromJson<IncomingCallData>(AcsJson.Options);
        }
        catch (JsonException ex)
        {
            missing = $"its data is not an IncomingCall ({ex.Message})";
            return false;
        }

        missing = d is null ? "data is missing"
            : string.IsNullOrEmpty(d.ServerCallId) ? "serverCallId is missing"
            : string.IsNullOrEmpty(d.IncomingCallContext) ? "incomingCallContext is missing"
            : d.To?.Number is null ? "to is missing or not a phone number"
            : d.From is null ? "from is missing"
            : string.Empty;
        if (missing.Length > 0)
        {
            return false;
        }

        call = new AcsIncomingCall(d!.ServerCallId!, d.IncomingCallContext!, d.To!.Number, d.From!);
        return true;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxBody)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem($"The body is larger than {MaxBody / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge);
}

/// <summary>Who may post to /acs/*: Event Grid with the subscription secret or an Entra token, ACS with the call's
/// token and (when the resource id is configured) ACS's signed JWT.</summary>
public sealed class AcsAuthentication : IDisposable
{
    private readonly AcsOptions _options;
    private readonly byte[]? _callbackKey;
    private readonly JwtCheck? _callbackJwt;
    private readonly JwtCheck? _eventGridJwt;
    private readonly ILogger<AcsAuthentication> _logger;

    public AcsAuthentication(IOptions<AcsOptions> options, IHttpClientFactory http, ILogger<AcsAuthentication> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (!_options.Configured)
        {
            return;
        }

        _callbackKey = _options.CallbackKey();
        // Token lifetimes are checked against real time, whatever clock the business runs on (Clock:Now in development).
        if (!string.IsNullOrWhiteSpace(_options.ResourceId))
        {
            _callbackJwt = new JwtCheck(_options.OpenIdMetadataUrl, _options.ResourceId, http.CreateClient(nameof(AcsAuthentication)), TimeProvider.System);
        }

        if (!string.IsNullOrWhiteSpace(_options.EventGrid.Audience) && _options.EventGrid.MetadataUrl is { } metadata)
        {
            string[] v1 = _options.EventGrid.TenantId is { Length: > 0 } tenant ? [$"https://sts.windows.net/{tenant}/"] : [];
            _eventGridJwt = new JwtCheck(metadata, _options.EventGrid.Audience, http.CreateClient(nameof(AcsAuthentication)), TimeProvider.System, v1);
        }
    }

    public void Dispose()
    {
        _callbackJwt?.Dispose();
        _eventGridJwt?.Dispose();
    }

    /// <summary>404 while ACS is not configured, else null.</summary>
    public IResult? NotConfigured => _options.Configured ? null
        : TypedResults.Problem("Azure Communication Services is not configured (Acs:ConnectionString).", statusCode: StatusCodes.Status404NotFound);

    public async Task<bool> IsEventGridAsync(HttpContext http, CancellationToken ct)
    {
        var code = http.Request.Query["code"].ToString();
        if (_options.EventGrid.Secret is { Length: > 0 } secret && code.Length > 0
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(code), Encoding.UTF8.GetBytes(secret)))
        {
            return true;
        }

        var failure = _eventGridJwt is null ? null : await _eventGridJwt.FailureAsync(http.Request.Headers.Authorization, ct);
        if (_eventGridJwt is not null && failure is null)
        {
            return true;
        }

        _logger.LogWarning("Rejected an Event Grid delivery: {Reason}", code.Length > 0 ? "wrong code" : failure ?? "no code");
        return false;
    }

    public async Task<bool> IsCallbackAsync(HttpContext http, string callId, string tenantId, CancellationToken ct)
    {
        if (!AcsCalls.IsCallbackToken(_callbackKey!, callId, tenantId, http.Request.Query["token"]))
        {
            _logger.LogWarning("Rejected an ACS callback: missing or wrong call token");
            return false;
        }

        if (_callbackJwt is not null && await _callbackJwt.FailureAsync(http.Request.Headers.Authorization, ct) is { } failure)
        {
            _logger.LogWarning("Rejected an ACS callback: {Reason}", failure);
            return false;
        }

        return true;
    }

    public IResult Unauthorized(string who)
    {
        return TypedResults.Problem($"Missing or invalid {who} credentials.", statusCode: StatusCodes.Status401Unauthorized);
    }
}
