using System.Text.Json;
using System.Text.Json.Nodes;

namespace Receptionist.Telephony.Twilio;

/// <summary>A message Twilio sends on a bidirectional Media Streams WebSocket (&lt;Connect&gt;&lt;Stream&gt;).</summary>
public abstract record StreamInbound;

public sealed record StreamConnected(string Protocol, string Version) : StreamInbound;

/// <summary>The stream began: its ids, the audio format and the &lt;Parameter&gt;s of the TwiML.</summary>
public sealed record StreamStart(string StreamSid, string CallSid, string AccountSid, string Encoding, int SampleRate, int Channels,
    IReadOnlyDictionary<string, string> Parameters) : StreamInbound
{
    /// <summary>The only format Twilio sends: G.711 μ-law, 8 kHz, mono.</summary>
    public bool IsMulaw8KhzMono => Encoding == "audio/x-mulaw" && SampleRate == 8000 && Channels == 1;
}

/// <summary>Caller audio: raw μ-law bytes (usually 20 ms, 160 bytes); <paramref name="TimestampMs"/> counts from the
/// stream's start.</summary>
public sealed record StreamMedia(string Track, long Chunk, long TimestampMs, byte[] Payload) : StreamInbound;

public sealed record StreamDtmf(string Digit) : StreamInbound;

/// <summary>Playback reached a mark we sent (or a <c>clear</c> dropped it: Twilio then echoes every pending mark).</summary>
public sealed record StreamMark(string Name) : StreamInbound;

public sealed record StreamStop(string CallSid) : StreamInbound;

/// <summary>The Media Streams WebSocket protocol (docs/protocols.md): parsing Twilio's JSON messages and writing ours.
/// Numeric fields (sequenceNumber, chunk, timestamp) arrive as JSON strings.</summary>
public static class MediaStreamsProtocol
{
    /// <summary>Frames larger than this are refused (20 ms of μ-law is 160 bytes, 216 as base64; Twilio sends no more
    /// than a few hundred ms in one).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Most audio one media message may carry (4 s of μ-law).</summary>
    public const int MaxPayloadBytes = 32_000;

    /// <summary>Parses one text frame; false with a reason for anything malformed (the session logs and ignores it).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out StreamInbound message, out string error)
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
            node = JsonNode.Parse(utf8);
        }
        catch (JsonException ex)
        {
            error = $"not JSON: {ex.Message}";
            return false;
        }

        if (node is not JsonObject o || Text(o, "event") is not { } kind)
        {
            error = "not an object with a string 'event'";
            return false;
        }

        error = string.Empty;
        switch (kind)
        {
            case "connected":
                message = new StreamConnected(Text(o, "protocol") ?? string.Empty, Text(o, "version") ?? string.Empty);
                return true;
            case "start":
                return TryStart(o, out message, out error);
            case "media":
                return TryMedia(o, out message, out error);
            case "dtmf":
                if (o["dtmf"] is not JsonObject d || Text(d, "digit") is not { Length: 1 } digit || !"0123456789*#".Contains(digit[0], StringComparison.Ordinal))
                {
                    error = "dtmf without a single digit";
                    return false;
                }

                message = new StreamDtmf(digit);
                return true;
            case "mark":
                if (o["mark"] is not JsonObject m || Text(m, "name") is not { Length: > 0 } name)
                {
                    error = "mark without a name";
                    return false;
                }

                message = new StreamMark(name);
                return true;
            case "stop":
                message = new StreamStop(o["stop"] is JsonObject s ? Text(s, "callSid") ?? string.Empty : string.Empty);
                return true;
            default:
                error = $"unknown event '{kind}'";
                return false;
        }
    }

    private static bool TryStart(JsonObject o, out StreamInbound message, out string error)
    {
        message = null!;
        if (o["start"] is not JsonObject s || Text(s, "streamSid") is not { Length: > 0 } streamSid || Text(s, "callSid") is not { Length: > 0 } callSid)
        {
            error = "start without start.streamSid or start.callSid";
            return false;
        }

        if (s["mediaFormat"] is not JsonObject f || Text(f, "encoding") is not { } encoding
            || f["sampleRate"] is not JsonValue rate || !rate.TryGetValue<int>(out var sampleRate)
            || f["channels"] is not JsonValue ch || !ch.TryGetValue<int>(out var channels))
        {
            error = "start without a mediaFormat (encoding, sampleRate, channels)";
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (s["customParameters"] is JsonObject custom)
        {
            foreach (var (name, value) in custom)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    parameters[name] = text;
                }
            }
        }

        message = new StreamStart(streamSid, callSid, Text(s, "accountSid") ?? string.Empty, encoding, sampleRate, channels, parameters);
        error = string.Empty;
        return true;
    }

    private static bool TryMedia(JsonObject o, out StreamInbound message, out string error)
    {
        message = null!;
        if (o["media"] is not JsonObject m || Text(m, "payload") is not { } payload)
        {
            error = "media without media.payload";
            return false;
        }

        var bytes = new byte[(payload.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(payload, bytes, out var length))
        {
            error = "media payload is not base64";
            return false;
        }

        if (length > MaxPayloadBytes)
        {
            error = $"media payload of {length} bytes (at most {MaxPayloadBytes})";
            return false;
        }

        message = new StreamMedia(Text(m, "track") ?? "inbound", Number(m, "chunk"), Number(m, "timestamp"), bytes[..length]);
        error = string.Empty;
        return true;
    }

    /// <summary>Audio for the caller (raw μ-law 8 kHz, no header): Twilio buffers it and plays it in order.</summary>
    public static byte[] Media(string streamSid, ReadOnlySpan<byte> mulaw) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["event"] = "media",
        ["streamSid"] = streamSid,
        ["media"] = new JsonObject { ["payload"] = Convert.ToBase64String(mulaw) },
    });

    /// <summary>Asks to be told (a mark message back) when playback reaches this point.</summary>
    public static byte[] Mark(string streamSid, string name) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["event"] = "mark",
        ["streamSid"] = streamSid,
        ["mark"] = new JsonObject { ["name"] = name },
    });

    /// <summary>Drops the audio Twilio still holds (barge-in); Twilio echoes every pending mark.</summary>
    public static byte[] Clear(string streamSid) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["event"] = "clear",
        ["streamSid"] = streamSid,
    });

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A number sent as a string (or, leniently, as a number); 0 when absent or not a number.</summary>
    private static long Number(JsonObject o, string name) =>
        o[name] is JsonValue v && (v.TryGetValue<long>(out var n) || (v.TryGetValue<string>(out var s) && long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n))) ? n : 0;
}
