using System.Text.Json;
using System.Text.Json.Nodes;

namespace Receptionist.Telephony.Twilio;

/// <summary>A message Twilio sends on a ConversationRelay WebSocket (the types we act on).</summary>
public abstract record RelayInbound;

public sealed record RelaySetup(string SessionId, string CallSid, string? From, string To) : RelayInbound;

/// <summary>What the caller said; <paramref name="Last"/> false means more of the same utterance follows.</summary>
public sealed record RelayPrompt(string VoicePrompt, bool Last) : RelayInbound;

public sealed record RelayDtmf(string Digit) : RelayInbound;

public sealed record RelayInterrupt(string UtteranceUntilInterrupt, int? DurationUntilInterruptMs) : RelayInbound;

public sealed record RelayError(string Description) : RelayInbound;

/// <summary>A well-formed message of a type we do not act on (info, or a future type).</summary>
public sealed record RelayOther(string Type) : RelayInbound;

/// <summary>The ConversationRelay WebSocket protocol: parsing Twilio's JSON messages and writing ours.</summary>
public static class ConversationRelayProtocol
{
    /// <summary>Frames larger than this close the socket (a real message is far smaller).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Parses one text frame; false with a reason for anything malformed (the caller logs and ignores it).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out RelayInbound message, out string error)
    {
        message = null!;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8);
        }
        catch (JsonException ex)
        {
            error = $"not JSON: {ex.Message}";
            return false;
        }

        if (node is not JsonObject o || Text(o, "type") is not { } type)
        {
            error = "not an object with a string 'type'";
            return false;
        }

        switch (type)
        {
            case "setup":
                if (Text(o, "callSid") is not { Length: > 0 } callSid || Text(o, "to") is not { Length: > 0 } to
                    || Text(o, "sessionId") is not { Length: > 0 } sessionId)
                {
                    error = "setup without sessionId, callSid or to";
                    return false;
                }

                message = new RelaySetup(sessionId, callSid, Text(o, "from"), to);
                break;
            case "prompt":
                if (Text(o, "voicePrompt") is not { } prompt)
                {
                    error = "prompt without voicePrompt";
                    return false;
                }

                message = new RelayPrompt(prompt, o["last"] is not JsonValue last || !last.TryGetValue<bool>(out var isLast) || isLast);
                break;
            case "dtmf":
                if (Text(o, "digit") is not { Length: 1 } digit || !"0123456789*#".Contains(digit[0], StringComparison.Ordinal))
                {
                    error = "dtmf without a single digit";
                    return false;
                }

                message = new RelayDtmf(digit);
                break;
            case "interrupt":
                message = new RelayInterrupt(Text(o, "utteranceUntilInterrupt") ?? string.Empty,
                    o["durationUntilInterruptMs"] is JsonValue d && d.TryGetValue<int>(out var ms) ? ms : null);
                break;
            case "error":
                message = new RelayError(Text(o, "description") ?? string.Empty);
                break;
            default:
                message = new RelayOther(type);
                break;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>One text token for Twilio to speak; <paramref name="last"/> ends our turn.</summary>
    public static byte[] Text(string token, bool last, bool interruptible, string language) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["type"] = "text",
        ["token"] = token,
        ["last"] = last,
        ["lang"] = language,
        ["interruptible"] = interruptible,
        ["preemptible"] = false,
    });

    /// <summary>Ends the session; Twilio then requests the &lt;Connect action&gt; with <paramref name="handoffData"/>.</summary>
    public static byte[] End(string handoffData) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["type"] = "end",
        ["handoffData"] = handoffData,
    });

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
