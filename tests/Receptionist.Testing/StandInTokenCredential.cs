using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;

namespace Receptionist.Testing;

/// <summary>
/// Plays the app's managed identity: hands out Entra-shaped access tokens (issuer sts.windows.net, the audience the
/// scope names, a lifetime) and records which scopes were asked for. The tokens are unsigned — good for stand-ins that
/// check claims, not signatures (Azurite's basic OAuth; the Key Vault stand-in compares the whole token).
/// </summary>
public sealed class StandInTokenCredential : TokenCredential
{
    public const string TenantId = "72f988bf-0000-0000-0000-000000000000";

    private readonly ConcurrentQueue<string> _scopes = new();

    /// <summary>Every scope a token was asked for, in order.</summary>
    public IReadOnlyList<string> Scopes => [.. _scopes];

    /// <summary>When set, asking for a token throws it (an identity that is not there).</summary>
    public Exception? Failure { get; set; }

    public static string TokenFor(string audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        static string Part(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Part(new { alg = "none", typ = "JWT" });
        var body = Part(new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = $"https://sts.windows.net/{TenantId}/",
            ["iat"] = now - 60,
            ["nbf"] = now - 60,
            ["exp"] = now + 3600,
            ["oid"] = "00000000-0000-0000-0000-0000000000aa",
            ["tid"] = TenantId,
        });
        return $"{header}.{body}.";
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        var scope = requestContext.Scopes.Single();
        _scopes.Enqueue(scope);
        var audience = scope.EndsWith("/.default", StringComparison.Ordinal) ? scope[..^"/.default".Length] : scope;
        return new AccessToken(TokenFor(audience), DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
