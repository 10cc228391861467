using System.Buffers.Binary;

namespace Receptionist.Telephony.Tests.Speech;

/// <summary>Audio for the speech tests: PCM16 16 kHz in 20 ms chunks, as the voice path sends it.</summary>
internal static class SpeechAudio
{
    public const int FrameBytes = 640;

    /// <summary>A voiced sound: a 140 Hz fundamental with harmonics, its loudness rising and falling like syllables
    /// (about -20 dBFS RMS).</summary>
    public static byte[] Voiced(TimeSpan length)
    {
        var n = (int)(length.TotalSeconds * 16_000);
        var bytes = new byte[n * 2];
        for (var i = 0; i < n; i++)
        {
            var t = i / 16_000.0;
            var syllable = 0.5 + 0.5 * Math.Sin(2 * Math.PI * 4 * t);
            var v = (Math.Sin(2 * Math.PI * 140 * t) + 0.5 * Math.Sin(2 * Math.PI * 280 * t) + 0.25 * Math.Sin(2 * Math.PI * 420 * t)) * syllable;
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)(v * 5000));
        }

        return bytes;
    }

    public static byte[] Silence(TimeSpan length) => new byte[(int)(length.TotalSeconds * 16_000) * 2];

    /// <summary>The audio in 20 ms chunks, each after <paramref name="pace"/> (zero: all at once).</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> Frames(byte[] audio, TimeSpan pace = default)
    {
        for (var at = 0; at < audio.Length; at += FrameBytes)
        {
            if (pace > TimeSpan.Zero)
            {
                await Task.Delay(pace);
            }

            yield return audio.AsMemory(at, Math.Min(FrameBytes, audio.Length - at));
        }
    }
}
