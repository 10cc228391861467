using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Receptionist.Telephony.Acs.Simulation;

namespace Receptionist.Telephony.Tests.Acs.Simulation;

/// <summary>A callback the fake app received: where it was posted, its bearer token and the CloudEvent.</summary>
internal sealed record ReceivedCallback(string PathAndQuery, string? Authorization, JsonObject Event)
{
    public string Type => ((string)Event["type"]!)["Microsoft.Communication.".Length..];

    public JsonObject Data => Event["data"]!.AsObject();

    public string CallConnectionId => (string)Data["callConnectionId"]!;

    public string? OperationContext => (string?)Data["operationContext"];

    public int? SubCode => (int?)Data["resultInformation"]?["subCode"];
}

/// <summary>An Event Grid delivery the fake app received.</summary>
internal sealed record ReceivedDelivery(string? EventType, string Query, JsonArray Events);

/// <summary>
/// The app's side of the ACS channel on 127.0.0.1 (an OS-chosen port), scripted per test: /acs/events checks the
/// code, validates the subscription and hands each IncomingCall to <see cref="OnIncomingCall"/> (answering by
/// default); /acs/callbacks/{callId} records each event and hands it to <see cref="OnCallback"/> before answering
/// <see cref="CallbackStatus"/>. Scripts act on the stand-in with a client signed as the documentation says. A script
/// that fails makes the request answer 500 and is kept for <see cref="ThrowIfFailed"/>.
/// </summary>
internal sealed class FakeAcsApp : IAsyncDisposable
{
    public const string EventGridSecret = "event-grid-secret";
    public const string CallbackToken = "callback-token";
    public const string CognitiveServices = "https://receptionist-ai.cognitiveservices.azure.com/";
    private const string Query = "?api-version=" + AcsStandIn.ApiVersion;

    private readonly WebApplication _app;
    private readonly Channel<ReceivedCallback> _callbacks = Channel.CreateUnbounded<ReceivedCallback>();
    private readonly ConcurrentQueue<ReceivedCallback> _received = new();
    private readonly ConcurrentQueue<ReceivedDelivery> _deliveries = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentDictionary<string, JsonObject> _callers = new();
    private readonly ConcurrentDictionary<string, JsonObject> _callersByServerCall = new();
    private int _calls;

    private FakeAcsApp(WebApplication app, Uri baseUrl, HmacSigningHandler signer, Uri standIn)
    {
        _app = app;
        BaseUrl = baseUrl;
        Signer = signer;
        Acs = new HttpClient(signer) { BaseAddress = standIn, Timeout = TimeSpan.FromSeconds(10) };
        OnIncomingCall = data => AnswerAsync(data);
    }

    public Uri BaseUrl { get; }

    /// <summary>Signs what <see cref="Acs"/> sends (tests may make it sign wrongly).</summary>
    public HmacSigningHandler Signer { get; }

    /// <summary>The app's client for Call Automation (the stand-in).</summary>
    public HttpClient Acs { get; }

    /// <summary>A plain client, for the simulator to reach the app with.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public Func<JsonObject, Task> OnIncomingCall { get; set; }

    public Func<ReceivedCallback, Task> OnCallback { get; set; } = _ => Task.CompletedTask;

    public HttpStatusCode CallbackStatus { get; set; } = HttpStatusCode.OK;

    /// <summary>False: the validation handshake answers a wrong code.</summary>
    public bool EchoValidationCode { get; set; } = true;

    public IReadOnlyList<ReceivedCallback> Callbacks => [.. _received];

    public IReadOnlyList<ReceivedDelivery> Deliveries => [.. _deliveries];

