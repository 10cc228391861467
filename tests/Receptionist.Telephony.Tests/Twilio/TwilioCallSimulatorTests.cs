using System.Net;
using System.Text;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Twilio;

public sealed class TwilioCallSimulatorTests : IDisposable
{
    private const string AuthToken = "sim-auth-token-0123456789";
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string To = "+18005550100";
    private const string From = "+16175551212";
    private const string Base = "https://receptionist.example";

    private const string GatherHello =
        """<?xml version="1.0" encoding="UTF-8"?><Response><Say>Thanks for calling.</Say><Gather input="speech dtmf" action="/twilio/voice/gather?turn=1" method="POST" actionOnEmptyResult="true"><Say>How can I help?</Say></Gather></Response>""";

    private const string SayGoodbyeAndHangUp = "<Response><Say>Goodbye.</Say><Hangup/></Response>";

    private readonly FakeTwilioApp _app = new();
    private readonly HttpClient _http;

    public TwilioCallSimulatorTests() => _http = new HttpClient(_app);

    public void Dispose() => _http.Dispose();

    private TwilioCallSimulator Simulator() => new(_http, new Uri(Base + "/"), AuthToken, AccountSid);

    private Task<SimulatedCall> CallAsync(params string[] lines) =>
        Simulator().RunAsync(To, From, new ScriptedCaller(lines), CancellationToken.None);

    [Fact]
    public async Task RunAsync_FirstRequest_IsARingingVoiceWebhookForTheCall()
    {
        _app.Answer(SayGoodbyeAndHangUp);

        var call = await CallAsync();

        var first = Assert.Single(_app.Requests);
        Assert.Equal(HttpMethod.Post, first.Method);
        Assert.Equal(Base + "/twilio/voice", first.Url);
        Assert.Equal("ringing", first.Form["CallStatus"]);
        Assert.Equal(To, first.Form["To"]);
        Assert.Equal(From, first.Form["From"]);
        Assert.Equal(AccountSid, first.Form["AccountSid"]);
        Assert.Equal(call.CallSid, first.Form["CallSid"]);
        Assert.Matches("^CA[0-9a-f]{32}$", call.CallSid);
    }

    [Fact]
    public async Task RunAsync_TwoCalls_GetDifferentCallSids()
    {
        _app.Answer(SayGoodbyeAndHangUp);
        _app.Answer(SayGoodbyeAndHangUp);

        var first = await CallAsync();
        var second = await CallAsync();

        Assert.NotEqual(first.CallSid, second.CallSid);
    }

    [Fact]
    public async Task RunAsync_EveryRequest_CarriesAValidTwilioSignatureForTheExactUrl()
    {
        _app.Answer(GatherHello);
        _app.Answer("""<Response><Gather action="/twilio/voice/gather?turn=2&amp;retry=1" actionOnEmptyResult="true"><Say>And when?</Say></Gather></Response>""");
        _app.Answer("""<Response><Gather action="/twilio/voice/gather?turn=3" actionOnEmptyResult="true"><Say>Anything else?</Say></Gather></Response>""");

        await CallAsync("a cleaning please", "tomorrow");

        Assert.Equal(
            [Base + "/twilio/voice", Base + "/twilio/voice/gather?turn=1", Base + "/twilio/voice/gather?turn=2&retry=1"],
            _app.Requests.Select(r => r.Url).ToArray());
        Assert.Equal(Base + "/twilio/status", Assert.Single(_app.StatusCallbacks).Url); // once the caller hangs up
        Assert.All(_app.Requests.Concat(_app.StatusCallbacks), r =>
        {
            Assert.NotNull(r.Signature);
            Assert.True(TwilioSignature.IsValid(AuthToken, r.Url, r.Form, r.Signature), $"signature for {r.Url}");
            Assert.False(TwilioSignature.IsValid("another-token", r.Url, r.Form, r.Signature));
        });

        // The query string is part of what is signed: the same request at the bare path does not validate.
        var gather = _app.Requests[1];
        Assert.False(TwilioSignature.IsValid(AuthToken, Base + "/twilio/voice/gather", gather.Form, gather.Signature));
    }

