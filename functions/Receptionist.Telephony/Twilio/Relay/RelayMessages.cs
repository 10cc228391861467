using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Receptionist.Telephony.Twilio.Relay;

/// <summary>What may interrupt the agent's speech (ConversationRelay's interruptible / welcomeGreetingInterruptible:
/// none, dtmf, speech, any; true and false are any and none).</summary>
[Flags]
internal enum Interruptibility
{
    None = 0,
    Speech = 1,
    Dtmf = 2,
    Any = Speech | Dtmf,
}

/// <summary>A message from the app to Twilio, as far as the simulator reads it.</summary>
internal abstract record AppMessage;

/// <summary>A text token; Interruptible null means the ConversationRelay's default.</summary>
internal sealed record AppText(string Token, bool Last, Interruptibility? Interruptible) : AppMessage;

internal sealed record AppEnd(string? HandoffData) : AppMessage;

/// <summary>A message type the simulator does not act on (play, sendDigits, language, …).</summary>
internal sealed record AppOtherMessage(string Type) : AppMessage;

/// <summary>The app closed the WebSocket.</summary>
internal sealed record AppClosed : AppMessage;

/// <summary>ConversationRelay's WebSocket messages (docs/protocols.md §4): the ones Twilio sends, and reading the app's.</summary>
internal static class RelayMessages
{
    // Twilio writes plain UTF-8 ("+1555…", not "\u002B1555…"); the relaxed encoder still escapes what JSON requires.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Interruptibility ParseInterruptible(string? value, Interruptibility fallback, string what) =>
        value?.Trim().ToLowerInvariant() switch
        {
            null or "" => fallback,
            "any" or "true" => Interruptibility.Any,
            "none" or "false" => Interruptibility.None,
            "speech" => Interruptibility.Speech,
            "dtmf" => Interruptibility.Dtmf,
            _ => throw new InvalidOperationException($"{what} is '{value}'; ConversationRelay knows none, dtmf, speech, any, true and false."),
        };

    public static byte[] Setup(string sessionId, SimulatedTwilioCall call, IReadOnlyDictionary<string, string> customParameters) => Write(w =>
    {
        w.WriteString("type", "setup");
        w.WriteString("sessionId", sessionId);
        w.WriteString("accountSid", call.AccountSid);
        w.WriteString("parentCallSid", string.Empty);
        w.WriteString("callSid", call.CallSid);
        w.WriteString("from", call.From);
        w.WriteString("to", call.To);
        w.WriteString("forwardedFrom", string.Empty);
        w.WriteString("callType", "PSTN");
        w.WriteString("callerName", string.Empty);
        w.WriteString("direction", "inbound");
        w.WriteString("callStatus", "RINGING");
        w.WriteStartObject("customParameters");
        foreach (var (name, value) in customParameters)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
    });

    public static byte[] Prompt(string text, string language) => Write(w =>
    {
        w.WriteString("type", "prompt");
        w.WriteString("voicePrompt", text);
        w.WriteString("lang", language);
        w.WriteBoolean("last", true);
    });

    public static byte[] Dtmf(char digit) => Write(w =>
    {
        w.WriteString("type", "dtmf");
        w.WriteString("digit", digit.ToString());
    });

    public static byte[] Interrupt(string utteranceUntilInterrupt, long durationUntilInterruptMs) => Write(w =>
    {
        w.WriteString("type", "interrupt");
        w.WriteString("utteranceUntilInterrupt", utteranceUntilInterrupt);
        w.WriteNumber("durationUntilInterruptMs", durationUntilInterruptMs);
    });

    /// <summary>One message from the app. Twilio rejects a malformed one (error 64107); so does the simulator, with
    /// <see cref="InvalidOperationException"/>. Unknown types are passed on as <see cref="AppOtherMessage"/>.</summary>
    public static AppMessage Parse(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The app sent a WebSocket message that is not JSON ({ex.Message}): {Preview(utf8)}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw new InvalidOperationException($"The app sent a WebSocket message without a string \"type\": {Preview(utf8)}");
            }

            switch (type.GetString())
            {
                case "text":
                    if (!root.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidOperationException($"The app sent a text message without a string \"token\": {Preview(utf8)}");
                    }

                    var last = root.TryGetProperty("last", out var l) && l.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw new InvalidOperationException($"The app sent a text message whose \"last\" is not true or false: {Preview(utf8)}"),
                    };
                    Interruptibility? interruptible = root.TryGetProperty("interruptible", out var i)
                        ? i.ValueKind switch
                        {
                            JsonValueKind.True => Interruptibility.Any,
                            JsonValueKind.False => Interruptibility.None,
                            JsonValueKind.String => ParseInterruptible(i.GetString(), Interruptibility.Any, "a text message's \"interruptible\""),
                            _ => throw new InvalidOperationException($"The app sent a text message whose \"interruptible\" is neither a boolean nor a string: {Preview(utf8)}"),
                        }
                        : null;
                    return new AppText(token.GetString()!, last, interruptible);
                case "end":
                    if (!root.TryGetProperty("handoffData", out var handoff) || handoff.ValueKind == JsonValueKind.Null)
                    {
                        return new AppEnd(null);
                    }

                    return handoff.ValueKind == JsonValueKind.String
                        ? new AppEnd(handoff.GetString())
                        : throw new InvalidOperationException($"The app sent an end message whose \"handoffData\" is not a string: {Preview(utf8)}");
                default:
                    return new AppOtherMessage(type.GetString()!);
            }
        }
    }

    public static string Preview(ReadOnlySpan<byte> utf8)
    {
        var text = Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, 200)]);
        return utf8.Length > 200 ? text + "…" : text;
    }

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
