using Azure.Data.Tables;
using Receptionist.Core.Notifications;

namespace Receptionist.Cloud.Tables;

/// <summary>The SmsOptOuts table: partition = tenant id, row = the number (E.164); <c>OptedOut</c> and when it changed.</summary>
public sealed class TableOptOutStore(TableSet tables) : IOptOutStore
{
    public async Task<bool> IsOptedOutAsync(string tenantId, string e164, CancellationToken cancellationToken)
    {
        var found = await tables.SmsOptOuts.GetEntityIfExistsAsync<TableEntity>(tenantId, e164, cancellationToken: cancellationToken);
        return found.HasValue && found.Value!.GetBoolean("OptedOut") == true;
    }

    public async Task SetAsync(string tenantId, string e164, bool optedOut, DateTimeOffset at, CancellationToken cancellationToken) =>
        await tables.SmsOptOuts.UpsertEntityAsync(new TableEntity(tenantId, e164) { ["OptedOut"] = optedOut, ["ChangedAt"] = at }, TableUpdateMode.Replace, cancellationToken);
}
