using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Receptionist.Audio;
using Receptionist.Audio.Vad;

namespace Receptionist.Cli.Commands;

/// <summary>
/// `bench audio [--streams 200] [--seconds 20] [--batch 0] [--json]`: what one core does of the inbound half of the
/// streaming voice path — μ-law decode, 8 → 16 kHz, Silero VAD, end of turn — for N calls at once, on one thread, as
/// fast as it can. Each call hears a phone call's caller side: espeak-ng speech (four answers of a booking) between the
/// times the caller listens to the receptionist (the caller is silent 55 % of the time), over line noise (−55 to
/// −65 dBFS, never digital silence), at one of three levels, each call starting at a different point of it. Prints the
/// audio seconds handled per CPU second, which is the number of calls one core keeps up with, and the share of windows
/// run through the model.
/// </summary>
internal static class AudioBench
{
    private const int FrameBytes = 160; // 20 ms of μ-law at 8 kHz

    /// <summary>Of the caller track, the share where the caller is silent (listening to the agent).</summary>
    private const double SilentShare = 0.55;

    /// <summary>(speech level, line noise level) in RMS dBFS, one per track; call i hears track i mod 3.</summary>
    private static readonly (double Speech, double Noise)[] Levels = [(-20, -60), (-26, -65), (-32, -55)];

    private sealed record Result(int Streams, double AudioSeconds, double CpuSeconds, double WallSeconds, double StreamsPerCore,
        long Windows, long Inferences, int Turns, int BatchSize, double CallerSilentShare, double ModelShare, double DecodeShare);

