using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Receptionist.Audio;
using Receptionist.Audio.Vad;

namespace Receptionist.Cli.Commands;

/// <summary>
/// `bench audio [--streams 200] [--seconds 20] [--batch 0] [--json]`: what one core does of the inbound half of the
/// streaming voice path — μ-law decode, 8 → 16 kHz, Silero VAD, end of turn — for N calls at once, on one thread, as
/// fast as it can. Each call hears a caller track made with espeak-ng and sox (speech, then the silence of a caller
/// listening to the receptionist), each call starting at a different point of it. Prints the audio seconds handled per
/// CPU second, which is the number of calls one core keeps up with.
/// </summary>
internal static class AudioBench
{
    private const int FrameBytes = 160; // 20 ms of μ-law at 8 kHz

    private sealed record Result(int Streams, double AudioSeconds, double CpuSeconds, double WallSeconds, double StreamsPerCore,
        long Windows, long Inferences, int Turns, int BatchSize);

    public static async Task<int> RunAsync(CliEnvironment env, int streams, int seconds, int batch, bool json, CancellationToken ct)
    {
        var modelPath = SileroVadModel.Find(env.Root) ?? SileroVadModel.Find(AppContext.BaseDirectory);
        if (modelPath is null)
        {
            return Cli.Error($"{SileroVadModel.RelativePath} not found under {env.Root}: run `npm ci` there.");
        }

        byte[] track;
        try
        {
            track = await CallerTrackAsync(ct);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return Cli.Error($"espeak-ng and sox make the caller's voice ({ex.Message}): apt-get install espeak-ng sox");
        }

        using var model = SileroVadModel.Load(modelPath);
        var calls = Enumerable.Range(0, streams).Select(i => new Call(model, (int)((long)i * 7919 % (track.Length / FrameBytes)))).ToArray();
        var vad = calls.Select(c => c.Vad).ToArray();
        var batchSize = batch <= 0 ? streams : Math.Min(batch, streams);
        var probabilities = new float[streams];
        var frames = seconds * 50;

        // warm up: the first inferences allocate ONNX Runtime's buffers
        Step(model, calls, vad, track, probabilities, batchSize);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var inferences0 = model.Inferences;
        var wall = Stopwatch.StartNew();
        long windows = 0;
        for (var f = 0; f < frames; f++)
        {
            ct.ThrowIfCancellationRequested();
            windows += Step(model, calls, vad, track, probabilities, batchSize);
        }

        wall.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        var audio = (double)streams * frames / 50;
        var result = new Result(streams, audio, cpu, wall.Elapsed.TotalSeconds, audio / cpu, windows, model.Inferences - inferences0,
            calls.Sum(c => c.Turns), batchSize);
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
        }

        return 0;
    }

    /// <summary>20 ms for every call, then the VAD for all of them.</summary>
    private static long Step(SileroVadModel model, Call[] calls, SileroVadStream[] vad, byte[] track, float[] probabilities, int batchSize)
    {
        foreach (var call in calls)
        {
            call.Hear(track);
        }

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

        return windows;
    }

    /// <summary>A caller: a booking request, six seconds of listening (digital silence), a "yes", four more seconds.</summary>
    private static async Task<byte[]> CallerTrackAsync(CancellationToken ct)
    {
        var request = await SayMulawAsync("Hi, I'd like to book a cleaning next Tuesday morning if you have anything.", ct);
        var yes = await SayMulawAsync("Yes, that's right.", ct);
        var quiet = Enumerable.Repeat(MuLaw.Silence, AudioRates.Telephone * 6).ToArray();
        var shorter = Enumerable.Repeat(MuLaw.Silence, AudioRates.Telephone * 4).ToArray();
        byte[] track = [.. request, .. quiet, .. yes, .. shorter];
        return track[..(track.Length / FrameBytes * FrameBytes)];
    }

    private static async Task<byte[]> SayMulawAsync(string text, CancellationToken ct)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("espeak-ng -v en-us --stdout \"$1\" | sox -t wav - -t raw -r 8000 -e u-law -b 8 -c 1 -");
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

        return output.ToArray();
    }

    private sealed class Call(SileroVadModel model, int startFrame)
    {
        private readonly short[] _decoded = new short[FrameBytes];
        private readonly short[] _wideband = new short[FrameBytes * 2 + 8];
        private readonly Resampler _resampler = new(AudioRates.Telephone, AudioRates.Wideband);
        private readonly TurnDetector _turns = new();
        private int _frame = startFrame;

        public SileroVadStream Vad { get; } = model.CreateStream();

        public int Turns { get; private set; }

        public void Hear(byte[] track)
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
