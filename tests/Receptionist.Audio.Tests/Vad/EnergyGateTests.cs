using Receptionist.Audio.Vad;
using Xunit.Abstractions;

namespace Receptionist.Audio.Tests.Vad;

/// <summary>The energy gate (<see cref="SileroVadStream.SkipsQuiet"/>) keeps quiet windows out of the model; these
/// tests hold it to the model run on every window: the same turns, each start and end within one window (32 ms) of
/// where the model run on every window puts it, and within the end-of-turn budgets, on the onsets a gate could miss — speech after a long silence, quiet speech over line noise, speech starting anywhere in
/// a window.</summary>
[Collection(VadModelCollection.Name)]
public sealed class EnergyGateTests(VadModelFixture fixture, ITestOutputHelper output)
{
    private const int Window = SileroVadModel.WindowSamples;

    private sealed record Run(List<TurnEvent> Events, int Windows, long Skipped);

    private Run Detect(short[] audio, TurnExpectation expectation, bool gate)
    {
        var stream = fixture.Model.CreateStream();
        stream.SkipsQuiet = gate;
        var detector = new TurnDetector(expectation);
        var events = new List<TurnEvent>();
        var windows = 0;
        for (var i = 0; i < audio.Length; i += 320)
        {
            stream.Write(audio.AsSpan(i, Math.Min(320, audio.Length - i)), p =>
            {
                windows++;
                if (detector.Observe(p) is { } e)
                {
                    events.Add(e);
                }
            });
        }

        return new Run(events, windows, stream.Skipped);
    }

    /// <summary>The gate on and off give the same turns, within a window; returns the gated run.</summary>
    private Run SameAsEveryWindowRun(short[] audio, TurnExpectation expectation, string what)
    {
        var everyWindow = Detect(audio, expectation, gate: false);
        var gated = Detect(audio, expectation, gate: true);
        output.WriteLine($"{what}: {string.Join(", ", gated.Events)}; {gated.Skipped} of {gated.Windows} windows skipped " +
            $"(every window: {string.Join(", ", everyWindow.Events)})");
        Assert.Equal(0, everyWindow.Skipped);
        Assert.NotEmpty(everyWindow.Events);
        Assert.Equal(everyWindow.Events.Select(e => e.Kind), gated.Events.Select(e => e.Kind));
        foreach (var (reference, e) in everyWindow.Events.Zip(gated.Events))
        {
            // the model's recurrent state drifts through seconds of quiet, which skipped windows do not replay: a
            // speech start or end may move by one window (32 ms), no more
            Assert.InRange(e.AtSample - reference.AtSample, -Window, Window);
            Assert.InRange(e.SpeechEndedAtSample - reference.SpeechEndedAtSample, -Window, Window);
        }

        return gated;
    }

    /// <summary>A phone line's hiss: white noise band-limited to about 300–3,400 Hz, at <paramref name="dbfs"/> RMS.</summary>
    private static short[] LineNoise(int samples, double dbfs, int seed)
    {
        var random = new Random(seed);
        var noise = new double[samples];
        double high = 0, low = 0;
        for (var i = 0; i < samples; i++)
        {
            var white = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            high += 0.11 * (white - high);
            low += 0.74 * (white - high - low);
            noise[i] = low;
        }

        var gain = 32768 * Math.Pow(10, dbfs / 20) / Math.Sqrt(noise.Average(n => n * n));
        return [.. noise.Select(n => (short)Math.Round(n * gain))];
    }

    /// <summary><paramref name="speech"/> scaled to <paramref name="speechDbfs"/> (RMS over its audible part), placed at
    /// <paramref name="at"/> in a bed of line noise <paramref name="total"/> samples long.</summary>
    private static short[] OverNoise(short[] speech, double speechDbfs, int at, int total, double noiseDbfs, int seed = 3)
    {
        var (start, end) = SpokenAudio.Audible(speech);
        var rms = Signal.Rms(speech.AsSpan((int)start, (int)(end - start)));
        var gain = 32768 * Math.Pow(10, speechDbfs / 20) / rms;
        var mix = LineNoise(total, noiseDbfs, seed);
        for (var i = 0; i < speech.Length && at + i < total; i++)
        {
            mix[at + i] = (short)Math.Clamp(Math.Round(mix[at + i] + (speech[i] * gain)), short.MinValue, short.MaxValue);
        }

        return mix;
    }

    private static short[] Trimmed(short[] clip)
    {
        var (start, end) = SpokenAudio.Audible(clip);
        return clip[(int)start..(int)end];
    }

    private static double Ms(long samples) => samples * 1000.0 / AudioRates.Wideband;

    [Theory]
    [InlineData(-60.0)]
    [InlineData(-200.0)] // digital silence
    public async Task Gate_SpeechAfterTwentySecondsOfQuiet_SameOnsetAsEveryWindowAndTheQuietSkipped(double noiseDbfs)
    {
        var speech = Trimmed(await SpokenAudio.SayAsync("wait, actually I need Thursday", throughThePhone: true));
        var at = AudioRates.Wideband * 20;
        var audio = noiseDbfs < -150
            ? [.. new short[at], .. speech, .. new short[AudioRates.Wideband]]
            : OverNoise(speech, -26, at, at + speech.Length + AudioRates.Wideband, noiseDbfs);

        var gated = SameAsEveryWindowRun(audio, TurnExpectation.Default, $"after 20 s at {noiseDbfs} dBFS");

        var confirmed = gated.Events[0].AtSample + ((long)TurnDetector.OnsetWindows * Window);
        Assert.Equal(TurnEventKind.SpeechStarted, gated.Events[0].Kind);
        Assert.InRange(Ms(confirmed - at), 0, 150); // still in time for a barge-in
        Assert.True(gated.Skipped > 0.85 * (at / Window), $"{gated.Skipped} of {at / Window} quiet windows skipped");
    }

