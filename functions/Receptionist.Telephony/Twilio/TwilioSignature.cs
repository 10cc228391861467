using System.Security.Cryptography;
using System.Text;
using Twilio.Security;

namespace Receptionist.Telephony.Twilio;

/// <summary>
/// X-Twilio-Signature: Base64(HMAC-SHA1(authToken, url + every POST parameter as key+value, keys in ordinal order)).
/// The app validates with the official SDK's <see cref="RequestValidator"/> (which also accepts the URL with and
/// without its default port); <see cref="Compute"/> is the signing side, for the simulators that play Twilio.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    /// <summary>Signs a request as Twilio does (the SDK only validates, so the simulators sign with this).</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

#pragma warning disable CA5350 // Twilio defines the signature as HMAC-SHA1; we must match it.
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    /// <summary>Whether <paramref name="signature"/> is Twilio's for this URL and form (SDK validation).</summary>
    public static bool IsValid(string authToken, string url, IReadOnlyCollection<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            parameters[key] = value;
        }

        var validator = new RequestValidator(authToken);
        return UrlVariants(url).Any(candidate => validator.Validate(candidate, parameters, signature));
    }

    /// <summary>A WebSocket upgrade (ConversationRelay, Media Streams): Twilio signs the URL it connected to with no
    /// parameters, spelled <c>wss://</c>; the <c>https://</c> spelling of the same URL is accepted too.</summary>
    public static bool IsValidUpgrade(string authToken, string webSocketUrl, string? signature)
    {
        var ws = WebSocketUrls.FromHttp(webSocketUrl);
        return IsValid(authToken, ws, [], signature) || IsValid(authToken, WebSocketUrls.ToHttp(ws), [], signature);
    }

    /// <summary>The URL as given, without its default port, and with the default port added (the SDK strips a port
    /// but does not add one to a URL given with it, which a proxy's PublicBaseUrl may carry).</summary>
    public static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            yield break;
        }

        var defaultPort = uri.Scheme switch { "https" or "wss" => 443, "http" or "ws" => 80, _ => -1 };
        var authorityStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var pathStart = url.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = pathStart < 0 ? url[authorityStart..] : url[authorityStart..pathStart];
        var rest = pathStart < 0 ? string.Empty : url[pathStart..];
        var prefix = url[..authorityStart];
        var hostOnly = authority.Contains(':', StringComparison.Ordinal) ? authority[..authority.LastIndexOf(':')] : authority;
        if (uri.Port == defaultPort)
        {
            yield return prefix + hostOnly + rest;
            yield return prefix + hostOnly + ":" + defaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture) + rest;
        }
    }
}
