using System.Text.Json;
using Azure.Storage.Queues;
using Receptionist.Core.Storage;

namespace Receptionist.Cloud.Queues;

/// <summary>
/// The owner-notification queue (Azure Storage queue "&lt;prefix&gt;notifications"): one small JSON message per
/// item the owner should hear about (a message, an urgent call). Delivery (SMS, e-mail) reads it; messages that keep
/// failing go to the poison queue "&lt;prefix&gt;notifications-poison" by the delivering worker.
/// </summary>
public sealed class NotificationQueue
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public NotificationQueue(QueueServiceClient service, string prefix)
    {
        Queue = service.GetQueueClient(prefix.ToLowerInvariant() + "notifications");
        Poison = service.GetQueueClient(prefix.ToLowerInvariant() + "notifications-poison");
    }

    public QueueClient Queue { get; }

    public QueueClient Poison { get; }

    /// <summary>Azurite 3.35 rejects the SDK's newest service version, so pin one it knows (packages.md).</summary>
    public static QueueServiceClient CreateService(string connectionString)
    {
        var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2025_11_05) { MessageEncoding = QueueMessageEncoding.Base64 };
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return new QueueServiceClient(connectionString, options);
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await Poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public async Task SendAsync(OwnerNotification notification, CancellationToken cancellationToken) =>
        await Queue.SendMessageAsync(JsonSerializer.Serialize(notification, Json), cancellationToken);

    /// <summary>Reads up to <paramref name="max"/> notifications without removing them (for tests and the CLI).</summary>
    public async Task<IReadOnlyList<OwnerNotification>> PeekAsync(int max, CancellationToken cancellationToken)
    {
        var peeked = await Queue.PeekMessagesAsync(Math.Clamp(max, 1, 32), cancellationToken);
        return peeked.Value.Select(m => JsonSerializer.Deserialize<OwnerNotification>(m.Body.ToString(), Json)!).ToList();
    }
}
