using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Twilio;

/// <summary>The ConversationRelay channel spoken frame by frame, as Twilio would, against the real app on Azurite:
/// the TwiML, the signed upgrade, setup binding, prompts, keys, silence, transfers and bad input.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TwilioRelayEndpointTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        // Monday 10:00 in New York: the dentist is open, so a person can be put through.
        _app = await AppHost.StartAsync(azurite.ConnectionString, "2026-11-23T10:00:00-05:00",
            settings: new Dictionary<string, string?> { ["Twilio:RelaySilenceSeconds"] = "1", ["Twilio:RelaySpeechMillisecondsPerCharacter"] = "1" });
        await _app.ImportTenantsAsync(RelayDentist);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static string RelayDentist => TestTenants.DentistWith("\"voice\": \"en-US-JennyNeural\"", "\"voice\": \"en-US-JennyNeural\", \"voiceMode\": \"relay\"");

    private ICallStore Calls => _app.Services.GetRequiredService<ICallStore>();

    [Fact]
    public async Task IncomingCall_RelayTenant_ConnectsConversationRelayWithTheGreeting()
    {
        var twiml = await StartCallAsync(Sid(1));

        var relay = twiml.Descendants("ConversationRelay").Single();
        Assert.Equal($"ws://{_app.BaseUrl.Authority}/twilio/relay?call={Sid(1)}", (string?)relay.Attribute("url"));
        Assert.Equal("true", (string?)relay.Attribute("reportInputDuringAgentSpeech"));
        Assert.Contains("Bright Smiles", (string?)relay.Attribute("welcomeGreeting"), StringComparison.Ordinal);
        Assert.Equal("en-US", (string?)relay.Attribute("language"));
        Assert.Equal("true", (string?)relay.Attribute("dtmfDetection"));
        Assert.StartsWith("/twilio/relay/ended?turn=", (string?)twiml.Descendants("Connect").Single().Attribute("action"), StringComparison.Ordinal);
        Assert.Empty(twiml.Descendants("Gather"));
        Assert.Equal("relay", (await Calls.GetAsync(Sid(1), CancellationToken.None))!.Record.Mode);
    }

    [Fact]
    public async Task Upgrade_UnsignedOrWronglySigned_403BeforeUpgradingAndNothingStored()
    {
        foreach (var signature in new[] { null, TwilioSignature.Compute("wrong-token-123", RelayUrl, []) })
        {
            using var socket = new ClientWebSocket();
            if (signature is not null)
            {
                socket.Options.SetRequestHeader(TwilioSignature.Header, signature);
            }

            socket.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(RelayUrl), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        }

        Assert.Empty(await Calls.ListByTenantAsync("bright-smiles", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Upgrade_PlainHttpGet_400WithAReason()
    {
        var response = await _app.Http.GetAsync("/twilio/relay");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_UnknownCall_ClosesWithAReasonAndStoresNothing()
    {
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor("CA-nosuch"));

        await relay.SendAsync(Setup("CA-nosuch"));
        var closed = await relay.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, closed.Status);
        Assert.Equal("unknown call", closed.Reason);
        Assert.Null(await Calls.GetAsync("CA-nosuch", CancellationToken.None));
    }

    [Fact]
    public async Task Setup_AnotherTenantsNumber_Closes()
    {
        await StartCallAsync(Sid(2));
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(2)));

        await relay.SendAsync(Setup(Sid(2), to: "+15550100002"));

        Assert.Equal("the number does not match the call", (await relay.ReceiveCloseAsync()).Reason);
    }

    [Fact]
    public async Task Setup_CallAnsweredInGatherMode_Closes()
    {
        await _app.ImportTenantsAsync(TestTenants.Dentist);
        await StartCallAsync(Sid(3));
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(3)));

        await relay.SendAsync(Setup(Sid(3)));

        Assert.Equal("the call is not in relay mode", (await relay.ReceiveCloseAsync()).Reason);
    }

    [Fact]
    public async Task Setup_SignedUrlOfAnotherCall_Closes()
    {
        await StartCallAsync(Sid(12));
        await StartCallAsync(Sid(13));
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(13)));

        await relay.SendAsync(Setup(Sid(12)));

        Assert.Equal("the session is not for this call", (await relay.ReceiveCloseAsync()).Reason);
    }

    [Fact]
    public async Task Interrupt_NothingSaidAfterIt_TheSilencePromptStillComes()
    {
        await StartCallAsync(Sid(14));
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(14)));
        await relay.SendAsync(Setup(Sid(14)));

        await relay.SendRawAsync("""{"type":"interrupt","utteranceUntilInterrupt":"Thanks for","durationUntilInterruptMs":300}""");

        Assert.NotEmpty(await relay.ReceiveTurnAsync());
        var history = await Calls.HistoryAsync(Sid(14), CancellationToken.None);
        Assert.Contains(history, h => h.Kind == "interrupted" && h.Text == "Thanks for");
        Assert.Contains(history, h => h.Kind == "silence");
    }

    [Fact]
    public async Task Keys_TypedBeforeSomethingElseWasSaid_AreNotPartOfTheNumber()
    {
        await StartCallAsync(Sid(15), from: "anonymous");
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(15)));
        await relay.SendAsync(Setup(Sid(15), from: "anonymous"));
        await relay.SendAsync(Prompt("I'd like to leave a message"));
        await relay.ReceiveTurnAsync();
        await relay.SendAsync(Prompt("Sam Lee"));
        await relay.ReceiveTurnAsync();

        foreach (var digit in "999")
        {
            await relay.SendRawAsync($$"""{"type":"dtmf","digit":"{{digit}}"}""");
        }

        await relay.SendAsync(Prompt("hold on"));
        await relay.ReceiveTurnAsync();
        foreach (var digit in "5551234567#")
        {
            await relay.SendRawAsync($$"""{"type":"dtmf","digit":"{{digit}}"}""");
        }

        var readBack = string.Concat((await relay.ReceiveTurnAsync()).Select(t => (string)t["token"]!));

        Assert.Contains("five five five, one two three, four five six seven", readBack, StringComparison.Ordinal);
        Assert.DoesNotContain("nine", readBack, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompts_BookingThroughTheSocket_BooksWithAProtectedReadBack()
    {
        await StartCallAsync(Sid(4));
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(4)));
        await relay.SendAsync(Setup(Sid(4)));

        await relay.SendAsync(Prompt("Can Sam Lee get a cleaning tomorrow at 10?"));
        var readBack = await relay.ReceiveTurnAsync();
        await relay.SendAsync(Prompt("yes"));
        var booked = await relay.ReceiveTurnAsync();

        Assert.Contains("Sam Lee", string.Concat(readBack.Select(t => (string)t["token"]!)), StringComparison.Ordinal);
        Assert.All(readBack, t => Assert.False((bool)t["interruptible"]!));
        Assert.True((bool)readBack[^1]["last"]!);
        Assert.All(readBack.SkipLast(1), t => Assert.False((bool)t["last"]!));
        Assert.NotEmpty(booked);
        var appointment = Assert.Single(await _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None));
        Assert.Equal("Sam Lee", appointment.CallerName);
    }

    [Fact]
    public async Task Messages_MalformedAndUnknownFrames_AreIgnoredAndTheCallGoesOn()
    {
        await StartCallAsync(Sid(5));
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(5)));
        await relay.SendAsync(Setup(Sid(5)));

        await relay.SendRawAsync("{not json");
        await relay.SendRawAsync("""{"type":"info","name":"agentSpeaking","value":"off"}""");
        await relay.SendRawAsync("""{"type":"dtmf","digit":"12"}""");
        await relay.SendAsync(Prompt("What's your address?"));
        var answer = await relay.ReceiveTurnAsync();

        Assert.Contains("12 Main St", string.Concat(answer.Select(t => (string)t["token"]!)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_FrameOver64Kilobytes_ClosesTheSocket()
    {
        await StartCallAsync(Sid(6));
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(6)));
        await relay.SendAsync(Setup(Sid(6)));

        await relay.SendAsync(Prompt(new string('a', 70_000)));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, (await relay.ReceiveCloseAsync()).Status);
    }

    [Fact]
    public async Task Silence_CallerSaysNothing_AsksWhetherTheyAreStillThere()
    {
        await StartCallAsync(Sid(7));
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(7)));
        await relay.SendAsync(Setup(Sid(7)));

        var prompt = await relay.ReceiveTurnAsync(); // the silence timer (1 s + 1 ms a character of the greeting)

        Assert.NotEmpty(prompt);
        var history = await Calls.HistoryAsync(Sid(7), CancellationToken.None);
        Assert.Contains(history, h => h.Kind == "silence");
    }

    [Fact]
    public async Task Transfer_PersonRequested_EndsWithHandoffAndTheActionDials()
    {
        await StartCallAsync(Sid(8));
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(8)));
        await relay.SendAsync(Setup(Sid(8)));

        await relay.SendAsync(Prompt("Can I talk to a person please?"));
        var end = await relay.ReceiveAsync();
        var closed = await relay.ReceiveCloseAsync();
        var ended = await PostSignedAsync("/twilio/relay/ended?turn=2", Form(Sid(8), ("SessionStatus", "ended"), ("HandoffData", (string)end["handoffData"]!)));
        var twiml = XDocument.Parse(await ended.Content.ReadAsStringAsync()).Root!;

        Assert.Equal("end", (string)end["type"]!);
        Assert.Contains("transfer", (string)end["handoffData"]!, StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closed.Status);
        Assert.Equal("+15550109999", twiml.Descendants("Number").Single().Value);
        Assert.StartsWith("/twilio/voice/dial?turn=", (string?)twiml.Element("Dial")!.Attribute("action"), StringComparison.Ordinal);
        Assert.NotEmpty(twiml.Elements("Say"));
    }

    [Fact]
    public async Task Transfer_NobodyAnswers_ComesBackToARelaySessionThatTakesAMessage()
    {
        await StartCallAsync(Sid(9));
        await using (var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(9))))
        {
            await relay.SendAsync(Setup(Sid(9)));
            await relay.SendAsync(Prompt("Can I talk to a person please?"));
            await relay.ReceiveAsync();
        }

        await PostSignedAsync("/twilio/relay/ended?turn=2", Form(Sid(9), ("SessionStatus", "ended")));
        var dial = await PostSignedAsync("/twilio/voice/dial?turn=3", Form(Sid(9), ("DialCallStatus", "no-answer")));
        var twiml = XDocument.Parse(await dial.Content.ReadAsStringAsync()).Root!;
        var again = twiml.Descendants("ConversationRelay").Single();

        Assert.Contains("message", (string?)again.Attribute("welcomeGreeting"), StringComparison.OrdinalIgnoreCase);
        await using var second = await RelayClient.ConnectAsync(RelayUrlFor(Sid(9)));
        await second.SendAsync(Setup(Sid(9), session: "VX2"));
        await second.SendAsync(Prompt("yes"));
        Assert.NotEmpty(await second.ReceiveTurnAsync());
        Assert.Equal(ConversationState.MessageName, (await Calls.GetAsync(Sid(9), CancellationToken.None))!.Record.Session.State);
    }

    [Fact]
    public async Task Keys_PhoneNumberTypedOneKeyAtATime_IsCollectedUntilHash()
    {
        var twiml = await StartCallAsync(Sid(10), from: "anonymous");
        Assert.NotNull(twiml);
        await using var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(10)));
        await relay.SendAsync(Setup(Sid(10), from: "anonymous"));
        await relay.SendAsync(Prompt("I'd like to leave a message"));
        await relay.ReceiveTurnAsync();
        await relay.SendAsync(Prompt("Sam Lee"));
        var askNumber = await relay.ReceiveTurnAsync();
        Assert.Contains("number", string.Concat(askNumber.Select(t => (string)t["token"]!)), StringComparison.OrdinalIgnoreCase);

        foreach (var digit in "5551234567#")
        {
            await relay.SendRawAsync($$"""{"type":"dtmf","digit":"{{digit}}"}""");
        }

        var readBack = string.Concat((await relay.ReceiveTurnAsync()).Select(t => (string)t["token"]!));

        Assert.Contains("five five five, one two three, four five six seven", readBack, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Socket_ClosedByTwilio_EndsTheCall()
    {
        await StartCallAsync(Sid(11));
        var relay = await RelayClient.ConnectAsync(RelayUrlFor(Sid(11)));
        await relay.SendAsync(Setup(Sid(11)));
        await relay.SendAsync(Prompt("What's your address?"));
        await relay.ReceiveTurnAsync();

        await relay.DisposeAsync();

        var deadline = DateTime.UtcNow + Wait;
        while (!(await Calls.GetAsync(Sid(11), CancellationToken.None))!.Record.Session.Ended && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True((await Calls.GetAsync(Sid(11), CancellationToken.None))!.Record.Session.Ended);
    }

    private string RelayUrl => $"ws://{_app.BaseUrl.Authority}/twilio/relay";

    /// <summary>A CallSid as Twilio makes them: CA and 32 hex digits (here: the number n, zero-padded).</summary>
    private static string Sid(int n) => "CA" + n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    private string RelayUrlFor(string callSid) => $"{RelayUrl}?call={callSid}";

    private async Task<XElement> StartCallAsync(string callSid, string from = TestTenants.Caller)
    {
        var response = await PostSignedAsync("/twilio/voice", Form(callSid, ("CallStatus", "ringing"), ("From", from)));
        response.EnsureSuccessStatusCode();
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
    }

    private static Dictionary<string, string> Form(string callSid, params (string Key, string Value)[] extra) => TwilioRequests.Form(callSid, extra);

    private async Task<HttpResponseMessage> PostSignedAsync(string pathAndQuery, Dictionary<string, string> form)
    {
        var response = await TwilioRequests.PostSignedAsync(_app.Http, pathAndQuery, form);
        Assert.True(response.IsSuccessStatusCode, $"{pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static JsonObject Setup(string callSid, string to = TestTenants.DentistNumber, string from = TestTenants.Caller, string session = "VX1") => new()
    {
        ["type"] = "setup", ["sessionId"] = session, ["accountSid"] = AppHost.AccountSid, ["parentCallSid"] = "", ["callSid"] = callSid,
        ["from"] = from, ["to"] = to, ["direction"] = "inbound", ["callStatus"] = "RINGING", ["customParameters"] = new JsonObject(),
    };

    private static JsonObject Prompt(string text) => new() { ["type"] = "prompt", ["voicePrompt"] = text, ["lang"] = "en-US", ["last"] = true };
}
