using Receptionist.Audio;

namespace Receptionist.Audio.Tests;

public class ResamplerTests
{
    public static TheoryData<int, int> Conversions => new()
    {
        { 8000, 16000 }, { 16000, 8000 }, { 24000, 16000 }, { 16000, 24000 }, { 24000, 8000 }, { 8000, 24000 },
    };

    private static short[] Run(Resampler r, short[] input)
    {
        var output = new short[r.OutputLength(input.Length)];
        int n = r.Process(input, output);
        return output[..n];
    }

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Process_OneKilohertzSine_KeepsFrequencyAndAmplitude(int from, int to)
    {
        short[] input = Signal.Sine(1000, from, from / 2); // 0.5 s
        short[] output = Run(new Resampler(from, to), input);

        Assert.Equal(to / 2, output.Length);
        ReadOnlySpan<short> steady = output.AsSpan(to / 20); // skip the filter's start-up
        Assert.InRange(Signal.Frequency(steady, to), 995, 1005);
        Assert.InRange(Signal.Rms(steady) / Signal.Rms(input.AsSpan(from / 20)), 0.97, 1.03);
    }

    [Theory]
    [InlineData(16000, 8000, 6000)]
    [InlineData(24000, 8000, 6000)]
    [InlineData(24000, 16000, 10000)]
    [InlineData(16000, 8000, 4600)]
    public void Process_ToneAboveNewNyquist_AttenuatedAtLeast20Db(int from, int to, double tone)
    {
        short[] input = Signal.Sine(tone, from, from / 2);
        short[] output = Run(new Resampler(from, to), input);

        double ratio = Signal.Rms(output.AsSpan(to / 20)) / Signal.Rms(input);
        Assert.True(20 * Math.Log10(Math.Max(ratio, 1e-9)) <= -20, $"only {20 * Math.Log10(ratio):F1} dB");
    }

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Process_TelephoneBandEdge_WithinOneDecibel(int from, int to)
    {
        short[] input = Signal.Sine(3400, from, from / 2);
        short[] output = Run(new Resampler(from, to), input);

        double db = 20 * Math.Log10(Signal.Rms(output.AsSpan(to / 20)) / Signal.Rms(input));
        Assert.InRange(db, -1, 0.5);
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        var r = new Resampler(24000, 8000);
        short[] input = Signal.Sine(1000, 24000, 480);
        var output = new short[160];
        r.Process(input, output); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            r.Process(input, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(8000, 16000, 3500)]
    [InlineData(8000, 24000, 3500)]
    public void Process_Upsampling_LeavesNoImageAboveOldNyquist(int from, int to, double tone)
    {
        short[] output = Run(new Resampler(from, to), Signal.Sine(tone, from, from / 2));
        // The image of f sits at from − f; a sine at f alone would give the same RMS and the same crossings.
        Assert.InRange(Signal.Frequency(output.AsSpan(to / 20), to), tone - 10, tone + 10);
    }

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Process_ArbitraryChunks_EqualsWholeSignal(int from, int to)
    {
        short[] input = Signal.Sine(440, from, 4000, 20000);
        short[] whole = Run(new Resampler(from, to), input);

        var chunked = new Resampler(from, to);
        var collected = new List<short>();
        int[] sizes = { 1, 7, 2, 160, 3, 0, 333, 5 };
        for (int pos = 0, k = 0; pos < input.Length; k++)
        {
            int size = Math.Min(sizes[k % sizes.Length], input.Length - pos);
            collected.AddRange(Run(chunked, input[pos..(pos + size)]));
            pos += size;
        }

        Assert.Equal(whole, collected.ToArray());
    }

    [Theory]
    [InlineData(8000, 16000, 160, 320)]
    [InlineData(16000, 8000, 321, 161)]
    [InlineData(24000, 16000, 1, 1)]
    [InlineData(16000, 24000, 5, 8)]
    [InlineData(24000, 8000, 480, 160)]
    [InlineData(8000, 24000, 160, 480)]
    public void OutputLength_GivesCeilingOfRatio(int from, int to, int input, int expected)
    {
        Assert.Equal(expected, Resampler.OutputLength(from, to, input));
    }

    [Fact]
    public void Constructor_UnsupportedRate_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(44100, 16000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(16000, 48000));
    }

    [Fact]
    public void Process_OutputTooShort_Throws()
    {
        var r = new Resampler(8000, 16000);
        Assert.Throws<ArgumentException>(() => r.Process(new short[10], new short[19]));
    }

    [Fact]
    public void Reset_StartsAgainLikeANewInstance()
    {
        short[] input = Signal.Sine(1000, 16000, 800);
        var r = new Resampler(16000, 8000);
        short[] first = Run(r, input);
        r.Reset();
        Assert.Equal(first, Run(r, input));
    }

    [Fact]
    public void Process_SameRate_PassesThrough()
    {
        short[] input = Signal.Sine(1000, 16000, 100);
        Assert.Equal(input, Run(new Resampler(16000, 16000), input));
    }
}
