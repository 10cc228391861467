using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Receptionist.Telephony.Speech;

/// <summary>
/// Configuration section "Speech": Azure AI Speech for the streaming voice path (docs/voice.md "Speech services"). One
/// of <see cref="Region"/> (the regional hosts <c>{region}.stt.speech.microsoft.com</c> and
/// <c>{region}.tts.speech.microsoft.com</c>) or <see cref="Endpoint"/> (one base URL for both: a resource's custom
/// domain, where the service is the first segment of the path — <c>/stt/…</c>, <c>/tts/…</c> — or the loopback
/// stand-in). <see cref="Key"/> empty: Entra ID, which needs the custom-domain <see cref="Endpoint"/> and the resource id.
/// </summary>
public sealed partial class SpeechOptions : IValidatableObject
{
    public const string Section = "Speech";

    /// <summary>The recognition path of the REST API for short audio (under <c>{region}.stt.speech.microsoft.com</c>).</summary>
    public const string RecognitionPath = "speech/recognition/conversation/cognitiveservices/v1";

    /// <summary>The synthesis path of the text-to-speech REST API (under <c>{region}.tts.speech.microsoft.com</c>).</summary>
    public const string SynthesisPath = "cognitiveservices/v1";

    /// <summary>e.g. "eastus".</summary>
    public string? Region { get; set; }

    /// <summary>e.g. https://my-speech.cognitiveservices.azure.com; https only, http for loopback (the stand-in).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The resource key (a secret: Key Vault in Azure, local.settings.json locally). Empty: Entra ID.</summary>
    public string? Key { get; set; }

    /// <summary>The Speech resource's Azure resource id, for Entra ID (the token is sent as <c>aad#{id}#{token}</c>).</summary>
    public string? ResourceId { get; set; }

    /// <summary>How long recognition may take once the caller's audio has all been sent; then the turn counts as not
    /// heard (the usual re-prompt), never as dead air.</summary>
    [Range(200, 10_000, ErrorMessage = "Speech:RecognitionTimeoutMilliseconds must be 200 to 10000.")]
    public int RecognitionTimeoutMilliseconds { get; set; } = 2500;

    /// <summary>How long synthesis may take to its first audio byte.</summary>
    [Range(200, 10_000, ErrorMessage = "Speech:SynthesisTimeoutMilliseconds must be 200 to 10000.")]
    public int SynthesisTimeoutMilliseconds { get; set; } = 3000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Region) || !string.IsNullOrWhiteSpace(Endpoint);

    public bool UsesEntraId => string.IsNullOrEmpty(Key);

    /// <summary>The short-audio recognition URL for <paramref name="language"/> (detailed format: confidence and the
    /// display form; profanity left as said — the owner reads the transcript).</summary>
    public Uri RecognitionUri(string language) =>
        new(Base("stt"), $"{RecognitionPath}?language={Uri.EscapeDataString(language)}&format=detailed&profanity=raw");

    public Uri SynthesisUri() => new(Base("tts"), SynthesisPath);

    private Uri Base(string service)
    {
        if (!string.IsNullOrWhiteSpace(Endpoint))
        {
            var endpoint = new Uri(Endpoint.TrimEnd('/') + "/", UriKind.Absolute);
            return new Uri(endpoint, service + "/");
        }

        return new Uri($"https://{Region!.Trim()}.{service}.speech.microsoft.com/");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var region = !string.IsNullOrWhiteSpace(Region);
        var endpoint = !string.IsNullOrWhiteSpace(Endpoint);
        if (region && endpoint)
        {
            yield return new ValidationResult("Set Speech:Region or Speech:Endpoint, not both.", [nameof(Region), nameof(Endpoint)]);
        }

        if (region && !RegionName().IsMatch(Region!.Trim()))
        {
            yield return new ValidationResult($"Speech:Region '{Region}' is not a region name (letters and digits, e.g. eastus).", [nameof(Region)]);
        }

        if (endpoint)
        {
            if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query))
            {
                yield return new ValidationResult($"Speech:Endpoint '{Endpoint}' is not an absolute URL without a query.", [nameof(Endpoint)]);
            }
            else if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            {
                yield return new ValidationResult("Speech:Endpoint must be https (http only for a loopback address).", [nameof(Endpoint)]);
            }
        }

        if ((region || endpoint) && UsesEntraId)
        {
            if (!endpoint)
            {
                yield return new ValidationResult("Speech:Key is empty, so Entra ID is used, which needs the resource's custom domain as Speech:Endpoint (not Speech:Region).", [nameof(Key), nameof(Endpoint)]);
            }

            if (string.IsNullOrWhiteSpace(ResourceId) || !ResourceId.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase))
            {
                yield return new ValidationResult("Speech:Key is empty, so Entra ID is used, which needs Speech:ResourceId (/subscriptions/…/providers/Microsoft.CognitiveServices/accounts/…).", [nameof(ResourceId)]);
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]{1,39}$")]
    private static partial Regex RegionName();
}
