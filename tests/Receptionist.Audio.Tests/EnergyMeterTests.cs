using Receptionist.Audio;

namespace Receptionist.Audio.Tests;

public class EnergyMeterTests
{
    [Fact]
    public void Dbfs_FullScaleSine_IsAboutMinus3()
    {
        Assert.InRange(EnergyMeter.Dbfs(Signal.Sine(1000, 8000, 8000, 32767)), -3.05, -2.98);
    }

    [Fact]
    public void Dbfs_HalfScaleSine_IsSixDecibelsLower()
    {
        double full = EnergyMeter.Dbfs(Signal.Sine(440, 16000, 16000, 32000));
        double half = EnergyMeter.Dbfs(Signal.Sine(440, 16000, 16000, 16000));
        Assert.InRange(full - half, 6.0, 6.05);
    }

    [Fact]
    public void Dbfs_FullScaleSquare_IsZero()
    {
        short[] square = Enumerable.Range(0, 160).Select(i => i % 2 == 0 ? short.MinValue : short.MaxValue).ToArray();
        Assert.Equal(0, EnergyMeter.Dbfs(square), 3);
    }

    [Fact]
    public void Dbfs_SilenceOrEmpty_IsTheFloor()
    {
        Assert.Equal(EnergyMeter.Floor, EnergyMeter.Dbfs(new short[160]));
        Assert.Equal(EnergyMeter.Floor, EnergyMeter.Dbfs(ReadOnlySpan<short>.Empty));
        Assert.Equal(-100, EnergyMeter.Floor);
    }

    [Fact]
    public void Add_LoudThenQuiet_TracksPeakLastAndAverage()
    {
        var meter = new EnergyMeter();
        short[] loud = Signal.Sine(1000, 8000, 160, 32767);
        double loudDb = meter.Add(loud);
        double quietDb = meter.Add(new short[160]);

        Assert.Equal(2, meter.Frames);
        Assert.Equal(EnergyMeter.Floor, quietDb);
        Assert.Equal(EnergyMeter.Floor, meter.LastDbfs);
        Assert.Equal(loudDb, meter.PeakDbfs);
        Assert.Equal(loudDb - (10 * Math.Log10(2)), meter.AverageDbfs, 6); // half the energy over twice the samples
    }

    [Fact]
    public void Reset_ForgetsEverything()
    {
        var meter = new EnergyMeter();
        meter.Add(Signal.Sine(1000, 8000, 160));
        meter.Reset();
        Assert.Equal(0, meter.Frames);
        Assert.Equal(EnergyMeter.Floor, meter.PeakDbfs);
        Assert.Equal(EnergyMeter.Floor, meter.AverageDbfs);
    }
}
