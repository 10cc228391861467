using System.Globalization;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Twilio;

public sealed class TwilioVoiceRequestTests
{
    private const string CallSid = "CA5f0d2e4c8b7a69381726354a0b1c2d3e";

    /// <summary>An incoming-call webhook as Twilio sends it (docs/protocols.md §1.2).</summary>
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
    [InlineData("CAabc\n")]
    [InlineData("CA5f0d2e4c8b7a69381726354a0b1c2d3e\n")]
    [InlineData("CA5f0d2e4c8b7a69381726354a0b1c2d3\n")]
    [InlineData(" CA5f0d2e4c8b7a69381726354a0b1c2d3e")]
    [InlineData("CA5f0d2e4c8b7a69381726354a0b1c2d3")]
    [InlineData("CA5f0d2e4c8b7a69381726354a0b1c2d3e0")]
    [InlineData("CA5f0d2e4c8b7a69381726354a0b1c2d3g")]
    [InlineData("ca5f0d2e4c8b7a69381726354a0b1c2d3e")]
    [InlineData("AC" + "5f0d2e4c8b7a69381726354a0b1c2d3e")] // an AccountSid where the CallSid belongs (split so it never reads as a credential)
    [InlineData("CA5f0d2e4c8b7a69381726354a0b1c2d\uFF13")]
    [InlineData("CA01")]
    public void TryParse_MalformedCallSid_FailsNamingCallSid(string sid)
    {
        var form = IncomingCall();
        form["CallSid"] = sid;

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.Contains("CallSid", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CA0123456789abcdef0123456789abcdef")]
    [InlineData("CA0123456789ABCDEF0123456789ABCDEF")]
    public void TryParse_CallSidOfCAAnd32HexDigits_IsAccepted(string sid)
    {
        var form = IncomingCall();
        form["CallSid"] = sid;

        Assert.True(TwilioVoiceRequest.TryParse(form, out var request, out var error), error);
        Assert.Equal(sid, request.CallSid);
    }

    [Fact]
    public void TryParse_MalformedCallSid_ErrorDoesNotEchoTheValue()
    {
        var form = IncomingCall();
        form["CallSid"] = "CA<script>alert(1)</script>";

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.DoesNotContain("script", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AC0123")]
    [InlineData("AC0123456789abcdef0123456789abcdef\n")]
    [InlineData("CA0123456789abcdef0123456789abcdef")]
    [InlineData("AC0123456789abcdef0123456789abcdeg")]
    [InlineData(" ")]
    public void TryParse_MalformedAccountSid_FailsNamingAccountSid(string account)
    {
        var form = IncomingCall();
        form["AccountSid"] = account;

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.Contains("AccountSid", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryParse_AccountSidAbsentOrEmpty_IsAccepted(string? account)
    {
        var form = IncomingCall();
        if (account is null)
        {
            form.Remove("AccountSid");
        }
        else
        {
            form["AccountSid"] = account;
        }

        Assert.True(TwilioVoiceRequest.TryParse(form, out _, out var error), error);
    }

    [Theory]
    [InlineData("To")]
    [InlineData("From")]
    public void TryParse_NumberOf65Characters_FailsNamingTheField(string field)
    {
        var form = IncomingCall();
        form[field] = "+" + new string('1', 64);

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.StartsWith(field + " ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("To")]
    [InlineData("From")]
    public void TryParse_NumberOf64Characters_IsAccepted(string field)
    {
        var form = IncomingCall();
        form[field] = "sip:" + new string('a', 60);

        Assert.True(TwilioVoiceRequest.TryParse(form, out var request, out var error), error);
        Assert.Equal(form[field], field == "To" ? request.To : request.From);
    }

    [Theory]
    [InlineData("To", "+18005550100\n")]
    [InlineData("To", "+1800\u00005550100")]
    [InlineData("From", "+16175551212\r\nX-Injected: 1")]
    [InlineData("From", "\u001b[31m+16175551212")]
    public void TryParse_NumberWithControlCharacters_FailsNamingTheField(string field, string value)
    {
        var form = IncomingCall();
        form[field] = value;

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.StartsWith(field + " ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1001)]
    [InlineData(1024 * 1024)]
    public void TryParse_SpeechResultOver1000Characters_IsTruncatedTo1000(int length)
    {
        var speech = string.Concat(Enumerable.Repeat("yes ", (length / 4) + 1))[..length];

        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(speech: speech), out var request, out var error), error);

        Assert.Equal(speech[..1000], request.SpeechResult);
    }

    [Fact]
    public void TryParse_SpeechResultOfExactly1000Characters_IsKeptWhole()
    {
        var speech = new string('a', 1000);

        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(speech: speech), out var request, out var error), error);

        Assert.Equal(speech, request.SpeechResult);
    }

    [Fact]
    public void TryParse_SpeechResultCutInsideASurrogatePair_DropsTheWholePair()
    {
        var speech = new string('a', 999) + "\U0001F600" + "tail";

        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(speech: speech), out var request, out var error), error);

        Assert.Equal(new string('a', 999), request.SpeechResult);
    }

    [Fact]
    public void TryParse_SpeechResultWithControlCharacters_BecomesSpaces()
    {
        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(speech: "yes\u0000please\u001b\u0085now"), out var request, out var error), error);

        Assert.Equal("yes please  now", request.SpeechResult);
    }

    [Fact]
    public void TryParse_SpeechResultOnlyControlCharacters_BecomesNull()
    {
        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(speech: "\u0000\u0001"), out var request, out var error), error);

        Assert.Null(request.SpeechResult);
    }

