using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;

namespace Receptionist.Cloud.Tables;

/// <summary>
/// The one place storage clients are made: by connection string (Azurite locally), or by endpoint with a token
/// credential (the app's managed identity in Azure, where the account refuses shared keys). Tables fail fast — a dead
/// storage account is an error, not a 30-second hang inside a phone call.
/// </summary>
public sealed class StorageClients(StorageOptions options, TokenCredential credential, HttpPipelineTransport? transport = null)
{
    public StorageOptions Options => options;

    public TableServiceClient Tables() => options.UsesEndpoints
        ? new TableServiceClient(options.Endpoint(options.TableEndpoint), credential, TableOptions(transport))
        : new TableServiceClient(options.ConnectionString, TableOptions(transport));

    /// <summary>What the Durable Task Framework reaches the same account with (its tables, queues and lease blobs).</summary>
    public StorageAccountClientProvider Workflows()
    {
        var blobs = Configure(new BlobClientOptions());
        var queues = Configure(new QueueClientOptions());
        var tables = Configure(new TableClientOptions());
        return options.UsesEndpoints
            ? new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(options.Endpoint(options.BlobEndpoint), credential, blobs),
                StorageServiceClientProvider.ForQueue(options.Endpoint(options.QueueEndpoint), credential, queues),
                StorageServiceClientProvider.ForTable(options.Endpoint(options.TableEndpoint), credential, tables))
            : new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(options.ConnectionString, blobs),
                StorageServiceClientProvider.ForQueue(options.ConnectionString, queues),
                StorageServiceClientProvider.ForTable(options.ConnectionString, tables));
    }

    /// <summary>A table client by connection string (tests and tools that look at storage directly).</summary>
    public static TableServiceClient Tables(string connectionString) => new(connectionString, TableOptions(null));

    private static TableClientOptions TableOptions(HttpPipelineTransport? transport)
    {
        var o = new TableClientOptions();
        o.Retry.MaxRetries = 2;
        o.Retry.Delay = TimeSpan.FromMilliseconds(100);
        o.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        o.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        if (transport is not null)
        {
            o.Transport = transport;
        }

        return o;
    }

    private T Configure<T>(T o) where T : ClientOptions
    {
        if (transport is not null)
        {
            o.Transport = transport;
        }

        return o;
    }
}
