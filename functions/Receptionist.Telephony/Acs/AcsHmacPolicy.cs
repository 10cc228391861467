using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Receptionist.Telephony.Acs;

/// <summary>
/// Signs every Call Automation request with the resource's access key, as ACS requires: SHA-256 of the body in
/// <c>x-ms-content-sha256</c>, the date in <c>x-ms-date</c>, and an HMAC-SHA256 over method, path and query, date,
/// host and body hash in <c>Authorization</c>. A per-retry policy, so a retried request carries a fresh date.
/// </summary>
public sealed class AcsHmacPolicy(string accessKey, TimeProvider clock) : HttpPipelinePolicy
{
    private readonly byte[] _key = Convert.FromBase64String(accessKey);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Sign(message, HashBody(message));
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Sign(message, await HashBodyAsync(message));
        await ProcessNextAsync(message, pipeline);
    }

    /// <summary>The Authorization header value for one request (the documented string to sign).</summary>
    public static string Authorization(byte[] key, string method, Uri uri, string date, string contentHash)
    {
        var toSign = $"{method.ToUpperInvariant()}\n{uri.PathAndQuery}\n{date};{uri.Authority};{contentHash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(toSign)));
        return $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}";
    }

    private void Sign(HttpMessage message, string contentHash)
    {
        var request = message.Request;
        var date = clock.GetUtcNow().ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", contentHash);
        request.Headers.SetValue("Authorization", Authorization(_key, request.Method.Method, request.Uri.ToUri(), date, contentHash));
    }

    private static string HashBody(HttpMessage message)
    {
        using var body = new MemoryStream();
        message.Request.Content?.WriteTo(body, message.CancellationToken);
        return Convert.ToBase64String(SHA256.HashData(body.ToArray()));
    }

    private static async ValueTask<string> HashBodyAsync(HttpMessage message)
    {
        using var body = new MemoryStream();
        if (message.Request.Content is { } content)
        {
            await content.WriteToAsync(body, message.CancellationToken);
        }

        return Convert.ToBase64String(SHA256.HashData(body.ToArray()));
    }
}
