using Receptionist.Audio.Vad;

namespace Receptionist.Audio.Tests.Vad;

[Collection(VadModelCollection.Name)]
public sealed class SileroVadModelTests(VadModelFixture fixture)
{
    private static List<float> Probabilities(SileroVadModel model, short[] samples, int chunk)
    {
        var stream = model.CreateStream();
        var probabilities = new List<float>();
        for (var i = 0; i < samples.Length; i += chunk)
        {
            stream.Write(samples.AsSpan(i, Math.Min(chunk, samples.Length - i)), probabilities.Add);
        }

        return probabilities;
    }

    [Fact]
    public void Load_AnotherFile_RefusesNamingTheFileAndTheHash()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-silero-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [1, 2, 3]);
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => SileroVadModel.Load(path));

            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Contains(SileroVadModel.Sha256, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_RefusesNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "silero_vad_v5.onnx");

        var ex = Assert.Throws<InvalidDataException>(() => SileroVadModel.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("npm ci", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Silence_EveryWindowBelowTheOffsetThreshold()
    {
        var probabilities = Probabilities(fixture.Model, new short[AudioRates.Wideband * 2], 320);

        Assert.Equal(AudioRates.Wideband * 2 / SileroVadModel.WindowSamples, probabilities.Count);
        Assert.All(probabilities, p => Assert.True(p < TurnDetector.OffsetProbability, $"{p}"));
    }

    [Fact]
    public void Write_WhiteNoise_NotSpeech()
    {
        var random = new Random(7);
        var noise = new short[AudioRates.Wideband * 3];
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] = (short)random.Next(-1500, 1500); // about −30 dBFS of hiss
        }

        var detector = new TurnDetector();
        var events = Probabilities(fixture.Model, noise, 320).Select(p => detector.Observe(p)).Where(e => e is not null).ToList();

        Assert.Empty(events);
    }

    [Fact]
    public async Task Write_Speech_ProbabilityHighWhileSpokenAndLowAround()
    {
        var audio = SpokenAudio.Padded(await SpokenAudio.SayAsync("I would like to book a cleaning next Tuesday morning"), 600, 800);
        var (start, end) = SpokenAudio.Audible(audio);

        var probabilities = Probabilities(fixture.Model, audio, 160);

        var window = SileroVadModel.WindowSamples;
        var during = probabilities.Where((_, i) => (i * window) >= start && ((i + 1) * window) <= end).ToList();
        var before = probabilities.Where((_, i) => ((i + 1) * window) < start).ToList();
        Assert.True(during.Count(p => p >= TurnDetector.OnsetProbability) > during.Count * 0.7, $"speech windows: {string.Join(' ', during.Select(p => p.ToString("0.00")))}");
        Assert.All(before, p => Assert.True(p < TurnDetector.OffsetProbability, $"{p}"));
    }

    [Fact]
    public async Task Write_AnyChunkSize_SameProbabilities()
    {
        var audio = SpokenAudio.Padded(await SpokenAudio.SayAsync("yes please"), 200, 200);

        var whole = Probabilities(fixture.Model, audio, audio.Length);
        var in20Ms = Probabilities(fixture.Model, audio, 320);
        var odd = Probabilities(fixture.Model, audio, 77);

        Assert.Equal(whole, in20Ms);
        Assert.Equal(whole, odd);
    }

    [Fact]
    public async Task Reset_AfterSpeech_StreamStartsOverLikeANewOne()
    {
        var audio = await SpokenAudio.SayAsync("hello");
        var stream = fixture.Model.CreateStream();
        stream.Write(audio, _ => { });
        stream.Reset();
        var again = new List<float>();
        stream.Write(audio, again.Add);

        Assert.Equal(Probabilities(fixture.Model, audio, audio.Length), again);
    }

    [Fact]
    public async Task Infer_ThreeStreamsInOneBatch_SameProbabilitiesAsEachAlone()
    {
        short[][] audio =
        [
            SpokenAudio.Padded(await SpokenAudio.SayAsync("yes please"), 300, 300),
            SpokenAudio.Padded(await SpokenAudio.SayAsync("my name is Cat Power", throughThePhone: true), 100, 500),
            SpokenAudio.Padded(await SpokenAudio.SayAsync("no"), 600, 100),
        ];
        var streams = audio.Select(_ => fixture.Model.CreateStream()).ToList();
        var batched = audio.Select(_ => new List<float>()).ToList();
        var probabilities = new float[3];
        for (var at = 0; at < audio.Max(a => a.Length); at += 320) // 20 ms frames arriving on three calls at once
        {
            for (var i = 0; i < audio.Length; i++)
            {
                if (at < audio[i].Length)
                {
                    streams[i].Append(audio[i].AsSpan(at, Math.Min(320, audio[i].Length - at)));
                }
            }

            while (fixture.Model.Infer(streams, probabilities) > 0)
            {
                for (var i = 0; i < 3; i++)
                {
                    if (!float.IsNaN(probabilities[i]))
                    {
                        batched[i].Add(probabilities[i]);
                    }
                }
            }
        }

        for (var i = 0; i < audio.Length; i++)
        {
            var alone = Probabilities(fixture.Model, audio[i], audio[i].Length);
            Assert.Equal(alone.Count, batched[i].Count);
            Assert.All(alone.Zip(batched[i]), pair => Assert.Equal(pair.First, pair.Second, 0.001f));
        }
    }

    [Fact]
    public void Write_LongSilence_ModelRunOnlyUntilTheStreamHasBeenQuietAWhile()
    {
        var stream = fixture.Model.CreateStream();
        var windows = 0;
        var before = fixture.Model.Inferences;

        stream.Write(new short[AudioRates.Wideband * 4], _ => windows++); // the collection's tests run one at a time

        Assert.Equal(125, windows);
        // the first windows while the noise floor is learnt, then one quiet window in RefreshEvery + 1
        var refreshes = (125 - SileroVadStream.QuietWindowsBeforeSkipping) / (SileroVadStream.RefreshEvery + 1);
        Assert.InRange(fixture.Model.Inferences - before, SileroVadStream.QuietWindowsBeforeSkipping + refreshes - 1, SileroVadStream.QuietWindowsBeforeSkipping + refreshes + 1);
    }
}