    public static async Task<int> RunAsync(CliEnvironment env, int streams, int seconds, int batch, bool json, CancellationToken ct)
    {
        var modelPath = SileroVadModel.Find(env.Root) ?? SileroVadModel.Find(AppContext.BaseDirectory);
        if (modelPath is null)
        {
            return Cli.Error($"{SileroVadModel.RelativePath} not found under {env.Root}: run `npm ci` there.");
        }

        byte[][] tracks;
        double silent;
        try
        {
            (tracks, silent) = await CallerTracksAsync(ct);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return Cli.Error($"espeak-ng and sox make the caller's voice ({ex.Message}): apt-get install espeak-ng sox");
        }

        using var model = SileroVadModel.Load(modelPath);
        var calls = Enumerable.Range(0, streams)
            .Select(i => new Call(model, tracks[i % tracks.Length], (int)((long)i * 7919 % (tracks[0].Length / FrameBytes)))).ToArray();
        var vad = calls.Select(c => c.Vad).ToArray();
        var batchSize = batch <= 0 ? streams : Math.Min(batch, streams);
        var probabilities = new float[streams];
        var frames = seconds * 50;

        // warm up: the first inferences allocate ONNX Runtime's buffers
        var time = new Timing();
        Step(model, calls, vad, probabilities, batchSize, time);
        time = new Timing();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var inferences0 = model.Inferences;
        var wall = Stopwatch.StartNew();
        long windows = 0;
        for (var f = 0; f < frames; f++)
        {
            ct.ThrowIfCancellationRequested();
            windows += Step(model, calls, vad, probabilities, batchSize, time);
        }

        wall.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var audio = (double)streams * frames / 50;
        var result = new Result(streams, audio, cpu, wall.Elapsed.TotalSeconds, audio / cpu, windows, model.Inferences - inferences0,
            calls.Sum(c => c.Turns), batchSize, Math.Round(silent, 3), Math.Round(time.Vad / (double)(time.Vad + time.Decode), 3),
            Math.Round(time.Decode / (double)(time.Vad + time.Decode), 3));
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, Cli.Json));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{streams} calls × {seconds} s of caller audio (decode μ-law, 8→16 kHz, Silero VAD in batches of {batchSize}, end of turn) on one thread:"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {audio:0} audio s in {cpu:0.00} CPU s ({result.WallSeconds:0.00} s wall): {result.StreamsPerCore:0} calls per core"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {windows} VAD windows, {result.Inferences} run through the model ({100.0 * result.Inferences / Math.Max(1, windows):0} %), {result.Turns} caller turns ended"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  the caller is silent {100 * silent:0} % of the track, over line noise of {Levels.Min(l => l.Noise):0} to {Levels.Max(l => l.Noise):0} dBFS; time: {100 * result.DecodeShare:0} % decode and resampling, {100 * result.ModelShare:0} % VAD and end of turn"));
        }

        return 0;
    }

    /// <summary>20 ms for every call, then the VAD for all of them.</summary>
    private static long Step(SileroVadModel model, Call[] calls, SileroVadStream[] vad, float[] probabilities, int batchSize, Timing time)
    {
        var t0 = Stopwatch.GetTimestamp();
        foreach (var call in calls)
        {
            call.Hear();
        }

        var t1 = Stopwatch.GetTimestamp();
        time.Decode += t1 - t0;
        long windows = 0;
        for (var start = 0; start < vad.Length; start += batchSize)
        {
            var count = Math.Min(batchSize, vad.Length - start);
            var slice = new ArraySegment<SileroVadStream>(vad, start, count);
            int taken;
            while ((taken = model.Infer(slice, probabilities)) > 0)
            {
                windows += taken;
                for (var i = 0; i < count; i++)
                {
                    if (!float.IsNaN(probabilities[i]))
                    {
                        calls[start + i].Observe(probabilities[i]);
                    }
                }
            }
        }

        time.Vad += Stopwatch.GetTimestamp() - t1;
        return windows;
    }

    private sealed class Timing
    {
        public long Decode;
        public long Vad;
    }

    /// <summary>The caller's side of a booking call, as the phone line brings it: four answers, and between them the
    /// caller listening to the receptionist (greeting, offer, questions, read-back) — silent <see cref="SilentShare"/>
    /// of the time — over line noise (band-limited hiss whose level wanders ±1 dB), μ-law encoded. One track per
    /// <see cref="Levels"/> entry, all with the same timing.</summary>
    private static async Task<(byte[][] Tracks, double Silent)> CallerTracksAsync(CancellationToken ct)
    {
        string[] answers =
        [
            "Hi, I'd like to book a cleaning next Tuesday morning if you have anything.",
            "Nine would be great. It's for Maria Garcia.",
            "Five five five, zero one nine two.",
            "Yes, that's right.",
        ];
        double[] listening = [2.5, 3.5, 2.5, 4, 2.5]; // relative lengths of the agent's turns: before, between and after the answers
        var spoken = new List<short[]>();
        foreach (var answer in answers)
        {
            spoken.Add(Trimmed(await SayPcmAsync(answer, ct)));
        }

        var speech = spoken.Sum(s => s.Length);
        var quiet = speech * SilentShare / (1 - SilentShare);
        var clean = new List<short>();
        for (var i = 0; i <= answers.Length; i++)
        {
            clean.AddRange(new short[(int)(quiet * listening[i] / listening.Sum())]);
            if (i < answers.Length)
            {
                clean.AddRange(spoken[i]);
            }
        }

        var length = clean.Count / FrameBytes * FrameBytes;
        var voice = clean.Take(length).ToArray();
        var speechRms = Rms(spoken.SelectMany(s => s).ToArray());
        var tracks = new byte[Levels.Length][];
        for (var t = 0; t < Levels.Length; t++)
        {
            var random = new Random(17 + t);
            var gain = 32768 * Math.Pow(10, Levels[t].Speech / 20) / speechRms;
            double low = 0, high = 0;
            var noise = new double[length];
            for (var i = 0; i < length; i++)
            {
                // white noise through a 1st-order high-pass (~300 Hz) and low-pass (~3.6 kHz): the hiss of a line
                var white = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                high += 0.21 * (white - high);
                low += 0.94 * (white - high - low);
                noise[i] = low * Math.Pow(10, Math.Sin(2 * Math.PI * i / (AudioRates.Telephone * 9.0)) / 20); // ±1 dB over 9 s
            }

            var noiseGain = 32768 * Math.Pow(10, Levels[t].Noise / 20) / Math.Sqrt(noise.Average(n => n * n));
            var track = new byte[length];
            for (var i = 0; i < length; i++)
            {
                var sample = (voice[i] * gain) + (noise[i] * noiseGain);
                track[i] = MuLaw.Encode((short)Math.Clamp(Math.Round(sample), short.MinValue, short.MaxValue));
            }

            tracks[t] = track;
        }

        return (tracks, 1 - ((double)speech / length));
    }

    private static double Rms(short[] samples) => Math.Sqrt(samples.Average(s => (double)s * s));

    /// <summary>Without espeak's own leading and trailing silence (10 ms frames below −40 dBFS).</summary>
    private static short[] Trimmed(short[] clip)
    {
        const int frame = 80;
        int first = -1, last = 0;
        for (var i = 0; i + frame <= clip.Length; i += frame)
        {
            double sum = 0;
            for (var j = i; j < i + frame; j++)
            {
                sum += (double)clip[j] * clip[j];
            }

            if (10 * Math.Log10((sum / frame) + 1e-9) - (20 * Math.Log10(32768)) > -40)
            {
                first = first < 0 ? i : first;
                last = i + frame;
            }
        }

        return first < 0 ? clip : clip[first..last];
    }

    private static async Task<short[]> SayPcmAsync(string text, CancellationToken ct)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("espeak-ng -v en-us --stdout \"$1\" | sox -t wav - -t raw -r 8000 -e signed-integer -b 16 -c 1 -");
        start.ArgumentList.Add("say");
        start.ArgumentList.Add(text);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        await copy;
        if (process.ExitCode != 0 || output.Length == 0)
        {
            throw new InvalidOperationException($"espeak-ng | sox failed: {(await error).Trim()}");
        }

        var bytes = output.ToArray();
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    private sealed class Call(SileroVadModel model, byte[] track, int startFrame)
    {
        private readonly short[] _decoded = new short[FrameBytes];
        private readonly short[] _wideband = new short[FrameBytes * 2 + 8];
        private readonly Resampler _resampler = new(AudioRates.Telephone, AudioRates.Wideband);
        private readonly TurnDetector _turns = new();
        private int _frame = startFrame;

        public SileroVadStream Vad { get; } = model.CreateStream();

        public int Turns { get; private set; }

        public void Hear()
        {
            var frames = track.Length / FrameBytes;
            MuLaw.Decode(track.AsSpan(_frame % frames * FrameBytes, FrameBytes), _decoded);
            _frame++;
            var written = _resampler.Process(_decoded, _wideband);
            Vad.Append(_wideband.AsSpan(0, written));
        }

        public void Observe(float probability)
        {
            if (_turns.Observe(probability) is { Kind: TurnEventKind.TurnEnded })
            {
                Turns++;
            }
        }
    }
}
