using System.Globalization;
using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Receptionist.Core.Conversation;
using Receptionist.Host.Calls;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Host.Twilio;

/// <summary>Twilio Programmable Voice webhooks, gather mode: Twilio recognises speech and posts the text.</summary>
public static class TwilioEndpoints
{
    private static readonly HashSet<string> FinalStatuses = ["completed", "busy", "failed", "no-answer", "canceled"];

    public static IEndpointRouteBuilder MapTwilioApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/twilio").AddEndpointFilter<TwilioWebhookFilter>().DisableAntiforgery();
        group.MapPost("/voice", IncomingCall);
        group.MapPost("/voice/gather", Gather);
        group.MapPost("/voice/dial", Dial);
        group.MapPost("/status", Status);
        return app;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> IncomingCall(HttpContext http, CallOrchestrator calls, ILogger<CallOrchestrator> logger, CancellationToken ct)
    {
        if (!TwilioVoiceRequest.TryParse(TwilioWebhookFilter.Form(http), out var request, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        return await Guard(logger, () => calls.StartAsync(request.CallSid, request.To, request.From, Render,
            () => Twiml.SayAndHangup(SystemPhrases.UnknownNumber), ct));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Gather(HttpContext http, string? turn, CallOrchestrator calls, ILogger<CallOrchestrator> logger, CancellationToken ct)
    {
        if (!int.TryParse(turn, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            return TypedResults.Problem("Query parameter 'turn' must be a positive whole number.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!TwilioVoiceRequest.TryParse(TwilioWebhookFilter.Form(http), out var request, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        return await Guard(logger, async () =>
            await calls.TurnAsync(request.CallSid, n, new CallerInput(request.SpeechResult, request.Confidence, request.Digits), Render, ct)
            ?? Twiml.SayAndHangup(SystemPhrases.TechnicalDifficulty));
    }

    /// <summary>Twilio reports how a transfer (&lt;Dial action&gt;) went; a failed one returns the caller to us.</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Dial(HttpContext http, string? turn, CallOrchestrator calls, ILogger<CallOrchestrator> logger, CancellationToken ct)
    {
        if (!int.TryParse(turn, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            return TypedResults.Problem("Query parameter 'turn' must be a positive whole number.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!TwilioVoiceRequest.TryParse(TwilioWebhookFilter.Form(http), out var request, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.DialCallStatus is null)
        {
            return TypedResults.Problem("DialCallStatus is missing.", statusCode: StatusCodes.Status400BadRequest);
        }

        return await Guard(logger, async () =>
            await calls.TurnAsync(request.CallSid, n, new CallerInput(null, null, null, request.DialCallStatus), Render, ct)
            ?? Twiml.SayAndHangup(SystemPhrases.TechnicalDifficulty));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Status(HttpContext http, CallOrchestrator calls, CancellationToken ct)
    {
        if (!TwilioVoiceRequest.TryParse(TwilioWebhookFilter.Form(http), out var request, out var error))
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.CallStatus is { } status && FinalStatuses.Contains(status))
        {
            await calls.EndAsync(request.CallSid, ct);
        }

        return TypedResults.NoContent();
    }

    private static string Render(IReadOnlyList<CallAction> actions, int nextTurn, Core.Tenants.Tenant tenant) =>
        Twiml.Render(actions, TwilioPaths.GatherUrl(nextTurn), TwilioPaths.DialUrl(nextTurn), tenant.Language);

    /// <summary>Storage trouble must never reach the caller as a Twilio error tone: apologise and hang up.</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Guard(ILogger logger, Func<Task<string>> handle)
    {
        try
        {
            return TypedResults.Content(await handle(), "text/xml");
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or TimeoutException or AggregateException or InvalidOperationException)
        {
            logger.LogError(ex, "Call handling failed; the caller hears the technical-difficulty message");
            return TypedResults.Content(Twiml.SayAndHangup(SystemPhrases.TechnicalDifficulty), "text/xml");
        }
    }
}
