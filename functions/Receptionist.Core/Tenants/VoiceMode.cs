namespace Receptionist.Core.Tenants;

/// <summary>How a call's audio is handled. Gather: the carrier listens and speaks turn by turn (Twilio &lt;Gather&gt;).
/// Relay: the carrier does speech-to-text and text-to-speech and we exchange text over a WebSocket (Twilio
/// ConversationRelay), so the caller can interrupt.</summary>
public enum VoiceMode
{
    Gather,
    Relay,
}

/// <summary>The names of <see cref="VoiceMode"/> as written in tenant files, stored calls and the CLI.</summary>
public static class VoiceModes
{
    public static IReadOnlyList<string> Names { get; } = ["gather", "relay"];

    public static string Name(VoiceMode mode) => mode switch
    {
        VoiceMode.Relay => "relay",
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
            default:
                mode = VoiceMode.Gather;
                return false;
        }
    }
}
