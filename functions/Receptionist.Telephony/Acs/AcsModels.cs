using System.Text.Json;
using System.Text.Json.Serialization;

namespace Receptionist.Telephony.Acs;

// Request and response bodies of the Call Automation REST API (api-version in AcsCallClientOptions), only the fields we
// send or read. Serialized camelCase without nulls, as the service expects.

/// <summary>A participant as ACS names it: a phone number (<c>kind: phoneNumber</c>, rawId <c>4:+1…</c>, possibly
/// anonymous) or an ACS user. The caller's is kept exactly as IncomingCall gave it and sent back as the target.</summary>
public sealed record AcsIdentifier(string? Kind, string? RawId, AcsPhoneNumber? PhoneNumber, AcsCommunicationUser? CommunicationUser = null)
{
    public const string PhoneKind = "phoneNumber";
    public const string PhonePrefix = "4:";

    public static AcsIdentifier Phone(string e164) => new(PhoneKind, PhonePrefix + e164, new AcsPhoneNumber(e164));

    /// <summary>The identifier's phone number, or null when it is not a phone (or withheld).</summary>
    [JsonIgnore]
    public string? Number => PhoneNumber is { IsAnonymous: not true, Value: ['+', ..] v } ? v
        : RawId is ['4', ':', '+', ..] raw ? raw[PhonePrefix.Length..] : null;
}

public sealed record AcsPhoneNumber(string Value, bool? IsAnonymous = null);

public sealed record AcsCommunicationUser(string Id);

public sealed record AcsAnswerRequest(string IncomingCallContext, string CallbackUri, string OperationContext, AcsCallIntelligenceOptions? CallIntelligenceOptions,
    AcsMediaStreamingOptions? MediaStreamingOptions = null);

/// <summary>Bidirectional media over a WebSocket to <paramref name="TransportUrl"/>: the caller's audio unmixed, ours
/// back, PCM16 16 kHz mono, keys as DtmfData, from the moment the call connects.</summary>
public sealed record AcsMediaStreamingOptions(string TransportUrl)
{
    public string TransportType => "websocket";

    public string ContentType => "audio";

    public string AudioChannelType => "unmixed";

    public bool StartMediaStreaming => true;

    public bool EnableBidirectional => true;

    public string AudioFormat => "pcm16KMono";

    public bool EnableDtmfTones => true;
}

public sealed record AcsCallIntelligenceOptions(string CognitiveServicesEndpoint);

public sealed record AcsRejectRequest(string IncomingCallContext, string CallRejectReason);

public sealed record AcsTextSource(string Text, string? SourceLocale, string? VoiceName);

public sealed record AcsPlaySource(string Kind, AcsTextSource Text)
{
    public static AcsPlaySource Speak(string text, string language, string? voice) => new("text", new AcsTextSource(text, language, voice));
}

public sealed record AcsPlayRequest(IReadOnlyList<AcsPlaySource> PlaySources, string OperationContext);

public sealed record AcsDtmfOptions(int MaxTonesToCollect, int InterToneTimeoutInSeconds, IReadOnlyList<string>? StopTones);

public sealed record AcsSpeechOptions(int EndSilenceTimeoutInMs);

public sealed record AcsRecognizeOptions(
    AcsIdentifier TargetParticipant,
    bool InterruptPrompt,
    int InitialSilenceTimeoutInSeconds,
    string SpeechLanguage,
    AcsDtmfOptions DtmfOptions,
    AcsSpeechOptions SpeechOptions);

public sealed record AcsRecognizeRequest(string RecognizeInputType, AcsPlaySource? PlayPrompt, bool InterruptCallMediaOperation, AcsRecognizeOptions RecognizeOptions, string OperationContext);

public sealed record AcsTransferRequest(AcsIdentifier TargetParticipant, AcsPhoneNumber? SourceCallerIdNumber, string OperationContext);

public sealed record AcsCallConnection(string CallConnectionId, string? ServerCallId, string? CallConnectionState, string? CorrelationId);

/// <summary>The JSON conventions of the Call Automation API.</summary>
public static class AcsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
