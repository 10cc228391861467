using Receptionist.Core.Notifications;
using Receptionist.Core.Storage;
using Receptionist.Telephony.Acs;

namespace Receptionist.Host.Workflows;

/// <summary>
/// Which provider a text goes through — the one rule, in one place (docs/acs.md, "Text messages over ACS"):
/// <list type="bullet">
/// <item>Twilio and ACS both configured: a text about a call that came in over ACS (<see cref="CallRecord.Channel"/>
/// "acs", read from <see cref="ICallStore"/> by <see cref="SmsMessage.CallId"/>) goes through ACS, so the caller hears
/// from the number they reached on the network they used; every other text through Twilio — including those about no
/// call (digests, batched owner alerts) and those whose call is not found.</item>
/// <item>Only one configured: that one, for every text (so an ACS-only business gets its digests through ACS).</item>
/// <item>Neither: <see cref="UnconfiguredSmsSender"/> (every text fails at once, for good, saying so).</item>
/// </list>
/// </summary>
public sealed class SmsRouting : ISmsSender
{
    private readonly ISmsSender _twilio;
    private readonly ISmsSender _acs;
    private readonly ICallStore _calls;

    private SmsRouting(ISmsSender twilio, ISmsSender acs, ICallStore calls)
    {
        _twilio = twilio;
        _acs = acs;
        _calls = calls;
    }

    /// <summary>The sender for what is configured: the router when both are, else the one provider, else none.</summary>
    public static ISmsSender For(ISmsSender? twilio, ISmsSender? acs, ICallStore calls) => (twilio, acs) switch
    {
        ({ } t, { } a) => new SmsRouting(t, a, calls ?? throw new ArgumentNullException(nameof(calls))),
        ({ } t, null) => t,
        (null, { } a) => a,
        _ => new UnconfiguredSmsSender(),
    };

    /// <summary>Looking the call up is one storage read; a storage failure propagates (the activity's framework retry
    /// handles it, as for every storage problem), never a text sent through the wrong provider.</summary>
    public async Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sender = await ProviderAsync(message, cancellationToken) == AcsCalls.Channel ? _acs : _twilio;
        return await sender.SendAsync(message, cancellationToken);
    }

    /// <summary>"acs" or "twilio": the channel of the call the text is about, "twilio" when there is none.</summary>
    public async Task<string> ProviderAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.CallId is not { Length: > 0 } callId)
        {
            return Twilio;
        }

        return (await _calls.GetAsync(callId, cancellationToken))?.Record.Channel == AcsCalls.Channel ? AcsCalls.Channel : Twilio;
    }

    private const string Twilio = "twilio";
}
