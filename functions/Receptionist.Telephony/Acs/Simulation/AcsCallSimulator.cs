using System.Text.Json;
using System.Text.Json.Nodes;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// Plays Event Grid, ACS and the caller against the app's ACS channel (docs/acs.md), one call per
/// <see cref="RunAsync"/>, any number at once on one <see cref="AcsStandIn"/>. The first call validates the Event
/// Grid subscription; each call rings (IncomingCall to /acs/events), is answered through the stand-in and followed
/// request by request: prompts are the agent's turns, each :recognize takes the caller's next line, a transfer goes
/// as <see cref="DialStatus"/> says, and the call ends when the app hangs up, the transfer connects, or the caller
/// hangs up (a null line).
/// </summary>
/// <remarks>
/// Response times are the app's own: from posting the IncomingCall to its :answer, and from each recognition result or
/// failed transfer posted to the app's next request for the call. More than <see cref="MaxRequests"/> requests, no
/// request for <see cref="ReceiveTimeout"/> while one is awaited, an Event Grid delivery answered other than 200, or a
/// callback answered with a non-2xx status throws <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed class AcsCallSimulator(HttpClient http, Uri appBaseUrl, AcsStandIn standIn, string eventGridSecret) : ICallSimulator
{
    /// <summary>Requests one call may make of Call Automation, the answer included.</summary>
    public const int MaxRequests = 200;

    private readonly Lock _gate = new();
    private Task? _validation;
    private TimeSpan _receiveTimeout = TimeSpan.FromSeconds(20);

    public event Action<SimulatedTurn>? TurnAdded;

    /// <summary>How a transfer goes: "completed" (a person answers: CallTransferAccepted), or "no-answer", "busy",
    /// "failed" (CallTransferFailed, and the call goes on with the app).</summary>
    public string DialStatus { get; set; } = "completed";

    /// <summary>The longest wait for the app's next request (its answer, its reply to an event).</summary>
    public TimeSpan ReceiveTimeout
    {
        get => _receiveTimeout;
        set => _receiveTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
    }

    private Uri EventsUrl => new(appBaseUrl, "acs/events?code=" + Uri.EscapeDataString(eventGridSecret));

    public async Task<SimulatedCall> RunAsync(string to, string from, ICallerLines caller, CancellationToken cancellationToken)
    {
        await ValidateSubscriptionAsync(cancellationToken);
        var call = new SimulatedAcsCall(http, EventsUrl, standIn, caller, DialStatus, ReceiveTimeout, t => TurnAdded?.Invoke(t));
        return await call.RunAsync(to, from, cancellationToken);
    }

    /// <summary>The Event Grid handshake, once per simulator (again only if it failed).</summary>
    private Task ValidateSubscriptionAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_validation is null || _validation.IsFaulted || _validation.IsCanceled)
            {
                _validation = ValidateAsync(cancellationToken);
            }

            return _validation;
        }
    }

    private async Task ValidateAsync(CancellationToken cancellationToken)
    {
        var code = Guid.NewGuid().ToString();
        var body = await EventGridDelivery.PostAsync(http, EventsUrl, EventGridDelivery.SubscriptionValidation(code, TimeProvider.System.GetUtcNow()), "SubscriptionValidation", cancellationToken);
        string? echoed;
        try
        {
            echoed = JsonNode.Parse(body) is JsonObject answer && answer["validationResponse"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        }
        catch (JsonException)
        {
            echoed = null;
        }

        if (echoed != code)
        {
            throw new InvalidOperationException($"The app did not validate the Event Grid subscription: expected {{\"validationResponse\":\"{code}\"}}, got {body}");
        }
    }
}
