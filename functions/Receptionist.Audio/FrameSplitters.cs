namespace Receptionist.Audio;

/// <summary>Frame splitters for the voice path's usual frames.</summary>
public static class FrameSplitters
{
    /// <summary>μ-law frames at 8 kHz (20 ms = 160 bytes), padded with <see cref="MuLaw.Silence"/>.</summary>
    public static FrameSplitter<byte> MuLaw(int milliseconds = 20) =>
        new(AudioRates.Samples(AudioRates.Telephone, milliseconds), Audio.MuLaw.Silence);

    /// <summary>Little-endian PCM16 frames as bytes (20 ms at 16 kHz = 640 bytes), padded with zeros.</summary>
    public static FrameSplitter<byte> Pcm16Bytes(int sampleRate, int milliseconds = 20) =>
        new(AudioRates.Samples(sampleRate, milliseconds) * sizeof(short), 0);

    /// <summary>PCM16 frames as samples (20 ms at 16 kHz = 320 samples), padded with zeros.</summary>
    public static FrameSplitter<short> Pcm16(int sampleRate, int milliseconds = 20) =>
        new(AudioRates.Samples(sampleRate, milliseconds), 0);
}
