using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Receptionist.Telephony.Acs.Simulation;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Acs.Simulation;

public sealed class AcsCallSimulatorTests : IAsyncLifetime
{
    private const string To = "+18005550100";
    private const string From = "+16175551212";
    private const string Greeting = "Thanks for calling Bright Smiles. How can I help?";
    private const string AnythingElse = "Anything else?";
    private const string Goodbye = "Goodbye.";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private AcsStandIn _standIn = null!;
    private FakeAcsApp _app = null!;

    public Task InitializeAsync() => StartAsync(sendPlayCompleted: true);

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _standIn.DisposeAsync();
    }

    private async Task StartAsync(bool sendPlayCompleted)
    {
        _standIn = await AcsStandIn.StartAsync(
            new AcsStandInOptions { AccessKey = AcsStandInTests.AccessKey, ResourceId = AcsStandInTests.ResourceId, SendPlayCompleted = sendPlayCompleted }, CancellationToken.None);
        _app = await FakeAcsApp.StartAsync(_standIn, AcsStandInTests.AccessKey);
    }

    private AcsCallSimulator Simulator() => new(_app.Http, _app.BaseUrl, _standIn, FakeAcsApp.EventGridSecret) { ReceiveTimeout = TimeSpan.FromSeconds(5) };

    /// <summary>The call, bounded; a failure of the fake app's script is thrown first (it is usually the cause).</summary>
    private async Task<SimulatedCall> CallAsync(AcsCallSimulator simulator, string from, params string[] lines)
    {
        SimulatedCall call;
        try
        {
            call = await simulator.RunAsync(To, from, new ScriptedCaller(lines), CancellationToken.None).WaitAsync(CallTimeout);
        }
        catch
        {
            _app.ThrowIfFailed();
            throw;
        }

        _app.ThrowIfFailed();
        return call;
    }

    private Task<SimulatedCall> CallAsync(params string[] lines) => CallAsync(Simulator(), From, lines);

    /// <summary>The receptionist in brief: greets with a recognize, asks "Anything else?" after each result until
    /// <paramref name="questions"/> results, then plays goodbye and hangs up once it has played. Keys end in #.</summary>
    private void Converse(int questions)
    {
        var heard = new ConcurrentDictionary<string, int>();
        _app.OnCallback = async e =>
        {
            var id = e.CallConnectionId;
            switch (e.Type)
            {
                case "CallConnected":
                    await _app.RecognizeAsync(id, Greeting, "t1", "speechOrDtmf", 15, "pound");
                    break;
                case "RecognizeCompleted" or "RecognizeFailed":
                    var turn = heard.AddOrUpdate(id, 1, (_, n) => n + 1) + 1;
                    var context = "t" + turn.ToString(CultureInfo.InvariantCulture);
                    await (turn > questions
                        ? _app.PlayAsync(id, Goodbye, context + ":hangup")
                        : _app.RecognizeAsync(id, AnythingElse, context, "speechOrDtmf", 15, "pound"));
                    break;
                case "PlayCompleted" when e.OperationContext?.EndsWith(":hangup", StringComparison.Ordinal) == true:
                    await _app.HangUpAsync(id);
                    break;
            }
        };
    }

    [Fact]
    public async Task RunAsync_Conversation_TurnsAreThePromptsAndTheCallersLines()
    {
        Converse(questions: 3);

        var call = await CallAsync("a cleaning please", "#123", "");

        Assert.Equal(
            [("agent", Greeting), ("caller", "a cleaning please"), ("agent", AnythingElse), ("caller", "#123"), ("agent", AnythingElse), ("caller", "(silence)"), ("agent", Goodbye)],
            call.Turns.Select(t => (t.Speaker, t.Text)));
        Assert.True(call.Ended);
        Assert.Equal("acs-1", call.CallSid);
        Assert.Null(call.TransferredTo);
        Assert.Equal(4, call.ResponseMilliseconds.Count); // the answer, and the reply to each of three results
        Assert.All(call.ResponseMilliseconds, ms => Assert.InRange(ms, 0, CallTimeout.TotalMilliseconds));
    }

    [Fact]
    public async Task RunAsync_CallersLines_ReachTheAppAsAcsRecognitionResults()
    {
        Converse(questions: 3);

        await CallAsync("a cleaning please", "#123", "");

        var callbacks = _app.Callbacks;
        Assert.Equal(["CallConnected", "RecognizeCompleted", "RecognizeCompleted", "RecognizeFailed", "PlayStarted", "PlayCompleted", "CallDisconnected"], callbacks.Select(c => c.Type));
        Assert.All(callbacks, c => Assert.Equal($"/acs/callbacks/acs-1?token={FakeAcsApp.CallbackToken}", c.PathAndQuery));
        var speech = callbacks[1].Data;
        Assert.Equal(("t1", "speech", "a cleaning please", 0.9), ((string?)speech["operationContext"], (string?)speech["recognitionType"], (string?)speech["speechResult"]!["speech"], (double?)speech["speechResult"]!["confidence"]));
        var keys = callbacks[2].Data;
        Assert.Equal("dtmf", (string?)keys["recognitionType"]);
        Assert.Equal(["one", "two", "three"], keys["dtmfResult"]!["tones"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(8514, callbacks[2].SubCode); // ended with the stop tone
        Assert.Equal((400, 8510), ((int?)callbacks[3].Data["resultInformation"]!["code"], callbacks[3].SubCode));
        Assert.Equal("t4:hangup", callbacks[5].OperationContext);
    }

    [Fact]
    public async Task RunAsync_KeysOnAOneKeyMenu_SendsTheFirstKeyOnly()
    {
        _app.OnCallback = async e =>
        {
            if (e.Type == "CallConnected")
            {
                await _app.RecognizeAsync(e.CallConnectionId, "Press 1 to book.", "t1", "dtmf", 1);
            }
            else if (e.Type == "RecognizeCompleted")
            {
                await _app.HangUpAsync(e.CallConnectionId);
            }
        };

        await CallAsync("#12");

        var keys = Assert.Single(_app.Callbacks, c => c.Type == "RecognizeCompleted");
        Assert.Equal(["one"], keys.Data["dtmfResult"]!["tones"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(8531, keys.SubCode);
    }

    [Fact]
    public async Task RunAsync_SpeechToAKeysOnlyRecognize_IsAnInitialSilenceTimeout()
    {
        _app.OnCallback = async e =>
        {
            if (e.Type == "CallConnected")
            {
                await _app.RecognizeAsync(e.CallConnectionId, "Press 1 to book.", "t1", "dtmf", 1);
            }
            else if (e.Type == "RecognizeFailed")
            {
                await _app.HangUpAsync(e.CallConnectionId);
            }
        };

        await CallAsync("book please");

        Assert.Equal(8510, Assert.Single(_app.Callbacks, c => c.Type == "RecognizeFailed").SubCode);
    }

    [Fact]
    public async Task RunAsync_SsmlPrompt_IsTheAgentsTurnAsText()
    {
        const string Ssml = """<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US"><voice name="en-US-JennyNeural">Smith &amp; Sons,"""
            + "\n    open at <say-as interpret-as=\"time\">9am</say-as>.<break time=\"200ms\"/> Goodbye.</voice></speak>";

        _app.OnCallback = async e =>
        {
            if (e.Type == "CallConnected")
            {
                var play = new JsonObject { ["playSources"] = new JsonArray(new JsonObject { ["kind"] = "ssml", ["ssml"] = new JsonObject { ["ssmlText"] = Ssml } }), ["operationContext"] = "t1:hangup" };
                await _app.SendAsync(HttpMethod.Post, $"calling/callConnections/{e.CallConnectionId}:play", play);
            }
            else if (e.Type == "PlayCompleted")
            {
                await _app.HangUpAsync(e.CallConnectionId);
            }
        };

        var call = await CallAsync();

        Assert.Equal([("agent", "Smith & Sons, open at 9am. Goodbye.")], call.Turns.Select(t => (t.Speaker, t.Text)));
    }

    [Fact]
    public async Task RunAsync_TwoCalls_ValidateTheSubscriptionOnceThenRingWithTheIncomingCall()
    {
        Converse(questions: 0);
        var simulator = Simulator();

        var first = await CallAsync(simulator, From, "hello");
        var second = await CallAsync(simulator, From, "hello");

        var deliveries = _app.Deliveries;
        Assert.Equal(["SubscriptionValidation", "Notification", "Notification"], deliveries.Select(d => d.EventType));
        Assert.All(deliveries, d => Assert.Equal("?code=" + FakeAcsApp.EventGridSecret, d.Query));
        Assert.Equal("Microsoft.EventGrid.SubscriptionValidationEvent", (string?)deliveries[0].Events[0]!["eventType"]);
        var incoming = deliveries[1].Events[0]!;
        Assert.Equal("Microsoft.Communication.IncomingCall", (string?)incoming["eventType"]);
        Assert.Equal("4:" + To, (string?)incoming["data"]!["to"]!["rawId"]);
        Assert.Equal(From, (string?)incoming["data"]!["from"]!["phoneNumber"]!["value"]);
        Assert.NotEqual((string?)incoming["data"]!["incomingCallContext"], (string?)deliveries[2].Events[0]!["data"]!["incomingCallContext"]);
        Assert.NotEqual(first.CallSid, second.CallSid);
    }

    [Fact]
    public async Task RunAsync_ValidationCodeNotEchoed_Throws()
    {
        _app.EchoValidationCode = false;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CallAsync("hello"));

        Assert.Contains("validationResponse", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AnonymousCaller_RingsAsTheAnonymousPhoneNumber()
    {
        Converse(questions: 0);

        await CallAsync(Simulator(), AcsStandInCall.Anonymous, "hello");

        var from = _app.Deliveries[1].Events[0]!["data"]!["from"]!;
        Assert.Equal("4:anonymous", (string?)from["rawId"]);
        Assert.True((bool?)from["phoneNumber"]!["isAnonymous"]);
    }

    [Fact]
    public async Task RunAsync_CallerHangsUp_PostsCallDisconnectedAndIsNotEndedByTheApp()
    {
        Converse(questions: 3);

        var call = await CallAsync();

        Assert.False(call.Ended);
        Assert.Equal([("agent", Greeting)], call.Turns.Select(t => (t.Speaker, t.Text)));
        Assert.Equal(["CallConnected", "CallDisconnected"], _app.Callbacks.Select(c => c.Type));
    }

    [Fact]
    public async Task RunAsync_TransferAnswered_ReportsTheNumberAndEnds()
    {
        _app.OnCallback = e => e.Type == "CallConnected" ? _app.TransferAsync(e.CallConnectionId, "+16175550000", "t1:transfer") : Task.CompletedTask;

        var call = await CallAsync();

        Assert.True(call.Ended);
        Assert.Equal("+16175550000", call.TransferredTo);
        Assert.Equal(["CallConnected", "CallTransferAccepted", "CallDisconnected"], _app.Callbacks.Select(c => c.Type));
        var accepted = _app.Callbacks[1];
        Assert.Equal("t1:transfer", accepted.OperationContext);
        Assert.Equal("4:+16175550000", (string?)accepted.Data["transferTarget"]!["rawId"]);
    }

    [Theory]
    [InlineData("busy", 8539)]
    [InlineData("no-answer", 8541)]
    [InlineData("failed", 8541)]
    public async Task RunAsync_TransferNotAnswered_PostsCallTransferFailedAndTheCallGoesOn(string dialStatus, int subCode)
    {
        _app.OnCallback = e => e.Type switch
        {
            "CallConnected" => _app.TransferAsync(e.CallConnectionId, "+16175550000", "t1:transfer"),
            "CallTransferFailed" => _app.PlayAsync(e.CallConnectionId, "Sorry, nobody is free.", "t2:hangup"),
            "PlayCompleted" => _app.HangUpAsync(e.CallConnectionId),
            _ => Task.CompletedTask,
        };
        var simulator = Simulator();
        simulator.DialStatus = dialStatus;

        var call = await CallAsync(simulator, From);

        Assert.True(call.Ended);
        Assert.Null(call.TransferredTo);
        Assert.Equal(subCode, Assert.Single(_app.Callbacks, c => c.Type == "CallTransferFailed").SubCode);
        Assert.Contains(new SimulatedTurn("system", $"(transfer to +16175550000: {dialStatus})"), call.Turns);
        Assert.Equal(2, call.ResponseMilliseconds.Count);
    }

    [Fact]
    public async Task RunAsync_AppRejects_EndsWithoutTurnsOrCallbacks()
    {
        _app.OnIncomingCall = _app.RejectAsync;

        var call = await CallAsync("hello");

        Assert.True(call.Ended);
        Assert.Empty(call.Turns);
        Assert.Single(call.ResponseMilliseconds);
        Assert.Empty(_app.Callbacks);
    }

    [Fact]
    public async Task RunAsync_AppSilentAfterAnEvent_ThrowsNamingWhatWasAwaited()
    {
        var simulator = Simulator();
        simulator.ReceiveTimeout = TimeSpan.FromSeconds(1);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CallAsync(simulator, From, "hello"));

        Assert.Contains("CallConnected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AppNeverAnswers_ThrowsNamingTheAnswer()
    {
        _app.OnIncomingCall = _ => Task.CompletedTask;
        var simulator = Simulator();
        simulator.ReceiveTimeout = TimeSpan.FromSeconds(1);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CallAsync(simulator, From, "hello"));

        Assert.Contains(":answer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CallbackRefused_ThrowsWithTheStatusAndBody()
    {
        _app.CallbackStatus = HttpStatusCode.ServiceUnavailable;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CallAsync("hello"));

        Assert.Contains("CallConnected", ex.Message, StringComparison.Ordinal);
        Assert.Contains("503", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PlayCompletedNotSent_TheAppsTimeoutAndCancelMoveTheCallOn()
    {
        await _app.DisposeAsync();
        await _standIn.DisposeAsync();
        await StartAsync(sendPlayCompleted: false);
        _app.OnCallback = async e =>
        {
            if (e.Type == "CallConnected")
            {
                await _app.PlayAsync(e.CallConnectionId, Goodbye, "t1:hangup");
            }
            else if (e.Type == "PlayStarted")
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200)); // the app's play timeout
                await _app.SendAsync(HttpMethod.Post, $"calling/callConnections/{e.CallConnectionId}:cancelAllMediaOperations", null);
                await _app.HangUpAsync(e.CallConnectionId);
            }
        };

        var call = await CallAsync();

        Assert.True(call.Ended);
        Assert.Equal([("agent", Goodbye)], call.Turns.Select(t => (t.Speaker, t.Text)));
        Assert.Equal(["CallConnected", "PlayStarted", "PlayCanceled", "CallDisconnected"], _app.Callbacks.Select(c => c.Type));
        Assert.Equal("t1:hangup", _app.Callbacks[2].OperationContext);
    }

    [Fact]
    public async Task RunAsync_ConcurrentCalls_EachFollowsItsOwnConnection()
    {
        Converse(questions: 2);
        var simulator = Simulator();

        var calls = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => simulator.RunAsync(To, From, new ScriptedCaller(["a cleaning", "tomorrow"]), CancellationToken.None))).WaitAsync(CallTimeout);

        _app.ThrowIfFailed();
        Assert.All(calls, c => Assert.True(c.Ended));
        Assert.All(calls, c => Assert.Equal(5, c.Turns.Count)); // greeting, line, anything else, line, goodbye
        Assert.Equal(8, calls.Select(c => c.CallSid).Distinct().Count());
        Assert.Single(_app.Deliveries, d => d.EventType == "SubscriptionValidation");
        Assert.Equal(0, _standIn.RejectedRequests);
    }
}
