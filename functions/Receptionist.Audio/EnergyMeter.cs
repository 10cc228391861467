namespace Receptionist.Audio;

/// <summary>Signal level in dBFS (0 dBFS is a square wave at full scale, so a full-scale sine is about −3 dBFS).
/// The static <see cref="Dbfs"/> measures one frame; an instance keeps the loudest frame and the level of everything
/// it has seen.</summary>
public sealed class EnergyMeter
{
    /// <summary>The level reported for digital silence or an empty frame, instead of −∞.</summary>
    public const double Floor = -100;

    private const double FullScale = 32768.0;

    private double _sumOfSquares;
    private long _samples;

    /// <summary>The RMS level of <paramref name="frame"/> in dBFS, never below <see cref="Floor"/>.</summary>
    public static double Dbfs(ReadOnlySpan<short> frame)
    {
        if (frame.IsEmpty)
        {
            return Floor;
        }

        return ToDbfs(SumOfSquares(frame) / frame.Length);
    }

    /// <summary>Frames measured since construction or <see cref="Reset"/>.</summary>
    public long Frames { get; private set; }

    /// <summary>The level of the last frame measured (<see cref="Floor"/> before any).</summary>
    public double LastDbfs { get; private set; } = Floor;

    /// <summary>The level of the loudest frame measured (<see cref="Floor"/> before any).</summary>
    public double PeakDbfs { get; private set; } = Floor;

    /// <summary>The RMS level of all samples measured so far, as if they were one frame.</summary>
    public double AverageDbfs => _samples == 0 ? Floor : ToDbfs(_sumOfSquares / _samples);

    /// <summary>Measures <paramref name="frame"/>, updates the running figures and returns the frame's level.</summary>
    public double Add(ReadOnlySpan<short> frame)
    {
        double sum = SumOfSquares(frame);
        _sumOfSquares += sum;
        _samples += frame.Length;
        Frames++;
        LastDbfs = frame.IsEmpty ? Floor : ToDbfs(sum / frame.Length);
        PeakDbfs = Math.Max(PeakDbfs, LastDbfs);
        return LastDbfs;
    }

    /// <summary>Forgets everything measured.</summary>
    public void Reset()
    {
        _sumOfSquares = 0;
        _samples = 0;
        Frames = 0;
        LastDbfs = Floor;
        PeakDbfs = Floor;
    }

    private static double SumOfSquares(ReadOnlySpan<short> frame)
    {
        double sum = 0;
        foreach (short s in frame)
        {
            sum += (double)s * s;
        }

        return sum;
    }

    private static double ToDbfs(double meanSquare)
    {
        if (meanSquare <= 0)
        {
            return Floor;
        }

        return Math.Max(Floor, 10 * Math.Log10(meanSquare / (FullScale * FullScale)));
    }
}
