namespace Receptionist.Audio;

/// <summary>The sample rates the voice path moves between: 8 kHz (telephone μ-law), 16 kHz (ACS media, speech
/// recognition, the VAD), 24 kHz (neural TTS).</summary>
public static class AudioRates
{
    public const int Telephone = 8000;
    public const int Wideband = 16000;
    public const int Synthesis = 24000;

    /// <summary>Samples in a frame of this many milliseconds at this rate.</summary>
    public static int Samples(int sampleRate, int milliseconds) => sampleRate / 1000 * milliseconds;
}
