using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Receptionist.Telephony.Tests.Acs.Simulation;

/// <summary>
/// Signs each request as the ACS documentation describes (hmac-header-tutorial), written here on its own so the
/// stand-in is checked against the documented algorithm rather than against the app's signer; it can also sign
/// wrongly in the ways the tests need: another clock, a header left out, the body changed after signing.
/// </summary>
internal sealed class HmacSigningHandler(string accessKey) : DelegatingHandler(new SocketsHttpHandler())
{
    /// <summary>The date signed and sent as x-ms-date.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>A signing header (x-ms-date, x-ms-content-sha256, Authorization) removed after signing.</summary>
    public string? LeaveOut { get; set; }

    /// <summary>Sent instead of the body that was signed.</summary>
    public string? BodyAfterSigning { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var hash = Convert.ToBase64String(SHA256.HashData(body));
        var date = Now().ToString("r", CultureInfo.InvariantCulture);
        var uri = request.RequestUri!;
        var toSign = $"{request.Method.Method.ToUpperInvariant()}\n{uri.PathAndQuery}\n{date};{uri.Authority};{hash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(accessKey), Encoding.ASCII.GetBytes(toSign)));
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-content-sha256", hash);
        request.Headers.TryAddWithoutValidation("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
        if (LeaveOut is not null)
        {
            request.Headers.Remove(LeaveOut);
        }

        if (BodyAfterSigning is not null)
        {
            request.Content = new StringContent(BodyAfterSigning, Encoding.UTF8, "application/json");
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
