using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Receptionist.Testing;

/// <summary>
/// A loopback Key Vault (secrets API, https with a self-signed certificate): a request without a bearer token gets the
/// challenge Key Vault sends (401, <c>WWW-Authenticate: Bearer authorization=…, resource=https://vault.azure.net</c>);
/// a token must be for that audience and unexpired; then the secrets can be listed (two a page, following nextLink)
/// and read. Secrets can be changed, disabled, or the whole vault made to fail (503), as a test needs.
/// </summary>
public sealed class KeyVaultStandIn : IAsyncDisposable
{
    public const string Audience = "https://vault.azure.net";
    private const int PageSize = 2;

    private readonly ConcurrentDictionary<string, (string Value, bool Enabled)> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private WebApplication _app = null!;
    private int _requests;

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>When true every request is 503 (the vault is unreachable, throttled or down).</summary>
    public bool Failing { get; set; }

    /// <summary>Requests answered (challenges included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that carried no token or a token for another audience.</summary>
    public int Refused { get; private set; }

    public void Set(string name, string value, bool enabled = true) => _secrets[name] = (value, enabled);

    public static async Task<KeyVaultStandIn> StartAsync(LoopbackCertificate certificate)
    {
        var standIn = new KeyVaultStandIn();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate.Certificate)));
        builder.Logging.ClearProviders();
        standIn._app = builder.Build();
        standIn._app.Run(standIn.HandleAsync);
        await standIn._app.StartAsync();
        var address = standIn._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        standIn.VaultUri = new Uri(address.TrimEnd('/') + "/");
        return standIn;
    }

    private async Task HandleAsync(HttpContext http)
    {
        Interlocked.Increment(ref _requests);
        if (Failing)
        {
            http.Response.StatusCode = 503;
            await http.Response.WriteAsJsonAsync(new { error = new { code = "ServiceUnavailable", message = "The vault is unavailable." } });
            return;
        }

        if (!Authorized(http.Request.Headers.Authorization.ToString()))
        {
            Refused++;
            http.Response.StatusCode = 401;
            http.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"https://login.microsoftonline.com/{StandInTokenCredential.TenantId}\", resource=\"{Audience}\"";
            await http.Response.WriteAsJsonAsync(new { error = new { code = "Unauthorized", message = "AKV10000: Request is missing a Bearer or PoP token." } });
            return;
        }

        var path = http.Request.Path.Value!.TrimEnd('/');
        var vault = VaultUri.AbsoluteUri.TrimEnd('/');
        if (path == "/secrets")
        {
            var page = int.TryParse(http.Request.Query["page"], out var p) ? p : 0;
            var all = _secrets.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
            var items = all.Skip(page * PageSize).Take(PageSize)
                .Select(s => new { id = $"{vault}/secrets/{s.Key}", attributes = new { enabled = s.Value.Enabled } }).ToList();
            var next = (page + 1) * PageSize < all.Count ? $"{vault}/secrets?api-version={http.Request.Query["api-version"]}&page={page + 1}" : null;
            await http.Response.WriteAsJsonAsync(new { value = items, nextLink = next });
            return;
        }

        if (path.StartsWith("/secrets/", StringComparison.Ordinal) && _secrets.TryGetValue(path["/secrets/".Length..].Split('/')[0], out var secret))
        {
            var name = path["/secrets/".Length..].Split('/')[0];
            await http.Response.WriteAsJsonAsync(new { value = secret.Value, id = $"{vault}/secrets/{name}/0123456789abcdef", attributes = new { enabled = secret.Enabled } });
            return;
        }

        http.Response.StatusCode = 404;
        await http.Response.WriteAsJsonAsync(new { error = new { code = "SecretNotFound", message = "A secret with that name was not found in this key vault." } });
    }

    /// <summary>A bearer token for <see cref="Audience"/> that has not expired.</summary>
    private static bool Authorized(string header)
    {
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || header["Bearer ".Length..].Split('.') is not [_, var body, _])
        {
            return false;
        }

        try
        {
            var padded = body.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            return claims.RootElement.GetProperty("aud").GetString() == Audience
                && claims.RootElement.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
