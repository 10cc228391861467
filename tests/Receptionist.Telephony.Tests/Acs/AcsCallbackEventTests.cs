using System.Text;
using Receptionist.Telephony.Acs;

namespace Receptionist.Telephony.Tests.Acs;

public sealed class AcsCallbackEventTests
{
    [Fact]
    public void TryParseMany_RecognizeCompletedSpeech_TextAndConfidence()
    {
        var ev = Single("""[{"id":"e1","type":"Microsoft.Communication.RecognizeCompleted","data":{"callConnectionId":"c1","operationContext":"t2","recognitionType":"speech","speechResult":{"speech":"Tuesday at nine","confidence":0.87}}}]""");

        Assert.Equal("RecognizeCompleted", ev.Name);
        Assert.Equal("c1", ev.CallConnectionId);
        Assert.Equal("t2", ev.OperationContext);
        Assert.Equal("Tuesday at nine", ev.Speech);
        Assert.Equal(0.87, ev.Confidence);
    }

    [Fact]
    public void TryParseMany_Dtmf_TonesAsDigitsWithoutTheStopTone()
    {
        var ev = Single("""[{"id":"e1","type":"Microsoft.Communication.RecognizeCompleted","data":{"callConnectionId":"c1","recognitionType":"dtmf","dtmfResult":{"tones":["five","five","five","zero","one","pound"]}}}]""");

        Assert.Equal("55501", ev.Digits);
    }

    [Theory]
    [InlineData(8510, true)]
    [InlineData(8563, true)]
    [InlineData(8565, false)]
    public void TryParseMany_RecognizeFailed_SilenceSubCodesHeardNothing(int subCode, bool nothing)
    {
        var ev = Single("""{"id":"e1","type":"Microsoft.Communication.RecognizeFailed","data":{"callConnectionId":"c1","resultInformation":{"code":400,"subCode":""" + subCode + ""","message":"m"}}}""");

        Assert.Equal(nothing, ev.HeardNothing);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"8510\"")]
    [InlineData("8510.5")]
    public void TryParseMany_SubCodeNotAWholeNumber_NoSubCodeNoThrow(string subCode)
    {
        var ev = Single("""{"id":"e1","type":"Microsoft.Communication.RecognizeFailed","data":{"callConnectionId":"c1","resultInformation":{"subCode":""" + subCode + "}}}");

        Assert.Null(ev.SubCode);
        Assert.False(ev.HeardNothing);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[42]", "event 0: expected a CloudEvent object")]
    [InlineData("""[{"type":"Microsoft.Communication.CallConnected"}]""", "event 0: 'id' is missing")]
    [InlineData("""[{"id":"x"}]""", "event 0: 'type' is missing")]
    public void TryParseMany_Malformed_ReasonGiven(string body, string reason)
    {
        Assert.False(AcsCallbackEvent.TryParseMany(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Contains(reason, error);
    }

    private static AcsCallbackEvent Single(string json)
    {
        Assert.True(AcsCallbackEvent.TryParseMany(Encoding.UTF8.GetBytes(json), out var events, out var error), error);
        return Assert.Single(events);
    }
}
