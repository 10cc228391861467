using System.Xml;
using System.Xml.Linq;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>The parts of Call Automation request bodies that several operations share (play sources, identifiers,
/// the caller as a target), read and checked as the service does; a mistake throws
/// <see cref="StandInBadRequestException"/> naming the field.</summary>
internal static class StandInBodies
{
    /// <summary>Text play sources longer than this must be SSML (the service's limit).</summary>
    public const int MaxTextLength = 4000;

    /// <summary>What a play source says: its text, its SSML's text (whitespace collapsed), or the file it plays.</summary>
    public static string PlaySource(StandInCall call, StandInFields source)
    {
        switch (source.OneOf("kind", "text", "ssml", "file") ?? throw source.Missing("kind"))
        {
            case "text":
                var text = source.Required("text");
                var value = text.RequiredString("text");
                if (value.Length > MaxTextLength)
                {
                    throw text.Invalid("text", $"at most {MaxTextLength} characters (longer prompts are SSML)");
                }

                text.String("voiceName");
                text.String("sourceLocale");
                text.OneOf("voiceKind", "male", "female");
                RequireSpeechServices(call, source.Name("kind"));
                return value;
            case "ssml":
                var ssml = source.Required("ssml");
                RequireSpeechServices(call, source.Name("kind"));
                return ReadSsml(ssml, ssml.RequiredString("ssmlText"));
            default:
                return $"(audio {source.Required("file").RequiredAbsoluteUri("uri")})";
        }
    }

    /// <summary>Text-to-speech and speech recognition are Azure AI services the call must have been answered with.</summary>
    public static void RequireSpeechServices(StandInCall call, string field)
    {
        if (!call.HasSpeechServices)
        {
            throw new StandInBadRequestException(
                $"{field}: speech needs Azure AI services, and the call was answered without callIntelligenceOptions.cognitiveServicesEndpoint.", field);
        }
    }

    private static string ReadSsml(StandInFields ssml, string text)
    {
        try
        {
            var spoken = string.Concat(XElement.Parse(text).DescendantNodes().OfType<XText>().Select(t => t.Value));
            return string.Join(' ', spoken.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        catch (XmlException ex)
        {
            throw ssml.Invalid("ssmlText", $"well-formed SSML ({ex.Message})");
        }
    }

    /// <summary>recognizeOptions.targetParticipant must be the caller: the only participant besides the app.</summary>
    public static void Caller(StandInCall call, StandInFields options, string field)
    {
        var target = options.Required(field);
        Identifier(target);
        var caller = call.Incoming.FromIdentifier();
        var rawId = target.String("rawId");
        var number = target.Object("phoneNumber")?.String("value");
        if ((rawId is not null && rawId != (string?)caller["rawId"]) || (number is not null && number != call.Incoming.From) || (rawId ?? number) is null)
        {
            throw options.Invalid(field, $"the caller ({caller["rawId"]})");
        }
    }

    /// <summary>An identifier's fields, as the common spec types them.</summary>
    public static void Identifier(StandInFields identifier)
    {
        identifier.OneOf("kind", "communicationUser", "phoneNumber", "microsoftTeamsUser", "microsoftTeamsApp", "teamsExtensionUser", "unknown");
        identifier.String("rawId");
        if (identifier.Object("phoneNumber") is { } phone)
        {
            phone.RequiredString("value");
            phone.Bool("isAnonymous");
        }
    }

    /// <summary>The number of a phone number identifier (phoneNumber.value, or a "4:" rawId), which must agree.</summary>
    public static string PhoneNumberOf(StandInFields target)
    {
        Identifier(target);
        var rawId = target.String("rawId");
        var value = target.Object("phoneNumber")?.String("value");
        var fromRawId = rawId is not null && rawId.StartsWith("4:", StringComparison.Ordinal) ? rawId[2..] : null;
        if (rawId is not null && fromRawId is null)
        {
            throw target.Invalid("rawId", "a phone number's (4:+1…)");
        }

        if (value is not null && fromRawId is not null && value != fromRawId)
        {
            throw target.Invalid("rawId", $"the same number as phoneNumber.value ({value})");
        }

        return value ?? fromRawId ?? throw target.Missing("phoneNumber");
    }
}
