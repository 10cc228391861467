using System.Net;
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
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, acs: true, settings: new Dictionary<string, string?>
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
