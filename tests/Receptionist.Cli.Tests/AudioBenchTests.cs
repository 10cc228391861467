using System.Text.Json;

namespace Receptionist.Cli.Tests;

/// <summary>`bench audio`: real caller audio goes through decode, resampling, the VAD and end of turn for every call;
/// the figures are the benchmark's to report, never asserted here.</summary>
public sealed class AudioBenchTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task BenchAudio_ThreeCalls_EveryWindowHeardSilenceSkippedAndTurnsEnded()
    {
        var result = await _cli.RunAsync("bench", "audio", "--streams", "3", "--seconds", "16", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("streams").GetInt32());
        Assert.Equal(48, root.GetProperty("audioSeconds").GetDouble());
        var windows = root.GetProperty("windows").GetInt64();
        Assert.InRange(windows, (3 * 16 * 16000 / 512) - 3, (3 * 16 * 16000 / 512) + 3); // every 32 ms of every call
        var inferences = root.GetProperty("inferences").GetInt64();
        Assert.InRange(inferences, 1, windows - 1); // the line noise while the caller listens is not all run through the model
        Assert.InRange(root.GetProperty("callerSilentShare").GetDouble(), 0.5, 0.6); // a phone call: silent while the agent speaks
        Assert.InRange(root.GetProperty("turns").GetInt32(), 3, 12); // each call's 16 s hold two to four of the caller's answers
    }

    [Fact]
    public async Task BenchAudio_NoCalls_RefusedNamingTheOption()
    {
        var result = await _cli.RunAsync("bench", "audio", "--streams", "0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--streams", result.Err, StringComparison.Ordinal);
    }
}
