using System.ComponentModel.DataAnnotations;

namespace Receptionist.Cloud.Llm;

/// <summary>
/// Configuration section "OpenAI": the optional Azure OpenAI deployment that helps the rules understand callers.
/// Without an <see cref="Endpoint"/> the receptionist runs on the rules alone.
/// </summary>
public sealed class OpenAIOptions : IValidatableObject
{
    public const string Section = "OpenAI";

    public const int DefaultTimeoutMilliseconds = 1500;

    private const string V1Suffix = "/openai/v1";

    /// <summary>The resource, e.g. https://my-resource.openai.azure.com (the "/openai/v1/" suffix may be included).
    /// https only; http is accepted for loopback addresses (tests and local fakes).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The deployment name; sent as the model. Required when <see cref="Endpoint"/> is set.</summary>
    public string? Deployment { get; set; }

    /// <summary>Optional. Without it the app authenticates with Entra ID (managed identity, az login, ...).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Budget of one request to the model; the rules answer when it runs out.</summary>
    [Range(100, 10000, ErrorMessage = "OpenAI:TimeoutMilliseconds must be between 100 and 10000.")]
    public int TimeoutMilliseconds { get; set; } = DefaultTimeoutMilliseconds;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);

    public TimeSpan Timeout => TimeSpan.FromMilliseconds(TimeoutMilliseconds);

    /// <summary>The v1 base URL the OpenAI client talks to: {Endpoint}/openai/v1/ (a method: options validation reads every property).</summary>
    public Uri BaseUri()
    {
        if (!TryParseEndpoint(Endpoint, out var endpoint, out var problem))
        {
            throw new InvalidOperationException(problem);
        }

        var path = endpoint.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith(V1Suffix, StringComparison.OrdinalIgnoreCase))
        {
            path += V1Suffix;
        }

        return new UriBuilder(endpoint) { Path = path + "/" }.Uri;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield break;
        }

        if (!TryParseEndpoint(Endpoint, out var endpoint, out var problem))
        {
            yield return new ValidationResult(problem, [nameof(Endpoint)]);
        }
        else if (endpoint.Scheme == Uri.UriSchemeHttp && string.IsNullOrWhiteSpace(ApiKey))
        {
            // The SDK's BearerTokenPolicy refuses non-TLS endpoints: every call would fail at run time.
            yield return new ValidationResult(
                "OpenAI:Endpoint uses http, which needs OpenAI:ApiKey: Entra ID tokens are sent only over https.", [nameof(Endpoint), nameof(ApiKey)]);
        }

        if (string.IsNullOrWhiteSpace(Deployment))
        {
            yield return new ValidationResult(
                "OpenAI:Deployment is required when OpenAI:Endpoint is set (the name of the model deployment).", [nameof(Deployment)]);
        }
    }

    private static bool TryParseEndpoint(string? value, out Uri endpoint, out string problem)
    {
        endpoint = null!;
        problem = string.Empty;
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problem = "OpenAI:Endpoint must be an absolute https URL, e.g. https://my-resource.openai.azure.com.";
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            problem = "OpenAI:Endpoint must use https (http is allowed only for a loopback address).";
            return false;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            problem = "OpenAI:Endpoint must not carry a query, fragment or credentials; put the key in OpenAI:ApiKey.";
            return false;
        }

        endpoint = uri;
        return true;
    }
}
