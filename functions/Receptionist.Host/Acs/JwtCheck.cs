using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Receptionist.Host.Acs;

/// <summary>
/// Validates a bearer JWT against an OpenID Connect metadata document (issuer and signing keys, fetched and cached)
/// and one audience: ACS's signed callbacks, and Entra-protected Event Grid deliveries. A token signed with a key the
/// cache does not have yet triggers one refresh (keys roll over).
/// </summary>
public sealed class JwtCheck : IDisposable
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly string _audience;
    private readonly TimeProvider _clock;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly string _metadataUrl;
    private readonly HttpDocumentRetriever _retriever;
    private readonly SemaphoreSlim _fresh = new(1, 1);
    private DateTimeOffset _lastFresh = DateTimeOffset.MinValue;
    private OpenIdConnectConfiguration? _freshConfig;

    private readonly IReadOnlyList<string> _alsoIssuers;

    /// <param name="alsoIssuers">Issuers accepted besides the metadata's (Entra's v1 tokens name <c>sts.windows.net</c>).</param>
    public JwtCheck(string metadataUrl, string audience, HttpClient http, TimeProvider clock, IReadOnlyList<string>? alsoIssuers = null)
    {
        _alsoIssuers = alsoIssuers ?? [];
        _retriever = new HttpDocumentRetriever(http) { RequireHttps = new Uri(metadataUrl).Scheme == Uri.UriSchemeHttps };
        _metadataUrl = metadataUrl;
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(metadataUrl, new OpenIdConnectConfigurationRetriever(), _retriever);
        _audience = audience;
        _clock = clock;
    }

    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    /// <summary>How often keys are fetched again for a token signed with a key we do not know.</summary>
    private static readonly TimeSpan FreshAtMostEvery = TimeSpan.FromSeconds(1);

    /// <summary>The metadata as published now, bypassing the cache (whose refresh runs in the background and answers
    /// with the old keys meanwhile): a rolled-over key is accepted at once. At most once a second.</summary>
    private async Task<OpenIdConnectConfiguration> FreshAsync(CancellationToken ct)
    {
        await _fresh.WaitAsync(ct);
        try
        {
            if (_freshConfig is null || _clock.GetUtcNow() - _lastFresh >= FreshAtMostEvery)
            {
                _freshConfig = await OpenIdConnectConfigurationRetriever.GetAsync(_metadataUrl, _retriever, ct);
                _lastFresh = _clock.GetUtcNow();
            }

            return _freshConfig;
        }
        finally
        {
            _fresh.Release();
        }
    }

    private bool Within(DateTime? notBefore, DateTime? expires)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        return expires is { } end && now <= end + Skew && (notBefore is not { } start || now >= start - Skew);
    }

    public void Dispose() => _fresh.Dispose();

    /// <summary>Null when the token is valid; otherwise why not (for the log, never for the caller).</summary>
    public async Task<string?> FailureAsync(string? authorization, CancellationToken ct)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "no bearer token";
        }

        var token = authorization[scheme.Length..].Trim();
        for (var attempt = 0; ; attempt++)
        {
            OpenIdConnectConfiguration config;
            try
            {
                config = attempt == 0 ? await _metadata.GetConfigurationAsync(ct) : await FreshAsync(ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                return $"the OpenID metadata could not be read ({ex.Message})";
            }

            var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
            {
                ValidIssuers = [config.Issuer, .. _alsoIssuers],
                ValidAudience = _audience,
                IssuerSigningKeys = config.SigningKeys,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                LifetimeValidator = (notBefore, expires, _, _) => Within(notBefore, expires),
            });
            if (result.IsValid)
            {
                return null;
            }

            if (attempt == 0 && result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                _metadata.RequestRefresh();
                continue;
            }

            return result.Exception?.GetType().Name ?? "invalid token";
        }
    }
}
