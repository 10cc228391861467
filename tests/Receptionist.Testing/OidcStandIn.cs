using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Receptionist.Telephony.Simulation;

namespace Receptionist.Testing;

/// <summary>
/// A loopback OpenID Connect provider playing Entra ID for the dashboard's "Sign in with Microsoft": discovery, JWKS,
/// an authorize endpoint that signs in <see cref="Email"/> at once (no login form) and redirects back with a code, and
/// a token endpoint that trades the code (client secret and PKCE verifier checked) for an RS256 id_token.
/// </summary>
public sealed class OidcStandIn : IAsyncDisposable
{
    public const string ClientId = "11111111-aaaa-bbbb-cccc-222222222222";
    public const string ClientSecret = "test-client-secret";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "stand-in-1" };
    private readonly ConcurrentDictionary<string, (string Nonce, string Challenge, string RedirectUri)> _codes = new(StringComparer.Ordinal);
    private WebApplication _app = null!;

    public Uri Authority { get; private set; } = null!;

    /// <summary>Who "signs in" at the authorize endpoint.</summary>
    public string Email { get; set; } = "someone@example.com";

    /// <summary>How many codes were traded for tokens.</summary>
    public int TokensIssued { get; private set; }

    public static async Task<OidcStandIn> StartAsync()
    {
        var standIn = new OidcStandIn();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await LoopbackApp.StartAsync(0, (app, url) =>
        {
            standIn._app = app;
            standIn.Authority = url;
            return standIn;
        }, (s, http) => s.HandleAsync(http), null, bound.Token);
    }

    private string Issuer => Authority.AbsoluteUri.TrimEnd('/');

    /// <summary>An access token as Entra issues one to a client calling the admin API: RS256 by this provider's key
    /// (or, with <paramref name="foreign"/>, by a key it never published), for <paramref name="audience"/>.</summary>
    public string AccessToken(string email, string audience, IEnumerable<string>? roles = null, TimeSpan? lifetime = null, bool foreign = false)
    {
        var now = DateTime.UtcNow;
        var life = lifetime ?? TimeSpan.FromMinutes(10);
        var claims = new Dictionary<string, object> { ["sub"] = "user-" + email, ["preferred_username"] = email };
        if (roles is not null)
        {
            claims["roles"] = roles.ToArray();
        }

        var key = foreign ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = _key.KeyId } : _key;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = life < TimeSpan.Zero ? now + life - TimeSpan.FromMinutes(10) : now,
            NotBefore = life < TimeSpan.Zero ? now + life - TimeSpan.FromMinutes(10) : now,
            Expires = now + life,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task HandleAsync(HttpContext http)
    {
        switch (http.Request.Path.Value)
        {
            case "/.well-known/openid-configuration":
                await Results.Json(new Dictionary<string, object>
                {
                    ["issuer"] = Issuer,
                    ["authorization_endpoint"] = Issuer + "/authorize",
                    ["token_endpoint"] = Issuer + "/token",
                    ["jwks_uri"] = Issuer + "/jwks",
                    ["response_types_supported"] = new[] { "code" },
                    ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    ["code_challenge_methods_supported"] = new[] { "S256" },
                }).ExecuteAsync(http);
                return;
            case "/jwks":
                var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
                await Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", kid = jwk.Kid, n = jwk.N, e = jwk.E, alg = "RS256" } } }).ExecuteAsync(http);
                return;
            case "/authorize":
            {
                var q = http.Request.Query;
                if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256")
                {
                    await Results.BadRequest("bad authorize request").ExecuteAsync(http);
                    return;
                }

                var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
                _codes[code] = (q["nonce"].ToString(), q["code_challenge"].ToString(), q["redirect_uri"].ToString());
                http.Response.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
                return;
            }

            case "/token":
            {
                var form = await http.Request.ReadFormAsync();
                var verifier = form["code_verifier"].ToString();
                var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
                if (!_codes.TryRemove(form["code"].ToString(), out var issued) || form["client_secret"] != ClientSecret || form["client_id"] != ClientId
                    || challenge != issued.Challenge || form["redirect_uri"] != issued.RedirectUri)
                {
                    await Results.Json(new { error = "invalid_grant" }, statusCode: 400).ExecuteAsync(http);
                    return;
                }

                var now = DateTime.UtcNow;
                var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = Issuer,
                    Audience = ClientId,
                    IssuedAt = now,
                    NotBefore = now,
                    Expires = now.AddMinutes(10),
                    Claims = new Dictionary<string, object> { ["sub"] = "user-" + Email, ["email"] = Email, ["nonce"] = issued.Nonce, ["name"] = Email },
                    SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
                });
                TokensIssued++;
                await Results.Json(new { id_token = idToken, access_token = "stand-in-access-token", token_type = "Bearer", expires_in = 600 }).ExecuteAsync(http);
                return;
            }

            default:
                http.Response.StatusCode = 404;
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
