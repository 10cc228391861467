using System.Text.Json;
using System.Text.Json.Nodes;

namespace Receptionist.Telephony.Acs;

/// <summary>A message ACS sends on a bidirectional media streaming WebSocket.</summary>
public abstract record AcsMediaInbound;

/// <summary>The stream's format, first on the socket: PCM16 mono at 16 or 24 kHz, <paramref name="Length"/> bytes a packet.</summary>
public sealed record AcsAudioMetadata(string SubscriptionId, string Encoding, int SampleRate, int Channels, int Length) : AcsMediaInbound
{
    public bool IsPcm16KhzMono => Encoding == "PCM" && SampleRate == 16_000 && Channels == 1;
}

/// <summary>20 ms of caller audio (PCM16 little-endian); <paramref name="Silent"/>: ACS found it silent.</summary>
public sealed record AcsAudioData(DateTimeOffset? Timestamp, string ParticipantRawId, byte[] Data, bool Silent) : AcsMediaInbound;

public sealed record AcsDtmfData(string Digit) : AcsMediaInbound;

/// <summary>A kind we do not act on (transcription metadata and data).</summary>
public sealed record AcsMediaOther(string Kind) : AcsMediaInbound;

/// <summary>
/// ACS's bidirectional media streaming protocol (docs/acs.md): its JSON messages in, ours out. ACS's own SDKs write
/// PascalCase (.NET) and camelCase (JavaScript) and the service takes both; names are read without regard to case and
/// written camelCase.
/// </summary>
public static class AcsMediaProtocol
{
    /// <summary>Frames larger than this are refused (20 ms at 24 kHz is 960 bytes, 1,280 as base64).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Most audio one message may carry (1 s at 24 kHz).</summary>
    public const int MaxDataBytes = 48_000;

    private static readonly JsonNodeOptions AnyCase = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Parses one text frame; false with a reason for anything malformed (the session logs and ignores it).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out AcsMediaInbound message, out string error)
    {
        message = null!;
        if (utf8.Length > MaxMessageBytes)
        {
            error = $"a frame of {utf8.Length} bytes (at most {MaxMessageBytes})";
            return false;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, AnyCase);
        }
        catch (JsonException ex)
        {
            error = $"not JSON: {ex.Message}";
            return false;
        }

        if (node is not JsonObject o || Text(o, "kind") is not { } kind)
        {
            error = "not an object with a string 'kind'";
            return false;
        }

        error = string.Empty;
        switch (kind)
        {
            case "AudioMetadata":
                if (o["audioMetadata"] is not JsonObject m || Text(m, "encoding") is not { } encoding || Int(m, "sampleRate") is not { } rate
                    || Int(m, "channels") is not { } channels)
                {
                    error = "AudioMetadata without encoding, sampleRate or channels";
                    return false;
                }

                message = new AcsAudioMetadata(Text(m, "subscriptionId") ?? string.Empty, encoding, rate, channels, Int(m, "length") ?? 0);
                return true;
            case "AudioData":
                if (o["audioData"] is not JsonObject a || Text(a, "data") is not { } data)
                {
                    error = "AudioData without audioData.data";
                    return false;
                }

                var bytes = new byte[(data.Length * 3 / 4) + 3];
                if (!Convert.TryFromBase64String(data, bytes, out var length))
                {
                    error = "AudioData data is not base64";
                    return false;
                }

                if (length > MaxDataBytes || length % 2 != 0)
                {
                    error = $"AudioData of {length} bytes (PCM16: an even number, at most {MaxDataBytes})";
                    return false;
                }

                message = new AcsAudioData(
                    DateTimeOffset.TryParse(Text(a, "timestamp"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) ? at : null,
                    Text(a, "participantRawID") ?? string.Empty, bytes[..length], a["silent"] is JsonValue s && s.TryGetValue<bool>(out var silent) && silent);
                return true;
            case "DtmfData":
                if (o["dtmfData"] is not JsonObject d || Text(d, "data") is not { Length: 1 } digit || !"0123456789*#".Contains(digit[0], StringComparison.Ordinal))
                {
                    error = "DtmfData without a single digit";
                    return false;
                }

                message = new AcsDtmfData(digit);
                return true;
            default:
                message = new AcsMediaOther(kind);
                return true;
        }
    }

    /// <summary>Audio for the caller, in the negotiated format (PCM16 mono, 16 kHz here).</summary>
    public static byte[] AudioData(ReadOnlySpan<byte> pcm16) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["kind"] = "AudioData",
        ["audioData"] = new JsonObject { ["data"] = Convert.ToBase64String(pcm16) },
    });

    /// <summary>Drops what ACS still has queued to play (barge-in).</summary>
    public static byte[] StopAudio() => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["kind"] = "StopAudio",
        ["stopAudio"] = new JsonObject(),
    });

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int? Int(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}
