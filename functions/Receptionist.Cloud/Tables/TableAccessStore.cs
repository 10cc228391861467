using Azure;
using Azure.Data.Tables;
using Receptionist.Core.Owners;

namespace Receptionist.Cloud.Tables;

/// <summary>
/// The Access table: partition <c>owner</c> / e-mail (the tenants they own), <c>link</c> / SHA-256 of a sign-in link's
/// secret (e-mail, expiry, when it was used), <c>key</c> / SHA-256 of an API key (tenant or operator, revoked).
/// </summary>
public sealed class TableAccessStore(TableSet tables) : IAccessStore
{
    private const string OwnerPartition = "owner";
    private const string LinkPartition = "link";
    private const string KeyPartition = "key";

    public async Task<Owner> AddOwnerAsync(string email, string tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        email = Normalize(email);
        for (var attempt = 1; ; attempt++)
        {
            var found = await tables.Access.GetEntityIfExistsAsync<TableEntity>(OwnerPartition, email, cancellationToken: cancellationToken);
            try
            {
                if (!found.HasValue)
                {
                    var owner = new Owner(email, [tenantId], now);
                    await tables.Access.AddEntityAsync(ToEntity(owner), cancellationToken);
                    return owner;
                }

                var stored = ToOwner(found.Value!);
                if (stored.TenantIds.Contains(tenantId, StringComparer.Ordinal))
                {
                    return stored;
                }

                var updated = stored with { TenantIds = [.. stored.TenantIds, tenantId] };
                await tables.Access.UpdateEntityAsync(ToEntity(updated), found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return updated;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 5)
            {
                // Someone added the same owner meanwhile: read again and merge.
                CloudTelemetry.StorageRetry("owner-access");
            }
        }
    }

    public async Task<Owner?> GetOwnerAsync(string email, CancellationToken cancellationToken)
    {
        var found = await tables.Access.GetEntityIfExistsAsync<TableEntity>(OwnerPartition, Normalize(email), cancellationToken: cancellationToken);
        return found.HasValue ? ToOwner(found.Value!) : null;
    }

    public Task AddSignInLinkAsync(string hash, string email, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        tables.Access.AddEntityAsync(new TableEntity(LinkPartition, hash) { ["Email"] = Normalize(email), ["ExpiresAt"] = expiresAt }, cancellationToken);

    public async Task<string?> UseSignInLinkAsync(string hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = await tables.Access.GetEntityIfExistsAsync<TableEntity>(LinkPartition, hash, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        var link = found.Value!;
        if (link.GetDateTimeOffset("UsedAt") is not null || link.GetDateTimeOffset("ExpiresAt") is not { } expires || expires <= now)
        {
            return null;
        }

        link["UsedAt"] = now;
        try
        {
            await tables.Access.UpdateEntityAsync(link, link.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return null; // used by someone else a moment ago
        }

        return link.GetString("Email");
    }

    public Task AddApiKeyAsync(ApiKey key, CancellationToken cancellationToken) =>
        tables.Access.AddEntityAsync(new TableEntity(KeyPartition, key.Hash)
        {
            ["TenantId"] = key.TenantId,
            ["Hint"] = key.Hint,
            ["CreatedAt"] = key.CreatedAt,
            ["RevokedAt"] = key.RevokedAt,
        }, cancellationToken);

    public async Task<ApiKey?> GetApiKeyAsync(string hash, CancellationToken cancellationToken)
    {
        var found = await tables.Access.GetEntityIfExistsAsync<TableEntity>(KeyPartition, hash, cancellationToken: cancellationToken);
        return found.HasValue ? ToKey(found.Value!) : null;
    }

    public async Task<bool> RevokeApiKeyAsync(string hash, string? tenantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = await tables.Access.GetEntityIfExistsAsync<TableEntity>(KeyPartition, hash, cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value!.GetString("TenantId") != tenantId)
        {
            return false;
        }

        var entity = found.Value!;
        if (entity.GetDateTimeOffset("RevokedAt") is null)
        {
            entity["RevokedAt"] = now;
            await tables.Access.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Replace, cancellationToken);
        }

        return true;
    }

    /// <summary>E-mail addresses are compared case-insensitively (as every mail system does in practice).</summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    private static TableEntity ToEntity(Owner o) => new(OwnerPartition, o.Email)
    {
        ["Tenants"] = string.Join(' ', o.TenantIds),
        ["CreatedAt"] = o.CreatedAt,
    };

    private static Owner ToOwner(TableEntity e) => new(
        e.RowKey,
        (e.GetString("Tenants") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);

    private static ApiKey ToKey(TableEntity e) => new(
        e.RowKey,
        e.GetString("TenantId"),
        e.GetString("Hint") ?? string.Empty,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("RevokedAt"));
}