    [Theory]
    [InlineData("0123456789*#")]
    [InlineData("#")]
    public void TryParse_KeypadDigits_AreAccepted(string digits)
    {
        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(digits: digits), out var request, out var error), error);
        Assert.Equal(digits, request.Digits);
    }

    [Fact]
    public void TryParse_64Digits_AreAccepted()
    {
        var digits = new string('5', 64);

        Assert.True(TwilioVoiceRequest.TryParse(GatherResult(digits: digits), out var request, out var error), error);
        Assert.Equal(digits, request.Digits);
    }

    [Theory]
    [InlineData("12a")]
    [InlineData("1 2")]
    [InlineData("12\n")]
    [InlineData("hangup")]
    [InlineData("1,2")]
    [InlineData("\u0661\u0662")]
    [InlineData("\uFF11")]
    [InlineData("+1")]
    public void TryParse_DigitsNotKeypadKeys_FailsNamingDigits(string digits)
    {
        Assert.False(TwilioVoiceRequest.TryParse(GatherResult(digits: digits), out _, out var error));
        Assert.StartsWith("Digits ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_65Digits_FailsNamingDigits()
    {
        Assert.False(TwilioVoiceRequest.TryParse(GatherResult(digits: new string('5', 65)), out _, out var error));
        Assert.StartsWith("Digits ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("initiated")]
    [InlineData("ringing")]
    [InlineData("in-progress")]
    [InlineData("completed")]
    [InlineData("busy")]
    [InlineData("failed")]
    [InlineData("no-answer")]
    [InlineData("canceled")]
    public void TryParse_DocumentedCallStatus_IsAccepted(string status)
    {
        var form = IncomingCall();
        form["CallStatus"] = status;

        Assert.True(TwilioVoiceRequest.TryParse(form, out var request, out var error), error);
        Assert.Equal(status, request.CallStatus);
    }

    [Theory]
    [InlineData("RINGING")]
    [InlineData("in progress")]
    [InlineData("ringing\n")]
    [InlineData("answered")]
    [InlineData("cancelled")]
    [InlineData("completed,completed")]
    public void TryParse_UndocumentedCallStatus_FailsNamingCallStatus(string status)
    {
        var form = IncomingCall();
        form["CallStatus"] = status;

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.StartsWith("CallStatus ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_CallStatusAbsentOrEmpty_IsNull(string? status)
    {
        var form = IncomingCall();
        if (status is null)
        {
            form.Remove("CallStatus");
        }
        else
        {
            form["CallStatus"] = status;
        }

        Assert.True(TwilioVoiceRequest.TryParse(form, out var request, out var error), error);
        Assert.Null(request.CallStatus);
    }

    [Theory]
    [InlineData("completed", true)]
    [InlineData("answered", true)]
    [InlineData("busy", false)]
    [InlineData("no-answer", false)]
    [InlineData("failed", false)]
    [InlineData("canceled", false)]
    public void TryParse_DocumentedDialCallStatus_IsAcceptedAndTellsWhetherConnected(string status, bool connected)
    {
        var form = GatherResult();
        form["DialCallStatus"] = status;

        Assert.True(TwilioVoiceRequest.TryParse(form, out var request, out var error), error);
        Assert.Equal(status, request.DialCallStatus);
        Assert.Equal(connected, request.TransferConnected);
    }

    [Theory]
    [InlineData("Completed")]
    [InlineData("connected")]
    [InlineData("no_answer")]
    [InlineData("completed\n")]
    public void TryParse_UndocumentedDialCallStatus_FailsNamingDialCallStatus(string status)
    {
        var form = GatherResult();
        form["DialCallStatus"] = status;

        Assert.False(TwilioVoiceRequest.TryParse(form, out _, out var error));
        Assert.StartsWith("DialCallStatus ", error, StringComparison.Ordinal);
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
