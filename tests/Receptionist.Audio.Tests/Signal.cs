namespace Receptionist.Audio.Tests;

/// <summary>Test signals and measurements.</summary>
internal static class Signal
{
    public static short[] Sine(double frequency, int sampleRate, int samples, double amplitude = 16000)
    {
        var s = new short[samples];
        for (int i = 0; i < samples; i++)
        {
            s[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }

        return s;
    }

    public static double Rms(ReadOnlySpan<short> s)
    {
        double sum = 0;
        foreach (short v in s)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum / s.Length);
    }

    /// <summary>Frequency from the count of rising zero crossings and the span between the first and the last.</summary>
    public static double Frequency(ReadOnlySpan<short> s, int sampleRate)
    {
        int first = -1, last = -1, count = 0;
        for (int i = 1; i < s.Length; i++)
        {
            if (s[i - 1] < 0 && s[i] >= 0)
            {
                if (first < 0)
                {
                    first = i;
                }

                last = i;
                count++;
            }
        }

        return (count - 1) * (double)sampleRate / (last - first);
    }
}
