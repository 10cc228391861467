using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Storage;
using Receptionist.Host.Tests.Acs;
using Receptionist.Telephony.Acs.Simulation;
using Receptionist.Telephony.Speech.Simulation;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Streaming;

/// <summary>The streaming voice path over ACS bidirectional media against the real app on Azurite, the loopback ACS
/// stand-in (HMAC-checked REST, JWT-signed callbacks and upgrades) and the loopback Azure Speech stand-in, with real
/// audio both ways (espeak-ng, PCM16 16 kHz): the answer, the authenticated upgrade, the format, speaking, listening,
/// barge-in (StopAudio) and keys, transfers through Call Automation.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AcsMediaEndpointTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AppHost _app = null!;
    private AcsTestCalls _acs = null!;
    private SpeechStandIn _speech = null!;

    public async Task InitializeAsync()
    {
        _speech = await SpeechStandIn.StartAsync();
        // Monday 10:00 in New York: the dentist is open, so a person can be put through.
        _app = await AppHost.StartAsync(azurite.ConnectionString, "2026-11-23T10:00:00-05:00", acs: true, settings: new Dictionary<string, string?>
        {
            ["Speech:Endpoint"] = _speech.Endpoint.ToString(), ["Speech:Key"] = _speech.Key, ["Streaming:SilenceSeconds"] = "3",
        });
        _acs = new AcsTestCalls(_app);
        await _app.ImportTenantsAsync(StreamDentist);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _speech.DisposeAsync();
    }

    private static string StreamDentist => TestTenants.DentistWith("\"voice\": \"en-US-JennyNeural\"", "\"voice\": \"en-US-JennyNeural\", \"voiceMode\": \"stream\"");

    private AcsStandIn Acs => _app.Acs!;

    private ICallStore Calls => _app.Services.GetRequiredService<ICallStore>();

    [Fact]
    public async Task IncomingCall_StreamTenant_AnswersWithBidirectionalPcm16MediaAndNoRecognizeOrPlay()
    {
        var (call, connection, media) = await AnsweredAsync();
        await Task.Delay(500); // CallConnected has been delivered and handled meanwhile

        Assert.Equal(("unmixed", "pcm16KMono", true, true, true), (media.AudioChannelType, media.AudioFormat, media.StartMediaStreaming, media.EnableBidirectional, media.EnableDtmfTones));
        Assert.Equal($"ws://{_app.BaseUrl.Authority}/acs/media", media.TransportUrl.GetLeftPart(UriPartial.Path));
        Assert.DoesNotContain("+1555", media.TransportUrl.Query, StringComparison.Ordinal); // no phone number in the URL
        Assert.Empty(_acs.Requests(connection, ":recognize"));
        Assert.Empty(_acs.Requests(connection, ":play"));
        var stored = await Calls.GetAsync(Telephony.Acs.AcsCalls.CallId(call.ServerCallId), CancellationToken.None);
        Assert.Equal(("acs", "stream"), (stored!.Record.Channel, stored.Record.Mode));
    }

    [Fact]
    public async Task IncomingCall_RecognizeTenant_AnswersWithoutMediaStreaming()
    {
        await _app.ImportTenantsAsync(TestTenants.Dentist);

        var (call, _, connection) = await _acs.ConnectedAsync();

        Assert.Null(Acs.MediaOf(call)!.Value.Media);
        Assert.Single(_acs.Requests(connection, ":recognize")); // the greeting, as ACS's prompt
    }

    [Fact]
    public async Task Upgrade_WithoutTheJwtOrTheCallsToken_401BeforeUpgradingAndNothingStoredOrSaid()
    {
        var (call, connection, media) = await AnsweredAsync();
        var callId = Telephony.Acs.AcsCalls.CallId(call.ServerCallId);
        var before = (await Calls.HistoryAsync(callId, CancellationToken.None)).Count;
        var wrongToken = new Uri(media.TransportUrl.AbsoluteUri.Split("&token=")[0] + "&token=AAAA");
        var otherCall = new Uri(media.TransportUrl.AbsoluteUri.Replace("call=acs-", "call=acs-0", StringComparison.Ordinal));

        foreach (var (url, token) in new[] { (media.TransportUrl, (string?)null), (media.TransportUrl, "not-a-jwt"), (wrongToken, Acs.MediaToken()), (otherCall, Acs.MediaToken()) })
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            if (token is not null)
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            }

            socket.Options.SetRequestHeader("x-ms-call-connection-id", connection);
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
        }

        Assert.Equal(before, (await Calls.HistoryAsync(callId, CancellationToken.None)).Count);
        Assert.Empty(_speech.Spoken);
        Assert.DoesNotContain(Acs.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Metadata_Not16KhzPcmMono_ClosedWithTheReasonAndNothingSaid()
    {
        var (_, connection, media) = await AnsweredAsync();
        await using var client = await AcsMediaClient.ConnectAsync(media.TransportUrl, Acs.MediaToken(), connection);

        await client.StartAsync(sampleRate: 24_000);

        Assert.Equal((WebSocketCloseStatus.InvalidPayloadData, "media format must be PCM 16000 Hz mono"), await client.WaitClosedAsync());
        Assert.Empty(_speech.Spoken);
    }

    [Fact]
    public async Task Greeting_StreamOpens_SpokenInTheTenantsVoiceAsPcm16AudioData()
    {
        var client = await StreamAsync();
        await using (client)
        {
            await client.WaitForAgentAsync();

            var spoken = Assert.Single(_speech.Spoken);
            Assert.Contains("Bright Smiles", spoken.Text, StringComparison.Ordinal);
            Assert.Equal(("en-US-JennyNeural", Telephony.Speech.SpeechAudioFormat.Pcm16Khz), (spoken.Voice, spoken.Format));
            Assert.StartsWith(client.SubscriptionId + "/", spoken.CorrelationId, StringComparison.Ordinal);
            // All the synthesised audio reached the caller, in whole 20 ms frames (640 bytes).
            Assert.InRange(client.AudioBytes, spoken.Milliseconds * 32, (spoken.Milliseconds * 32) + 640);
        }
    }

    [Fact]
    public async Task Booking_ByVoice_BooksAfterTheReadBackIsConfirmed()
    {
        await using var client = await StreamAsync();
        await client.WaitForAgentAsync();

        var readBack = await SayAsync(client, "Can Sam Lee get a cleaning Monday at 10?");
        var booked = await SayAsync(client, "Yes.");

        Assert.Contains("Sam Lee", readBack, StringComparison.Ordinal);
        Assert.Contains("booked", booked, StringComparison.OrdinalIgnoreCase);
        var appointment = Assert.Single(await _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None));
        Assert.Equal(("Cleaning", "Sam Lee"), (appointment.Service, appointment.CallerName));
        // Recognised from real 16 kHz speech, streamed from the onset, one request per utterance.
        Assert.Equal(2, _speech.Heard.Count(h => h.CorrelationId.StartsWith(client.SubscriptionId, StringComparison.Ordinal)));
        Assert.All(_speech.Heard, h => Assert.True(h.Chunked && h.Dbfs > -40 && h.Status == "Success", h.ToString()));
    }

    [Fact]
    public async Task BargeIn_SpeechOverTheGreeting_SendsStopAudioAndAnswers()
    {
        await using var client = await StreamAsync();
        await WaitUntilAsync(() => client.AudioBytes > 16_000); // half a second of the greeting has come

        _speech.Script(client.SubscriptionId, "What's your address?");
        await client.SayAsync("What's your address?");
        await client.WaitForAgentAsync(client.SpeechEndedAt);

        var stop = Assert.Single(client.Events, e => e.Event == "stop");
        Assert.True(stop.At < client.SpeechEndedAt, "the greeting was stopped while the caller spoke, not after");
        Assert.Contains(_speech.Spoken, s => s.Text.Contains("12 Main St", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_ZeroPressed_TransfersThroughCallAutomationOnceTheWordsHavePlayed()
    {
        await using var client = await StreamAsync();
        await client.WaitForAgentAsync();
        var connection = Acs.MediaOf(_call!)!.Value.Connection;

        await client.PressAsync("0");
        await AcsTestCalls.WaitForAsync(() => _acs.Requests(connection, ":transferToParticipant").Count == 1, MediaStreamClient.Wait);
        var requestedAt = Stopwatch.GetTimestamp();

        var transfer = JsonNode.Parse(_acs.Requests(connection, ":transferToParticipant").Single().Body)!;
        Assert.Equal("+15550109999", (string?)transfer["targetParticipant"]!["phoneNumber"]!["value"]);
        Assert.Contains("through", _speech.Spoken[^1].Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(requestedAt >= client.PlayEnd - (Stopwatch.Frequency / 10), "the transfer was asked for once \"putting you through\" had played");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.WaitClosedAsync()).Status);
        Assert.Empty(_acs.Requests(connection, ":play"));
    }

    [Fact]
    public async Task Transfer_NobodyAnswers_TheCallGoesOnWithAcsSpeakingAndListening()
    {
        await using var client = await StreamAsync();
        await client.WaitForAgentAsync();
        var connection = Acs.MediaOf(_call!)!.Value.Connection;
        await client.PressAsync("0");
        await AcsTestCalls.WaitForAsync(() => _acs.Requests(connection, ":transferToParticipant").Count == 1, MediaStreamClient.Wait);
        var context = (string)JsonNode.Parse(_acs.Requests(connection, ":transferToParticipant").Single().Body)!["operationContext"]!;

        using var response = await Acs.PostCallbackAsync(await _acs.CallbackUriAsync(_call!),
            AcsTestCalls.CloudEvent("Microsoft.Communication.CallTransferFailed", connection, context), CancellationToken.None);

        // The media socket was handed back for the transfer, so the rest of the call is ACS's Recognize/Play: the
        // caller is offered a message rather than left in silence.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AcsTestCalls.WaitForAsync(() => _acs.Requests(connection, ":recognize").Count == 1);
        Assert.Contains("message", _acs.Requests(connection, ":recognize").Single().Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Socket_DropsWithoutAHangUp_TheCallEndsInStorage()
    {
        var client = await StreamAsync();
        await client.WaitForAgentAsync();

        await client.DisposeAsync();

        var callId = Telephony.Acs.AcsCalls.CallId(_call!.ServerCallId);
        await WaitUntilAsync(() => Calls.GetAsync(callId, CancellationToken.None).Result!.Record.Session.Ended);
    }

    private AcsStandInCall? _call;

    /// <summary>A stream-mode call answered and its media socket opened as ACS opens it, the frames running.</summary>
    private async Task<AcsMediaClient> StreamAsync()
    {
        var (call, connection, media) = await AnsweredAsync();
        _call = call;
        var client = await AcsMediaClient.ConnectAsync(media.TransportUrl, Acs.MediaToken(), connection);
        await client.StartAsync();
        return client;
    }

    /// <summary>The caller says a line (scripted for the stand-in's recogniser); returns the agent's answer once it
    /// has played out.</summary>
    private async Task<string> SayAsync(AcsMediaClient client, string text)
    {
        var before = _speech.Spoken.Count;
        _speech.Script(client.SubscriptionId, text);
        await client.SayAsync(text);
        await client.WaitForAgentAsync(client.SpeechEndedAt);
        return string.Join(" ", _speech.Spoken.Skip(before).Select(s => s.Text));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + MediaStreamClient.Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within the wait");
            await Task.Delay(20);
        }
    }

    /// <summary>A stream-mode call delivered by Event Grid and answered: the stand-in's call connection and the media
    /// streaming the answer asked for.</summary>
    private async Task<(AcsStandInCall Call, string Connection, AcsStandInMedia Media)> AnsweredAsync()
    {
        var call = Acs.AddIncomingCall(TestTenants.DentistNumber, TestTenants.Caller);
        using (var response = await _acs.PostEventsAsync(AcsTestCalls.Incoming(call), AppHost.EventGridSecret))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        (string Connection, AcsStandInMedia? Media)? answered = null;
        await AcsTestCalls.WaitForAsync(() => (answered = Acs.MediaOf(call)) is not null);
        Assert.NotNull(answered!.Value.Media);
        return (call, answered.Value.Connection, answered.Value.Media!);
    }
}
