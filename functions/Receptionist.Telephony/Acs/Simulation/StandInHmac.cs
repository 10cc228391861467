using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// Checks a request's ACS HMAC-SHA256 signature as the service does (learn.microsoft.com, "Sign an HTTP request with
/// HMAC"), written from the documented algorithm rather than shared with the app's signer, so a mistake in one is
/// not repeated in the other: x-ms-date (RFC 1123) near now, x-ms-content-sha256 = Base64(SHA256(body)), and
/// Signature = Base64(HMACSHA256(Base64Decode(key), METHOD\npathAndQuery\ndate;host;contentHash)).
/// </summary>
internal static class StandInHmac
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    /// <summary>How far x-ms-date may be from the stand-in's clock, either way.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(10);

    private const string Scheme = "HMAC-SHA256 ";

    /// <summary>Null when the request is signed with <paramref name="key"/>; otherwise why not (for the 401 body).</summary>
    /// <param name="pathAndQuery">The request target exactly as sent (not decoded): that is what the client signed.</param>
    /// <param name="host">The Host header as sent (host[:port]).</param>
    public static string? Verify(byte[] key, string method, string pathAndQuery, string? host, string? date, string? contentHash, string? authorization, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(date))
        {
            return "The x-ms-date header is missing.";
        }

        if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent))
        {
            return $"The x-ms-date header '{date}' is not an RFC 1123 date.";
        }

        if ((now - sent).Duration() > MaxClockSkew)
        {
            return $"The x-ms-date {date} is more than {MaxClockSkew.TotalMinutes:0} minutes from the service's time {now:r}.";
        }

        if (string.IsNullOrEmpty(contentHash))
        {
            return "The x-ms-content-sha256 header is missing.";
        }

        if (contentHash != Convert.ToBase64String(SHA256.HashData(body)))
        {
            return "The x-ms-content-sha256 header does not match the body.";
        }

        if (string.IsNullOrEmpty(host))
        {
            return "The Host header is missing.";
        }

        var signature = SignatureOf(authorization);
        if (signature is null)
        {
            return $"The Authorization header is not 'HMAC-SHA256 SignedHeaders={SignedHeaders}&Signature=…'.";
        }

        var stringToSign = $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{date};{host};{contentHash}";
        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(stringToSign));
        return TryDecode(signature) is { } given && CryptographicOperations.FixedTimeEquals(given, expected)
            ? null
            : "The signature does not match (wrong key, or the request was changed after signing).";
    }

    /// <summary>The Signature of an "HMAC-SHA256 SignedHeaders=…&amp;Signature=…" header that signs exactly the
    /// three headers the service requires.</summary>
    private static string? SignatureOf(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return null;
        }

        string? signedHeaders = null, signature = null;
        foreach (var part in authorization[Scheme.Length..].Split('&'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            switch (part[..equals])
            {
                case "SignedHeaders":
                    signedHeaders = part[(equals + 1)..];
                    break;
                case "Signature":
                    signature = part[(equals + 1)..];
                    break;
                default:
                    return null;
            }
        }

        return string.Equals(signedHeaders, SignedHeaders, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(signature) ? signature : null;
    }

    private static byte[]? TryDecode(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? bytes[..written] : null;
    }
}
