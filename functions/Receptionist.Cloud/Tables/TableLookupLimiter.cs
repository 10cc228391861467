using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Receptionist.Core.Storage;

namespace Receptionist.Cloud.Tables;

/// <summary>
/// LookupLimits: tenant / caller number (or "withheld") + UTC day, with a count incremented under If-Match. A number
/// gets <see cref="PerNumber"/> name lookups a day; all withheld callers of a tenant share <see cref="Withheld"/>.
/// </summary>
public sealed class TableLookupLimiter(TableSet tables) : ILookupLimiter
{
    public const int PerNumber = 6;
    public const int Withheld = 30;
    private const int MaxAttempts = 5;

    public async Task<bool> TryAcquireAsync(string tenantId, string? callerNumber, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = (callerNumber ?? "withheld") + "_" + now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var limit = callerNumber is null ? Withheld : PerNumber;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var found = await tables.LookupLimits.GetEntityIfExistsAsync<TableEntity>(tenantId, row, cancellationToken: cancellationToken);
            try
            {
                if (!found.HasValue)
                {
                    await tables.LookupLimits.AddEntityAsync(new TableEntity(tenantId, row) { ["Count"] = 1 }, cancellationToken);
                    return true;
                }

                var count = found.Value!.GetInt32("Count") ?? 0;
                if (count >= limit)
                {
                    return false;
                }

                await tables.LookupLimits.UpdateEntityAsync(new TableEntity(tenantId, row) { ["Count"] = count + 1 }, found.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // another call counted at the same moment: read again
                CloudTelemetry.StorageRetry("lookup-limit");
            }
        }

        return false;
    }
}
