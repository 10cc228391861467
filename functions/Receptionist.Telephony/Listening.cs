namespace Receptionist.Telephony;

/// <summary>How long carriers listen, the same on every channel that times a listen itself (Twilio &lt;Gather&gt;,
/// ACS Recognize).</summary>
public static class Listening
{
    /// <summary>Seconds of silence after our prompt before the caller's turn counts as no input.</summary>
    public const int NoInputSeconds = 6;

    /// <summary>Milliseconds of silence that end the caller's words (ACS; Twilio's "auto" decides for itself).</summary>
    public const int EndOfSpeechMilliseconds = 800;

    /// <summary>Most keys in one answer (an international number) and the seconds allowed between two of them.</summary>
    public const int MaxKeys = 15;

    public const int SecondsBetweenKeys = 4;
}