    public static async Task<FakeAcsApp> StartAsync(AcsStandIn standIn, string accessKey)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeAcsApp? fake = null;
        app.Run(context => fake!.HandleAsync(context));
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        fake = new FakeAcsApp(app, new Uri($"http://127.0.0.1:{address.Port.ToString(CultureInfo.InvariantCulture)}/"), new HmacSigningHandler(accessKey), standIn.Endpoint);
        return fake;
    }

    /// <summary>The next callback received (any call), waiting at most 10 s.</summary>
    public async Task<ReceivedCallback> NextCallbackAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _callbacks.Reader.ReadAsync(timeout.Token);
    }

    public void ThrowIfFailed()
    {
        if (!_failures.IsEmpty)
        {
            throw new AggregateException("the fake ACS app failed", _failures);
        }
    }

    /// <summary>Answers an IncomingCall as the app does: callback /acs/callbacks/acs-{n}?token=…, with AI services.</summary>
    public async Task<JsonObject> AnswerAsync(JsonObject incomingCall, string? repeatabilityId = null)
    {
        var callId = "acs-" + Interlocked.Increment(ref _calls).ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["incomingCallContext"] = (string?)incomingCall["incomingCallContext"],
            ["callbackUri"] = $"{BaseUrl}acs/callbacks/{callId}?token={CallbackToken}",
            ["operationContext"] = "answer",
            ["callIntelligenceOptions"] = new JsonObject { ["cognitiveServicesEndpoint"] = CognitiveServices },
        };
        _callersByServerCall[(string)incomingCall["serverCallId"]!] = incomingCall["from"]!.DeepClone().AsObject(); // CallConnected may come before the answer's response
        return JsonNode.Parse(await SucceedAsync(HttpMethod.Post, "calling/callConnections:answer", body, repeatabilityId))!.AsObject();
    }

    /// <summary>Who the caller of a call answered outside <see cref="AnswerAsync"/> is (the recognize target).</summary>
    public void AddCaller(string callConnectionId, JsonObject caller) => _callers[callConnectionId] = caller;

    public Task RejectAsync(JsonObject incomingCall) =>
        SucceedAsync(HttpMethod.Post, "calling/callConnections:reject", new JsonObject { ["incomingCallContext"] = (string?)incomingCall["incomingCallContext"], ["callRejectReason"] = "busy" });

    public Task PlayAsync(string callConnectionId, string text, string operationContext) =>
        SucceedAsync(HttpMethod.Post, $"calling/callConnections/{callConnectionId}:play", new JsonObject
        {
            ["playSources"] = new JsonArray(TextSource(text)),
            ["operationContext"] = operationContext,
        });

    public Task RecognizeAsync(string callConnectionId, string prompt, string operationContext, string inputType = "speechOrDtmf", int maxTones = 1, params string[] stopTones) =>
        SucceedAsync(HttpMethod.Post, $"calling/callConnections/{callConnectionId}:recognize", RecognizeBody(callConnectionId, prompt, operationContext, inputType, maxTones, stopTones));

    public JsonObject RecognizeBody(string callConnectionId, string prompt, string operationContext, string inputType = "speechOrDtmf", int maxTones = 1, params string[] stopTones) => new()
    {
        ["recognizeInputType"] = inputType,
        ["playPrompts"] = new JsonArray(TextSource(prompt)),
        ["interruptCallMediaOperation"] = true,
        ["recognizeOptions"] = new JsonObject
        {
            ["targetParticipant"] = _callers[callConnectionId].DeepClone(),
            ["interruptPrompt"] = true,
            ["initialSilenceTimeoutInSeconds"] = 8,
            ["speechLanguage"] = "en-US",
            ["dtmfOptions"] = new JsonObject
            {
                ["maxTonesToCollect"] = maxTones,
                ["interToneTimeoutInSeconds"] = 3,
                ["stopTones"] = new JsonArray([.. stopTones.Select(t => JsonValue.Create(t))]),
            },
            ["speechOptions"] = new JsonObject { ["endSilenceTimeoutInMs"] = 800 },
        },
        ["operationContext"] = operationContext,
    };

    public Task TransferAsync(string callConnectionId, string number, string operationContext) =>
        SucceedAsync(HttpMethod.Post, $"calling/callConnections/{callConnectionId}:transferToParticipant", new JsonObject
        {
            ["targetParticipant"] = new JsonObject { ["kind"] = "phoneNumber", ["rawId"] = "4:" + number, ["phoneNumber"] = new JsonObject { ["value"] = number } },
            ["sourceCallerIdNumber"] = new JsonObject { ["value"] = "+18005550100" },
            ["operationContext"] = operationContext,
        });

    public Task HangUpAsync(string callConnectionId) => SucceedAsync(HttpMethod.Delete, $"calling/callConnections/{callConnectionId}", null);

    /// <summary>A request to the stand-in (api-version added); a POST carries Repeatability-Request-ID (a new one
    /// unless given) and Repeatability-First-Sent.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, JsonNode? body, string? repeatabilityId = null)
    {
        using var request = new HttpRequestMessage(method, path + Query);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Repeatability-Request-ID", repeatabilityId ?? Guid.NewGuid().ToString());
            request.Headers.Add("Repeatability-First-Sent", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        }

        using var response = await Acs.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Acs.Dispose();
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static JsonObject TextSource(string text) => new()
    {
        ["kind"] = "text",
        ["text"] = new JsonObject { ["text"] = text, ["voiceName"] = "en-US-JennyNeural", ["sourceLocale"] = "en-US" },
    };

    private async Task<string> SucceedAsync(HttpMethod method, string path, JsonNode? body, string? repeatabilityId = null)
    {
        var (status, answer) = await SendAsync(method, path, body, repeatabilityId);
        return (int)status is >= 200 and < 300 ? answer : throw new InvalidOperationException($"{method} {path} answered {(int)status}: {answer}");
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        try
        {
            var events = (JsonArray)(await JsonNode.ParseAsync(request.Body))!;
            if (path == "/acs/events")
            {
                await EventGridAsync(context, events);
            }
            else if (path.StartsWith("/acs/callbacks/", StringComparison.Ordinal))
            {
                await CallbackAsync(context, events);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        }
        catch (Exception ex)
        {
            _failures.Enqueue(ex);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync(ex.Message);
        }
    }

    private async Task EventGridAsync(HttpContext context, JsonArray events)
    {
        var eventType = context.Request.Headers["aeg-event-type"].ToString();
        _deliveries.Enqueue(new ReceivedDelivery(eventType, context.Request.QueryString.Value ?? "", events));
        if (context.Request.Query["code"] != EventGridSecret)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var first = events[0]!.AsObject();
        if (eventType == "SubscriptionValidation")
        {
            var code = EchoValidationCode ? (string?)first["data"]!["validationCode"] : "not-the-code";
            await context.Response.WriteAsync(new JsonObject { ["validationResponse"] = code }.ToJsonString());
            return;
        }

        if ((string?)first["eventType"] == "Microsoft.Communication.IncomingCall")
        {
            await OnIncomingCall(first["data"]!.AsObject());
        }
    }

    private async Task CallbackAsync(HttpContext context, JsonArray events)
    {
        foreach (var e in events)
        {
            var callback = new ReceivedCallback(context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString(), e!.AsObject());
            if (_callersByServerCall.TryGetValue((string?)callback.Data["serverCallId"] ?? "", out var caller))
            {
                _callers.TryAdd(callback.CallConnectionId, caller);
            }

            _received.Enqueue(callback);
            _callbacks.Writer.TryWrite(callback);
            await OnCallback(callback);
        }

        context.Response.StatusCode = (int)CallbackStatus;
    }
}
