using System.Numerics;

namespace Receptionist.Audio;

/// <summary>G.711 μ-law, the telephone codec: one byte per sample at 8 kHz. Encoding follows the G.711 definition
/// (magnitude clipped to 32635, biased by 0x84, segment = position of the highest set bit, 4-bit mantissa, all bits
/// inverted); decoding is a 256-entry table. Everything is allocation-free.</summary>
public static class MuLaw
{
    /// <summary>The μ-law byte for a zero sample (digital silence), used to pad frames.</summary>
    public const byte Silence = 0xFF;

    /// <summary>The bias added to the magnitude before finding the segment.</summary>
    private const int Bias = 0x84;

    /// <summary>The largest magnitude that survives encoding; louder samples are clipped to it.</summary>
    private const int Clip = 32635;

    private static readonly short[] DecodeTable = BuildDecodeTable();

    /// <summary>Encodes one PCM16 sample to a μ-law byte.</summary>
    public static byte Encode(short sample)
    {
        int value = sample;
        int sign = 0;
        if (value < 0)
        {
            sign = 0x80;
            value = -value; // int, so −32768 does not overflow
        }

        if (value > Clip)
        {
            value = Clip;
        }

        value += Bias; // 132 … 32767: bits 7 … 14 hold the segment
        int exponent = BitOperations.Log2((uint)value >> 7);
        int mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>Decodes one μ-law byte to a PCM16 sample (the middle of its quantisation interval).</summary>
    public static short Decode(byte code) => DecodeTable[code];

    /// <summary>Decodes <paramref name="input"/> into the first <c>input.Length</c> samples of
    /// <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than <paramref name="input"/>.</exception>
    public static void Decode(ReadOnlySpan<byte> input, Span<short> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException("The output is shorter than the input.", nameof(output));
        }

        ReadOnlySpan<short> table = DecodeTable;
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = table[input[i]];
        }
    }

    /// <summary>Encodes <paramref name="input"/> into the first <c>input.Length</c> bytes of
    /// <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than <paramref name="input"/>.</exception>
    public static void Encode(ReadOnlySpan<short> input, Span<byte> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException("The output is shorter than the input.", nameof(output));
        }

        for (int i = 0; i < input.Length; i++)
        {
            output[i] = Encode(input[i]);
        }
    }

    /// <summary>The G.711 expansion of every code: invert, split into sign, segment and mantissa, rebuild the biased
    /// magnitude at the interval's midpoint and remove the bias.</summary>
    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            int inverted = ~code & 0xFF;
            int exponent = (inverted >> 4) & 0x07;
            int mantissa = inverted & 0x0F;
            int magnitude = (((mantissa << 3) + Bias) << exponent) - Bias;
            table[code] = (short)((inverted & 0x80) != 0 ? -magnitude : magnitude);
        }

        return table;
    }
}
