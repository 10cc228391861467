using System.Net;
using System.Net.WebSockets;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Storage;
using Receptionist.Telephony.Speech.Simulation;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Streaming;

/// <summary>The streaming voice path over Twilio Media Streams against the real app on Azurite and the loopback Azure
/// Speech stand-in, with real audio both ways (espeak-ng): the TwiML, the signed upgrade, binding, speaking in the
/// tenant's voice, listening with the VAD, barge-in by policy, keys, hang-ups, transfers and bad input.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TwilioMediaEndpointTests(AzuriteFixture azurite, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private AppHost _app = null!;
    private SpeechStandIn _speech = null!;

    public async Task InitializeAsync()
    {
        _speech = await SpeechStandIn.StartAsync();
        // Monday 10:00 in New York: the dentist is open, so a person can be put through.
        _app = await AppHost.StartAsync(azurite.ConnectionString, "2026-11-23T10:00:00-05:00", settings: new Dictionary<string, string?>
        {
            ["Speech:Endpoint"] = _speech.Endpoint.ToString(), ["Speech:Key"] = _speech.Key, ["Streaming:SilenceSeconds"] = "3",
        });
        await _app.ImportTenantsAsync(StreamDentist);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _speech.DisposeAsync();
    }

    private static string StreamDentist => TestTenants.DentistWith("\"voice\": \"en-US-JennyNeural\"", "\"voice\": \"en-US-JennyNeural\", \"voiceMode\": \"stream\"");

    private ICallStore Calls => _app.Services.GetRequiredService<ICallStore>();

    private string MediaUrl => $"ws://{_app.BaseUrl.Authority}/twilio/media";

    [Fact]
    public async Task IncomingCall_StreamTenant_ConnectsAStreamNamingTheTenantAndTurn()
    {
        var twiml = await StartCallAsync(Sid(1));

        var stream = twiml.Descendants("Stream").Single();
        Assert.Equal(MediaUrl, (string?)stream.Attribute("url"));
        var parameters = stream.Elements("Parameter").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        Assert.Equal("bright-smiles", parameters["tenant"]);
        Assert.Equal("/twilio/stream/ended?turn=" + parameters["turn"], (string?)twiml.Descendants("Connect").Single().Attribute("action"));
        Assert.Empty(twiml.Descendants("Say")); // the greeting is spoken over the stream, in the tenant's voice
        Assert.Equal("stream", (await Calls.GetAsync(Sid(1), CancellationToken.None))!.Record.Mode);
    }

    [Fact]
    public async Task Upgrade_UnsignedOrWronglySigned_403BeforeUpgradingAndNothingStored()
    {
        foreach (var signature in new[] { null, TwilioSignature.Compute("wrong-token-123", MediaUrl, []) })
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            if (signature is not null)
            {
                socket.Options.SetRequestHeader(TwilioSignature.Header, signature);
            }

            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(MediaUrl), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        }

        Assert.Empty(await Calls.ListByTenantAsync("bright-smiles", 10, CancellationToken.None));
        Assert.Empty(_speech.Spoken);
    }

    [Theory]
    [InlineData("unknown", "bright-smiles", "unknown call")]
    [InlineData("stream", "another-tenant", "the tenant does not match the call")]
    [InlineData("gather", "bright-smiles", "the call is not in stream mode")]
    public async Task Start_NotAStreamCallOfThisTenant_ClosesWithTheReasonAndSpeaksNothing(string call, string tenant, string reason)
    {
        var callSid = call == "unknown" ? "CA-nosuch" : Sid(call == "gather" ? 3 : 2);
        if (call == "gather")
        {
            await _app.ImportTenantsAsync(TestTenants.Dentist);
        }

        if (call != "unknown")
        {
            await StartCallAsync(callSid);
        }

        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(callSid, tenant);
        var closed = await client.WaitClosedAsync();

        Assert.Equal((WebSocketCloseStatus.PolicyViolation, reason), (closed.Status, closed.Reason));
        Assert.Empty(_speech.Spoken);
        if (call == "unknown")
        {
            Assert.Null(await Calls.GetAsync(callSid, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Start_NotMulaw_ClosesWithTheReason()
    {
        await StartCallAsync(Sid(4));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);

        await client.StartAsync(Sid(4), "bright-smiles", encoding: "audio/l16");

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, (await client.WaitClosedAsync()).Status);
    }

    [Fact]
    public async Task Greeting_StreamOpens_SpokenInTheTenantsVoiceWithAMarkEchoedAtItsEnd()
    {
        await StartCallAsync(Sid(5));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);

        await client.StartAsync(Sid(5), "bright-smiles");
        await client.WaitForAgentAsync();

        var spoken = Assert.Single(_speech.Spoken);
        Assert.Contains("Bright Smiles", spoken.Text, StringComparison.Ordinal);
        Assert.Equal(("en-US-JennyNeural", Telephony.Speech.SpeechAudioFormat.Mulaw8Khz), (spoken.Voice, spoken.Format));
        Assert.StartsWith(client.StreamSid + "/", spoken.CorrelationId, StringComparison.Ordinal);
        // All the synthesised audio reached the caller (whole 20 ms frames), and a mark followed it.
        Assert.InRange(client.MediaBytes, spoken.Milliseconds * 8, (spoken.Milliseconds * 8) + 160);
        Assert.Contains(client.Events, e => e.Event.StartsWith("mark:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Greeting_SecondCall_PlaysTheCachedAudioWithoutAskingTheServiceAgain()
    {
        foreach (var n in new[] { 15, 16 })
        {
            await StartCallAsync(Sid(n));
            await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
            await client.StartAsync(Sid(n), "bright-smiles");
            await client.WaitForAgentAsync();
            Assert.True(client.MediaBytes > 8000, "the caller heard the greeting");
        }

        Assert.Single(_speech.Spoken); // synthesised for the first call only
    }

    [Fact]
    public async Task Booking_ByVoice_BooksAfterTheReadBackIsConfirmed()
    {
        await StartCallAsync(Sid(6));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(6), "bright-smiles");
        await client.WaitForAgentAsync();

        var readBack = await SayAsync(client, "Can Sam Lee get a cleaning Monday at 10?");
        var booked = await SayAsync(client, "Yes.");

        Assert.Contains("Sam Lee", readBack, StringComparison.Ordinal);
        Assert.Contains("booked", booked, StringComparison.OrdinalIgnoreCase);
        var appointment = Assert.Single(await _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None));
        Assert.Equal(("Cleaning", "Sam Lee"), (appointment.Service, appointment.CallerName));
        // Recognition was streamed from the onset (chunked), of real speech, one request per utterance.
        Assert.Equal(2, _speech.Heard.Count(h => h.CorrelationId.StartsWith(client.StreamSid, StringComparison.Ordinal)));
        Assert.All(_speech.Heard, h => Assert.True(h.Chunked && h.Dbfs > -40 && h.Status == "Success", h.ToString()));
        // Each turn's times are kept with the call: the turn ends after the pause (a yes/no one is shorter), then
        // transcript, decision and first audio follow in that order.
        var timed = (await Calls.HistoryAsync(Sid(6), CancellationToken.None)).Where(h => h.Kind == "latency").Select(h => Core.Conversation.TurnTimed.Parse(h.Text)!).ToList();
        Assert.Equal(2, timed.Count);
        Assert.All(timed, t => Assert.True(t["endOfTurn"] >= 150 && t["endOfTurn"] <= t["transcript"] && t["transcript"] <= t["decision"] && t["decision"] <= t["firstAudio"],
            string.Join(", ", t.Select(kv => $"{kv.Key}={kv.Value}"))));
        Assert.True(timed[1]["endOfTurn"] < timed[0]["endOfTurn"], "a yes/no answer ends sooner than a request");
    }

    [Fact]
    public async Task Simulator_WholeBookingByVoice_BookedWithTheWordsAndTimesOfEveryTurn()
    {
        var simulator = new Telephony.Twilio.Streams.TwilioStreamSimulator(_app.Http, _app.BaseUrl, AppHost.AuthToken, AppHost.AccountSid, _speech);

        var call = await simulator.RunAsync(TestTenants.DentistNumber, TestTenants.Caller,
            new Telephony.Twilio.ScriptedCaller(["Can Sam Lee get a cleaning Monday at 10?", "Yes.", "No thanks."]), CancellationToken.None);

        Assert.True(call.Ended, "the receptionist ends the call after its goodbye:\n" + string.Join("\n", call.Turns.Select(t => $"{t.Speaker}: {t.Text}")));
        var agent = string.Join(" ", call.Turns.Where(t => t.Speaker == "agent").Select(t => t.Text));
        Assert.Contains("Sam Lee", agent, StringComparison.Ordinal);
        var appointment = Assert.Single(await _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None));
        Assert.Equal(("Cleaning", "Sam Lee", "booked"), (appointment.Service, appointment.CallerName, appointment.Status));
        var timings = simulator.Timings.Where(t => t.EndOfTurnMilliseconds is not null).ToList();
        Assert.True(timings.Count >= 2, "each answered line is timed");
        Assert.All(timings, t => Assert.True(t.EndOfTurnMilliseconds <= t.TranscriptMilliseconds && t.TranscriptMilliseconds <= t.FirstAudioMilliseconds, t.ToString()));
    }

    [Fact]
    public async Task BargeIn_SpeechOverTheGreeting_ClearsItAndAnswers()
    {
        await StartCallAsync(Sid(7));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(7), "bright-smiles");
        await WaitUntilAsync(() => client.MediaBytes > 4000); // half a second of the greeting has come

        _speech.Script(client.StreamSid, "What's your address?");
        await client.SayAsync("What's your address?");
        await client.WaitForAgentAsync(client.SpeechEndedAt);

        var clear = Assert.Single(client.Events, e => e.Event == "clear");
        Assert.True(clear.At < client.SpeechEndedAt, "the greeting was cut while the caller spoke, not after");
        output.WriteLine(FormattableString.Invariant(
            $"clear received {System.Diagnostics.Stopwatch.GetElapsedTime(client.SpeechStartedAt, clear.At).TotalMilliseconds:F0} ms after the caller's first speech frame went out (espeak-ng's own lead-in included)"));
        Assert.Contains(_speech.Spoken, s => s.Text.Contains("12 Main St", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BargeIn_UhHuhOverTheReadBack_DoesNotCutIt()
    {
        await StartCallAsync(Sid(8));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(8), "bright-smiles");
        await client.WaitForAgentAsync();
        _speech.Script(client.StreamSid, "Can Sam Lee get a cleaning Monday at 10?");
        await client.SayAsync("Can Sam Lee get a cleaning Monday at 10?");
        var readBackStarted = client.SpeechEndedAt;
        await WaitUntilAsync(() => client.Events.Any(e => e.Event == "media" && e.At > readBackStarted));
        await Task.Delay(300);

        _speech.Script(client.StreamSid, "Uh-huh.");
        await client.SayAsync("Uh-huh.");
        await client.WaitForAgentAsync(readBackStarted);

        Assert.DoesNotContain(client.Events, e => e.Event == "clear");
        Assert.Contains("Sam Lee", string.Join(" ", _speech.Spoken.TakeLast(2).Select(s => s.Text)), StringComparison.Ordinal); // nothing was said after the read-back
        await SayAsync(client, "Yes.");
        Assert.Single(await _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None));
    }

    [Fact]
    public async Task Transfer_PersonAsked_SpeaksThenClosesAndTheActionDialsWithoutRepeatingIt()
    {
        var twiml = await StartCallAsync(Sid(9));
        var action = (string)twiml.Descendants("Connect").Single().Attribute("action")!;
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(9), "bright-smiles");
        await client.WaitForAgentAsync();

        _speech.Script(client.StreamSid, "Can I talk to a person please?");
        await client.SayAsync("Can I talk to a person please?");
        var closed = await client.WaitClosedAsync();
        var after = XDocument.Parse(await (await TwilioRequests.PostSignedAsync(_app.Http, action, TwilioRequests.Form(Sid(9), ("CallStatus", "in-progress")))).Content.ReadAsStringAsync()).Root!;

        Assert.Equal(WebSocketCloseStatus.NormalClosure, closed.Status);
        Assert.Contains("through", _speech.Spoken[^1].Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("+15550109999", after.Descendants("Number").Single().Value);
        Assert.Empty(after.Descendants("Say"));
    }

    [Fact]
    public async Task Stop_CallerHangsUp_TheCallEndsInStorage()
    {
        await StartCallAsync(Sid(10));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(10), "bright-smiles");
        await client.WaitForAgentAsync();

        await client.StopAsync(Sid(10));

        await WaitUntilAsync(async () => (await Calls.GetAsync(Sid(10), CancellationToken.None))!.Record.Session.Ended);
    }

    [Fact]
    public async Task Socket_DropsWithoutStop_TheCallEndsInStorage()
    {
        await StartCallAsync(Sid(17));
        var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(17), "bright-smiles");
        await client.WaitForAgentAsync();

        await client.DisposeAsync(); // no stop message: the connection just goes

        await WaitUntilAsync(async () => (await Calls.GetAsync(Sid(17), CancellationToken.None))!.Record.Session.Ended);
    }

    [Fact]
    public async Task Frames_MalformedOrUnknown_AreIgnoredAndTheCallGoesOn()
    {
        await StartCallAsync(Sid(11));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(11), "bright-smiles");
        await client.WaitForAgentAsync();

        await client.SendRawAsync("not json");
        await client.SendRawAsync("{\"event\":\"media\",\"media\":{\"payload\":\"***\"}}");
        await client.SendRawAsync("{\"event\":\"party\"}");
        var answer = await SayAsync(client, "What's your address?");

        Assert.Contains("12 Main St", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frames_Over64Kilobytes_CloseTheSocket()
    {
        await StartCallAsync(Sid(12));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(12), "bright-smiles");

        await client.SendRawAsync("{\"event\":\"media\",\"x\":\"" + new string('a', 70_000) + "\"}");

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, (await client.WaitClosedAsync()).Status);
    }

    [Fact]
    public async Task Recognition_ServiceFails_TheCallerIsAskedAgainNotLeftInSilence()
    {
        await StartCallAsync(Sid(13));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(13), "bright-smiles");
        await client.WaitForAgentAsync();
        var before = _speech.Spoken.Count;

        _speech.FailNext(503);
        await client.SayAsync("I would like a cleaning.");
        await client.WaitForAgentAsync(client.SpeechEndedAt);

        Assert.True(_speech.Spoken.Count > before, "the caller heard something after the failure");
        Assert.DoesNotContain("Bright Smiles", _speech.Spoken[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_ZeroPressed_AsOnTheOtherChannels()
    {
        await StartCallAsync(Sid(14));
        await using var client = await MediaStreamClient.ConnectAsync(MediaUrl);
        await client.StartAsync(Sid(14), "bright-smiles");
        await client.WaitForAgentAsync();

        await client.PressAsync("0");

        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.WaitClosedAsync()).Status); // put through to a person
    }

    /// <summary>The caller says a line (scripted for the stand-in's recogniser); returns the agent's answer once it
    /// has played out (every sentence synthesised for it, in order).</summary>
    private async Task<string> SayAsync(MediaStreamClient client, string text)
    {
        var before = _speech.Spoken.Count;
        _speech.Script(client.StreamSid, text);
        await client.SayAsync(text);
        await client.WaitForAgentAsync(client.SpeechEndedAt);
        return string.Join(" ", _speech.Spoken.Skip(before).Select(s => s.Text));
    }

    private static async Task WaitUntilAsync(Func<bool> condition) => await WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + MediaStreamClient.Wait;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within the wait");
            await Task.Delay(20);
        }
    }

    private static string Sid(int n) => "CA" + n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<XElement> StartCallAsync(string callSid)
    {
        var response = await TwilioRequests.PostSignedAsync(_app.Http, "/twilio/voice", TwilioRequests.Form(callSid, ("CallStatus", "ringing"), ("From", TestTenants.Caller)));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
    }
}
