using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Telephony.Speech;
using Receptionist.Telephony.Speech.Simulation;
using Receptionist.Telephony.Twilio;
using Receptionist.Telephony.Twilio.Streams;

namespace Receptionist.Telephony.Tests.Twilio.Streams;

/// <summary>The stream simulator against a fake app on loopback and a real speech stand-in, in real time (each test
/// lasts a few seconds of audio).</summary>
public sealed class TwilioStreamSimulatorTests : IAsyncLifetime
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string To = "+18005550100";
    private const string From = "+16175551212";
    private const string Hangup = "<Response><Hangup/></Response>";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private FakeStreamApp _app = null!;
    private SpeechStandIn _speech = null!;

    static TwilioStreamSimulatorTests()
    {
        // These tests time audio in real time. The assembly's other tests run alongside and some block pool threads;
        // on a 2-core machine the pool then adds a thread only every ~0.5 s, which would hold frames back that long.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }

    public async Task InitializeAsync()
    {
        _app = await FakeStreamApp.StartAsync();
        _speech = await SpeechStandIn.StartAsync();
        _app.Answer = r => r.Path switch
        {
            TwilioPaths.Voice => ConnectTwiml(),
            "/twilio/stream/ended" => Hangup,
            _ => null,
        };
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _speech.DisposeAsync();
    }

    private string ConnectTwiml(int turn = 1, string? url = null) =>
        $"""<Response><Connect action="/twilio/stream/ended?turn={turn}"><Stream url="{url ?? _app.MediaUrl}"><Parameter name="tenant" value="bright-smiles"/><Parameter name="turn" value="{turn}"/></Stream></Connect></Response>""";

    private TwilioStreamSimulator Simulator(bool bargeIn = false) =>
        new(Http, _app.BaseUrl, FakeStreamApp.AuthToken, AccountSid, _speech) { ReceiveTimeout = TimeSpan.FromSeconds(5), BargeIn = bargeIn };

    /// <summary>Audio that is not silence (a 400 Hz tone at about -20 dBFS), as the app would send its voice.</summary>
    private static byte[] Tone(TimeSpan length)
    {
        var bytes = new byte[(int)(length.TotalSeconds * 8000)];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = Encode((short)(3000 * Math.Sin(2 * Math.PI * 400 * i / 8000.0)));
        }

        return bytes;
    }

    private static byte Encode(short sample)
    {
        const int Bias = 0x84;
        var sign = sample < 0 ? 0x80 : 0;
        var magnitude = Math.Min(Math.Abs((int)sample), 32635) + Bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private async Task<SimulatedCall> CallAsync(TwilioStreamSimulator simulator, params string[] lines)
    {
        SimulatedCall call;
        try
        {
            call = await simulator.RunAsync(To, From, new ScriptedCaller(lines), CancellationToken.None).WaitAsync(CallTimeout);
        }
        catch
        {
            _app.ThrowIfFailed();
            throw;
        }

        await _app.SettleAsync();
        return call;
    }

    /// <summary>The app's side of one turn, as the voice session does it: hear the caller's utterance, send it to the
    /// stand-in's recognition (X-Correlation-Id {stream}/{n}), and return the transcript.</summary>
    private async Task<string> RecognizeAsync(StreamConnection c, int turn)
    {
        var (speech, _) = await c.HearUtteranceAsync(TimeSpan.FromMilliseconds(300));
        var options = new SpeechOptions { Endpoint = _speech.Endpoint.AbsoluteUri, Key = _speech.Key };
        var stt = new AzureSpeechToText(Http, options, new SpeechAuthorization(options, null, new FakeTimeProvider()));
        var result = await stt.RecognizeAsync(One(MuLawLevel.ToPcm16At16Khz(speech)), new RecognitionRequest("en-US", $"{c.StreamSid}/{turn}"), CancellationToken.None);
        return result.Text;
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> One(byte[] audio)
    {
        await Task.Yield();
        yield return audio;
    }

    /// <summary>Synthesises through the stand-in (so the simulator shows the words) and plays it with a mark after it.</summary>
    private async Task SayAsync(StreamConnection c, string text, int turn, string mark)
    {
        var options = new SpeechOptions { Endpoint = _speech.Endpoint.AbsoluteUri, Key = _speech.Key, SynthesisTimeoutMilliseconds = 10_000 };
        var tts = new AzureTextToSpeech(Http, options, new SpeechAuthorization(options, null, new FakeTimeProvider()));
        var audio = new MemoryStream();
        await foreach (var chunk in tts.SynthesizeAsync(new SynthesisRequest(text, "en-US-JennyNeural", "en-US", SpeechAudioFormat.Mulaw8Khz, $"{c.StreamSid}/{turn}"), CancellationToken.None))
        {
            audio.Write(chunk.Span);
        }

        await c.PlayAsync(audio.ToArray());
        await c.MarkAsync(mark);
    }

    [Fact]
    public async Task RunAsync_StreamTwiml_OpensASignedSocketAndSendsConnectedThenStart()
    {
        _app.Stream = async c => await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(200)));

        var call = await CallAsync(Simulator());

        var voice = _app.Requests[0];
        Assert.Equal(TwilioPaths.Voice, voice.Path);
        var c = Assert.Single(_app.Connections);
        Assert.Equal(TwilioSignature.Compute(FakeStreamApp.AuthToken, _app.MediaUrl, []), c.Signature);
        Assert.Empty(_app.RefusedSignatures);
        Assert.Equal("""{"event":"connected","protocol":"Call","version":"1.0.0"}""", c.Connected.GetRawText());
        var start = c.Start;
        Assert.Equal("1", start.GetProperty("sequenceNumber").GetString());
        var s = start.GetProperty("start");
        Assert.Matches("^MZ[0-9a-f]{32}$", s.GetProperty("streamSid").GetString());
        Assert.Equal(s.GetProperty("streamSid").GetString(), start.GetProperty("streamSid").GetString());
        Assert.Equal(AccountSid, s.GetProperty("accountSid").GetString());
        Assert.Equal(call.CallSid, s.GetProperty("callSid").GetString());
        Assert.Equal(["inbound"], s.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(new Dictionary<string, string?> { ["tenant"] = "bright-smiles", ["turn"] = "1" },
            s.GetProperty("customParameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()));
        var format = s.GetProperty("mediaFormat");
        Assert.Equal(("audio/x-mulaw", 8000, 1), (format.GetProperty("encoding").GetString(), format.GetProperty("sampleRate").GetInt32(), format.GetProperty("channels").GetInt32()));
    }

    [Fact]
    public async Task RunAsync_WhileListening_SendsSilentFramesEvery20MillisecondsWithoutDrift()
    {
        _app.Stream = async c =>
        {
            await Task.Delay(1500); // no greeting yet: the line carries silence
            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(100)));
        };

        await CallAsync(Simulator());

        var c = Assert.Single(_app.Connections);
        var media = c.Media.ToList();
        // 1.5 s + 0.1 s + the 0.4 s reply delay + the 1.5 s a caller with nothing left to say waits before hanging up, at 50 a second
        Assert.InRange(media.Count, 150, 200);
        for (var i = 0; i < media.Count; i++)
        {
            var m = media[i].Message;
            Assert.Equal((i + 2).ToString(), m.GetProperty("sequenceNumber").GetString());
            Assert.Equal(c.StreamSid, m.GetProperty("streamSid").GetString());
            var body = m.GetProperty("media");
            Assert.Equal("inbound", body.GetProperty("track").GetString());
            Assert.Equal((i + 1).ToString(), body.GetProperty("chunk").GetString());
            Assert.Equal((i * 20).ToString(), body.GetProperty("timestamp").GetString());
            Assert.All(media[i].Payload, b => Assert.Equal(0xFF, b));
            Assert.Equal(160, media[i].Payload.Length);
        }

        // Real time: frames arrive on their timestamps (measured from the first), no drift; a loaded machine may hold
        // one back now and then, and the frames after it are then sent at once.
        var late = media.Select((m, i) => Ms(media[0].At, m.At) - (i * 20)).Order().ToList();
        Assert.InRange(late[late.Count / 2], -5, 20);
        Assert.InRange(late[^1], -5, 400);
        Assert.InRange(late[0], -5, 20);
        Assert.InRange(Ms(media[0].At, media[^1].At) / (media.Count - 1), 19, 21);
    }

    [Fact]
    public async Task RunAsync_CallerLine_IsRealSpeechAfterTheGreetingThenSilenceAgain()
    {
        long greetingEnds = 0;
        var heard = string.Empty;
        _app.Stream = async c =>
        {
            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(600)));
            greetingEnds = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 6 / 10);
            heard = await RecognizeAsync(c, 1);
            await Task.Delay(500); // the caller is silent again
            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(200))); // the reply; then the caller hangs up
        };

        var call = await CallAsync(Simulator(), "I'd like a cleaning on Monday");

        Assert.Equal("I'd like a cleaning on Monday", heard); // the stand-in had the line scripted for this stream, and heard real audio
        var utterance = Assert.Single(_speech.Heard);
        Assert.Equal("Success", utterance.Status);
        Assert.InRange(utterance.Dbfs, -40, -3);
        Assert.InRange(utterance.Milliseconds, 1000, 4000);
        var c = Assert.Single(_app.Connections);
        var media = c.Media.ToList();
        var loud = media.Where(m => MuLawLevel.Dbfs(m.Payload) > -40).ToList();
        Assert.NotEmpty(loud);
        Assert.InRange(Ms(greetingEnds, loud[0].At), 350, 2500); // after the greeting played out and the 400 ms reply delay (espeak-ng may be slow on a loaded machine)
        Assert.All(media.Where(m => m.At < loud[0].At || m.At > loud[^1].At + Stopwatch.Frequency / 2), m => Assert.All(m.Payload, b => Assert.Equal(0xFF, b)));
        Assert.InRange(Ms(loud[0].At, loud[^1].At), 900, 4000);
        Assert.Contains(new SimulatedTurn("caller", "I'd like a cleaning on Monday"), call.Turns);
    }

    [Fact]
    public async Task RunAsync_Marks_EchoedWhenPlaybackReachesThemAndAtOnceWhenNothingPlays()
    {
        double idle = 0, queued = 0;
        _app.Stream = async c =>
        {
            var sent = Stopwatch.GetTimestamp();
            await c.MarkAsync("idle");
            idle = Ms(sent, await c.MarkEchoAsync("idle"));
            sent = Stopwatch.GetTimestamp();
            await c.PlayAsync(Tone(TimeSpan.FromSeconds(1)));
            await c.MarkAsync("after-one-second");
            queued = Ms(sent, await c.MarkEchoAsync("after-one-second"));
        };

        await CallAsync(Simulator());

        Assert.InRange(idle, 0, 100);
        Assert.InRange(queued, 980, 1200);
        var echo = _app.Connections[0].Received.Last(r => r.Event == "mark").Message;
        Assert.Equal(["event", "sequenceNumber", "streamSid", "mark"], echo.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task RunAsync_Clear_DropsTheQueuedAudioAndEchoesEveryPendingMarkAtOnce()
    {
        var echoes = new List<double>();
        _app.Stream = async c =>
        {
            await c.PlayAsync(Tone(TimeSpan.FromSeconds(3)));
            await c.MarkAsync("first");
            await c.PlayAsync(Tone(TimeSpan.FromSeconds(1)));
            await c.MarkAsync("second");
            await Task.Delay(500);
            var cleared = Stopwatch.GetTimestamp();
            await c.ClearAsync();
            echoes.Add(Ms(cleared, await c.MarkEchoAsync("first")));
            echoes.Add(Ms(cleared, await c.MarkEchoAsync("second")));
        };

        var started = Stopwatch.GetTimestamp();
        await CallAsync(Simulator());

        Assert.All(echoes, ms => Assert.InRange(ms, 0, 100));
        Assert.InRange(Ms(started, Stopwatch.GetTimestamp()), 0, 3000); // the caller hung up after 0.5 s + 0.4 s, not after 4 s of audio
    }

    [Fact]
    public async Task RunAsync_BargeIn_CallerStartsSpeakingAbout1SecondIntoThePrompt()
    {
        long promptSent = 0;
        double? clearedAfter = null;
        _app.Stream = async c =>
        {
            promptSent = Stopwatch.GetTimestamp();
            await c.PlayAsync(Tone(TimeSpan.FromSeconds(4)));
            await c.MarkAsync("prompt");
            await c.HearUtteranceAsync(TimeSpan.FromMilliseconds(300));
            var cleared = Stopwatch.GetTimestamp();
            await c.ClearAsync();
            clearedAfter = Ms(cleared, await c.MarkEchoAsync("prompt"));
            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(200)));
        };

        await CallAsync(Simulator(bargeIn: true), "no, Friday please");

        var loud = _app.Connections[0].Media.First(m => MuLawLevel.Dbfs(m.Payload) > -40);
        Assert.InRange(Ms(promptSent, loud.At), 950, 2000); // 1 s in, a little later when espeak-ng is slow on a loaded machine
        Assert.InRange(clearedAfter!.Value, 0, 100);
    }

    [Fact]
    public async Task RunAsync_Digits_SendsOneDtmfMessagePerDigitAbout100MillisecondsApart()
    {
        _app.Stream = async c =>
        {
            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(200)));
            for (var i = 0; i < 3; i++)
            {
                await c.ExpectAsync("dtmf");
            }

            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(200)));
        };

        var call = await CallAsync(Simulator(), "#12#");

        var dtmf = _app.Connections[0].Received.Where(r => r.Event == "dtmf").ToList();
        Assert.Equal(["1", "2", "#"], dtmf.Select(d => d.Message.GetProperty("dtmf").GetProperty("digit").GetString()));
        Assert.All(dtmf, d => Assert.Equal("inbound_track", d.Message.GetProperty("dtmf").GetProperty("track").GetString()));
        var received = _app.Connections[0].Received.ToList();
        var frames = dtmf.Select(d => received.Take(received.IndexOf(d)).Count(r => r.Event == "media")).ToList();
        Assert.Equal([5, 5], [frames[1] - frames[0], frames[2] - frames[1]]); // 100 ms of audio apart
        Assert.Contains(new SimulatedTurn("caller", "#12#"), call.Turns);
        Assert.Empty(_speech.Heard);
    }

    [Fact]
    public async Task RunAsync_LinesRunOut_SendsStopClosesAndPostsTheStatusCallback()
    {
        _app.Stream = async c => await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(300)));

        var call = await CallAsync(Simulator());

        Assert.False(call.Ended);
        var c = _app.Connections[0];
        var stop = c.Received[^1].Message;
        Assert.Equal("stop", stop.GetProperty("event").GetString());
        Assert.Equal(c.StreamSid, stop.GetProperty("streamSid").GetString());
        Assert.Equal((c.Received.Count - 1).ToString(), stop.GetProperty("sequenceNumber").GetString()); // after connected, every message counts
        Assert.Equal(call.CallSid, stop.GetProperty("stop").GetProperty("callSid").GetString());
        Assert.Equal(AccountSid, stop.GetProperty("stop").GetProperty("accountSid").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, c.ClosedByCaller);
        var status = _app.Requests[^1];
        Assert.Equal(TwilioPaths.Status, status.Path);
        Assert.Equal("completed", status.Form["CallStatus"]);
        Assert.DoesNotContain(_app.Requests, r => r.Path == "/twilio/stream/ended");
        var greeting = Assert.Single(call.Turns); // audio the stand-in did not synthesise (a cached prompt) still shows
        Assert.Equal("agent", greeting.Speaker);
        Assert.StartsWith("(0.3 s of audio", greeting.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AppClosesTheStream_PostsTheConnectActionAndFollowsItsTwiml()
    {
        _app.Answer = r => r.Path switch
        {
            TwilioPaths.Voice => ConnectTwiml(),
            "/twilio/stream/ended" => "<Response><Say>Putting you through.</Say><Dial>+15550001111</Dial></Response>",
            _ => null,
        };
        _app.Stream = async c =>
        {
            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(300)));
            await c.MarkAsync("bye");
            await c.MarkEchoAsync("bye");
            await c.CloseAsync();
        };

        var simulator = Simulator();
        simulator.ReplyDelay = TimeSpan.FromSeconds(2); // the app closes first, even on a loaded machine

        var call = await CallAsync(simulator, "put me through");

        var action = Assert.Single(_app.Requests, r => r.Path == "/twilio/stream/ended");
        Assert.Equal("/twilio/stream/ended?turn=1", action.PathAndQuery);
        Assert.Equal(("in-progress", call.CallSid, From, To, AccountSid), (action.Form["CallStatus"], action.Form["CallSid"], action.Form["From"], action.Form["To"], action.Form["AccountSid"]));
        Assert.Equal("+15550001111", call.TransferredTo);
        Assert.Contains(new SimulatedTurn("agent", "Putting you through."), call.Turns);
        Assert.DoesNotContain(new SimulatedTurn("caller", "put me through"), call.Turns); // the app ended the stream before the caller spoke
    }

    [Fact]
    public async Task RunAsync_FullTurn_ShowsTheAgentsWordsAndTimesTheTurn()
    {
        _app.Stream = async c =>
        {
            await SayAsync(c, "Bright Smiles, how can I help?", 0, "greeting");
            var heard = await RecognizeAsync(c, 1);
            await SayAsync(c, $"You said {heard}. Goodbye.", 1, "reply");
            await c.MarkEchoAsync("greeting");
            await c.MarkEchoAsync("reply");
            await c.CloseAsync();
        };
        var simulator = Simulator();
        simulator.ReplyDelay = TimeSpan.FromSeconds(2); // the app closes first, even on a loaded machine

        var call = await CallAsync(simulator, "a cleaning please");

        Assert.Equal(
            [new("agent", "Bright Smiles, how can I help?"), new("caller", "a cleaning please"), new("agent", "You said a cleaning please. Goodbye.")],
            call.Turns.Take(3));
        var timing = Assert.Single(simulator.Timings);
        Assert.Equal((call.CallSid, "a cleaning please"), (timing.CallSid, timing.CallerLine));
        Assert.InRange(timing.EndOfTurnMilliseconds!.Value, 200, 1500); // the fake app waits 300 ms of quiet
        Assert.InRange(timing.TranscriptMilliseconds!.Value, timing.EndOfTurnMilliseconds.Value, 2000);
        Assert.InRange(timing.FirstAudioMilliseconds!.Value, timing.TranscriptMilliseconds.Value, 4000);
        Assert.Contains(timing.FirstAudioMilliseconds.Value, call.ResponseMilliseconds);
    }

    [Fact]
    public async Task RunAsync_SilentLine_SaysNothingUntilTheAgentSpeaksAgain()
    {
        long repromptSent = 0;
        _app.Stream = async c =>
        {
            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(300)));
            await Task.Delay(1500); // the app's silence timer
            repromptSent = Stopwatch.GetTimestamp();
            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(300)));
            await c.HearUtteranceAsync(TimeSpan.FromMilliseconds(300));
            await c.PlayAsync(Tone(TimeSpan.FromMilliseconds(200)));
        };

        var call = await CallAsync(Simulator(), "", "hello");

        var loud = _app.Connections[0].Media.First(m => MuLawLevel.Dbfs(m.Payload) > -40);
        Assert.InRange(Ms(repromptSent, loud.At), 650, 2500); // after the re-prompt played out and the reply delay, not after the greeting
        Assert.Equal([new("caller", "(silence)"), new("caller", "hello")], call.Turns.Where(t => t.Speaker == "caller"));
    }

    [Fact]
    public async Task RunAsync_NoGreeting_ThrowsNamingWhatWasAwaited()
    {
        _app.Stream = async c => await c.DrainAsync();
        var simulator = Simulator();
        simulator.ReceiveTimeout = TimeSpan.FromSeconds(1);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => simulator.RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains("greeting", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 s", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"event":"media","streamSid":"{sid}","media":{}}""", "media.payload")]
    [InlineData("""{"event":"media","streamSid":"{sid}","media":{"payload":"***"}}""", "base64")]
    [InlineData("""{"event":"mark","streamSid":"{sid}","mark":{"name":""}}""", "mark.name")]
    [InlineData("""{"event":"clear","streamSid":"MZother"}""", "streamSid")]
    [InlineData("""{"event":"start","streamSid":"{sid}"}""", "media, mark or clear")]
    public async Task RunAsync_MalformedMessage_ThrowsNamingWhatWasWrong(string message, string expected)
    {
        _app.Stream = async c =>
        {
            await c.SendRawAsync(message.Replace("{sid}", c.StreamSid, StringComparison.Ordinal));
            await c.DrainAsync();
        };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Simulator().RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AppSendsTooManyMessages_ThrowsNamingTheLimit()
    {
        _app.Stream = async c =>
        {
            var clear = JsonSerializer.Serialize(new { @event = "clear", streamSid = c.StreamSid });
            try
            {
                for (var i = 0; i <= TwilioStreamSimulator.MaxReceivedMessages; i++)
                {
                    await c.SendRawAsync(clear);
                }
            }
            catch (WebSocketException)
            {
                // the simulator gave up and dropped the socket
            }
        };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Simulator().RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains(TwilioStreamSimulator.MaxReceivedMessages.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StreamUrlWithQuery_ThrowsBecauseTwilioForbidsIt()
    {
        _app.Answer = r => r.Path == TwilioPaths.Voice ? ConnectTwiml(url: _app.MediaUrl + "?call=CA1") : null;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Simulator().RunAsync(To, From, new ScriptedCaller([]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains("query string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AppClosesWithAnError_ThrowsNamingTheStatus()
    {
        _app.Stream = async c => await c.CloseAsync(WebSocketCloseStatus.PolicyViolation);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Simulator().RunAsync(To, From, new ScriptedCaller(["hi"]), CancellationToken.None).WaitAsync(CallTimeout));

        Assert.Contains("PolicyViolation", ex.Message, StringComparison.Ordinal);
    }
}
