using Receptionist.Audio;

namespace Receptionist.Audio.Tests;

public class MuLawTests
{
    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(-1, 0x7F)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    [InlineData(32635, 0x80)]
    [InlineData(100, 0xF2)]
    public void Encode_KnownSamples_GivesG711Codes(int sample, int code)
    {
        Assert.Equal((byte)code, MuLaw.Encode((short)sample));
    }

    [Theory]
    [InlineData(0x00, -32124)]
    [InlineData(0x80, 32124)]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0xFE, 8)]
    [InlineData(0x7E, -8)]
    [InlineData(0xF2, 104)]
    public void Decode_KnownCodes_GivesG711Samples(int code, int sample)
    {
        Assert.Equal((short)sample, MuLaw.Decode((byte)code));
    }

    [Fact]
    public void RoundTrip_Every16BitSample_ErrorWithinHalfAQuantisationStep()
    {
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            int decoded = MuLaw.Decode(MuLaw.Encode((short)x));
            int magnitude = Math.Min(Math.Abs(x), 32635);
            // A segment's step is 1/16 of its lower edge (biased), so half a step is at most (|x| + 0x84) / 32.
            int bound = ((magnitude + 0x84) / 32) + (Math.Abs(x) - magnitude);
            Assert.True(Math.Abs(decoded - x) <= bound, $"{x} decoded as {decoded}");
            Assert.True(x == 0 || decoded == 0 || Math.Sign(decoded) == Math.Sign(x), $"{x} changed sign");
        }
    }

    [Fact]
    public void Encode_DecodedCode_GivesTheSameCodeExceptNegativeZero()
    {
        for (int code = 0; code < 256; code++)
        {
            byte again = MuLaw.Encode(MuLaw.Decode((byte)code));
            Assert.Equal(code == 0x7F ? (byte)0xFF : (byte)code, again);
        }
    }

    [Fact]
    public void Decode_IsMonotonicInTheSignedOrderOfCodes()
    {
        int previous = int.MinValue;
        for (int code = 0; code < 128; code++) // 0x00 … 0x7F: −32124 rising to 0
        {
            int value = MuLaw.Decode((byte)code);
            Assert.True(value > previous || (code == 0x7F && value == 0));
            previous = value;
        }

        for (int code = 0xFF; code >= 0x80; code--) // 0xFF … 0x80: 0 rising to 32124
        {
            int value = MuLaw.Decode((byte)code);
            Assert.True(value >= previous);
            previous = value;
        }
    }

    [Fact]
    public void SpanMethods_MatchScalarMethods()
    {
        short[] pcm = Enumerable.Range(0, 1000).Select(i => (short)((i * 65) - 32768)).ToArray();
        byte[] codes = new byte[pcm.Length];
        short[] back = new short[pcm.Length];
        MuLaw.Encode(pcm, codes);
        MuLaw.Decode(codes, back);
        for (int i = 0; i < pcm.Length; i++)
        {
            Assert.Equal(MuLaw.Encode(pcm[i]), codes[i]);
            Assert.Equal(MuLaw.Decode(codes[i]), back[i]);
        }
    }

    [Fact]
    public void SpanMethods_SteadyState_AllocateNothing()
    {
        var codes = new byte[160];
        var pcm = new short[160];
        MuLaw.Decode(codes, pcm); // warm up (the table is built once)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            MuLaw.Decode(codes, pcm);
            MuLaw.Encode(pcm, codes);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Decode_OutputTooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => MuLaw.Decode(new byte[4], new short[3]));
        Assert.Throws<ArgumentException>(() => MuLaw.Encode(new short[4], new byte[3]));
    }
}
