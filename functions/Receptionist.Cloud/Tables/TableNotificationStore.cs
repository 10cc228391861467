using Azure;
using Azure.Data.Tables;
using Receptionist.Core.Notifications;

namespace Receptionist.Cloud.Tables;

/// <summary>The Notifications table: partition = tenant id, row = notification key (docs/workflows.md).</summary>
public sealed class TableNotificationStore(TableSet tables) : INotificationStore
{
    public async Task<Notification> AddAsync(Notification notification, CancellationToken cancellationToken)
    {
        try
        {
            var added = await tables.Notifications.AddEntityAsync(ToEntity(notification), cancellationToken);
            return notification with { Version = added.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Planned before (a retried activity, a workflow started twice): what is stored stands.
            return await GetAsync(notification.TenantId, notification.Key, cancellationToken)
                ?? throw new InvalidOperationException($"Notification {notification.Key} exists and cannot be read.", ex);
        }
    }

    public async Task<Notification?> GetAsync(string tenantId, string key, CancellationToken cancellationToken)
    {
        var found = await tables.Notifications.GetEntityIfExistsAsync<TableEntity>(tenantId, key, cancellationToken: cancellationToken);
        return found.HasValue ? FromEntity(found.Value!) : null;
    }

    public async Task<Notification> UpdateAsync(Notification notification, CancellationToken cancellationToken)
    {
        try
        {
            var version = notification.Version is { } read ? new ETag(read) : ETag.All;
            var updated = await tables.Notifications.UpdateEntityAsync(ToEntity(notification), version, TableUpdateMode.Replace, cancellationToken);
            return notification with { Version = updated.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new NotificationConflictException(notification.Key, ex);
        }
    }

    public async Task<IReadOnlyList<Notification>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var list = new List<Notification>();
        await foreach (var e in tables.Notifications.QueryAsync<TableEntity>(x => x.PartitionKey == tenantId, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(e));
        }

        return list.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.ScheduledFor).ToList();
    }

    private static TableEntity ToEntity(Notification n) => new(n.TenantId, n.Key)
    {
        ["Kind"] = n.Kind,
        ["To"] = n.To,
        ["Body"] = n.Body,
        ["Status"] = n.Status,
        ["ProviderId"] = n.ProviderId,
        ["Attempts"] = n.Attempts,
        ["ScheduledFor"] = n.ScheduledFor,
        ["CreatedAt"] = n.CreatedAt,
        ["UpdatedAt"] = n.UpdatedAt,
        ["Detail"] = n.Detail,
        ["ProviderErrorCode"] = n.ProviderErrorCode,
        ["RelatedId"] = n.RelatedId,
        ["CallId"] = n.CallId,
        ["ClaimedUntil"] = n.ClaimedUntil,
    };

    private static Notification FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("Kind") ?? string.Empty,
        e.GetString("To"),
        e.GetString("Body") ?? string.Empty,
        e.GetString("Status") ?? NotificationStatus.Scheduled,
        e.GetString("ProviderId"),
        e.GetInt32("Attempts") ?? 0,
        e.GetDateTimeOffset("ScheduledFor") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("Detail"),
        e.GetInt32("ProviderErrorCode"),
        e.GetString("RelatedId") ?? string.Empty)
    {
        CallId = e.GetString("CallId"),
        ClaimedUntil = e.GetDateTimeOffset("ClaimedUntil"),
        Version = e.ETag.ToString(),
    };
}
