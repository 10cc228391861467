using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>What a REST request is answered with, and what happens once that answer has been sent (callbacks are
/// never posted before the response that caused them).</summary>
internal sealed record StandInOutcome(StandInResponse Response, Action? AfterResponse = null);

/// <summary>
/// The Call Automation operations the receptionist uses (answer, reject, play, recognize, transferToParticipant,
/// hang up, terminate, cancelAllMediaOperations), with the service's checks: a known incomingCallContext answered
/// once, a known call connection that has not ended (404, 8522), established before media or transfer (400, 8501),
/// every field of the body as the spec has it (400 naming the field). ACS's own events (CallConnected, PlayStarted,
/// PlayCompleted, CallDisconnected after a hang-up, PlayCanceled) are posted here; what depends on the caller or the
/// far end (recognition results, transfer outcomes) is left to the simulator playing them.
/// </summary>
internal sealed class StandInOperations(AcsStandInOptions options, StandInCallbacks callbacks, CancellationToken stop)
{
    public const string Connections = "/calling/callConnections";

    private static readonly JsonObject Succeeded = StandInCallbacks.Result(200, 0, "Action completed successfully.");

    private readonly ConcurrentDictionary<string, AcsStandInCall> _incoming = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StandInCall> _calls = new(StringComparer.Ordinal);

    public IEnumerable<StandInCall> Calls => _calls.Values;

    public AcsStandInCall AddIncomingCall(string to, string from)
    {
        var call = new AcsStandInCall(to, from);
        _incoming[call.IncomingCallContext] = call;
        return call;
    }

    /// <param name="path">The request path, decoded.</param>
    /// <param name="received">The <see cref="System.Diagnostics.Stopwatch"/> timestamp the request arrived at.</param>
    public StandInOutcome Handle(string method, string path, byte[] body, long received)
    {
        try
        {
            return Route(method, path, body, received);
        }
        catch (StandInBadRequestException ex)
        {
            return new StandInOutcome(StandInResponse.BadRequest(ex.Message, ex.Field));
        }
    }

    private StandInOutcome Route(string method, string path, byte[] body, long received)
    {
        if (method == "POST" && path == Connections + ":answer")
        {
            return Answer(StandInFields.Parse(body), received);
        }

        if (method == "POST" && path == Connections + ":reject")
        {
            return Reject(StandInFields.Parse(body), received);
        }

        if (!path.StartsWith(Connections + "/", StringComparison.Ordinal))
        {
            return NoSuchOperation(method, path);
        }

        var target = path[(Connections.Length + 1)..];
        var colon = target.IndexOf(':', StringComparison.Ordinal);
        var (id, operation) = colon < 0 ? (target, null) : (target[..colon], target[(colon + 1)..]);
        if (id.Length == 0 || id.Contains('/', StringComparison.Ordinal))
        {
            return NoSuchOperation(method, path);
        }

        return (method, operation) switch
        {
            ("DELETE", null) => WithCall(id, call => HangUp(call, received)),
            ("POST", "terminate") => WithCall(id, call => Terminate(call, StandInFields.ParseOptional(body), received)),
            ("POST", "play") => WithCall(id, call => Established(call) ?? Play(call, StandInFields.Parse(body), received)),
            ("POST", "recognize") => WithCall(id, call => Established(call) ?? Recognize(call, StandInFields.Parse(body), received)),
            ("POST", "transferToParticipant") => WithCall(id, call => Established(call) ?? Transfer(call, StandInFields.Parse(body), received)),
            ("POST", "cancelAllMediaOperations") => WithCall(id, call => CancelMedia(call, StandInFields.ParseOptional(body))),
            _ => NoSuchOperation(method, path),
        };
    }

    private StandInOutcome Answer(StandInFields body, long received)
    {
        var context = body.RequiredString("incomingCallContext");
        var callbackUri = body.RequiredAbsoluteUri("callbackUri");
        var operationContext = body.String("operationContext");
        var intelligence = body.Object("callIntelligenceOptions")?.AbsoluteUri("cognitiveServicesEndpoint");
        var media = body.Object("mediaStreamingOptions") is { } streaming ? MediaStreaming(streaming) : null;
        if (!_incoming.TryGetValue(context, out var incoming))
        {
            return new StandInOutcome(StandInResponse.Error(HttpStatusCode.NotFound, "8522", "The incoming call was not found: the incomingCallContext is unknown or has expired."));
        }

        if (!incoming.TryTake("answered", out var already))
        {
            return new StandInOutcome(StandInResponse.Error(HttpStatusCode.Conflict, "8519", $"The incoming call was already {already}."));
        }

        var call = new StandInCall(Guid.NewGuid().ToString(), incoming, callbackUri, callbacks, stop) { HasSpeechServices = intelligence is not null, Media = media };
        _calls[call.Id] = call;
        var properties = new JsonObject
        {
            ["callConnectionId"] = call.Id,
            ["serverCallId"] = incoming.ServerCallId,
            ["targets"] = new JsonArray(incoming.ToIdentifier()),
            ["callConnectionState"] = "connecting",
            ["callbackUri"] = callbackUri.OriginalString,
            ["source"] = incoming.FromIdentifier(),
            ["correlationId"] = incoming.CorrelationId,
            ["answeredFor"] = incoming.ToIdentifier(),
        };
        return new StandInOutcome(new StandInResponse(HttpStatusCode.OK, properties), () =>
        {
            call.Post("CallConnected", operationContext, Succeeded, sending: call.MarkConnected);
            incoming.Settle(new IncomingCallOutcome(call, received));
        });
    }

    /// <summary>MediaStreamingOptions as the spec has them: websocket transport to a ws(s) URL, audio, mixed or
    /// unmixed, PCM 16 or 24 kHz mono.</summary>
    private static AcsStandInMedia MediaStreaming(StandInFields options)
    {
        _ = options.OneOf("transportType", "websocket") ?? throw options.Missing("transportType");
        if (!Uri.TryCreate(options.RequiredString("transportUrl"), UriKind.Absolute, out var transport) || transport.Scheme is not ("ws" or "wss"))
        {
            throw options.Invalid("transportUrl", "an absolute ws:// or wss:// URL");
        }

        options.OneOf("contentType", "audio");
        var channels = options.OneOf("audioChannelType", "mixed", "unmixed") ?? throw options.Missing("audioChannelType");
        var format = options.OneOf("audioFormat", "pcm16KMono", "pcm24KMono") ?? "pcm16KMono";
        return new AcsStandInMedia(transport, channels, format, options.Bool("startMediaStreaming") ?? false, options.Bool("enableBidirectional") ?? false,
            options.Bool("enableDtmfTones") ?? false);
    }

    /// <summary>The media streaming an answered call asked for (<see cref="AcsStandIn.MediaOf"/>), null for none or a
    /// call not answered (yet).</summary>
    public (string Connection, AcsStandInMedia? Media)? Answered(AcsStandInCall incoming) =>
        _calls.Values.FirstOrDefault(c => c.Incoming == incoming) is { } call ? (call.Id, call.Media) : null;

    private StandInOutcome Reject(StandInFields body, long received)
    {
        var context = body.RequiredString("incomingCallContext");
        body.OneOf("callRejectReason", "none", "busy", "forbidden");
        if (!_incoming.TryGetValue(context, out var incoming))
        {
            return new StandInOutcome(StandInResponse.Error(HttpStatusCode.NotFound, "8522", "The incoming call was not found: the incomingCallContext is unknown or has expired."));
        }

        return incoming.TryTake("rejected", out var already)
            ? new StandInOutcome(new StandInResponse(HttpStatusCode.NoContent), () => incoming.Settle(new IncomingCallOutcome(null, received)))
            : new StandInOutcome(StandInResponse.Error(HttpStatusCode.Conflict, "8519", $"The incoming call was already {already}."));
    }

    private StandInOutcome Play(StandInCall call, StandInFields body, long received)
    {
        var sources = body.Objects("playSources");
        if (sources.Count == 0)
        {
            throw body.Missing("playSources");
        }

        var prompts = sources.Select(s => StandInBodies.PlaySource(call, s)).ToList();
        foreach (var participant in body.Objects("playTo"))
        {
            StandInBodies.Identifier(participant);
        }

        body.Bool("interruptCallMediaOperation");
        body.Object("playOptions")?.Bool("loop");
        var operationContext = body.String("operationContext");
        return new StandInOutcome(new StandInResponse(HttpStatusCode.Accepted), () =>
        {
            call.Notify(new AppPlay(received, prompts));
            call.Post("PlayStarted", operationContext, Succeeded);
            if (options.SendPlayCompleted)
            {
                call.Post("PlayCompleted", operationContext, Succeeded);
            }
            else
            {
                call.AddRunningPlay(operationContext);
            }
        });
    }

    private StandInOutcome Recognize(StandInCall call, StandInFields body, long received)
    {
        var inputType = body.OneOf("recognizeInputType", "dtmf", "speech", "speechOrDtmf", "choices") ?? throw body.Missing("recognizeInputType");
        if (inputType == "choices")
        {
            throw body.Invalid("recognizeInputType", "dtmf, speech or speechOrDtmf (the stand-in does not play choices)");
        }

        var prompt = body.Object("playPrompt");
        var prompts = body.Objects("playPrompts");
        if (prompt is not null && prompts.Count > 0)
        {
            throw new StandInBadRequestException("Give playPrompt or playPrompts, not both.", "playPrompts");
        }

        IReadOnlyList<StandInFields> sources = prompt is { } p ? [p] : prompts;
        var texts = sources.Select(s => StandInBodies.PlaySource(call, s)).ToList();
        body.Bool("interruptCallMediaOperation");
        var recognizeOptions = body.Required("recognizeOptions");
        StandInBodies.Caller(call, recognizeOptions, "targetParticipant");
        recognizeOptions.Bool("interruptPrompt");
        recognizeOptions.Int("initialSilenceTimeoutInSeconds", 0, 300);
        recognizeOptions.String("speechLanguage");
        recognizeOptions.String("speechRecognitionModelEndpointId");
        recognizeOptions.Object("speechOptions")?.Int("endSilenceTimeoutInMs", 0, int.MaxValue);
        var dtmf = recognizeOptions.Object("dtmfOptions");
        var maxTones = dtmf?.Int("maxTonesToCollect", 1, 100);
        dtmf?.Int("interToneTimeoutInSeconds", 1, 60);
        var stopTones = dtmf?.Strings("stopTones") ?? [];
        if (stopTones.FirstOrDefault(t => !DtmfTones.IsTone(t)) is { } notATone)
        {
            throw dtmf!.Invalid("stopTones", $"tone names (zero…nine, a…d, pound, asterisk), not '{notATone}'");
        }

        if (inputType != "dtmf")
        {
            StandInBodies.RequireSpeechServices(call, "recognizeInputType");
        }

        var operationContext = body.String("operationContext");
        return new StandInOutcome(
            new StandInResponse(HttpStatusCode.Accepted),
            () => call.Notify(new AppRecognize(received, texts, operationContext, inputType, maxTones, stopTones)));
    }

    private static StandInOutcome Transfer(StandInCall call, StandInFields body, long received)
    {
        var target = body.Required("targetParticipant");
        var number = StandInBodies.PhoneNumberOf(target);
        body.Object("sourceCallerIdNumber")?.RequiredString("value");
        if (body.Object("transferee") is { } transferee)
        {
            StandInBodies.Identifier(transferee);
        }

        var operationContext = body.String("operationContext");
        var answer = new JsonObject();
        if (operationContext is not null)
        {
            answer["operationContext"] = operationContext;
        }

        return new StandInOutcome(
            new StandInResponse(HttpStatusCode.Accepted, answer),
            () => call.Notify(new AppTransfer(received, number, (JsonObject)target.Json.DeepClone(), operationContext)));
    }

    private static StandInOutcome HangUp(StandInCall call, long received) =>
        call.TryDisconnect()
            ? new StandInOutcome(new StandInResponse(HttpStatusCode.NoContent), () =>
            {
                call.Post("CallDisconnected", null, StandInCallbacks.Result(200, 0, "The call was ended by the application."));
                call.Notify(new AppHangUp(received));
            })
            : new StandInOutcome(Ended(call));

    private static StandInOutcome Terminate(StandInCall call, StandInFields body, long received)
    {
        body.String("operationContext");
        return HangUp(call, received);
    }

    private static StandInOutcome CancelMedia(StandInCall call, StandInFields body)
    {
        body.String("operationContext");
        return new StandInOutcome(new StandInResponse(HttpStatusCode.Accepted), () =>
        {
            foreach (var operationContext in call.TakeRunningPlays())
            {
                call.Post("PlayCanceled", operationContext, StandInCallbacks.Result(400, 8508, "Action failed, the operation was cancelled."));
            }
        });
    }

    private StandInOutcome WithCall(string id, Func<StandInCall, StandInOutcome> operation) =>
        !_calls.TryGetValue(id, out var call) ? new StandInOutcome(StandInResponse.CallNotFound($"The call connection {id} was not found."))
        : call.State == "disconnected" ? new StandInOutcome(Ended(call))
        : operation(call);

    /// <summary>Null when the call is established; media and transfers wait for CallConnected.</summary>
    private static StandInOutcome? Established(StandInCall call) =>
        call.State == "connected" ? null
        : new StandInOutcome(StandInResponse.Error(HttpStatusCode.BadRequest, "8501", "Action is not allowed before the call is established (CallConnected)."));

    private static StandInResponse Ended(StandInCall call) =>
        StandInResponse.CallNotFound($"The call connection {call.Id} has ended: no request is allowed once the call is disconnected.");

    private static StandInOutcome NoSuchOperation(string method, string path) =>
        new(StandInResponse.Error(HttpStatusCode.NotFound, "NotFound", $"{method} {path} is not a Call Automation operation the stand-in serves."));
}
