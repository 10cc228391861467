using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Receptionist.Telephony.Acs;

/// <summary>An ACS connection string, <c>endpoint=https://…;accesskey=…</c>. Plain http is accepted only for a loopback
/// endpoint (the local stand-in and tests); a real resource is always https.</summary>
public sealed record AcsConnectionString(Uri Endpoint, string? AccessKey)
{
    public static bool TryParse(string? value, out AcsConnectionString parsed, out string error)
    {
        parsed = null!;
        var parts = (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0].ToLowerInvariant(), p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        if (!parts.TryGetValue("endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            error = "expected 'endpoint=https://<resource>.communication.azure.com/;accesskey=<key>' (endpoint missing or not an absolute URL)";
            return false;
        }

        if (!IsAllowed(uri, out error))
        {
            return false;
        }

        var key = parts.GetValueOrDefault("accesskey");
        if (key is not null && !IsBase64(key))
        {
            error = "accesskey is not base64";
            return false;
        }

        parsed = new AcsConnectionString(uri, string.IsNullOrEmpty(key) ? null : key);
        return true;
    }

    /// <summary>How every request to this resource is authenticated, for Call Automation and SMS alike: HMAC-SHA256 with
    /// the access key (dated by <paramref name="clock"/>), or, when the connection has none, an Entra ID token from
    /// <paramref name="credential"/> (the app's one registered credential) for <see cref="AcsCallClient.EntraScope"/>.</summary>
    public HttpPipelinePolicy AuthenticationPolicy(TokenCredential? credential, TimeProvider clock) =>
        AccessKey is { } key
            ? new AcsHmacPolicy(key, clock)
            : new BearerTokenAuthenticationPolicy(credential ?? throw new ArgumentNullException(nameof(credential), "No access key and no credential"), AcsCallClient.EntraScope);

    /// <summary>https, or http on a loopback address.</summary>
    public static bool IsAllowed(Uri endpoint, out string error)
    {
        error = string.Empty;
        if (endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && IsLoopback(endpoint)))
        {
            return true;
        }

        error = $"endpoint {endpoint.GetLeftPart(UriPartial.Authority)} must be https (http only for a loopback address)";
        return false;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));

    private static bool IsBase64(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var written) && written > 0;
    }
}
