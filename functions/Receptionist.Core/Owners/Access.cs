using System.Security.Cryptography;
using System.Text;

namespace Receptionist.Core.Owners;

/// <summary>
/// Secrets that give access to a tenant's data: one-time sign-in links for owners and API keys for integrations.
/// Only their SHA-256 is stored (a random 256-bit secret needs no slow hash), so what storage holds cannot sign anyone in.
/// </summary>
public static class AccessTokens
{
    /// <summary>What every API key starts with, so a leaked one is recognisable (secret scanners, logs).</summary>
    public const string ApiKeyPrefix = "rk_";

    /// <summary>A new random secret: 32 bytes, base64url, with <paramref name="prefix"/> in front.</summary>
    public static string New(string prefix = "") => prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a secret: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>What may be shown of a key once it was created (its first characters), to tell keys apart.</summary>
    public static string Hint(string secret) => secret.Length <= 10 ? secret : secret[..10] + "…";

    /// <summary>Whether <paramref name="text"/> could be one of our secrets at all (length and alphabet), before any lookup.</summary>
    public static bool LooksLike(string? text, string prefix = "") =>
        text is not null && text.Length == prefix.Length + 43 && text.StartsWith(prefix, StringComparison.Ordinal)
        && text.AsSpan(prefix.Length).IndexOfAnyExcept(Base64UrlAlphabet) < 0;

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>An owner: who signs in (e-mail, lower case) and the tenants they may see.</summary>
public sealed record Owner(string Email, IReadOnlyList<string> TenantIds, DateTimeOffset CreatedAt);

/// <summary>An API key as stored: its hash, whose tenant it opens (null: an operator key for every tenant), and
/// whether it was revoked.</summary>
public sealed record ApiKey(string Hash, string? TenantId, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsOperator => TenantId is null;
}

/// <summary>Owners, their one-time sign-in links and the API keys (the Access table; docs/owners.md).</summary>
public interface IAccessStore
{
    /// <summary>Creates the owner or adds <paramref name="tenantId"/> to their tenants; returns the owner as stored.</summary>
    Task<Owner> AddOwnerAsync(string email, string tenantId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Owner?> GetOwnerAsync(string email, CancellationToken cancellationToken);

    /// <summary>Stores a sign-in link (by the hash of its secret) for <paramref name="email"/>, valid until <paramref name="expiresAt"/>.</summary>
    Task AddSignInLinkAsync(string hash, string email, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Uses a sign-in link: returns its owner's e-mail once, if it exists and has not expired; null otherwise
    /// (unknown, expired or already used). Two uses at once: one wins.</summary>
    Task<string?> UseSignInLinkAsync(string hash, DateTimeOffset now, CancellationToken cancellationToken);

    Task AddApiKeyAsync(ApiKey key, CancellationToken cancellationToken);

    Task<ApiKey?> GetApiKeyAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Marks the key revoked; false when there is no such key for that tenant.</summary>
    Task<bool> RevokeApiKeyAsync(string hash, string? tenantId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Creating owners' sign-in links and API keys: the CLI, `up` and the app share these, so a secret is made and
/// stored one way only.</summary>
public static class AccessGrants
{
    /// <summary>How long a sign-in link works (once).</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    /// <summary>The path a sign-in link opens, under the app's public base URL.</summary>
    public static string LinkPath(string secret) => "/signin/" + secret;

    /// <summary>Makes the owner of <paramref name="tenantId"/> (or adds the tenant to them) and a one-time sign-in link;
    /// returns the link's secret (shown once, stored only hashed).</summary>
    public static async Task<string> AddOwnerAsync(IAccessStore access, string email, string tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var owner = await access.AddOwnerAsync(email, tenantId, now, ct);
        return await NewLinkAsync(access, owner.Email, now, ct);
    }

    public static async Task<string> NewLinkAsync(IAccessStore access, string email, DateTimeOffset now, CancellationToken ct)
    {
        var secret = AccessTokens.New();
        await access.AddSignInLinkAsync(AccessTokens.Hash(secret), email, now + LinkLifetime, ct);
        return secret;
    }

    /// <summary>A new API key for <paramref name="tenantId"/> (null: an operator key); returns the key (shown once).</summary>
    public static async Task<string> NewApiKeyAsync(IAccessStore access, string? tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var secret = AccessTokens.New(AccessTokens.ApiKeyPrefix);
        await access.AddApiKeyAsync(new ApiKey(AccessTokens.Hash(secret), tenantId, AccessTokens.Hint(secret), now, null), ct);
        return secret;
    }

    /// <summary>Whether <paramref name="email"/> is an e-mail address we accept (one @, a dot in the domain, no spaces, ≤ 254).</summary>
    public static bool IsEmail(string? email) =>
        email is { Length: > 4 and <= 254 } e && e.Count(c => c == '@') == 1 && !e.Any(char.IsWhiteSpace)
        && e.IndexOf('@', StringComparison.Ordinal) is var at && at > 0 && e.IndexOf('.', at) > at + 1 && !e.EndsWith('.');
}
