using System.Text;
using System.Text.Json;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Twilio;

public sealed class MediaStreamsProtocolTests
{
    private static StreamInbound Parse(string json)
    {
        Assert.True(MediaStreamsProtocol.TryParse(Encoding.UTF8.GetBytes(json), out var message, out var error), error);
        return message;
    }

    private static string Refused(string json)
    {
        Assert.False(MediaStreamsProtocol.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));
        return error;
    }

    [Fact]
    public void TryParse_TwiliosStart_IdsFormatAndParameters()
    {
        var start = Assert.IsType<StreamStart>(Parse("""
            {"event":"start","sequenceNumber":"1","streamSid":"MZ1",
             "start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1","tracks":["inbound"],
                      "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},
                      "customParameters":{"tenant":"bright-smiles","token":"abc"}}}
            """));

        Assert.Equal(("MZ1", "CA1", "AC1"), (start.StreamSid, start.CallSid, start.AccountSid));
        Assert.True(start.IsMulaw8KhzMono);
        Assert.Equal("bright-smiles", start.Parameters["tenant"]);
    }

    [Fact]
    public void TryParse_StartInAnotherFormat_ParsedButNotMulaw()
    {
        var start = Assert.IsType<StreamStart>(Parse("""{"event":"start","start":{"streamSid":"MZ1","callSid":"CA1","mediaFormat":{"encoding":"audio/l16","sampleRate":16000,"channels":1}}}"""));

        Assert.False(start.IsMulaw8KhzMono);
    }

    [Fact]
    public void TryParse_Media_TheRawBytesAndTheNumbersSentAsStrings()
    {
        var audio = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray();

        var media = Assert.IsType<StreamMedia>(Parse($$"""{"event":"media","sequenceNumber":"4","media":{"track":"inbound","chunk":"2","timestamp":"40","payload":"{{Convert.ToBase64String(audio)}}"},"streamSid":"MZ1"}"""));

        Assert.Equal(audio, media.Payload);
        Assert.Equal((2L, 40L, "inbound"), (media.Chunk, media.TimestampMs, media.Track));
    }

    [Theory]
    [InlineData("""{"event":"dtmf","dtmf":{"track":"inbound_track","digit":"7"}}""", "7")]
    [InlineData("""{"event":"dtmf","dtmf":{"digit":"#"}}""", "#")]
    public void TryParse_Dtmf_TheDigit(string json, string digit) => Assert.Equal(digit, Assert.IsType<StreamDtmf>(Parse(json)).Digit);

    [Fact]
    public void TryParse_MarkAndStop_Parsed()
    {
        Assert.Equal("turn-3", Assert.IsType<StreamMark>(Parse("""{"event":"mark","mark":{"name":"turn-3"}}""")).Name);
        Assert.Equal("CA1", Assert.IsType<StreamStop>(Parse("""{"event":"stop","stop":{"accountSid":"AC1","callSid":"CA1"}}""")).CallSid);
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("""["event"]""", "'event'")]
    [InlineData("""{"event":"start","start":{"callSid":"CA1"}}""", "streamSid")]
    [InlineData("""{"event":"start","start":{"streamSid":"MZ1","callSid":"CA1"}}""", "mediaFormat")]
    [InlineData("""{"event":"media","media":{"payload":"***"}}""", "base64")]
    [InlineData("""{"event":"media","media":{}}""", "payload")]
    [InlineData("""{"event":"dtmf","dtmf":{"digit":"12"}}""", "single digit")]
    [InlineData("""{"event":"mark","mark":{}}""", "name")]
    [InlineData("""{"event":"shout"}""", "unknown event 'shout'")]
    public void TryParse_Malformed_RefusedWithTheReason(string json, string reason) =>
        Assert.Contains(reason, Refused(json), StringComparison.Ordinal);

    [Fact]
    public void TryParse_OversizedFrameOrPayload_Refused()
    {
        Assert.Contains("bytes", Refused(new string(' ', MediaStreamsProtocol.MaxMessageBytes + 1)), StringComparison.Ordinal);
        var big = Convert.ToBase64String(new byte[MediaStreamsProtocol.MaxPayloadBytes + 3]);
        Assert.Contains("payload of", Refused("{\"event\":\"media\",\"media\":{\"payload\":\"" + big + "\"}}"), StringComparison.Ordinal);
    }

    [Fact]
    public void MediaMarkClear_TwiliosShapes()
    {
        using var media = JsonDocument.Parse(MediaStreamsProtocol.Media("MZ1", [0xFF, 0x7F]));
        Assert.Equal("media", media.RootElement.GetProperty("event").GetString());
        Assert.Equal("MZ1", media.RootElement.GetProperty("streamSid").GetString());
        Assert.Equal([0xFF, 0x7F], Convert.FromBase64String(media.RootElement.GetProperty("media").GetProperty("payload").GetString()!));

        Assert.Equal("""{"event":"mark","streamSid":"MZ1","mark":{"name":"turn-1"}}""", Encoding.UTF8.GetString(MediaStreamsProtocol.Mark("MZ1", "turn-1")));
        Assert.Equal("""{"event":"clear","streamSid":"MZ1"}""", Encoding.UTF8.GetString(MediaStreamsProtocol.Clear("MZ1")));
    }
}
