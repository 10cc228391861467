using System.Globalization;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Twilio;

public sealed class TwilioVoiceRequestTests
{
    private const string CallSid = "CA5f0d2e4c8b7a69381726354a0b1c2d3e";

    /// <summary>An incoming-call webhook as Twilio sends it (protocols.md §1.1).</summary>
    private static Dictionary<string, string> IncomingCall() => new(StringComparer.Ordinal)
    {
        ["CallSid"] = CallSid,
        ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["From"] = "+16175551212",
        ["To"] = "+18005550100",
        ["CallStatus"] = "ringing",
        ["ApiVersion"] = "2010-04-01",
        ["Direction"] = "inbound",
        ["FromCity"] = "BOSTON",
        ["FromState"] = "MA",
        ["FromZip"] = "02108",
        ["FromCountry"] = "US",
        ["ToCity"] = "",
        ["ToState"] = "",
        ["ToZip"] = "",
        ["ToCountry"] = "US",
        ["Caller"] = "+16175551212",
        ["Called"] = "+18005550100",
    };

    private static Dictionary<string, string> GatherResult(string speech = "", string digits = "", string confidence = "")
    {
        var form = IncomingCall();
        form["CallStatus"] = "in-progress";
        form["SpeechResult"] = speech;
        form["Digits"] = digits;
        form["Confidence"] = confidence;
        return form;
    }

    [Fact]
    public void TryParse_IncomingCall_ReadsTheCallFields()
    {
        Assert.True(TwilioVoiceRequest.TryParse(IncomingCall(), out var request, out var error), error);

        Assert.Equal(string.Empty, error);
        Assert.Equal(CallSid, request.CallSid);
        Assert.Equal("+18005550100", request.To);
        Assert.Equal("+16175551212", request.From);
        Assert.Equal("ringing", request.CallStatus);
        Assert.Null(request.SpeechResult);
        Assert.Null(request.Digits);
        Assert.Null(request.Confidence);
    }

    [Fact]
    public void TryParse_FromWithheld_AcceptsWithoutFrom()
    {
        var form = IncomingCall();
        form.Remove("From");

        Assert.True(TwilioVoiceRequest.TryParse(form, out var request, out _));
        Assert.Null(request.From);
    }

    [Fact]
    public void TryParse_SpeechResultWithConfidence_ReadsBoth()
    {
        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(speech: "I'd like a cleaning tomorrow", confidence: "0.87"), out var request, out var error), error);

        Assert.Equal("I'd like a cleaning tomorrow", request.SpeechResult);
        Assert.Equal(0.87, request.Confidence);
        Assert.Null(request.Digits);
    }

    [Fact]
    public void TryParse_Digits_ReadsThemAndLeavesSpeechNull()
    {
        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(digits: "123"), out var request, out var error), error);

        Assert.Equal("123", request.Digits);
        Assert.Null(request.SpeechResult);
        Assert.Null(request.Confidence);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_EmptySpeechAndDigits_BecomeNull(string empty)
    {
        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(speech: empty, digits: empty), out var request, out var error), error);

        Assert.Null(request.SpeechResult);
        Assert.Null(request.Digits);
    }

    [Fact]
    public void TryParse_MissingCallSid_FailsNamingCallSid()
    {
        var form = IncomingCall();
        form.Remove("CallSid");

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.Contains("CallSid", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("C")]
    [InlineData("CA 123")]
    [InlineData("CA-5f0d2e4c8b7a6938")]
    [InlineData("CA5f0d2e4c8b7a6938'; DROP TABLE Calls;--")]
    [InlineData("CA5f0d2e4c8b7a69381726354a0b1c2d3e/../other")]
    public void TryParse_MalformedCallSid_FailsNamingCallSid(string sid)
    {
        var form = IncomingCall();
        form["CallSid"] = sid;

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.Contains("CallSid", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OverlongCallSid_FailsNamingCallSid()
    {
        var form = IncomingCall();
        form["CallSid"] = "CA" + new string('a', 100);

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.Contains("CallSid", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MissingTo_FailsNamingTo()
    {
        var form = IncomingCall();
        form.Remove("To");

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.Contains("To", error, StringComparison.Ordinal);
        Assert.DoesNotContain("CallSid", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void TryParse_BlankTo_FailsNamingTo(string to)
    {
        var form = IncomingCall();
        form["To"] = to;

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.Contains("To", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("high")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("Infinity")]
    [InlineData("NaN")]
    [InlineData("0.5.1")]
    public void TryParse_ConfidenceNotANumberBetweenZeroAndOne_FailsNamingConfidence(string confidence)
    {
        Assert.False(TwilioVoiceRequest.TryParse(GatherResult(speech: "yes", confidence: confidence), out _, out var error));
        Assert.Contains("Confidence", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("9.2E-01", 0.92)]
    public void TryParse_ConfidenceInRange_IsParsed(string confidence, double expected)
    {
        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(speech: "yes", confidence: confidence), out var request, out var error), error);
        Assert.Equal(expected, request.Confidence);
    }

    [Fact]
    public void TryParse_ConfidenceUnderACommaDecimalCulture_IsParsedWithInvariantCulture()
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");

            Assert.True(TwilioVoiceRequest.TryParse(GatherResult(speech: "ja", confidence: "0.75"), out var request, out var error), error);
            Assert.Equal(0.75, request.Confidence);

            // "0,75" is 0.75 in German, but Twilio never sends it; read invariantly it is not a valid confidence.
            Assert.False(TwilioVoiceRequest.TryParse(GatherResult(speech: "ja", confidence: "0,75"), out _, out var commaError));
            Assert.Contains("Confidence", commaError, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }
}
