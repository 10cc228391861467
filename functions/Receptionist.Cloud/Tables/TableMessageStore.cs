using Azure;
using Azure.Data.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;

namespace Receptionist.Cloud.Tables;

/// <summary>Messages (tenant / message id): inserted once per id, so a retried turn stores a message once.</summary>
public sealed class TableMessageStore(TableSet tables) : IMessageStore
{
    public async Task<StoredMessage> SaveAsync(MessageRequest message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var m = message;
        var entity = new TableEntity(m.TenantId, m.Id)
        {
            ["CallId"] = m.CallId,
            ["CallerName"] = m.Name,
            ["CallerPhone"] = m.Phone,
            ["Text"] = m.Text,
            ["Urgent"] = m.Urgent,
            ["CreatedAt"] = now,
        };
        try
        {
            await tables.Messages.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            entity = (await tables.Messages.GetEntityAsync<TableEntity>(m.TenantId, m.Id, cancellationToken: cancellationToken)).Value;
        }

        return FromEntity(entity);
    }

    public async Task<StoredMessage?> GetAsync(string tenantId, string messageId, CancellationToken cancellationToken)
    {
        var found = await tables.Messages.GetEntityIfExistsAsync<TableEntity>(tenantId, messageId, cancellationToken: cancellationToken);
        return found.HasValue ? FromEntity(found.Value!) : null;
    }

    public async Task<IReadOnlyList<StoredMessage>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var list = new List<StoredMessage>();
        await foreach (var e in tables.Messages.QueryAsync<TableEntity>(x => x.PartitionKey == tenantId, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(e));
        }

        return list.OrderByDescending(m => m.CreatedAt).ToList();
    }

    public async Task<StoredMessage?> MarkHandledAsync(string tenantId, string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = await tables.Messages.GetEntityIfExistsAsync<TableEntity>(tenantId, messageId, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        var entity = found.Value!;
        if (entity.GetDateTimeOffset("HandledAt") is null)
        {
            // Merge: only the new field is written, so nothing the caller left can be lost to a concurrent write.
            await tables.Messages.UpdateEntityAsync(new TableEntity(tenantId, messageId) { ["HandledAt"] = now }, ETag.All, TableUpdateMode.Merge, cancellationToken);
            entity["HandledAt"] = now;
        }

        return FromEntity(entity);
    }

    private static StoredMessage FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("CallId"),
        e.GetString("CallerName"),
        e.GetString("CallerPhone"),
        e.GetString("Text"),
        e.GetBoolean("Urgent") ?? false,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue)
    {
        HandledAt = e.GetDateTimeOffset("HandledAt"),
    };
}
