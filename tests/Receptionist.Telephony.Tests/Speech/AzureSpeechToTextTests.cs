using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Telephony.Speech;
using Receptionist.Telephony.Speech.Simulation;

namespace Receptionist.Telephony.Tests.Speech;

public sealed class AzureSpeechToTextTests : IAsyncLifetime
{
    private static readonly RecognitionRequest EnglishTurn = new("en-US", "MZ1/3");
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private SpeechStandIn _standIn = null!;

    public async Task InitializeAsync() => _standIn = await SpeechStandIn.StartAsync();

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    private AzureSpeechToText Client(string? key = null, int timeoutMilliseconds = 2500, string? endpoint = null)
    {
        var options = new SpeechOptions { Endpoint = endpoint ?? _standIn.Endpoint.AbsoluteUri, Key = key ?? _standIn.Key, RecognitionTimeoutMilliseconds = timeoutMilliseconds };
        return new AzureSpeechToText(Http, options, new SpeechAuthorization(options, null, new FakeTimeProvider()));
    }

    [Fact]
    public async Task RecognizeAsync_SpeechStreamedInFrames_TheStreamsScriptedLineFromOneChunkedUpload()
    {
        _standIn.Script("MZ1", "Tuesday at 3 PM.");

        var result = await Client().RecognizeAsync(SpeechAudio.Frames(SpeechAudio.Voiced(TimeSpan.FromSeconds(1.2)), TimeSpan.FromMilliseconds(2)), EnglishTurn, CancellationToken.None);

        Assert.Equal(RecognitionStatus.Recognized, result.Status);
        Assert.Equal("Tuesday at 3 PM.", result.Text);
        Assert.Equal(0.93, result.Confidence);
        Assert.Equal(1200, result.AudioMilliseconds);
        var heard = Assert.Single(_standIn.Heard);
        Assert.True(heard.Chunked);
        Assert.Equal(("MZ1/3", "en-US", 1200), (heard.CorrelationId, heard.Language, heard.Milliseconds));
    }

    [Fact]
    public async Task RecognizeAsync_TwoStreamsAtOnce_EachGetsItsOwnLines()
    {
        _standIn.Script("MZa", "yes");
        _standIn.Script("MZb", "no, Friday");
        var speech = SpeechAudio.Voiced(TimeSpan.FromSeconds(0.6));

        var results = await Task.WhenAll(
            Client().RecognizeAsync(SpeechAudio.Frames(speech), new RecognitionRequest("en-US", "MZb/1"), CancellationToken.None),
            Client().RecognizeAsync(SpeechAudio.Frames(speech), new RecognitionRequest("en-US", "MZa/1"), CancellationToken.None));

        Assert.Equal(["no, Friday", "yes"], results.Select(r => r.Text));
    }

    [Fact]
    public async Task RecognizeAsync_Silence_NoMatchNotAScriptedLine()
    {
        _standIn.Script("MZ1", "this must not be heard");

        var result = await Client().RecognizeAsync(SpeechAudio.Frames(SpeechAudio.Silence(TimeSpan.FromSeconds(1))), EnglishTurn, CancellationToken.None);

        Assert.Equal(RecognitionStatus.NoMatch, result.Status);
        Assert.Equal("InitialSilenceTimeout", result.Detail);
        Assert.Empty(result.Text);
    }

    [Fact]
    public async Task RecognizeAsync_WrongKey_FailedWith401()
    {
        var result = await Client(key: "not-the-key").RecognizeAsync(SpeechAudio.Frames(SpeechAudio.Voiced(TimeSpan.FromSeconds(0.5))), EnglishTurn, CancellationToken.None);

        Assert.Equal(RecognitionStatus.Failed, result.Status);
        Assert.Equal("HTTP 401", result.Detail);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task RecognizeAsync_ServiceRefuses_FailedWithItsStatusNotAnException(int status)
    {
        _standIn.FailNext(status);

        var result = await Client().RecognizeAsync(SpeechAudio.Frames(SpeechAudio.Voiced(TimeSpan.FromSeconds(0.5))), EnglishTurn, CancellationToken.None);

        Assert.Equal((RecognitionStatus.Failed, $"HTTP {status}"), (result.Status, result.Detail));
    }

    [Fact]
    public async Task RecognizeAsync_ServiceNeverAnswers_FailedAsTimedOut()
    {
        _standIn.HangNext();

        var result = await Client(timeoutMilliseconds: 300).RecognizeAsync(SpeechAudio.Frames(SpeechAudio.Voiced(TimeSpan.FromSeconds(0.5))), EnglishTurn, CancellationToken.None);

        Assert.Equal((RecognitionStatus.Failed, "timed out"), (result.Status, result.Detail));
    }

    [Fact]
    public async Task RecognizeAsync_NothingListening_FailedNotAnException()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var result = await Client(endpoint: $"http://127.0.0.1:{port}/").RecognizeAsync(SpeechAudio.Frames(SpeechAudio.Voiced(TimeSpan.FromSeconds(0.3))), EnglishTurn, CancellationToken.None);

        Assert.Equal(RecognitionStatus.Failed, result.Status);
    }

    [Fact]
    public async Task RecognizeAsync_CallEnds_Cancelled()
    {
        using var ended = new CancellationTokenSource();
        await ended.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client().RecognizeAsync(SpeechAudio.Frames(SpeechAudio.Voiced(TimeSpan.FromSeconds(0.3))), EnglishTurn, ended.Token));
    }

    [Theory]
    [InlineData("""{"RecognitionStatus":"Success","DisplayText":"Hi.","NBest":[{"Confidence":0.71,"Display":"Hi there."}]}""", RecognitionStatus.Recognized, "Hi there.")]
    [InlineData("""{"RecognitionStatus":"Success","DisplayText":"Book it."}""", RecognitionStatus.Recognized, "Book it.")]
    [InlineData("""{"RecognitionStatus":"Success","DisplayText":""}""", RecognitionStatus.NoMatch, "")]
    [InlineData("""{"RecognitionStatus":"BabbleTimeout"}""", RecognitionStatus.NoMatch, "")]
    [InlineData("""{"RecognitionStatus":"Error"}""", RecognitionStatus.Failed, "")]
    [InlineData("""{"nothing":1}""", RecognitionStatus.Failed, "")]
    public void Read_ServiceAnswers_StatusAndTheBestText(string json, RecognitionStatus status, string text)
    {
        using var document = JsonDocument.Parse(json);

        var result = AzureSpeechToText.Read(document.RootElement, 500);

        Assert.Equal((status, text), (result.Status, result.Text));
    }
}
