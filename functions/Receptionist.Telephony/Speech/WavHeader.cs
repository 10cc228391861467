using System.Buffers.Binary;

namespace Receptionist.Telephony.Speech;

/// <summary>
/// The 44-byte RIFF/WAVE header of PCM16 mono audio. A streamed upload does not know its length: both sizes are then
/// 0xFFFFFFFF ("until the end of the stream"), as streaming encoders write them.
/// </summary>
public static class WavHeader
{
    public const int Length = 44;

    private const uint Unknown = uint.MaxValue;

    /// <param name="dataBytes">null: streamed, length unknown.</param>
    public static byte[] Pcm16Mono(int sampleRate, int? dataBytes = null)
    {
        var h = new byte[Length];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), dataBytes is { } d ? (uint)(36 + d) : Unknown);
        "WAVE"u8.CopyTo(h.AsSpan(8));
        "fmt "u8.CopyTo(h.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(20), 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(22), 1); // mono
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(24), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(28), (uint)(sampleRate * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(34), 16);
        "data"u8.CopyTo(h.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), dataBytes is { } n ? (uint)n : Unknown);
        return h;
    }

    /// <summary>Reads a PCM WAV's format and where its samples start; false with the reason for anything else.</summary>
    public static bool TryRead(ReadOnlySpan<byte> wav, out WavFormat format, out string? problem)
    {
        format = default;
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            problem = "not a RIFF/WAVE file";
            return false;
        }

        var at = 12;
        (int Channels, int Rate, int Bits, int Encoding)? fmt = null;
        while (at + 8 <= wav.Length)
        {
            var id = wav.Slice(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(at + 4, 4));
            var body = at + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > wav.Length)
                {
                    problem = "the fmt chunk is short";
                    return false;
                }

                fmt = (BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body + 2)), (int)BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(body + 4)),
                    BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body + 14)), BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body)));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (fmt is not { } f)
                {
                    problem = "the data chunk comes before fmt";
                    return false;
                }

                var available = wav.Length - body;
                var length = size == Unknown || size > available ? available : (int)size;
                format = new WavFormat(f.Encoding, f.Channels, f.Rate, f.Bits, body, length);
                problem = null;
                return true;
            }

            if (size == Unknown)
            {
                break;
            }

            at = body + (int)size + (int)(size & 1);
        }

        problem = "no data chunk";
        return false;
    }
}

/// <param name="Encoding">1 = PCM.</param>
/// <param name="DataOffset">Where the samples start.</param>
/// <param name="DataLength">How many bytes of samples there are.</param>
public readonly record struct WavFormat(int Encoding, int Channels, int SampleRate, int BitsPerSample, int DataOffset, int DataLength);
