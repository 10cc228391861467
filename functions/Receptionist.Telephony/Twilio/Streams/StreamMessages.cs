using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Receptionist.Telephony.Twilio.Streams;

/// <summary>A message from the app on the Media Streams socket, as far as the simulator reads it, with when it arrived
/// (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
internal abstract record AppStreamMessage(long At);

/// <summary>Audio to play to the caller: raw μ-law 8 kHz.</summary>
internal sealed record AppMedia(byte[] Mulaw, long At) : AppStreamMessage(At);

/// <summary>Tell me when playback reaches this point.</summary>
internal sealed record AppMark(string Name, long At) : AppStreamMessage(At);

/// <summary>Drop what is still queued (barge-in).</summary>
internal sealed record AppClear(long At) : AppStreamMessage(At);

/// <summary>The app closed the socket.</summary>
internal sealed record AppStreamClosed(WebSocketCloseStatus? Status, string? Description, long At) : AppStreamMessage(At);

/// <summary>The socket broke or the app sent something malformed: the session rethrows it.</summary>
internal sealed record AppStreamFailed(Exception Error, long At) : AppStreamMessage(At);

/// <summary>
/// Twilio's side of the bidirectional Media Streams messages (docs/protocols.md): what Twilio writes — connected,
/// start, media (every 20 ms), dtmf, mark (an echo), stop; numbers as JSON strings — and reading what the app writes —
/// media, mark, clear — strictly: anything malformed is an <see cref="InvalidOperationException"/> naming what was wrong.
/// </summary>
internal static class StreamMessages
{
    // Twilio writes plain UTF-8 ("+1555…", not "\u002B1555…"); the relaxed encoder still escapes what JSON requires.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Connected() => Write(w =>
    {
        w.WriteString("event", "connected");
        w.WriteString("protocol", "Call");
        w.WriteString("version", "1.0.0");
    });

    public static byte[] Start(long sequence, string streamSid, SimulatedTwilioCall call, IReadOnlyDictionary<string, string> parameters) => Write(w =>
    {
        w.WriteString("event", "start");
        w.WriteString("sequenceNumber", Number(sequence));
        w.WriteStartObject("start");
        w.WriteString("accountSid", call.AccountSid);
        w.WriteString("streamSid", streamSid);
        w.WriteString("callSid", call.CallSid);
        w.WriteStartArray("tracks");
        w.WriteStringValue("inbound");
        w.WriteEndArray();
        w.WriteStartObject("customParameters");
        foreach (var (name, value) in parameters)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WriteStartObject("mediaFormat");
        w.WriteString("encoding", "audio/x-mulaw");
        w.WriteNumber("sampleRate", 8000);
        w.WriteNumber("channels", 1);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("streamSid", streamSid);
    });

    /// <param name="chunk">From 1.</param>
    /// <param name="timestampMs">Milliseconds of audio since the stream started.</param>
    public static byte[] Media(long sequence, string streamSid, long chunk, long timestampMs, ReadOnlySpan<byte> mulaw)
    {
        var payload = Convert.ToBase64String(mulaw);
        return Write(w =>
        {
            w.WriteString("event", "media");
            w.WriteString("sequenceNumber", Number(sequence));
            w.WriteStartObject("media");
            w.WriteString("track", "inbound");
            w.WriteString("chunk", Number(chunk));
            w.WriteString("timestamp", Number(timestampMs));
            w.WriteString("payload", payload);
            w.WriteEndObject();
            w.WriteString("streamSid", streamSid);
        });
    }

    public static byte[] Dtmf(long sequence, string streamSid, char digit) => Write(w =>
    {
        w.WriteString("event", "dtmf");
        w.WriteString("streamSid", streamSid);
        w.WriteString("sequenceNumber", Number(sequence));
        w.WriteStartObject("dtmf");
        w.WriteString("track", "inbound_track");
        w.WriteString("digit", digit.ToString());
        w.WriteEndObject();
    });

    /// <summary>Playback reached the app's mark (or a clear dropped it).</summary>
    public static byte[] Mark(long sequence, string streamSid, string name) => Write(w =>
    {
        w.WriteString("event", "mark");
        w.WriteString("sequenceNumber", Number(sequence));
        w.WriteString("streamSid", streamSid);
        w.WriteStartObject("mark");
        w.WriteString("name", name);
        w.WriteEndObject();
    });

    public static byte[] Stop(long sequence, string streamSid, SimulatedTwilioCall call) => Write(w =>
    {
        w.WriteString("event", "stop");
        w.WriteString("sequenceNumber", Number(sequence));
        w.WriteString("streamSid", streamSid);
        w.WriteStartObject("stop");
        w.WriteString("accountSid", call.AccountSid);
        w.WriteString("callSid", call.CallSid);
        w.WriteEndObject();
    });

    /// <summary>One message from the app: media (a base64 payload), mark (a name) or clear, each naming our stream.</summary>
    public static AppStreamMessage Parse(ReadOnlySpan<byte> utf8, string streamSid, long at)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The app sent a Media Streams message that is not JSON ({ex.Message}): {Preview(utf8)}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var kind) || kind.ValueKind != JsonValueKind.String)
            {
                throw new InvalidOperationException($"The app sent a Media Streams message without a string \"event\": {Preview(utf8)}");
            }

            var name = kind.GetString();
            if (name is not ("media" or "mark" or "clear"))
            {
                throw new InvalidOperationException($"The app sent a Media Streams message with event \"{name}\"; an app sends media, mark or clear: {Preview(utf8)}");
            }

            if (!root.TryGetProperty("streamSid", out var sid) || sid.ValueKind != JsonValueKind.String || sid.GetString() != streamSid)
            {
                throw new InvalidOperationException($"The app sent a {name} message whose \"streamSid\" is not this stream's ({streamSid}): {Preview(utf8)}");
            }

            switch (name)
            {
                case "media":
                    if (!root.TryGetProperty("media", out var media) || media.ValueKind != JsonValueKind.Object
                        || !media.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidOperationException($"The app sent a media message without a string \"media.payload\": {Preview(utf8)}");
                    }

                    try
                    {
                        return new AppMedia(Convert.FromBase64String(payload.GetString()!), at);
                    }
                    catch (FormatException ex)
                    {
                        throw new InvalidOperationException($"The app sent a media message whose payload is not base64: {Preview(utf8)}", ex);
                    }

                case "mark":
                    if (!root.TryGetProperty("mark", out var mark) || mark.ValueKind != JsonValueKind.Object
                        || !mark.TryGetProperty("name", out var markName) || markName.ValueKind != JsonValueKind.String || markName.GetString()!.Length == 0)
                    {
                        throw new InvalidOperationException($"The app sent a mark message without a non-empty string \"mark.name\": {Preview(utf8)}");
                    }

                    return new AppMark(markName.GetString()!, at);
                default:
                    return new AppClear(at);
            }
        }
    }

    public static string Preview(ReadOnlySpan<byte> utf8)
    {
        var text = Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, 200)]);
        return utf8.Length > 200 ? text + "…" : text;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
