using Receptionist.Telephony.Twilio;

namespace Receptionist.Telephony.Tests.Twilio;

public sealed class TwilioSignatureTests
{
    // Twilio's documented test vector (docs/protocols.md §1.3, Twilio webhook-security docs).
    private const string AuthToken = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string ExpectedSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    private static Dictionary<string, string> VectorForm() => new(StringComparer.Ordinal)
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+12349013030",
        ["Digits"] = "1234",
        ["From"] = "+12349013030",
        ["To"] = "+18005551212",
    };

    [Fact]
    public void Compute_TwilioTestVector_MatchesDocumentedSignature()
    {
        Assert.Equal(ExpectedSignature, TwilioSignature.Compute(AuthToken, Url, VectorForm()));
    }

    [Fact]
    public void Compute_ParametersInAnyInputOrder_GiveTheSameSignature()
    {
        var reversed = VectorForm().Reverse().ToList();

        Assert.Equal(ExpectedSignature, TwilioSignature.Compute(AuthToken, Url, reversed));
    }

    [Fact]
    public void IsValid_TwilioTestVector_Accepts()
    {
        Assert.True(TwilioSignature.IsValid(AuthToken, Url, VectorForm(), ExpectedSignature));
    }

    [Fact]
    public void IsValid_WrongAuthToken_Rejects()
    {
        Assert.False(TwilioSignature.IsValid("54321", Url, VectorForm(), ExpectedSignature));
    }

    [Fact]
    public void IsValid_ChangedParameterValue_Rejects()
    {
        var form = VectorForm();
        form["Digits"] = "1235";

        Assert.False(TwilioSignature.IsValid(AuthToken, Url, form, ExpectedSignature));
    }

    [Fact]
    public void IsValid_AddedParameter_Rejects()
    {
        var form = VectorForm();
        form["SpeechResult"] = "book me in";

        Assert.False(TwilioSignature.IsValid(AuthToken, Url, form, ExpectedSignature));
    }

    [Fact]
    public void IsValid_RemovedParameter_Rejects()
    {
        var form = VectorForm();
        form.Remove("Digits");

        Assert.False(TwilioSignature.IsValid(AuthToken, Url, form, ExpectedSignature));
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=3")]
    [InlineData("https://mycompany.com/myapp.php?foo=1")]
    [InlineData("https://mycompany.com/myapp.php")]
    [InlineData("https://mycompany.com/myapp.php?bar=2&foo=1")]
    [InlineData("https://mycompany.com/other.php?foo=1&bar=2")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2")]
    public void IsValid_ChangedUrl_Rejects(string url)
    {
        Assert.False(TwilioSignature.IsValid(AuthToken, url, VectorForm(), ExpectedSignature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void IsValid_MissingSignature_Rejects(string? signature)
    {
        Assert.False(TwilioSignature.IsValid(AuthToken, Url, VectorForm(), signature));
    }

    [Fact]
    public void IsValid_EmptyAuthToken_RejectsEvenASignatureMadeWithTheEmptyToken()
    {
        var form = VectorForm();
        var signedWithEmptyToken = TwilioSignature.Compute(string.Empty, Url, form);

        Assert.False(TwilioSignature.IsValid(string.Empty, Url, form, signedWithEmptyToken));
    }

    [Fact]
    public void IsValid_SignedWithoutPortValidatedWithDefaultPort_Accepts()
    {
        Assert.True(TwilioSignature.IsValid(AuthToken, "https://mycompany.com:443/myapp.php?foo=1&bar=2", VectorForm(), ExpectedSignature));
    }

    [Theory]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2", "https://mycompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("http://mycompany.com:80/twilio/voice", "http://mycompany.com/twilio/voice")]
    [InlineData("http://mycompany.com/twilio/voice", "http://mycompany.com:80/twilio/voice")]
    public void IsValid_SignedAndValidatedWithDifferentDefaultPortSpelling_Accepts(string signedUrl, string validatedUrl)
    {
        var signature = TwilioSignature.Compute(AuthToken, signedUrl, VectorForm());

        Assert.True(TwilioSignature.IsValid(AuthToken, validatedUrl, VectorForm(), signature));
    }

    [Theory]
    [InlineData("https://mycompany.com:8443/myapp.php?foo=1&bar=2", "https://mycompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com:80/myapp.php?foo=1&bar=2", "https://mycompany.com/myapp.php?foo=1&bar=2")]
    public void IsValid_NonDefaultPortDiffers_Rejects(string signedUrl, string validatedUrl)
    {
        var signature = TwilioSignature.Compute(AuthToken, signedUrl, VectorForm());

        Assert.False(TwilioSignature.IsValid(AuthToken, validatedUrl, VectorForm(), signature));
    }

    [Fact]
    public void Compute_KeysDifferingInCase_AreSortedOrdinally()
    {
        // Ordinal: "B" (0x42) < "a" (0x61). A culture-aware sort puts "a" before "B".
        const string url = "https://example.test/hook";
        var form = new Dictionary<string, string>(StringComparer.Ordinal) { ["a"] = "2", ["B"] = "1" };
        Assert.True(StringComparer.InvariantCulture.Compare("a", "B") < 0, "the case must distinguish ordinal from culture order");

        var ordinal = TwilioSignature.Compute(AuthToken, url + "B1a2", []);
        var culture = TwilioSignature.Compute(AuthToken, url + "a2B1", []);

        Assert.NotEqual(ordinal, culture);
        Assert.Equal(ordinal, TwilioSignature.Compute(AuthToken, url, form));
    }

    [Fact]
    public void Compute_TwilioKeysCalledAndCallSid_UseOrdinalNotCultureOrder()
    {
        // Real Twilio status-callback keys: ordinal puts "CallSid" ('S' 0x53) before "Called" ('e' 0x65);
        // a culture-aware (case-insensitive first) sort puts "Called" first.
        const string url = "https://example.test/twilio/status";
        var form = new Dictionary<string, string>(StringComparer.Ordinal) { ["Called"] = "+18005551212", ["CallSid"] = "CA01" };
        Assert.True(StringComparer.InvariantCulture.Compare("Called", "CallSid") < 0, "the case must distinguish ordinal from culture order");

        var ordinal = TwilioSignature.Compute(AuthToken, url + "CallSidCA01Called+18005551212", []);
        var culture = TwilioSignature.Compute(AuthToken, url + "Called+18005551212CallSidCA01", []);

        Assert.NotEqual(ordinal, culture);
        Assert.Equal(ordinal, TwilioSignature.Compute(AuthToken, url, form));
        Assert.True(TwilioSignature.IsValid(AuthToken, url, form, ordinal));
        Assert.False(TwilioSignature.IsValid(AuthToken, url, form, culture));
    }
}
