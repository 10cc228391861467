using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// A PSTN call ringing at the stand-in, before the app answers it: what the IncomingCall event says about it. ACS
/// answers only an incomingCallContext it issued, and only once, so a call must be added here
/// (<see cref="AcsStandIn.AddIncomingCall"/>) before the app can answer or reject it.
/// </summary>
public sealed class AcsStandInCall
{
    /// <summary>What a caller who withholds their number is: ACS's anonymous phone number identifier.</summary>
    public const string Anonymous = "anonymous";

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<IncomingCallOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _settledAs;

    internal AcsStandInCall(string to, string from)
    {
        To = to;
        From = from;
        ServerCallId = Convert.ToBase64String(Encoding.UTF8.GetBytes($"https://standin.conv.skype.com/conv/{Guid.NewGuid():N}?i=0&e=sim"));
        IncomingCallContext = "sim." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        CorrelationId = Guid.NewGuid().ToString();
    }

    /// <summary>The number called (the tenant's), E.164.</summary>
    public string To { get; }

    /// <summary>The caller's number, E.164, or <see cref="Anonymous"/>.</summary>
    public string From { get; }

    public string ServerCallId { get; }

    public string IncomingCallContext { get; }

    public string CorrelationId { get; }

    /// <summary>The called number as an ACS identifier.</summary>
    public JsonObject ToIdentifier() => PhoneNumberIdentifier(To);

    /// <summary>The caller as an ACS identifier: <c>4:+1…</c>, or the anonymous one.</summary>
    public JsonObject FromIdentifier() => From == Anonymous
        ? new JsonObject { ["kind"] = "phoneNumber", ["rawId"] = "4:" + Anonymous, ["phoneNumber"] = new JsonObject { ["value"] = Anonymous, ["isAnonymous"] = true } }
        : PhoneNumberIdentifier(From);

    /// <summary>The app's :answer or :reject, once it has been answered.</summary>
    internal Task<IncomingCallOutcome> Outcome => _outcome.Task;

    /// <summary>Takes the call for an answer or a rejection; false (with what it already was) when it was taken.</summary>
    internal bool TryTake(string how, out string? already)
    {
        lock (_gate)
        {
            already = _settledAs;
            _settledAs ??= how;
            return already is null;
        }
    }

    internal void Settle(IncomingCallOutcome outcome) => _outcome.TrySetResult(outcome);

    private static JsonObject PhoneNumberIdentifier(string number) =>
        new() { ["kind"] = "phoneNumber", ["rawId"] = "4:" + number, ["phoneNumber"] = new JsonObject { ["value"] = number } };
}

/// <summary>How the app took an incoming call: answered (the new call connection) or rejected (null); Received is the
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp of its request.</summary>
internal sealed record IncomingCallOutcome(StandInCall? Call, long Received);
