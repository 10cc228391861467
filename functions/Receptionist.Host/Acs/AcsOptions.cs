using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Receptionist.Telephony.Acs;

namespace Receptionist.Host.Acs;

/// <summary>Configuration section "Acs". ACS is optional: with neither a connection string nor an endpoint the app runs
/// without it and /acs/* answers 404; once one is set, everything below is validated on start.</summary>
public sealed class AcsOptions
{
    public const string Section = "Acs";

    /// <summary>The metadata ACS publishes for the JWTs it signs callbacks with.</summary>
    public const string AcsOpenIdMetadata = "https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration";

    /// <summary><c>endpoint=https://…;accesskey=…</c> (HMAC). From Key Vault in Azure, local.settings.json locally.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The resource endpoint when ACS is reached with Entra ID (managed identity) instead of a key.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The Azure AI services resource ACS uses to speak and recognise (callIntelligenceOptions); required.</summary>
    public string? CognitiveServicesEndpoint { get; set; }

    /// <summary>The ACS resource's immutable id: when set, every callback must carry a JWT ACS signed for this audience.</summary>
    public string? ResourceId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = AcsOpenIdMetadata;

    /// <summary>Signs the per-call token in callback URIs; default: derived from the access key.</summary>
    public string? CallbackSecret { get; set; }

    /// <summary>The resource texts go through (<c>endpoint=…;accesskey=…</c>, or an https endpoint alone for Entra ID),
    /// when not the channel's own (<see cref="Connection"/>). `./receptionist up` points it at a loopback stand-in, so no
    /// text leaves the machine.</summary>
    public string? SmsConnectionString { get; set; }

    /// <summary>How long to wait for PlayCompleted before hanging up or transferring anyway.</summary>
    [Range(1, 300)]
    public double PlayTimeoutSeconds { get; set; } = 60;

    public AcsEventGridOptions EventGrid { get; set; } = new();

    public bool Configured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The parsed connection (validated on start).</summary>
    public AcsConnectionString Connection() =>
        !string.IsNullOrWhiteSpace(ConnectionString) && AcsConnectionString.TryParse(ConnectionString, out var parsed, out _) ? parsed
        : new AcsConnectionString(new Uri(Endpoint!), null);

    /// <summary>The connection texts are sent with: <see cref="SmsConnectionString"/>, else the channel's (validated on start).</summary>
    public AcsConnectionString SmsConnection() =>
        !string.IsNullOrWhiteSpace(SmsConnectionString) && AcsConnectionString.TryParse(SmsConnectionString, out var parsed, out _) ? parsed : Connection();

    public byte[] CallbackKey() => AcsCalls.CallbackKey(CallbackSecret, Connection().AccessKey);
}

/// <summary>How Event Grid deliveries to /acs/events are authenticated: a secret in the subscription URL
/// (<c>?code=</c>), or Microsoft Entra–protected delivery (a bearer token for <see cref="Audience"/>).</summary>
public sealed class AcsEventGridOptions
{
    public string? Secret { get; set; }

    /// <summary>The app registration (application id URI or client id) Event Grid gets tokens for.</summary>
    public string? Audience { get; set; }

    /// <summary>The Entra tenant that issues those tokens; the metadata URL follows from it.</summary>
    public string? TenantId { get; set; }

    /// <summary>Overrides the Entra metadata URL (tests use a loopback one).</summary>
    public string? OpenIdMetadataUrl { get; set; }

    public string? MetadataUrl => !string.IsNullOrWhiteSpace(OpenIdMetadataUrl) ? OpenIdMetadataUrl
        : !string.IsNullOrWhiteSpace(TenantId) ? $"https://login.microsoftonline.com/{Uri.EscapeDataString(TenantId)}/v2.0/.well-known/openid-configuration"
        : null;
}

/// <summary>Checks <see cref="AcsOptions"/> on start, each failure naming the setting.</summary>
public sealed class AcsOptionsValidator : IValidateOptions<AcsOptions>
{
    private const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, AcsOptions o)
    {
        if (!o.Configured)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        string? accessKey = null;
        if (!string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            if (AcsConnectionString.TryParse(o.ConnectionString, out var parsed, out var error))
            {
                accessKey = parsed.AccessKey;
            }
            else
            {
                errors.Add($"Acs:ConnectionString: {error}");
            }
        }
        else if (!Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var endpoint) || !AcsConnectionString.IsAllowed(endpoint, out _))
        {
            errors.Add($"Acs:Endpoint: '{o.Endpoint}' is not an https URL");
        }

        if (string.IsNullOrEmpty(o.CallbackSecret) && accessKey is null)
        {
            errors.Add("Acs:CallbackSecret: required when the connection has no access key (Entra ID)");
        }
        else if (!string.IsNullOrEmpty(o.CallbackSecret) && o.CallbackSecret.Length < MinSecretLength)
        {
            errors.Add($"Acs:CallbackSecret: at least {MinSecretLength} characters");
        }

        if (!string.IsNullOrWhiteSpace(o.ResourceId) && !Guid.TryParse(o.ResourceId, out _))
        {
            errors.Add($"Acs:ResourceId: '{o.ResourceId}' is not the resource's immutable id (a GUID)");
        }

        CheckUrl(errors, "Acs:OpenIdMetadataUrl", o.OpenIdMetadataUrl);
        if (!string.IsNullOrWhiteSpace(o.SmsConnectionString))
        {
            if (!AcsConnectionString.TryParse(o.SmsConnectionString, out var sms, out var smsError))
            {
                errors.Add($"Acs:SmsConnectionString: {smsError}");
            }
            else if (sms.AccessKey is null && sms.Endpoint.Scheme != Uri.UriSchemeHttps)
            {
                errors.Add("Acs:SmsConnectionString: an Entra ID token is sent over https only; give an access key for a loopback http endpoint");
            }
        }

        if (string.IsNullOrWhiteSpace(o.CognitiveServicesEndpoint))
        {
            errors.Add("Acs:CognitiveServicesEndpoint: required (ACS speaks and recognises callers with a linked Azure AI services resource)");
        }
        else
        {
            CheckUrl(errors, "Acs:CognitiveServicesEndpoint", o.CognitiveServicesEndpoint);
        }

        var grid = o.EventGrid;
        if (string.IsNullOrEmpty(grid.Secret) && string.IsNullOrWhiteSpace(grid.Audience))
        {
            errors.Add("Acs:EventGrid: set Secret (checked as ?code= on /acs/events) or Audience (Entra-protected delivery)");
        }

        if (!string.IsNullOrEmpty(grid.Secret) && grid.Secret.Length < MinSecretLength)
        {
            errors.Add($"Acs:EventGrid:Secret: at least {MinSecretLength} characters");
        }

        if (!string.IsNullOrWhiteSpace(grid.Audience))
        {
            if (grid.MetadataUrl is null)
            {
                errors.Add("Acs:EventGrid:TenantId: required with Acs:EventGrid:Audience (whose tokens to accept)");
            }
            else
            {
                CheckUrl(errors, "Acs:EventGrid:OpenIdMetadataUrl", grid.MetadataUrl);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrl(List<string> errors, string setting, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !AcsConnectionString.IsAllowed(uri, out _))
        {
            errors.Add($"{setting}: '{value}' is not an https URL (http only for a loopback address)");
        }
    }
}
