using System.Text;
using System.Text.Json;
using Receptionist.Telephony.Acs;

namespace Receptionist.Telephony.Tests.Acs;

public sealed class AcsMediaProtocolTests
{
    private static AcsMediaInbound Parse(string json)
    {
        Assert.True(AcsMediaProtocol.TryParse(Encoding.UTF8.GetBytes(json), out var message, out var error), error);
        return message;
    }

    private static string Refused(string json)
    {
        Assert.False(AcsMediaProtocol.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));
        return error;
    }

    [Fact]
    public void TryParse_AudioMetadata_TheFormat()
    {
        var meta = Assert.IsType<AcsAudioMetadata>(Parse("""{"kind":"AudioMetadata","audioMetadata":{"subscriptionId":"89e8","encoding":"PCM","sampleRate":16000,"channels":1,"length":640}}"""));

        Assert.True(meta.IsPcm16KhzMono);
        Assert.Equal(640, meta.Length);
    }

    [Fact]
    public void TryParse_AudioMetadataAt24Khz_NotTheFormatWeAskFor() =>
        Assert.False(Assert.IsType<AcsAudioMetadata>(Parse("""{"kind":"AudioMetadata","audioMetadata":{"encoding":"PCM","sampleRate":24000,"channels":1}}""")).IsPcm16KhzMono);

    [Theory]
    [InlineData("""{"kind":"AudioData","audioData":{"timestamp":"2024-11-15T19:16:12.925Z","participantRawID":"8:acs:1","data":"AAEAAQ==","silent":false}}""")]
    [InlineData("""{"Kind":"AudioData","AudioData":{"Timestamp":"2024-11-15T19:16:12.925Z","ParticipantRawID":"8:acs:1","Data":"AAEAAQ==","Silent":false}}""")]
    public void TryParse_AudioDataInEitherCase_TheSamplesAndWhoSpoke(string json)
    {
        var audio = Assert.IsType<AcsAudioData>(Parse(json));

        Assert.Equal([0, 1, 0, 1], audio.Data);
        Assert.Equal("8:acs:1", audio.ParticipantRawId);
        Assert.Equal(DateTimeOffset.Parse("2024-11-15T19:16:12.925Z", System.Globalization.CultureInfo.InvariantCulture), audio.Timestamp);
        Assert.False(audio.Silent);
    }

    [Fact]
    public void TryParse_DtmfAndTranscription_DigitAndIgnoredKind()
    {
        Assert.Equal("3", Assert.IsType<AcsDtmfData>(Parse("""{"kind":"DtmfData","dtmfData":{"data":"3"}}""")).Digit);
        Assert.Equal("TranscriptionData", Assert.IsType<AcsMediaOther>(Parse("""{"kind":"TranscriptionData","transcriptionData":{}}""")).Kind);
    }

    [Theory]
    [InlineData("{", "not JSON")]
    [InlineData("""{"audioData":{}}""", "'kind'")]
    [InlineData("""{"kind":"AudioMetadata","audioMetadata":{"encoding":"PCM"}}""", "sampleRate")]
    [InlineData("""{"kind":"AudioData","audioData":{"data":"%%%"}}""", "base64")]
    [InlineData("""{"kind":"AudioData","audioData":{"data":"AAEC"}}""", "even number")]
    [InlineData("""{"kind":"DtmfData","dtmfData":{"data":"A"}}""", "single digit")]
    public void TryParse_Malformed_RefusedWithTheReason(string json, string reason) =>
        Assert.Contains(reason, Refused(json), StringComparison.Ordinal);

    [Fact]
    public void AudioDataAndStopAudio_CamelCaseShapes()
    {
        using var audio = JsonDocument.Parse(AcsMediaProtocol.AudioData([1, 0, 2, 0]));
        Assert.Equal("AudioData", audio.RootElement.GetProperty("kind").GetString());
        Assert.Equal([1, 0, 2, 0], Convert.FromBase64String(audio.RootElement.GetProperty("audioData").GetProperty("data").GetString()!));
        Assert.Equal("""{"kind":"StopAudio","stopAudio":{}}""", Encoding.UTF8.GetString(AcsMediaProtocol.StopAudio()));
    }
}
