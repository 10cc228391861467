using System.ComponentModel.DataAnnotations;
using Receptionist.Telephony.Speech;

namespace Receptionist.Telephony.Tests.Speech;

public sealed class SpeechOptionsTests
{
    private static List<string> Problems(SpeechOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }

    [Fact]
    public void Uris_Region_TheRegionalSttAndTtsHosts()
    {
        var options = new SpeechOptions { Region = "eastus", Key = "k" };

        Assert.Equal("https://eastus.stt.speech.microsoft.com/speech/recognition/conversation/cognitiveservices/v1?language=en-US&format=detailed&profanity=raw",
            options.RecognitionUri("en-US").AbsoluteUri);
        Assert.Equal("https://eastus.tts.speech.microsoft.com/cognitiveservices/v1", options.SynthesisUri().AbsoluteUri);
        Assert.Empty(Problems(options));
    }

    [Fact]
    public void Uris_CustomDomainEndpoint_TheServiceIsTheFirstPathSegment()
    {
        var options = new SpeechOptions { Endpoint = "https://my-speech.cognitiveservices.azure.com", Key = "k" };

        Assert.Equal("https://my-speech.cognitiveservices.azure.com/stt/speech/recognition/conversation/cognitiveservices/v1?language=es-MX&format=detailed&profanity=raw",
            options.RecognitionUri("es-MX").AbsoluteUri);
        Assert.Equal("https://my-speech.cognitiveservices.azure.com/tts/cognitiveservices/v1", options.SynthesisUri().AbsoluteUri);
    }

    [Theory]
    [InlineData("eastus", "https://x.cognitiveservices.azure.com", "k", null, "not both")]
    [InlineData("East US", null, "k", null, "not a region name")]
    [InlineData(null, "http://speech.example.com", "k", null, "https")]
    [InlineData(null, "https://x.cognitiveservices.azure.com?a=b", "k", null, "without a query")]
    [InlineData("eastus", null, null, "/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a", "custom domain")]
    [InlineData(null, "https://x.cognitiveservices.azure.com", null, null, "Speech:ResourceId")]
    public void Validate_BadSettings_NamesTheSettingAndWhy(string? region, string? endpoint, string? key, string? resourceId, string expected)
    {
        var problems = Problems(new SpeechOptions { Region = region, Endpoint = endpoint, Key = key, ResourceId = resourceId });

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal) && p.Contains("Speech:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LoopbackHttpAndEntraIdWithResourceId_Accepted()
    {
        Assert.Empty(Problems(new SpeechOptions { Endpoint = "http://127.0.0.1:5050/", Key = "k" }));
        Assert.Empty(Problems(new SpeechOptions
        {
            Endpoint = "https://x.cognitiveservices.azure.com",
            ResourceId = "/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a",
        }));
    }

    [Fact]
    public void Validate_NotConfigured_NoProblems() => Assert.Empty(Problems(new SpeechOptions()));
}
