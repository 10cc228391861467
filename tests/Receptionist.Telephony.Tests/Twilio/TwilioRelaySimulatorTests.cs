using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Twilio;

public sealed class TwilioRelaySimulatorTests : IAsyncDisposable
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string To = "+18005550100";
    private const string From = "+16175551212";
    private const string Welcome = "Hi, Bright Smiles, how can I help?";
    private const string Hangup = "<Response><Hangup/></Response>";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly FakeRelayApp _app = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private TwilioRelaySimulator Simulator(string authToken = FakeRelayApp.AuthToken) =>
        new(_http, _app.BaseUrl, authToken, AccountSid) { ReceiveTimeout = TimeSpan.FromSeconds(5) };

    private string ConnectTwiml(string? welcome = Welcome, string? action = "/twilio/relay/ended?turn=1", string welcomeInterruptible = "any", string? url = null) =>
        $"""<Response><Connect{(action is null ? "" : $" action=\"{action}\"")}><ConversationRelay url="{url ?? _app.RelayUrl}"{(welcome is null ? "" : $" welcomeGreeting=\"{welcome}\"")} welcomeGreetingInterruptible="{welcomeInterruptible}" language="en-US" dtmfDetection="true" interruptible="any" ttsProvider="Google" voice="en-US-Journey-O"><Parameter name="tenant" value="bright-smiles"/><Parameter name="turn" value="1"/></ConversationRelay></Connect></Response>""";

    /// <summary>Answers POSTs by path and query (then by path alone); the status callback gets 204.</summary>
    private void Routes(params (string PathAndQuery, string Twiml)[] routes)
    {
        _app.Answer = request =>
        {
            var pathAndQuery = new Uri(request.Url).PathAndQuery;
            foreach (var (route, twiml) in routes)
            {
                if (route == pathAndQuery || route == request.Path)
                {
                    return RelayAppAnswer.Twiml(twiml);
                }
            }

            return request.Path == TwilioPaths.Status
                ? new RelayAppAnswer(HttpStatusCode.NoContent, string.Empty)
                : new RelayAppAnswer(HttpStatusCode.NotFound, $"no route for {pathAndQuery}");
        };
    }

    private Task<SimulatedCall> CallAsync(params string[] lines) => CallAsync(Simulator(), new ScriptedCaller(lines));

    private Task<SimulatedCall> CallAsync(TwilioRelaySimulator simulator, params string[] lines) => CallAsync(simulator, new ScriptedCaller(lines));

    /// <summary>The call, bounded; then the app must have settled without a failure of its own.</summary>
    private async Task<SimulatedCall> CallAsync(TwilioRelaySimulator simulator, ICallerLines caller)
    {
        SimulatedCall call;
        try
        {
            call = await simulator.RunAsync(To, From, caller, CancellationToken.None).WaitAsync(CallTimeout);
        }
        catch
        {
            _app.ThrowIfFailed();
            throw;
        }

        await _app.SettleAsync();
        return call;
    }

    private static string Prompt(JsonElement message)
    {
        Assert.Equal("prompt", message.GetProperty("type").GetString());
        return message.GetProperty("voicePrompt").GetString()!;
    }

    private static string[] Types(RelayConnection connection) => [.. connection.Received.Select(r => r.Type)];

    [Fact]
    public async Task RunAsync_RelayTwiml_SendsSetupWithTheCallAndItsParameters()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        var call = await CallAsync("hello");

        var voice = _app.Requests[0];
        Assert.Equal(TwilioPaths.Voice, voice.Path);
        Assert.Equal("ringing", voice.Form["CallStatus"]);
        Assert.Equal(call.CallSid, voice.Form["CallSid"]);
        var setup = Assert.Single(_app.Connections).Setup;
        Assert.Equal("setup", setup.GetProperty("type").GetString());
        Assert.Matches("^VX[0-9a-f]{32}$", setup.GetProperty("sessionId").GetString());
        Assert.Equal(call.CallSid, setup.GetProperty("callSid").GetString());
        Assert.Equal(AccountSid, setup.GetProperty("accountSid").GetString());
        Assert.Equal(From, setup.GetProperty("from").GetString());
        Assert.Equal(To, setup.GetProperty("to").GetString());
        Assert.Equal(string.Empty, setup.GetProperty("parentCallSid").GetString());
        Assert.Equal(string.Empty, setup.GetProperty("forwardedFrom").GetString());
        Assert.Equal(string.Empty, setup.GetProperty("callerName").GetString());
        Assert.Equal("PSTN", setup.GetProperty("callType").GetString());
        Assert.Equal("inbound", setup.GetProperty("direction").GetString());
        Assert.Equal("RINGING", setup.GetProperty("callStatus").GetString());
        var parameters = setup.GetProperty("customParameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?> { ["tenant"] = "bright-smiles", ["turn"] = "1" }, parameters);
    }

    [Fact]
    public async Task RunAsync_Upgrade_IsSignedOverTheRelayUrlWithoutParameters()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        await CallAsync("hello");

        var connection = Assert.Single(_app.Connections);
        Assert.Empty(_app.RefusedSignatures);
        Assert.Equal(_app.RelayUrl, connection.Url);
        Assert.Equal(TwilioSignature.Compute(FakeRelayApp.AuthToken, _app.RelayUrl, []), connection.Signature);
        Assert.False(TwilioSignature.IsValid("another-token-123", _app.RelayUrl, [], connection.Signature));
        Assert.False(TwilioSignature.IsValid(FakeRelayApp.AuthToken, _app.RelayUrl.Replace("ws://", "http://", StringComparison.Ordinal), [], connection.Signature));
    }

    [Fact]
    public async Task RunAsync_RelayUrlWithAQuery_SignsTheUrlExactlyAsGiven()
    {
        var url = _app.RelayUrl + "?tenant=bright-smiles&call=7";
        Routes((TwilioPaths.Voice, ConnectTwiml(url: url.Replace("&", "&amp;", StringComparison.Ordinal))), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        await CallAsync("hello");

        var connection = Assert.Single(_app.Connections);
        Assert.Equal(url, connection.Url);
        Assert.True(TwilioSignature.IsValid(FakeRelayApp.AuthToken, url, [], connection.Signature));
        Assert.False(TwilioSignature.IsValid(FakeRelayApp.AuthToken, _app.RelayUrl, [], connection.Signature));
    }

    [Fact]
    public async Task FakeRelayApp_UpgradeWithoutAValidSignature_IsRefusedWith403()
    {
        using var unsigned = new ClientWebSocket();
        unsigned.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => unsigned.ConnectAsync(new Uri(_app.RelayUrl), CancellationToken.None).WaitAsync(CallTimeout));
        using var wrong = new ClientWebSocket();
        wrong.Options.CollectHttpResponseDetails = true;
        wrong.Options.SetRequestHeader(TwilioSignature.Header, TwilioSignature.Compute("another-token-123", _app.RelayUrl, []));
        await Assert.ThrowsAsync<WebSocketException>(() => wrong.ConnectAsync(new Uri(_app.RelayUrl), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.HttpStatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.HttpStatusCode);
        Assert.Equal(2, _app.RefusedSignatures.Count);
        Assert.Empty(_app.Connections);
    }

    [Fact]
    public async Task RunAsync_WrongAuthToken_TheAppRefusesTheFirstPostWith403()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Simulator("another-token-123").RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Empty(_app.Requests);
        Assert.Empty(_app.Connections);
    }

    [Fact]
    public async Task RunAsync_UpgradeRefused_ThrowsWebSocketExceptionNamingTheStatus()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));
        _app.RefuseUpgrades = HttpStatusCode.Forbidden;

        var ex = await Assert.ThrowsAsync<WebSocketException>(() => CallAsync("hello"));

        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
        Assert.Contains(TwilioPaths.Relay, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_app.Connections);
    }

    [Fact]
    public async Task RunAsync_Conversation_TranscriptHasTheGreetingTheLinesAndEachTextMessage()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, "<Response><Say>Goodbye.</Say><Hangup/></Response>"));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SayAsync("Sure.", last: false);
            await c.SayAsync("Which day works for you?");
            await c.ExpectAsync("prompt");
            await c.SayAsync("  Booked for Tuesday at 10.  ");
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };
        var simulator = Simulator();
        var raised = new List<SimulatedTurn>();
        simulator.TurnAdded += raised.Add;

        var call = await CallAsync(simulator, "I'd like a cleaning", "Tuesday at 10", "that's all");

        SimulatedTurn[] expected =
        [
            new("agent", Welcome),
            new("caller", "I'd like a cleaning"),
            new("agent", "Sure."),
            new("agent", "Which day works for you?"),
            new("caller", "Tuesday at 10"),
            new("agent", "Booked for Tuesday at 10."),
            new("caller", "that's all"),
            new("agent", "Goodbye."),
        ];
        Assert.Equal(expected, call.Turns);
        Assert.Equal(expected, raised);
        Assert.True(call.Ended);
        var connection = Assert.Single(_app.Connections);
        Assert.Equal(["I'd like a cleaning", "Tuesday at 10", "that's all"], connection.Received.Select(r => Prompt(r.Message)).ToArray());
        Assert.All(connection.Received, r =>
        {
            Assert.Equal("en-US", r.Message.GetProperty("lang").GetString());
            Assert.True(r.Message.GetProperty("last").GetBoolean());
        });
    }

    [Fact]
    public async Task RunAsync_KeypadLine_SendsOneDtmfMessagePerDigit()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));
        _app.Relay = async c =>
        {
            for (var i = 0; i < 3; i++)
            {
                await c.ExpectAsync("dtmf");
            }

            await c.SayAsync("You pressed one two three.");
        };

        var call = await CallAsync("#123");

        var connection = Assert.Single(_app.Connections);
        Assert.Equal(["dtmf", "dtmf", "dtmf"], Types(connection));
        Assert.Equal(["1", "2", "3"], connection.Received.Select(r => r.Message.GetProperty("digit").GetString()!).ToArray());
        Assert.Equal([new("agent", Welcome), new("caller", "#123"), new("agent", "You pressed one two three.")], call.Turns);
    }

    [Fact]
    public async Task RunAsync_Silence_SendsNothingAndHearsWhatTheAppSaysOnItsOwn()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await Task.Delay(300); // the app's silence timer
            await c.SayAsync("Are you still there?");
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        var call = await CallAsync("", "yes, sorry");

        var connection = Assert.Single(_app.Connections);
        Assert.Equal(["yes, sorry"], connection.Received.Select(r => Prompt(r.Message)).ToArray());
        Assert.Equal(
            [new("agent", Welcome), new("caller", "(silence)"), new("agent", "Are you still there?"), new("caller", "yes, sorry")],
            call.Turns);
    }

    [Fact]
    public async Task RunAsync_AppEndsTheSession_PostsTheConnectActionWithHandoffDataAndSessionEnded()
    {
        const string handoff = """{"reason":"transfer","to":"+15551230000","note":"a & b = c?"}""";
        Routes((TwilioPaths.Voice, ConnectTwiml(action: "/twilio/relay/ended?turn=3")), ("/twilio/relay/ended?turn=3", Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.EndAsync(handoff);
        };

        var call = await CallAsync("put me through please");

        Assert.True(call.Ended);
        Assert.Equal([TwilioPaths.Voice, TwilioPaths.RelayEnded, TwilioPaths.Status], _app.Requests.Select(r => r.Path).ToArray()); // then the final status
        var ended = _app.Requests[1];
        Assert.Equal(new Uri(_app.BaseUrl, "/twilio/relay/ended?turn=3").AbsoluteUri, ended.Url);
        Assert.True(TwilioSignature.IsValid(FakeRelayApp.AuthToken, ended.Url, ended.Form, ended.Signature));
        Assert.Equal(
            ["AccountSid", "CallSid", "CallStatus", "Direction", "From", "HandoffData", "SessionDuration", "SessionId", "SessionStatus", "To"],
            ended.Form.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(handoff, ended.Form["HandoffData"]);
        Assert.Equal("ended", ended.Form["SessionStatus"]);
        Assert.Equal("in-progress", ended.Form["CallStatus"]);
        Assert.Equal(call.CallSid, ended.Form["CallSid"]);
        Assert.Equal(AccountSid, ended.Form["AccountSid"]);
        Assert.Equal(From, ended.Form["From"]);
        Assert.Equal(To, ended.Form["To"]);
        Assert.Equal("inbound", ended.Form["Direction"]);
        Assert.Equal(_app.Connections[0].Setup.GetProperty("sessionId").GetString(), ended.Form["SessionId"]);
        Assert.InRange(int.Parse(ended.Form["SessionDuration"], CultureInfo.InvariantCulture), 0, 30);
    }

    [Fact]
    public async Task RunAsync_EndWithoutHandoffData_PostsNoHandoffData()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        await CallAsync("bye");

        var ended = Assert.Single(_app.Requests, r => r.Path == TwilioPaths.RelayEnded);
        Assert.False(ended.Form.ContainsKey("HandoffData"));
        Assert.Equal("ended", ended.Form["SessionStatus"]);
    }

    [Fact]
    public async Task RunAsync_EndThenDial_TransfersTheCall()
    {
        Routes(
            (TwilioPaths.Voice, ConnectTwiml()),
            (TwilioPaths.RelayEnded, """<Response><Say>Putting you through.</Say><Dial action="/twilio/voice/dial?turn=4"><Number>+15551230000</Number></Dial></Response>"""),
            (TwilioPaths.Dial, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.EndAsync("""{"reason":"transfer"}""");
        };

        var call = await CallAsync("can I talk to someone");

        Assert.True(call.Ended);
        Assert.Equal("+15551230000", call.TransferredTo);
        Assert.Equal([TwilioPaths.Voice, TwilioPaths.RelayEnded, TwilioPaths.Dial, TwilioPaths.Status], _app.Requests.Select(r => r.Path).ToArray());
        var dial = _app.Requests[2];
        Assert.Equal(new Uri(_app.BaseUrl, "/twilio/voice/dial?turn=4").AbsoluteUri, dial.Url);
        Assert.Equal("completed", dial.Form["DialCallStatus"]);
        Assert.Equal(call.CallSid, dial.Form["CallSid"]);
        Assert.Equal([new("agent", "Putting you through."), new("system", "(transferred to +15551230000)")], call.Turns.TakeLast(2).ToArray());
    }

    [Fact]
    public async Task RunAsync_FailedDialThenRelayAgain_ReconnectsWithANewSessionForTheSameCall()
    {
        const string sorry = "Nobody picked up. Can I take a message?";
        Routes(
            (TwilioPaths.Voice, ConnectTwiml()),
            ("/twilio/relay/ended?turn=1", """<Response><Dial action="/twilio/voice/dial?turn=2"><Number>+15551230000</Number></Dial></Response>"""),
            (TwilioPaths.Dial, ConnectTwiml(welcome: sorry, action: "/twilio/relay/ended?turn=3")),
            ("/twilio/relay/ended?turn=3", "<Response><Say>Bye now.</Say><Hangup/></Response>"));
        var sessions = 0;
        _app.Relay = async c =>
        {
            if (Interlocked.Increment(ref sessions) == 1)
            {
                await c.ExpectAsync("prompt");
                await c.EndAsync("""{"reason":"transfer"}""");
                return;
            }

            await c.ExpectAsync("prompt");
            await c.SayAsync("I'll pass that on.");
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };
        var simulator = Simulator();
        simulator.DialStatus = "no-answer";

        var call = await CallAsync(simulator, "put me through", "It's Sam, please call me back", "thanks");

        Assert.Equal(2, _app.Connections.Count);
        var (first, second) = (_app.Connections[0].Setup, _app.Connections[1].Setup);
        Assert.NotEqual(first.GetProperty("sessionId").GetString(), second.GetProperty("sessionId").GetString());
        Assert.Matches("^VX[0-9a-f]{32}$", second.GetProperty("sessionId").GetString());
        Assert.Equal(call.CallSid, first.GetProperty("callSid").GetString());
        Assert.Equal(call.CallSid, second.GetProperty("callSid").GetString());
        Assert.Equal(["It's Sam, please call me back", "thanks"], _app.Connections[1].Received.Select(r => Prompt(r.Message)).ToArray());
        Assert.Equal(
            ["/twilio/voice", "/twilio/relay/ended?turn=1", "/twilio/voice/dial?turn=2", "/twilio/relay/ended?turn=3", "/twilio/status"],
            _app.Requests.Select(r => new Uri(r.Url).PathAndQuery).ToArray());
        Assert.Equal("no-answer", _app.Requests[2].Form["DialCallStatus"]);
        Assert.Equal(second.GetProperty("sessionId").GetString(), _app.Requests[3].Form["SessionId"]);
        SimulatedTurn[] expected =
        [
            new("agent", Welcome),
            new("caller", "put me through"),
            new("system", "(transfer to +15551230000: no-answer)"),
            new("agent", sorry),
            new("caller", "It's Sam, please call me back"),
            new("agent", "I'll pass that on."),
            new("caller", "thanks"),
            new("agent", "Bye now."),
        ];
        Assert.Equal(expected, call.Turns);
        Assert.Null(call.TransferredTo);
        Assert.True(call.Ended);
    }

    [Fact]
    public async Task RunAsync_AppClosesWithoutEnd_PostsSessionCompletedAndFollowsTheTwiml()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, "<Response><Say>Sorry, something went wrong.</Say><Hangup/></Response>"));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.CloseAsync();
        };

        var call = await CallAsync("hello");

        var ended = Assert.Single(_app.Requests, r => r.Path == TwilioPaths.RelayEnded);
        Assert.Equal("completed", ended.Form["SessionStatus"]);
        Assert.False(ended.Form.ContainsKey("HandoffData"));
        Assert.Equal(new SimulatedTurn("agent", "Sorry, something went wrong."), call.Turns[^1]);
        Assert.True(call.Ended);
    }

    [Fact]
    public async Task RunAsync_CallerHangsUp_ClosesTheSocketNormallyAndPostsTheStatusCallback()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SayAsync("What day would you like?");
        };

        var call = await CallAsync("a cleaning");

        Assert.False(call.Ended);
        var connection = Assert.Single(_app.Connections);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, connection.ClosedByCaller);
        Assert.Equal([TwilioPaths.Voice, TwilioPaths.Status], _app.Requests.Select(r => r.Path).ToArray());
        var status = _app.Requests[1];
        Assert.Equal("completed", status.Form["CallStatus"]);
        Assert.Equal(call.CallSid, status.Form["CallSid"]);
        Assert.True(int.Parse(status.Form["CallDuration"], CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(new SimulatedTurn("agent", "What day would you like?"), call.Turns[^1]);
    }

    [Theory]
    [InlineData("speech line, interruptible true", "sure", true, true)]
    [InlineData("speech line, interruptible any", "sure", "any", true)]
    [InlineData("speech line, interruptible speech", "sure", "speech", true)]
    [InlineData("speech line, ConversationRelay default (any)", "sure", null, true)]
    [InlineData("speech line, interruptible false", "sure", false, false)]
    [InlineData("speech line, interruptible none", "sure", "none", false)]
    [InlineData("speech line, interruptible dtmf", "sure", "dtmf", false)]
    [InlineData("keys, interruptible dtmf", "#1", "dtmf", true)]
    [InlineData("keys, interruptible speech", "#1", "speech", false)]
    public async Task RunAsync_LineReadyWhileTextPlays_InterruptsOnlyWhenTheTextAllowsIt(string scenario, string line, object? interruptible, bool interrupts)
    {
        const string longText = "We have openings on Tuesday at nine, at ten thirty and at two.";
        const int msPerCharacter = 40; // 2.5 s of playback: at 10 ms a character (0.6 s) a loaded CI machine spoke the line only after it had played
        Routes((TwilioPaths.Voice, ConnectTwiml(welcome: "Hi.", welcomeInterruptible: "none")), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SayAsync(longText, interruptible: interruptible);
            await c.ReceiveAsync(); // interrupt, or the line
            if (interrupts)
            {
                await c.ReceiveAsync();
            }

            await c.EndAsync();
        };
        var simulator = Simulator();
        simulator.PlaybackMillisecondsPerCharacter = msPerCharacter;

        await CallAsync(simulator, "what do you have on Tuesday", line);

        var received = Assert.Single(_app.Connections).Received;
        var kind = line.StartsWith('#') ? "dtmf" : "prompt";
        Assert.True(
            (interrupts ? new[] { "prompt", "interrupt", kind } : ["prompt", kind]).SequenceEqual(received.Select(r => r.Type)),
            $"{scenario}: got {string.Join(", ", received.Select(r => r.Type))}");
        var playback = TimeSpan.FromMilliseconds(longText.Length * msPerCharacter);
        var heard = Stopwatch.GetElapsedTime(_app.Connections[0].SentAt[0], received[^1].At);
        if (interrupts)
        {
            var interrupt = received[1].Message;
            var spoken = interrupt.GetProperty("utteranceUntilInterrupt").GetString()!;
            Assert.StartsWith(spoken, longText, StringComparison.Ordinal);
            Assert.True(spoken.Length < longText.Length, $"{scenario}: '{spoken}' is all of the text");
            Assert.InRange(interrupt.GetProperty("durationUntilInterruptMs").GetInt64(), 0, (long)playback.TotalMilliseconds - 1);
            Assert.True(heard < playback, $"{scenario}: the line came {heard.TotalMilliseconds} ms after the text");
        }
        else
        {
            Assert.True(heard >= playback * 0.95, $"{scenario}: the line came {heard.TotalMilliseconds} ms after the text, before its {playback.TotalMilliseconds} ms had played");
        }
    }

    [Fact]
    public async Task RunAsync_LineReadyWhileTheWelcomePlays_InterruptsTheWelcome()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("interrupt");
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };
        var simulator = Simulator();
        simulator.PlaybackMillisecondsPerCharacter = 60; // the welcome plays 2 s: time for a loaded machine to speak over it

        await CallAsync(simulator, "hi, I'm locked out");

        var interrupt = Assert.Single(_app.Connections).Received[0].Message;
        var spoken = interrupt.GetProperty("utteranceUntilInterrupt").GetString()!;
        Assert.StartsWith(spoken, Welcome, StringComparison.Ordinal);
        Assert.True(spoken.Length < Welcome.Length);
    }

    [Fact]
    public async Task RunAsync_LineReadyAfterThePlaybackEnded_DoesNotInterrupt()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SayAsync("Which day?", interruptible: true);
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };
        var simulator = Simulator();
        simulator.PlaybackMillisecondsPerCharacter = 10; // the welcome plays 340 ms, "Which day?" 100 ms

        await CallAsync(simulator, new DelayedCaller(TimeSpan.FromMilliseconds(700), "a cleaning", "Tuesday"));

        Assert.Equal(["prompt", "prompt"], Types(Assert.Single(_app.Connections)));
    }

    [Fact]
    public async Task RunAsync_DefaultPlayback_ScriptedCallNeverInterrupts()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SayAsync("We have openings on Tuesday at nine, at ten thirty and at two.", interruptible: "any");
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        await CallAsync("what do you have on Tuesday", "ten thirty");

        Assert.Equal(["prompt", "prompt"], Types(Assert.Single(_app.Connections)));
    }

    [Fact]
    public async Task RunAsync_AppSaysGoodbyeThenEnds_TheCallerSaysNoMore()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SayAsync("Goodbye!");
            await Task.Delay(50);
            await c.EndAsync();
        };
        var simulator = Simulator();
        simulator.ReplyDelay = TimeSpan.FromMilliseconds(500);

        var call = await CallAsync(simulator, "that's all", "oh, one more thing");

        Assert.Equal([new("agent", Welcome), new("caller", "that's all"), new("agent", "Goodbye!")], call.Turns);
        Assert.Equal(["prompt"], Types(Assert.Single(_app.Connections)));
        Assert.True(call.Ended);
    }

    [Fact]
    public async Task RunAsync_LineStillComingWhenTheSessionEnds_IsSaidToTheGatherThatFollows()
    {
        Routes(
            (TwilioPaths.Voice, ConnectTwiml()),
            (TwilioPaths.RelayEnded, """<Response><Gather input="speech dtmf" action="/twilio/voice/gather?turn=2" actionOnEmptyResult="true"><Say>Still there?</Say></Gather></Response>"""),
            (TwilioPaths.Gather, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SayAsync("One moment.");
            await c.EndAsync(); // while the caller is still finding words
        };

        var call = await CallAsync(Simulator(), new DelayedCaller(TimeSpan.FromMilliseconds(400), "hello", "yes I am"));

        Assert.Equal(["prompt"], Types(Assert.Single(_app.Connections)));
        var gather = Assert.Single(_app.Requests, r => r.Path == TwilioPaths.Gather);
        Assert.Equal("yes I am", gather.Form["SpeechResult"]);
        Assert.Equal(new SimulatedTurn("caller", "yes I am"), call.Turns[^1]);
    }

    [Fact]
    public async Task RunAsync_NoWelcomeGreeting_WaitsForTheAppToSpeakFirst()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml(welcome: null)), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await Task.Delay(200);
            await c.SayAsync("Hello from the app.");
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        var call = await CallAsync("hi");

        Assert.Equal([new("agent", "Hello from the app."), new("caller", "hi")], call.Turns);
        Assert.Equal(["prompt"], Types(Assert.Single(_app.Connections)));
    }

    [Fact]
    public async Task RunAsync_UnknownMessageTypes_AreIgnored()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SendJsonAsync(new { type = "language", ttsLanguage = "en-US" });
            await c.SendJsonAsync(new { type = "play", source = "https://example.com/hold.mp3", loop = 1 });
            await c.SayAsync("Happy to help.");
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        var call = await CallAsync("hi", "thanks");

        Assert.Equal([new("agent", Welcome), new("caller", "hi"), new("agent", "Happy to help."), new("caller", "thanks")], call.Turns);
    }

    [Fact]
    public async Task RunAsync_ResponseMilliseconds_HoldTheRequestsAndTheTimeToTheFirstToken()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()), (TwilioPaths.RelayEnded, Hangup));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await Task.Delay(200); // measured from when the simulator's send returned, a little after the app had the prompt
            await c.SayAsync("Thinking done.", last: false);
            await Task.Delay(2000); // far apart, so a loaded machine cannot blur the first token into the last
            await c.SayAsync("Anything else?");
            await c.ExpectAsync("dtmf");
            await c.SayAsync("Okay.");
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        var call = await CallAsync("hello", "#5", "bye");

        // /twilio/voice, the prompt's first token, the digits' first token, /twilio/relay/ended (the last prompt got no text)
        Assert.Equal(4, call.ResponseMilliseconds.Count);
        Assert.All(call.ResponseMilliseconds, ms => Assert.True(ms >= 0));
        Assert.True(call.ResponseMilliseconds[1] >= 150, $"{call.ResponseMilliseconds[1]} ms: the app took 200 ms to its first token");
        Assert.True(call.ResponseMilliseconds[1] < 1500, $"{call.ResponseMilliseconds[1]} ms: measured to the last token (2,200 ms)?");
    }

    [Fact]
    public async Task RunAsync_AppNeverReplies_ThrowsNamingWhatWasAwaited()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));
        _app.Relay = c => c.ExpectAsync("prompt");
        var simulator = Simulator();
        simulator.ReceiveTimeout = TimeSpan.FromMilliseconds(300);
        var started = Stopwatch.GetTimestamp();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.RunAsync(To, From, new ScriptedCaller(["is anyone there"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains("Timed out", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is anyone there", ex.Message, StringComparison.Ordinal);
        Assert.InRange(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 250, 5000);
    }

    [Fact]
    public async Task RunAsync_NoWelcomeAndTheAppSaysNothing_ThrowsNamingWhatWasAwaited()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml(welcome: null)));
        var simulator = Simulator();
        simulator.ReceiveTimeout = TimeSpan.FromSeconds(2); // the upgrade has the same bound: under load 300 ms was too short for it

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains("Timed out", ex.Message, StringComparison.Ordinal);
        Assert.Contains("welcomeGreeting", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Keeps the app's side open until the simulator, having read what was sent, drops the socket: leaving at
    /// once would reset the connection, and a reset may discard the message before the simulator has read it. The wait
    /// is as long as the whole call's.</summary>
    private static async Task StayUntilTheCallerLeavesAsync(RelayConnection c)
    {
        try
        {
            while (await c.ReceiveAsync(CallTimeout) is not null)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // the simulator dropped the socket (or took too long): either way it has had its chance to read
        }
    }

    [Theory]
    [InlineData("hello, this is not JSON", "not JSON")]
    [InlineData("[1, 2, 3]", "\"type\"")]
    [InlineData("""{"token":"no type"}""", "\"type\"")]
    [InlineData("""{"type":"text","last":true}""", "\"token\"")]
    [InlineData("""{"type":"text","token":"Hi","last":"yes"}""", "\"last\"")]
    [InlineData("""{"type":"text","token":"Hi","last":true,"interruptible":"sometimes"}""", "sometimes")]
    [InlineData("""{"type":"end","handoffData":{"reason":"transfer"}}""", "handoffData")]
    public async Task RunAsync_MalformedMessageFromTheApp_ThrowsInvalidOperationException(string frame, string named)
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SendRawAsync(frame);
            await StayUntilTheCallerLeavesAsync(c);
        };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Simulator().RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BinaryMessageFromTheApp_ThrowsInvalidOperationException()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.SendRawAsync("""{"type":"text","token":"Hi","last":true}""", WebSocketMessageType.Binary);
            await StayUntilTheCallerLeavesAsync(c);
        };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Simulator().RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AppFloodsTheSocket_ThrowsAfterTheMessageBudget()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            for (var i = 0; i < TwilioRelaySimulator.MaxWebSocketMessages + 10 && c.Socket.State == WebSocketState.Open; i++)
            {
                await c.SayAsync("la ", last: false);
            }
        };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Simulator().RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains(TwilioRelaySimulator.MaxWebSocketMessages.ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConnectActionAnswersNon200_ThrowsHttpRequestExceptionNamingThePath()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };
        var answer = _app.Answer;
        _app.Answer = r => r.Path == TwilioPaths.RelayEnded ? new RelayAppAnswer(HttpStatusCode.InternalServerError, "boom") : answer(r);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => CallAsync("hi"));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains(TwilioPaths.RelayEnded, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConnectWithoutAction_GoesOnWithTheVerbsAfterIt()
    {
        var twiml = ConnectTwiml(action: null).Replace("</Connect></Response>", "</Connect><Say>Thanks for calling.</Say><Hangup/></Response>", StringComparison.Ordinal);
        Routes((TwilioPaths.Voice, twiml));
        _app.Relay = async c =>
        {
            await c.ExpectAsync("prompt");
            await c.EndAsync();
        };

        var call = await CallAsync("that's all");

        Assert.Equal([TwilioPaths.Voice, TwilioPaths.Status], _app.Requests.Select(r => r.Path).ToArray()); // no action: only the final status follows
        Assert.Equal(new SimulatedTurn("agent", "Thanks for calling."), call.Turns[^1]);
        Assert.True(call.Ended);
    }

    [Fact]
    public async Task RunAsync_GatherTwiml_IsFollowedAsTheGatherSimulatorFollowsIt()
    {
        Routes(
            (TwilioPaths.Voice, """<Response><Gather input="speech dtmf" action="/twilio/voice/gather?turn=1" actionOnEmptyResult="true"><Say>How can I help?</Say></Gather></Response>"""),
            (TwilioPaths.Gather, "<Response><Say>Goodbye.</Say><Hangup/></Response>"));

        var call = await CallAsync("a cleaning");

        Assert.Equal([new("agent", "How can I help?"), new("caller", "a cleaning"), new("agent", "Goodbye.")], call.Turns);
        Assert.Equal("a cleaning", _app.Requests[1].Form["SpeechResult"]);
        Assert.Empty(_app.Connections);
    }

    [Fact]
    public async Task TwilioCallSimulator_RelayTwiml_ThrowsPointingAtTheRelaySimulator()
    {
        Routes((TwilioPaths.Voice, ConnectTwiml()));
        var simulator = new TwilioCallSimulator(_http, _app.BaseUrl, FakeRelayApp.AuthToken, AccountSid);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains(nameof(TwilioRelaySimulator), ex.Message, StringComparison.Ordinal);
        Assert.Empty(_app.Connections);
    }

    [Fact]
    public void Properties_OutOfRange_AreRefused()
    {
        var simulator = Simulator();

        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.PlaybackMillisecondsPerCharacter = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.ReceiveTimeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.ReplyDelay = TimeSpan.FromMilliseconds(-1));
        Assert.Equal(0, new TwilioRelaySimulator(_http, _app.BaseUrl, "t", AccountSid).PlaybackMillisecondsPerCharacter);
        Assert.Equal(TimeSpan.FromSeconds(15), new TwilioRelaySimulator(_http, _app.BaseUrl, "t", AccountSid).ReceiveTimeout);
    }

    /// <summary>A caller who takes a while to say each line.</summary>
    private sealed class DelayedCaller(TimeSpan delay, params string[] lines) : ICallerLines
    {
        private readonly Queue<string> _lines = new(lines);

        public async ValueTask<string?> NextAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return _lines.TryDequeue(out var line) ? line : null;
        }
    }
}
