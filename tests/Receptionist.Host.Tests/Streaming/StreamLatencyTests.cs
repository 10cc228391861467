using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;
using Receptionist.Telephony.Speech.Simulation;
using Receptionist.Testing;
using Xunit.Abstractions;

namespace Receptionist.Host.Tests.Streaming;

/// <summary>
/// Concurrent streamed calls with real audio against speech services of fixed latency (the stand-in: recognition
/// answers <see cref="RecognitionDelay"/> after the audio ended, synthesis starts <see cref="SynthesisDelay"/> after the
/// request): every call books its own slot, and the time our pipeline adds between "transcript ready" and "first
/// agent audio frame sent" (the synthesis delay taken out) is printed from each turn's stored times. CI runs 8 calls;
/// RECEPTIONIST_BENCH_STREAMS=50 measures the issue's figure.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StreamLatencyTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan RecognitionDelay = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan SynthesisDelay = TimeSpan.FromMilliseconds(100);
    private static readonly int Streams = int.TryParse(Environment.GetEnvironmentVariable("RECEPTIONIST_BENCH_STREAMS"), out var n) && n is > 0 and <= 80 ? n : 8;
    private static readonly string[] Days = ["Monday", "Wednesday", "Thursday", "Friday", "Tuesday"];
    private static readonly string[] Names = ["Sam", "Ana", "Leo", "Mia", "Kai", "Zoe", "Ben", "Ivy", "Max", "Eva", "Tom", "Amy", "Dan", "Lia", "Joe", "Ada"];

    private AppHost _app = null!;
    private SpeechStandIn _speech = null!;

    public async Task InitializeAsync()
    {
        _speech = await SpeechStandIn.StartAsync();
        _speech.RecognitionDelay = RecognitionDelay;
        _speech.SynthesisDelay = SynthesisDelay;
        _app = await AppHost.StartAsync(azurite.ConnectionString, "2026-11-23T08:00:00-05:00", settings: new Dictionary<string, string?>
        {
            ["Speech:Endpoint"] = _speech.Endpoint.ToString(), ["Speech:Key"] = _speech.Key,
        });
        await _app.ImportTenantsAsync(TestTenants.DentistWith("\"voice\": \"en-US-JennyNeural\"", "\"voice\": \"en-US-JennyNeural\", \"voiceMode\": \"stream\""));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _speech.DisposeAsync();
    }

    [Fact]
    public async Task Bookings_ConcurrentStreamedCalls_EachBooksAndEveryTurnIsTimed()
    {
        var calls = Enumerable.Range(0, Streams).Select(i => (Sid: "CA" + i.ToString("x32", CultureInfo.InvariantCulture),
            Line: $"Can {Names[i % Names.Length]} Lee get a checkup {Days[i / 16 % Days.Length]} at {Slot(i % 16)}?")).ToList();

        // Calls arrive over a few seconds, as they do (not all in the same millisecond); the first one alone, so the
        // greeting is synthesised once and then played from the prompt cache.
        await CallAsync(calls[0].Sid, calls[0].Line);
        await Task.WhenAll(calls.Skip(1).Select(async (c, i) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(150 * i));
            await CallAsync(c.Sid, c.Line);
        }));

        var appointments = await _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None);
        Assert.Equal(Streams, appointments.Count(a => a.Status == "booked"));
        var turns = new List<IReadOnlyDictionary<string, int>>();
        foreach (var (sid, _) in calls)
        {
            turns.AddRange((await _app.Services.GetRequiredService<ICallStore>().HistoryAsync(sid, CancellationToken.None))
                .Where(h => h.Kind == "latency").Select(h => TurnTimed.Parse(h.Text)!));
        }

        Assert.Equal(2 * Streams, turns.Count);
        var ours = turns.Select(t => (double)(t["firstAudio"] - t["transcript"] - t["synthesis"])).Order().ToList();
        var decision = turns.Select(t => (double)(t["decision"] - t["transcript"])).Order().ToList();
        var endOfTurn = turns.Select(t => (double)t["endOfTurn"]).Order().ToList();
        output.WriteLine(FormattableString.Invariant(
            $"{Streams} concurrent streamed calls, {turns.Count} turns: transcript → first audio frame, our part (the service's time to its first byte taken out): p50 {P(ours, 50):F0} ms, p95 {P(ours, 95):F0}, p99 {P(ours, 99):F0}, max {ours[^1]:F0} (of which the decision: p50 {P(decision, 50):F0}, p99 {P(decision, 99):F0}); end of turn after speech: p50 {P(endOfTurn, 50):F0}, p95 {P(endOfTurn, 95):F0}"));
    }

    private static string Slot(int i) => FormattableString.Invariant($"{9 + (i / 2)}:{(i % 2 == 0 ? "00" : "30")}").Replace("13:", "1:", StringComparison.Ordinal)
        .Replace("14:", "2:", StringComparison.Ordinal).Replace("15:", "3:", StringComparison.Ordinal).Replace("16:", "4:", StringComparison.Ordinal);

    private static double P(List<double> sorted, int percentile) => sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private async Task CallAsync(string sid, string line)
    {
        var response = await TwilioRequests.PostSignedAsync(_app.Http, "/twilio/voice", TwilioRequests.Form(sid, ("CallStatus", "ringing"), ("From", TestTenants.Caller)));
        response.EnsureSuccessStatusCode();
        await using var client = await MediaStreamClient.ConnectAsync($"ws://{_app.BaseUrl.Authority}/twilio/media");
        await client.StartAsync(sid, "bright-smiles");
        await client.WaitForAgentAsync();
        foreach (var said in new[] { line, "Yes." })
        {
            _speech.Script(client.StreamSid, said);
            await client.SayAsync(said);
            await client.WaitForAgentAsync(client.SpeechEndedAt);
        }
    }
}
