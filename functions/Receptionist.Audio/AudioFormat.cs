namespace Receptionist.Audio;

/// <summary>The sample rates the voice path moves between: 8 kHz (telephone μ-law), 16 kHz (ACS media, speech
/// recognition, the VAD), 24 kHz (neural TTS).</summary>
public static class AudioRates
{
    /// <summary>8 kHz: G.711 μ-law on the telephone leg.</summary>
    public const int Telephone = 8000;

    /// <summary>16 kHz: ACS media, speech recognition and the VAD.</summary>
    public const int Wideband = 16000;

    /// <summary>24 kHz: neural text-to-speech output.</summary>
    public const int Synthesis = 24000;

    /// <summary>Samples in a frame of this many milliseconds at this rate.</summary>
    public static int Samples(int sampleRate, int milliseconds) => sampleRate / 1000 * milliseconds;
}