    [Theory]
    [InlineData(-40.0, -55.0)] // 15 dB above a loud line
    [InlineData(-45.0, -65.0)]
    [InlineData(-35.0, -50.0)]
    public async Task Gate_QuietSpeechOverLineNoise_SameTurnAsEveryWindow(double speechDbfs, double noiseDbfs)
    {
        var speech = Trimmed(await SpokenAudio.SayAsync("yes, that's right", throughThePhone: true));
        var at = AudioRates.Wideband * 3;
        var audio = OverNoise(speech, speechDbfs, at, at + speech.Length + AudioRates.Wideband, noiseDbfs);

        var gated = SameAsEveryWindowRun(audio, TurnExpectation.YesNo, $"{speechDbfs} dBFS speech over {noiseDbfs} dBFS noise");

        Assert.Equal([TurnEventKind.SpeechStarted, TurnEventKind.TurnEnded], gated.Events.Select(e => e.Kind));
        Assert.InRange(Ms(gated.Events[0].AtSample - at), -100, 100);
        Assert.True(gated.Skipped > 0.8 * (at / Window), $"{gated.Skipped} of {at / Window} quiet windows skipped");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    [InlineData(192)]
    [InlineData(320)]
    [InlineData(448)]
    [InlineData(500)]
    public async Task Gate_SpeechStartingMidWindow_SameOnsetAsEveryWindow(int offset)
    {
        var speech = Trimmed(await SpokenAudio.SayAsync("no, that's wrong", throughThePhone: true));
        var at = (Window * 60) + offset; // about 2 s of line noise, then the first sound `offset` samples into a window
        var audio = OverNoise(speech, -30, at, at + speech.Length + AudioRates.Wideband, -60, seed: offset);

        var gated = SameAsEveryWindowRun(audio, TurnExpectation.YesNo, $"first sound {offset} samples into a window");

        Assert.Equal(TurnEventKind.SpeechStarted, gated.Events[0].Kind);
        Assert.InRange(Ms(gated.Events[0].AtSample - at), -100, 100);
    }

    [Theory]
    [InlineData("yes", false)]
    [InlineData("no, that's wrong", false)]
    [InlineData("yes", true)]
    [InlineData("yeah that's right", true)]
    public async Task Gate_EndOfTurnAnswers_SameFiguresAsEveryWindow(string answer, bool throughThePhone)
    {
        // the end-of-turn figures of EndOfTurnTests (digital silence around the answer), and the same over line noise
        var clip = await SpokenAudio.SayAsync(answer, throughThePhone);
        var padded = SpokenAudio.Padded(clip, 700, 1200);
        var (start, end) = SpokenAudio.Audible(padded);
        var gated = SameAsEveryWindowRun(padded, TurnExpectation.YesNo, answer);
        output.WriteLine($"  onset {Ms(gated.Events[0].AtSample - start):0} ms, turn end {Ms(gated.Events[1].AtSample - end):0} ms after the last sound");

        var speech = Trimmed(clip);
        var at = AudioRates.Samples(AudioRates.Wideband, 700);
        var noisy = OverNoise(speech, -26, at, at + speech.Length + AudioRates.Samples(AudioRates.Wideband, 1200), -60);
        var overNoise = SameAsEveryWindowRun(noisy, TurnExpectation.YesNo, $"{answer} over −60 dBFS line noise");
        Assert.Equal([TurnEventKind.SpeechStarted, TurnEventKind.TurnEnded], overNoise.Events.Select(e => e.Kind));
        output.WriteLine($"  onset {Ms(overNoise.Events[0].AtSample - at):0} ms, turn end {Ms(overNoise.Events[1].AtSample - (at + speech.Length)):0} ms after the last sound");
        Assert.InRange(Ms(overNoise.Events[1].AtSample - (at + speech.Length)), 0, 350);
    }

    [Fact]
    public void Gate_LouderLine_LearntWithinTwoSeconds()
    {
        // the line gets 12 dB louder (−66 → −54 dBFS): the model runs on it until the floor has followed, then skips it
        short[] audio = [.. LineNoise(AudioRates.Wideband * 2, -66, 1), .. LineNoise(AudioRates.Wideband * 6, -54, 2)];
        var stream = fixture.Model.CreateStream();
        var skippedAt = new List<long>();
        stream.Write(audio, _ => skippedAt.Add(stream.Skipped));

        var louderFrom = AudioRates.Wideband * 2 / Window;
        var lastFourSeconds = skippedAt[^1] - skippedAt[^(4 * AudioRates.Wideband / Window)];
        output.WriteLine($"floor {stream.NoiseFloorDbfs:0.0} dBFS; skipped in the last 4 s: {lastFourSeconds} of {4 * AudioRates.Wideband / Window}");
        Assert.True(skippedAt[louderFrom - 1] > 0.85 * (louderFrom - SileroVadStream.QuietWindowsBeforeSkipping), $"{skippedAt[louderFrom - 1]}");
        Assert.InRange(stream.NoiseFloorDbfs, -57, -53);
        Assert.True(lastFourSeconds > 0.85 * (4 * AudioRates.Wideband / Window), $"{lastFourSeconds}"); // one in RefreshEvery + 1 is run
    }
}
