namespace Receptionist.Core.Tenants;

/// <summary>How a call's audio is handled. Gather: the carrier listens and speaks turn by turn (Twilio &lt;Gather&gt;).
/// Relay: the carrier does speech-to-text and text-to-speech and we exchange text over a WebSocket (Twilio
/// ConversationRelay), so the caller can interrupt. Stream: the caller's audio comes to us and ours goes back (Twilio
/// Media Streams): we detect the end of the turn, recognise and synthesise with Azure AI Speech in the tenant's voice,
/// and apply the finer barge-in rule (docs/streaming.md).</summary>
public enum VoiceMode
{
    Gather,
    Relay,
    Stream,
}

/// <summary>The names of <see cref="VoiceMode"/> as written in tenant files, stored calls and the CLI.</summary>
public static class VoiceModes
{
    public static IReadOnlyList<string> Names { get; } = ["gather", "relay", "stream"];

    public static string Name(VoiceMode mode) => mode switch
    {
        VoiceMode.Relay => "relay",
        VoiceMode.Stream => "stream",
        _ => "gather",
    };

    public static bool TryParse(string? text, out VoiceMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "gather":
                mode = VoiceMode.Gather;
                return true;
            case "relay":
                mode = VoiceMode.Relay;
                return true;
            case "stream":
                mode = VoiceMode.Stream;
                return true;
            default:
                mode = VoiceMode.Gather;
                return false;
        }
    }
}