    [Fact]
    public async Task RunAsync_CallerSpeaks_PostsSpeechResultAndConfidenceToTheGatherAction()
    {
        _app.Answer(GatherHello);
        _app.Answer(SayGoodbyeAndHangUp);

        var call = await CallAsync("I'd like a cleaning");

        var answer = _app.Requests[1];
        Assert.Equal(Base + "/twilio/voice/gather?turn=1", answer.Url);
        Assert.Equal("I'd like a cleaning", answer.Form["SpeechResult"]);
        Assert.True(double.TryParse(answer.Form["Confidence"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var confidence));
        Assert.InRange(confidence, 0.0, 1.0);
        Assert.False(answer.Form.ContainsKey("Digits"));
        Assert.Equal("in-progress", answer.Form["CallStatus"]);
        Assert.Equal(call.CallSid, answer.Form["CallSid"]);
        Assert.Equal(To, answer.Form["To"]);
        Assert.Equal(From, answer.Form["From"]);
    }

    [Fact]
    public async Task RunAsync_CallerPressesKeys_PostsDigitsWithoutTheHash()
    {
        _app.Answer(GatherHello);
        _app.Answer(SayGoodbyeAndHangUp);

        var call = await CallAsync("#123");

        var answer = _app.Requests[1];
        Assert.Equal("123", answer.Form["Digits"]);
        Assert.False(answer.Form.ContainsKey("SpeechResult"));
        Assert.False(answer.Form.ContainsKey("Confidence"));
        Assert.Contains(new SimulatedTurn("caller", "#123"), call.Turns);
    }

    [Fact]
    public async Task RunAsync_CallerSilent_PostsToTheActionWithNeitherSpeechNorDigits()
    {
        _app.Answer(GatherHello);
        _app.Answer(SayGoodbyeAndHangUp);

        var call = await CallAsync("");

        Assert.Equal(2, _app.Requests.Count);
        var answer = _app.Requests[1];
        Assert.Equal(Base + "/twilio/voice/gather?turn=1", answer.Url);
        Assert.False(answer.Form.ContainsKey("SpeechResult"));
        Assert.False(answer.Form.ContainsKey("Confidence"));
        Assert.False(answer.Form.ContainsKey("Digits"));
        Assert.Equal("in-progress", answer.Form["CallStatus"]);
        Assert.True(call.Ended);
    }

    [Fact]
    public async Task RunAsync_GatherWithoutAction_PostsBackToTheCurrentUrl()
    {
        _app.Answer("<Response><Gather input=\"speech\" actionOnEmptyResult=\"true\"><Say>Hello?</Say></Gather></Response>");
        _app.Answer(SayGoodbyeAndHangUp);

        await CallAsync("hi");

        Assert.Equal([Base + "/twilio/voice", Base + "/twilio/voice"], _app.Requests.Select(r => r.Url).ToArray());
        Assert.Equal("hi", _app.Requests[1].Form["SpeechResult"]);
    }

    [Fact]
    public async Task RunAsync_GatherAnsweredBeforeARedirect_FollowsTheGatherActionNotTheRedirect()
    {
        _app.Answer("<Response><Gather action=\"/twilio/voice/gather?turn=1\" actionOnEmptyResult=\"true\"><Say>Hi?</Say></Gather><Redirect>/twilio/voice/noinput</Redirect></Response>");
        _app.Answer(SayGoodbyeAndHangUp);

        await CallAsync("hello");

        Assert.Equal(Base + "/twilio/voice/gather?turn=1", _app.Requests[1].Url);
    }

    [Fact]
    public async Task RunAsync_Redirect_IsFollowedWithAnInProgressPost()
    {
        _app.Answer("<Response><Say>One moment.</Say><Redirect method=\"POST\">/twilio/voice/next?step=2</Redirect><Say>Never spoken.</Say></Response>");
        _app.Answer(SayGoodbyeAndHangUp);

        var call = await CallAsync();

        Assert.Equal([Base + "/twilio/voice", Base + "/twilio/voice/next?step=2"], _app.Requests.Select(r => r.Url).ToArray());
        var redirected = _app.Requests[1];
        Assert.Equal(HttpMethod.Post, redirected.Method);
        Assert.Equal("in-progress", redirected.Form["CallStatus"]);
        Assert.Equal(call.CallSid, redirected.Form["CallSid"]);
        Assert.True(TwilioSignature.IsValid(AuthToken, redirected.Url, redirected.Form, redirected.Signature));
        Assert.Equal(["One moment.", "Goodbye."], call.Turns.Select(t => t.Text).ToArray());
    }

    [Fact]
    public async Task RunAsync_Hangup_EndsTheCallWithOnlyTheFinalStatusAfterIt()
    {
        _app.Answer("<Response><Say>Goodbye.</Say><Hangup/><Say>Never spoken.</Say></Response>");

        var call = await CallAsync("still here");

        Assert.True(call.Ended);
        Assert.Null(call.TransferredTo);
        Assert.Single(_app.Requests);
        var status = Assert.Single(_app.StatusCallbacks);
        Assert.Equal((Base + TwilioPaths.Status, "completed"), (status.Url, status.Form["CallStatus"]));
        Assert.True(int.Parse(status.Form["CallDuration"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(TwilioSignature.IsValid(AuthToken, status.Url, status.Form, status.Signature));
        Assert.Equal([new SimulatedTurn("agent", "Goodbye.")], call.Turns);
    }

    [Fact]
    public async Task RunAsync_Dial_EndsTheCallTransferredToTheNumber()
    {
        _app.Answer("<Response><Say>Connecting you to the office.</Say><Dial><Number>+15551230000</Number></Dial></Response>");

        var call = await CallAsync("still here");

        Assert.True(call.Ended);
        Assert.Equal("+15551230000", call.TransferredTo);
        Assert.Single(_app.Requests);
        Assert.Equal("Connecting you to the office.", call.Turns[0].Text);
        Assert.Equal("system", call.Turns[^1].Speaker);
        Assert.Contains("+15551230000", call.Turns[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EndOfDocumentWithoutHangup_EndsTheCall()
    {
        _app.Answer("<Response><Say>We are closed.</Say></Response>");

        var call = await CallAsync("hello?");

        Assert.True(call.Ended);
        Assert.Single(_app.Requests);
    }

    [Fact]
    public async Task RunAsync_CallerRunsOutOfLines_PostsCompletedStatusCallbackAndIsNotEndedByTheApp()
    {
        _app.Answer(GatherHello);

        var call = await CallAsync();

        Assert.False(call.Ended);
        Assert.Null(call.TransferredTo);
        Assert.Single(_app.Requests);
        var status = Assert.Single(_app.StatusCallbacks);
        Assert.Equal(Base + "/twilio/status", status.Url);
        Assert.Equal("completed", status.Form["CallStatus"]);
        Assert.Equal(call.CallSid, status.Form["CallSid"]);
        Assert.Equal(AccountSid, status.Form["AccountSid"]);
        Assert.Equal(To, status.Form["To"]);
        Assert.True(TwilioSignature.IsValid(AuthToken, status.Url, status.Form, status.Signature));
    }

    [Fact]
    public async Task RunAsync_WholeCall_TranscriptHasAgentAndCallerTurnsInOrder()
    {
        _app.Answer(GatherHello);
        _app.Answer("<Response><Say>Sure.</Say><Gather action=\"/twilio/voice/gather?turn=2\" actionOnEmptyResult=\"true\"><Say>Which day?</Say><Say>Say a date.</Say></Gather></Response>");
        _app.Answer("<Response><Gather action=\"/twilio/voice/gather?turn=3\" actionOnEmptyResult=\"true\"><Say>Press 1 to confirm.</Say></Gather></Response>");
        _app.Answer(SayGoodbyeAndHangUp);
        var raised = new List<SimulatedTurn>();
        var simulator = Simulator();
        simulator.TurnAdded += raised.Add;

        var call = await simulator.RunAsync(To, From, new ScriptedCaller(["a cleaning", "", "#1"]), CancellationToken.None);

        SimulatedTurn[] expected =
        [
            new("agent", "Thanks for calling."),
            new("agent", "How can I help?"),
            new("caller", "a cleaning"),
            new("agent", "Sure."),
            new("agent", "Which day?"),
            new("agent", "Say a date."),
            new("caller", "(silence)"),
            new("agent", "Press 1 to confirm."),
            new("caller", "#1"),
            new("agent", "Goodbye."),
        ];
        Assert.Equal(expected, call.Turns);
        Assert.Equal(expected, raised);
        Assert.Equal(4, call.ResponseMilliseconds.Count);
        Assert.All(call.ResponseMilliseconds, ms => Assert.True(ms >= 0));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task RunAsync_AppAnswersNon200_ThrowsHttpRequestExceptionNamingTheStatus(HttpStatusCode status)
    {
        _app.Answer(status, "nope");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => CallAsync("hello"));

        Assert.Equal(status, ex.StatusCode);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Contains("/twilio/voice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Non200OnAGatherAction_ThrowsNamingThatPath()
    {
        _app.Answer(GatherHello);
        _app.Answer(HttpStatusCode.InternalServerError, "boom");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => CallAsync("hello"));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains("/twilio/voice/gather", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("this is not xml")]
    [InlineData("<Response><Say>unclosed</Response>")]
    [InlineData("")]
    public async Task RunAsync_AppAnswersSomethingThatIsNotXml_Throws(string body)
    {
        _app.Answer(body);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CallAsync("hello"));

        Assert.Contains("TwiML", ex.Message, StringComparison.Ordinal);
    }

    private sealed record RecordedRequest(HttpMethod Method, string Url, IReadOnlyDictionary<string, string> Form, string? Signature);

    /// <summary>The app side of the webhook protocol, in memory: records each request, answers scripted TwiML in order.</summary>
    private sealed class FakeTwilioApp : HttpMessageHandler
    {
        private readonly Queue<(HttpStatusCode Status, string Body)> _answers = new();
        private readonly List<RecordedRequest> _requests = [];
        private readonly List<RecordedRequest> _statuses = [];

        /// <summary>The webhooks (every request but the final status callbacks).</summary>
        public IReadOnlyList<RecordedRequest> Requests => _requests;

        /// <summary>The final status callbacks ("completed"), answered 204 as the app does.</summary>
        public IReadOnlyList<RecordedRequest> StatusCallbacks => _statuses;

        public void Answer(string twiml) => Answer(HttpStatusCode.OK, twiml);

        public void Answer(HttpStatusCode status, string body) => _answers.Enqueue((status, body));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            Assert.Equal("application/x-www-form-urlencoded", request.Content?.Headers.ContentType?.MediaType);
            var signature = request.Headers.TryGetValues(TwilioSignature.Header, out var values) ? values.Single() : null;
            var recorded = new RecordedRequest(request.Method, request.RequestUri!.AbsoluteUri, FormBody.Parse(body), signature);
            if (request.RequestUri.AbsolutePath == TwilioPaths.Status && recorded.Form.GetValueOrDefault("CallStatus") == "completed")
            {
                _statuses.Add(recorded);
                return new HttpResponseMessage(HttpStatusCode.NoContent); // the final status callback, as the app answers it
            }

            _requests.Add(recorded);

            if (!_answers.TryDequeue(out var answer))
            {
                throw new InvalidOperationException($"Unexpected request #{_requests.Count} to {request.RequestUri}: the test scripted no answer for it.");
            }

            return new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Body, Encoding.UTF8, "text/xml") };
        }

    }
}
