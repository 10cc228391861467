using Microsoft.Extensions.Time.Testing;
using Receptionist.Telephony.Speech;
using Receptionist.Telephony.Speech.Simulation;

namespace Receptionist.Telephony.Tests.Speech;

public sealed class AzureTextToSpeechTests : IAsyncLifetime
{
    private const string Greeting = "Thanks for calling Bright Smiles Dental. How can I help?";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private SpeechStandIn _standIn = null!;

    public async Task InitializeAsync() => _standIn = await SpeechStandIn.StartAsync();

    public async Task DisposeAsync() => await _standIn.DisposeAsync();

    private AzureTextToSpeech Client(string? key = null)
    {
        var options = new SpeechOptions { Endpoint = _standIn.Endpoint.AbsoluteUri, Key = key ?? _standIn.Key, SynthesisTimeoutMilliseconds = 10_000 };
        return new AzureTextToSpeech(Http, options, new SpeechAuthorization(options, null, new FakeTimeProvider()));
    }

    private static async Task<byte[]> AllAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        var all = new MemoryStream();
        await foreach (var chunk in chunks)
        {
            all.Write(chunk.Span);
        }

        return all.ToArray();
    }

    [Fact]
    public async Task SynthesizeAsync_Pcm16Khz_ASpokenSentenceOfASentencesLength()
    {
        var audio = await AllAsync(Client().SynthesizeAsync(new SynthesisRequest(Greeting, "en-US-JennyNeural", "en-US", SpeechAudioFormat.Pcm16Khz, "MZ1/3"), CancellationToken.None));

        var seconds = audio.Length / 32_000.0;
        Assert.InRange(seconds, 1.5, 8); // about 3 s spoken
        Assert.InRange(SpeechStandIn.Dbfs(audio), -35, -3); // a voice, not silence, not clipping noise
        var spoken = Assert.Single(_standIn.Spoken);
        Assert.Equal(("en-US-JennyNeural", SpeechAudioFormat.Pcm16Khz, Greeting, "MZ1/3"), (spoken.Voice, spoken.Format, spoken.Text, spoken.CorrelationId));
    }

    [Fact]
    public async Task SynthesizeAsync_Mulaw8Khz_OneByteASampleAtEightKilohertz()
    {
        var pcm = await AllAsync(Client().SynthesizeAsync(new SynthesisRequest(Greeting, "en-US-JennyNeural", "en-US", SpeechAudioFormat.Pcm16Khz), CancellationToken.None));
        var mulaw = await AllAsync(Client().SynthesizeAsync(new SynthesisRequest(Greeting, "en-US-JennyNeural", "en-US", SpeechAudioFormat.Mulaw8Khz), CancellationToken.None));

        Assert.InRange(mulaw.Length / 8000.0, pcm.Length / 32_000.0 - 0.05, pcm.Length / 32_000.0 + 0.05);
        Assert.True(mulaw.Count(b => b is 0xFF or 0x7F) < mulaw.Length / 2, "mostly μ-law silence");
    }

    [Fact]
    public void SsmlFor_TextWithMarkup_EscapedInsideTheVoice()
    {
        var ssml = AzureTextToSpeech.SsmlFor(new SynthesisRequest("Smith & Sons <best> \"prices\"", "en-US-GuyNeural", "en-US", SpeechAudioFormat.Mulaw8Khz));

        Assert.Equal("""<speak version="1.0" xml:lang="en-US" xmlns="http://www.w3.org/2001/10/synthesis"><voice name="en-US-GuyNeural">Smith &amp; Sons &lt;best&gt; "prices"</voice></speak>""", ssml);
    }

    [Theory]
    [InlineData(null, 500, 500)]
    [InlineData("wrong-key", 0, 401)]
    public async Task SynthesizeAsync_ServiceRefuses_SpeechServiceExceptionWithTheStatus(string? key, int fail, int expected)
    {
        if (fail != 0)
        {
            _standIn.FailNext(fail);
        }

        var ex = await Assert.ThrowsAsync<SpeechServiceException>(() =>
            AllAsync(Client(key).SynthesizeAsync(new SynthesisRequest("hello", "en-US-JennyNeural", "en-US", SpeechAudioFormat.Mulaw8Khz), CancellationToken.None)));

        Assert.Equal(expected, ex.Status);
    }
}
