using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Receptionist.Telephony.Acs.Simulation;

/// <summary>
/// The stand-in's own signing identity, playing ACS's: an RSA key made at start, the bearer JWT on every callback
/// (RS256, five minutes' lifetime, audience = the resource id), and the OpenID metadata and JWKS documents the app
/// reads the issuer and key from, as it does from ACS's well-known endpoint. ACS signs a fresh token per event; the
/// stand-in signs one every <see cref="Reuse"/> and sends it meanwhile (the app checks the same things either way),
/// because an RSA signature per callback would make the stand-in, sharing the machine, the bottleneck of a benchmark.
/// </summary>
internal sealed class StandInTokens : IDisposable
{
    /// <summary>A callback token's lifetime, as ACS's.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>How long one signed token is sent on (well within its lifetime).</summary>
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private (string Token, DateTime Issued)? _current;

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly string _audience;
    private readonly TimeProvider _clock;

    public StandInTokens(string issuer, string audience, TimeProvider clock)
    {
        Issuer = issuer;
        _audience = audience;
        _clock = clock;
        _key = new RsaSecurityKey(_rsa) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
        _credentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256);
    }

    public string Issuer { get; }

    public string CreateToken()
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            if (_current is { } current && now - current.Issued < Reuse && now >= current.Issued)
            {
                return current.Token;
            }
        }

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = _audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = _credentials,
        });
        lock (_gate)
        {
            _current = (token, now);
        }

        return token;
    }

    public JsonObject Metadata(Uri jwksUri) => new()
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = jwksUri.AbsoluteUri,
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
    };

    public JsonObject Jwks()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = _key.KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            }),
        };
    }

    public void Dispose() => _rsa.Dispose();
}
