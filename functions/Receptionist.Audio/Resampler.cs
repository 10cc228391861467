using System.Numerics;
using System.Runtime.InteropServices;

namespace Receptionist.Audio;

/// <summary>Streaming integer-ratio resampler for PCM16 mono between 8, 16 and 24 kHz. Conceptually the input is
/// upsampled by L (zero stuffing), low-pass filtered at the intermediate rate by a Blackman-windowed sinc whose
/// cut-off (its −6 dB point) is 48.75 % of the lower of the two rates (3.9 kHz when 8 kHz is involved), and
/// decimated by M; the work is done polyphase, so only the non-zero taps are computed. One instance per stream: it
/// carries the filter history across calls, so feeding a signal in any chunk sizes gives exactly the output of
/// feeding it whole. The filter is causal and linear-phase, so the output lags the input by half the filter length
/// (1.5 ms, or 3 ms to or from 24 kHz at 8 kHz). Equal rates pass through unchanged.</summary>
public sealed class Resampler
{
    /// <summary>Filter taps per unit of max(L, M) at the intermediate rate.</summary>
    private const int TapsPerRatio = 48;

    /// <summary>The cut-off as a fraction of the lower rate: the telephone band (to 3.4 kHz) stays within 1 dB and
    /// anything that would alias back into it is at least 20 dB down.</summary>
    private const double CutoffFraction = 0.4875;

    private readonly float[][] _phases; // _phases[p][perPhase − 1 − i] multiplies input n − i for output at intermediate index nL + p
    private readonly float[] _history;  // ring of the latest inputs, written twice (at k and k + size) so the newest
                                        // perPhase of them are always contiguous, oldest first
    private readonly int _mask;
    private readonly int _perPhase;
    private long _inputs;                // inputs consumed since construction or Reset
    private long _outputs;               // outputs produced since construction or Reset
    private int _phase;                  // (outputs × M) mod L
    private long _newest;                // (outputs × M) div L

    /// <summary>Creates a resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/> (each one of
    /// <see cref="AudioRates.Telephone"/>, <see cref="AudioRates.Wideband"/>, <see cref="AudioRates.Synthesis"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not one of the three.</exception>
    public Resampler(int inputRate, int outputRate)
    {
        (Up, Down) = Ratio(inputRate, outputRate);
        InputRate = inputRate;
        OutputRate = outputRate;

        int taps = TapsPerRatio * Math.Max(Up, Down);
        taps += (Up - (taps % Up)) % Up; // a whole number of taps per phase
        double cutoff = CutoffFraction * Math.Min(inputRate, outputRate) / ((double)inputRate * Up); // cycles per intermediate sample
        double[] h = new double[taps];
        double centre = (taps - 1) / 2.0, sum = 0;
        for (int t = 0; t < taps; t++)
        {
            double x = t - centre;
            double sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            double w = 0.42 - (0.5 * Math.Cos(2 * Math.PI * t / (taps - 1))) + (0.08 * Math.Cos(4 * Math.PI * t / (taps - 1)));
            h[t] = sinc * w;
            sum += h[t];
        }

        int perPhase = taps / Up;
        _perPhase = perPhase;
        _phases = new float[Up][];
        for (int p = 0; p < Up; p++)
        {
            _phases[p] = new float[perPhase];
            for (int i = 0; i < perPhase; i++)
            {
                _phases[p][perPhase - 1 - i] = (float)(h[p + (i * Up)] * Up / sum); // unity gain at DC after zero stuffing
            }
        }

        int size = 1;
        while (size < perPhase)
        {
            size <<= 1;
        }

        _history = new float[2 * size];
        _mask = size - 1;
    }

    /// <summary>The input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>The output sample rate in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>The upsampling factor L (output rate ÷ gcd).</summary>
    public int Up { get; }

    /// <summary>The downsampling factor M (input rate ÷ gcd).</summary>
    public int Down { get; }

    /// <summary>The most samples one <see cref="Process"/> call of <paramref name="inputLength"/> samples can write
    /// for this conversion.</summary>
    public static int OutputLength(int inputRate, int outputRate, int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        (int up, int down) = Ratio(inputRate, outputRate);
        return (int)((((long)inputLength * up) + down - 1) / down);
    }

    /// <summary>The most samples one <see cref="Process"/> call of <paramref name="inputLength"/> samples can write.</summary>
    public int OutputLength(int inputLength) => OutputLength(InputRate, OutputRate, inputLength);

    /// <summary>Resamples the next chunk of the stream into <paramref name="output"/> and returns the number of
    /// samples written. Allocation-free.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is shorter than
    /// <see cref="OutputLength(int)"/> of the input length.</exception>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        if (output.Length < OutputLength(input.Length))
        {
            throw new ArgumentException("The output is shorter than OutputLength(input.Length).", nameof(output));
        }

        if (Up == 1 && Down == 1)
        {
            input.CopyTo(output); // same rate: nothing to filter
            return input.Length;
        }

        int written = 0;
        int size = _mask + 1;
        foreach (short sample in input)
        {
            int at = (int)(_inputs & _mask);
            _history[at] = sample;
            _history[at + size] = sample;
            _inputs++;
            long limit = _inputs * Up; // outputs whose intermediate index jM is below this need no later input
            while (_outputs * Down < limit)
            {
                // k = outputs × M: its phase k mod L and newest input n = k div L, kept without dividing
                output[written++] = Filter(_phases[_phase], _newest);
                _outputs++;
                _phase += Down;
                while (_phase >= Up)
                {
                    _phase -= Up;
                    _newest++;
                }
            }
        }

        return written;
    }

    /// <summary>Forgets the history, as if the instance were new (for a new stream).</summary>
    public void Reset()
    {
        Array.Clear(_history);
        _inputs = 0;
        _phase = 0;
        _newest = 0;
        _outputs = 0;
    }

    /// <summary>One output: the phase's taps over the newest inputs up to <paramref name="newest"/> (before the stream
    /// began the ring holds zeros, the silence before it). Vectorised: float taps, the sum rounded to PCM16.</summary>
    private short Filter(float[] coefficients, long newest)
    {
        int end = (int)(newest & _mask) + _mask + 1; // the mirrored copy of the newest input
        var window = _history.AsSpan(end - _perPhase + 1, _perPhase);
        var taps = coefficients.AsSpan();
        var wv = MemoryMarshal.Cast<float, Vector<float>>(window);
        var tv = MemoryMarshal.Cast<float, Vector<float>>(taps);
        var acc = Vector<float>.Zero;
        for (int i = 0; i < wv.Length; i++)
        {
            acc += wv[i] * tv[i];
        }

        float sum = Vector.Sum(acc);
        for (int i = wv.Length * Vector<float>.Count; i < window.Length; i++)
        {
            sum += window[i] * taps[i];
        }

        return (short)Math.Clamp(MathF.Round(sum), short.MinValue, short.MaxValue);
    }

    private static (int Up, int Down) Ratio(int inputRate, int outputRate)
    {
        Validate(inputRate, nameof(inputRate));
        Validate(outputRate, nameof(outputRate));
        int a = inputRate, b = outputRate;
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return (outputRate / a, inputRate / a);
    }

    private static void Validate(int rate, string name)
    {
        if (rate is not (AudioRates.Telephone or AudioRates.Wideband or AudioRates.Synthesis))
        {
            throw new ArgumentOutOfRangeException(name, rate, "Supported rates are 8000, 16000 and 24000 Hz.");
        }
    }
}
