using System.Diagnostics;

namespace Receptionist.Audio.Tests.Vad;

/// <summary>Real speech for the tests: espeak-ng's voice, converted by sox to 16 kHz PCM16 mono (optionally through
/// an 8 kHz μ-law telephone line first). Both are installed by the test command.</summary>
internal static class SpokenAudio
{
    public static async Task<short[]> SayAsync(string text, bool throughThePhone = false)
    {
        var wav = Path.Combine(Path.GetTempPath(), $"receptionist-vad-{Guid.NewGuid():N}.wav");
        try
        {
            await RunAsync("espeak-ng", ["-v", "en-us", "-s", "160", "-w", wav, text]);
            var raw = throughThePhone ? await ThroughThePhoneAsync(wav) : wav;
            var pcm = await RunAsync("sox", [raw, "-t", "raw", "-r", "16000", "-e", "signed-integer", "-b", "16", "-c", "1", "-"]);
            if (raw != wav)
            {
                File.Delete(raw);
            }

            var samples = new short[pcm.Length / 2];
            Buffer.BlockCopy(pcm, 0, samples, 0, samples.Length * 2);
            return samples;
        }
        finally
        {
            File.Delete(wav);
        }
    }

    private static async Task<string> ThroughThePhoneAsync(string wav)
    {
        var ulaw = Path.ChangeExtension(wav, ".ul.wav");
        await RunAsync("sox", [wav, "-r", "8000", "-e", "u-law", "-b", "8", "-c", "1", ulaw]);
        return ulaw;
    }

    /// <summary>Silence, then the samples, then silence.</summary>
    public static short[] Padded(short[] speech, int silenceBeforeMs, int silenceAfterMs) =>
        [.. new short[AudioRates.Samples(AudioRates.Wideband, silenceBeforeMs)], .. speech, .. new short[AudioRates.Samples(AudioRates.Wideband, silenceAfterMs)]];

    /// <summary>Where the sound really starts and ends (10 ms frames above −40 dBFS), in samples.</summary>
    public static (long Start, long End) Audible(short[] samples)
    {
        const int frame = 160;
        long? start = null;
        long end = 0;
        for (var i = 0; i + frame <= samples.Length; i += frame)
        {
            double sum = 0;
            for (var j = i; j < i + frame; j++)
            {
                sum += (double)samples[j] * samples[j];
            }

            var dbfs = 10 * Math.Log10((sum / frame) + 1e-9) - (20 * Math.Log10(32768));
            if (dbfs > -40)
            {
                start ??= i;
                end = i + frame;
            }
        }

        return (start ?? throw new InvalidOperationException("no audible sound"), end);
    }

    private static async Task<byte[]> RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{file} took over 30 s");
        }

        await copy;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await error}");
        }

        return output.ToArray();
    }
}
