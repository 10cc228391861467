using Receptionist.Telephony.Twilio;

namespace Receptionist.Host;

/// <summary>The app's URLs as carriers see them: <c>PublicBaseUrl</c> (behind a proxy or tunnel) or the request's own
/// scheme, host and path base. Twilio signs the URL it requested; ACS is given callback URIs under the base.</summary>
public static class PublicUrls
{
    /// <summary>The public base URL including the path base, without a trailing slash.</summary>
    public static string Base(HttpRequest request, string? publicBaseUrl) =>
        (string.IsNullOrWhiteSpace(publicBaseUrl) ? $"{request.Scheme}://{request.Host}" : publicBaseUrl.TrimEnd('/')) + request.PathBase;

    /// <summary>The URL the carrier requested (what Twilio signed).</summary>
    public static string Requested(HttpRequest request, string? publicBaseUrl) =>
        Base(request, publicBaseUrl) + request.Path + request.QueryString;

    /// <summary>The WebSocket URL for <paramref name="path"/>: the public base with <c>https</c> → <c>wss</c> and
    /// <c>http</c> → <c>ws</c> (local runs).</summary>
    public static string WebSocket(HttpRequest request, string? publicBaseUrl, string path) =>
        WebSocketUrls.FromHttp(Base(request, publicBaseUrl)) + path;
}
