using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Receptionist.Calls;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Phone;
using Receptionist.Host.Configuration;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Host.Twilio;

/// <summary>Twilio Programmable Voice webhooks. Each turns Twilio's form into a neutral event for the call core and
/// renders the core's decision as TwiML for the call's voice mode (gather or relay).</summary>
public static class TwilioEndpoints
{
    private const string Channel = "twilio";
    private static readonly HashSet<string> FinalStatuses = ["completed", "busy", "failed", "no-answer", "canceled"];

    public static IEndpointRouteBuilder MapTwilioApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/twilio").AddEndpointFilter<TwilioWebhookFilter>().DisableAntiforgery();
        group.MapPost("/voice", IncomingCall);
        group.MapPost("/voice/gather", Gather);
        group.MapPost("/voice/dial", Dial);
        group.MapPost("/relay/ended", RelayEnded);
        group.MapPost("/stream/ended", StreamEnded);
        group.MapPost("/status", Status);
        group.MapPost("/sms", InboundSms);
        app.MapGet(TwilioPaths.Relay, TwilioRelayEndpoint.Connect);
        app.MapGet(TwilioPaths.Media, Streaming.TwilioMediaEndpoint.Connect);
        return app;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> IncomingCall(HttpContext http, CallCore calls, ILogger<CallCore> logger, CancellationToken ct)
    {
        if (!TwilioVoiceRequest.TryParse(TwilioWebhookFilter.Form(http), out var request, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        TagRequest(request);
        return await Guard(http, request, RetryUrl(http, TwilioPaths.Voice),
            async token => Render(http, await calls.StartAsync(new CallStart(request.CallSid, TwilioEventIds.Start, Channel, request.To, request.From), token)), ct);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Gather(HttpContext http, string? turn, CallCore calls, ILogger<CallCore> logger, CancellationToken ct)
    {
        if (!TryTurn(turn, out var n, out var problem) || !TryParse(http, out var request, out problem))
        {
            return problem;
        }

        CallEvent ev = request.SpeechResult is { } speech ? new CallerSaid(speech, request.Confidence)
            : request.Digits is { } digits ? new KeypadPressed(digits)
            : new NoInput();
        // A retried turn (after "one moment") no longer carries what was said: if the first try was saved, the stored
        // answer is given again; if not, the caller is asked again.
        return await Guard(http, request, RetryUrl(http, TwilioPaths.GatherUrl(n)),
            async token => Render(http, await calls.HandleAsync(request.CallSid, TwilioEventIds.Gather(n), ev, token)), ct);
    }

    /// <summary>Twilio reports how a transfer (&lt;Dial action&gt;) went; a failed one returns the caller to us.</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Dial(HttpContext http, string? turn, CallCore calls, ILogger<CallCore> logger, CancellationToken ct)
    {
        if (!TryTurn(turn, out var n, out var problem) || !TryParse(http, out var request, out problem))
        {
            return problem;
        }

        if (request.DialCallStatus is null)
        {
            return TypedResults.Problem("DialCallStatus is missing.", statusCode: StatusCodes.Status400BadRequest);
        }

        return await Guard(http, request, null,
            async token => Render(http, await calls.HandleAsync(request.CallSid, TwilioEventIds.Dial(n), new TransferResult(request.TransferConnected), token)), ct);
    }

    /// <summary>The &lt;Connect action&gt; of a ConversationRelay session: the session ended (we sent <c>end</c> to
    /// transfer or hang up, or Twilio ended it). Renders the decision that ended it: its prompts, then the
    /// &lt;Dial&gt; or &lt;Hangup/&gt;.</summary>
    public static Task<Results<ContentHttpResult, ProblemHttpResult>> RelayEnded(HttpContext http, string? turn, CallCore calls, ILogger<CallCore> logger, CancellationToken ct) =>
        ConnectEnded(http, turn, calls, logger, spokeOverSocket: false, ct);

    /// <summary>The &lt;Connect action&gt; of a media stream: we closed it to transfer or hang up once the decision's
    /// words had played over the stream, so only the &lt;Dial&gt; or &lt;Hangup/&gt; is rendered.</summary>
    public static Task<Results<ContentHttpResult, ProblemHttpResult>> StreamEnded(HttpContext http, string? turn, CallCore calls, ILogger<CallCore> logger, CancellationToken ct) =>
        ConnectEnded(http, turn, calls, logger, spokeOverSocket: true, ct);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ConnectEnded(HttpContext http, string? turn, CallCore calls, ILogger<CallCore> logger,
        bool spokeOverSocket, CancellationToken ct)
    {
        if (!TryTurn(turn, out var n, out var problem) || !TryParse(http, out var request, out problem))
        {
            return problem;
        }

        var form = TwilioWebhookFilter.Form(http);
        if (Twiml.HandoffReason(form.GetValueOrDefault("HandoffData")) == Twiml.HandoffReasons.Error)
        {
            return TypedResults.Content(Twiml.Render([new Hangup()], string.Empty, "en-US"), "text/xml");
        }

        return await Guard(http, request, null, async ct =>
        {
            var latest = await calls.LatestAsync(request.CallSid, ct);
            if (latest.Status == TurnStatus.UnknownCall || latest.Tenant is null)
            {
                return Twiml.SayAndHangup(SystemPhrases.TechnicalDifficulty);
            }

            if (latest.Actions.Any(a => a is TransferCall or Hangup))
            {
                var actions = spokeOverSocket ? latest.Actions.Where(a => a is not Say).ToList() : latest.Actions;
                return Twiml.Render(actions, string.Empty, TwilioPaths.DialUrl(latest.Turn + 1), latest.Tenant.Language);
            }

            if (n <= latest.Record!.Turn - 1 && !latest.Record.Session.Ended)
            {
                // A late or repeated report for a session the call has moved on from: carry on with the current decision.
                return Render(http, latest);
            }

            // Twilio ended the session without our asking (an error, or the caller hung up): end the call.
            logger.LogWarning("{Kind} ended while the call was in progress ({Status})", spokeOverSocket ? "Media stream" : "Relay session", form.GetValueOrDefault("SessionStatus"));
            await calls.EndAsync(request.CallSid, new CallEnd(TwilioEventIds.RelayEnded(form.GetValueOrDefault("SessionId") ?? form.GetValueOrDefault("StreamSid")), null,
                spokeOverSocket ? "Media stream ended" : "Relay session ended"), ct);
            return Twiml.Render([new Hangup()], string.Empty, latest.Tenant.Language);
        }, ct);
    }

    /// <summary>
    /// A text to one of the businesses' numbers (Twilio's Messaging webhook, signed like the voice ones). A STOP or START
    /// is recorded (<see cref="Workflows.InboundTexts"/>, as for ACS); Twilio itself sends the carrier-required reply, so
    /// we answer an empty &lt;Response/&gt;.
    /// </summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> InboundSms(
        HttpContext http, TenantDirectory tenants, IOptOutStore optOuts, TimeProvider clock, ILogger<CallCore> logger, CancellationToken ct)
    {
        var form = TwilioWebhookFilter.Form(http);
        if (!PhoneNumber.TryNormalize(form.GetValueOrDefault("From"), out var from) || !PhoneNumber.TryNormalize(form.GetValueOrDefault("To"), out var to))
        {
            return TypedResults.Problem("From and To must be phone numbers.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (await Workflows.InboundTexts.RecordAsync(tenants, optOuts, clock, logger, from, to, form.GetValueOrDefault("Body"), form.GetValueOrDefault("OptOutType"), ct) is { } problem)
        {
            return problem;
        }

        return TypedResults.Content(Twiml.EmptyResponse, "text/xml");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Status(HttpContext http, CallCore calls, ILogger<CallCore> logger, CancellationToken ct)
    {
        if (!TryParse(http, out var request, out var problem))
        {
            return problem;
        }

        if (request.CallStatus is { } status && FinalStatuses.Contains(status))
        {
            try
            {
                await calls.EndAsync(request.CallSid, new CallEnd(TwilioEventIds.Status(status), request.CallDurationSeconds, $"Call {status}"), ct);
            }
            catch (Exception ex) when (StorageTrouble.Is(ex))
            {
                logger.LogError(ex, "Could not record the end of the call");
                return TypedResults.Problem("Storage is unavailable; retry later.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }

        return TypedResults.NoContent();
    }

    /// <summary>The decision as TwiML in the call's voice mode; the next turn number goes into the callback URLs.</summary>
    private static string Render(HttpContext http, CallReply reply)
    {
        if (reply.Tenant is null || reply.Record is null)
        {
            return reply.Status == TurnStatus.UnknownCall
                ? Twiml.SayAndHangup(SystemPhrases.TechnicalDifficulty)
                : Twiml.Render(reply.Actions, string.Empty, "en-US");
        }

        var next = reply.Turn + 1;
        var language = reply.Tenant.Language;
        if (reply.Record.Mode == Core.Tenants.VoiceModes.Name(Core.Tenants.VoiceMode.Relay))
        {
            var options = http.RequestServices.GetRequiredService<IOptions<ReceptionistOptions>>().Value;
            var webSocket = PublicUrls.WebSocket(http.Request, options.PublicBaseUrl, TwilioPaths.Relay)
                + "?call=" + Uri.EscapeDataString(reply.Record.Session.CallId);
            var relay = new RelaySettings(webSocket, RelayEndedUrl(next), language);
            return Twiml.RenderRelay(reply.Actions, relay, TwilioPaths.DialUrl(next));
        }

        if (reply.Record.Mode == Core.Tenants.VoiceModes.Name(Core.Tenants.VoiceMode.Stream))
        {
            var options = http.RequestServices.GetRequiredService<IOptions<ReceptionistOptions>>().Value;
            var webSocket = PublicUrls.WebSocket(http.Request, options.PublicBaseUrl, TwilioPaths.Media);
            var stream = new StreamSettings(webSocket, $"{TwilioPaths.StreamEnded}?turn={next.ToString(CultureInfo.InvariantCulture)}", reply.Tenant.Id, next, language);
            return Twiml.RenderStream(reply.Actions, stream, TwilioPaths.DialUrl(next));
        }

        return Twiml.Render(reply.Actions, TwilioPaths.GatherUrl(next), TwilioPaths.DialUrl(next), language);
    }

    /// <summary>The turn number we put in a callback URL: 1 to 100,000 (no call gets near it; the next turn, n + 1,
    /// must still be a number).</summary>
    private static bool TryTurn(string? turn, out int n, out ProblemHttpResult problem)
    {
        const int maxTurn = 100_000;
        problem = null!;
        if (int.TryParse(turn, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n is >= 1 and <= maxTurn)
        {
            return true;
        }

        problem = TypedResults.Problem($"Query parameter 'turn' must be a whole number from 1 to {maxTurn.ToString(CultureInfo.InvariantCulture)}.",
            statusCode: StatusCodes.Status400BadRequest);
        return false;
    }

    private static bool TryParse(HttpContext http, out TwilioVoiceRequest request, out ProblemHttpResult problem)
    {
        problem = null!;
        if (TwilioVoiceRequest.TryParse(TwilioWebhookFilter.Form(http), out request, out var error))
        {
            TagRequest(request);
            return true;
        }

        problem = TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        return false;
    }

    /// <summary>Our call id (Twilio's CallSid) and the channel on the webhook's request span; nothing else of the form.</summary>
    private static void TagRequest(TwilioVoiceRequest request)
    {
        Activity.Current?.SetTag(ReceptionistTelemetry.Tags.CallId, request.CallSid);
        Activity.Current?.SetTag(ReceptionistTelemetry.Tags.Channel, Channel);
    }

    private static string RelayEndedUrl(int turn) => $"{TwilioPaths.RelayEnded}?turn={turn.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The same turn once more, after a holding phrase; null when this already is the retry.</summary>
    private static string? RetryUrl(HttpContext http, string pathAndQuery) =>
        http.Request.Query.ContainsKey("retry") ? null : pathAndQuery + (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "retry=1";

    /// <summary>
    /// Every webhook answers within the turn budget (<c>Calls:TurnBudgetSeconds</c>), and storage trouble never reaches
    /// the caller as Twilio's error tone. Past the budget the caller hears "one moment" and Twilio asks again for the
    /// same turn (same event id: a turn that was saved meanwhile is answered from storage, nothing runs twice). When the
    /// retry fails too, or storage fails outright, a business with a transfer number gets the caller put through;
    /// otherwise the caller hears an apology.
    /// </summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Guard(HttpContext http, TwilioVoiceRequest request, string? retryUrl,
        Func<CancellationToken, Task<string>> handle, CancellationToken ct)
    {
        var services = http.RequestServices;
        var budget = services.GetRequiredService<IOptions<CallsOptions>>().Value.TurnBudget;
        using var deadline = new CancellationTokenSource(budget, services.GetRequiredService<TimeProvider>());
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            return TypedResults.Content(await handle(linked.Token), "text/xml");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Storage trouble or the deadline are expected; anything else is a bug, logged as one — but the caller still
            // hears us rather than Twilio's error message.
            var logger = services.GetRequiredService<ILogger<CallCore>>();
            var late = deadline.IsCancellationRequested && ex is OperationCanceledException;
            if (!late && !StorageTrouble.Is(ex))
            {
                logger.LogCritical(ex, "Bug while handling a call; the caller is answered as if storage were down");
            }

            if (late && retryUrl is not null)
            {
                logger.LogWarning("Turn took longer than {Budget}; holding and retrying once", budget);
                return TypedResults.Content(Twiml.HoldAndRetry(SystemPhrases.OneMoment, retryUrl), "text/xml");
            }

            var dialled = Core.Phone.PhoneNumber.TryNormalize(request.To, out var e164) ? e164 : request.To;
            if (services.GetRequiredService<TenantDirectory>().LastKnownByNumber(dialled) is { TransferNumber: { } transfer } tenant)
            {
                logger.LogError(ex, "Call handling failed{Late}; putting the caller through to the business", late ? " (past the turn budget)" : string.Empty);
                return TypedResults.Content(Twiml.Render([new Say(SystemPhrases.TroublePuttingThrough), new TransferCall(transfer)], string.Empty, tenant.Language), "text/xml");
            }

            logger.LogError(ex, "Call handling failed{Late}; the caller hears the technical-difficulty message", late ? " (past the turn budget)" : string.Empty);
            return TypedResults.Content(Twiml.SayAndHangup(SystemPhrases.TechnicalDifficulty), "text/xml");
        }
    }
}
