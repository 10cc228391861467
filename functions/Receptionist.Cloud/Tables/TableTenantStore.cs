using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Cloud.Tables;

/// <summary>Tenants (tenant / "profile", the normalised document as JSON) and PhoneRoutes (e164 / "route").</summary>
public sealed class TableTenantStore(TableSet tables) : ITenantStore
{
    private const string ProfileRow = "profile";
    private const string RouteRow = "route";

    public async Task<IReadOnlyList<string>> ImportAsync(IReadOnlyList<ValidTenant> tenants, CancellationToken cancellationToken)
    {
        // Validate every number against stored routes first: a clash writes nothing at all.
        var errors = new List<string>();
        foreach (var t in tenants)
        {
            foreach (var number in t.Tenant.PhoneNumbers)
            {
                var owner = await RouteAsync(number, cancellationToken);
                if (owner is not null && owner != t.Tenant.Id)
                {
                    errors.Add($"tenant '{t.Tenant.Id}': phoneNumbers: {number} already belongs to tenant '{owner}'");
                }
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        foreach (var t in tenants)
        {
            var previous = await GetAsync(t.Tenant.Id, cancellationToken);
            foreach (var number in t.Tenant.PhoneNumbers)
            {
                await tables.PhoneRoutes.UpsertEntityAsync(new TableEntity(number, RouteRow) { ["TenantId"] = t.Tenant.Id }, TableUpdateMode.Replace, cancellationToken);
            }

            var entity = new TableEntity(t.Tenant.Id, ProfileRow)
            {
                ["Name"] = t.Tenant.Name,
                ["Profession"] = t.Tenant.ProfessionId,
                ["Document"] = t.Document.ToJson(),
            };
            await tables.Tenants.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);

            foreach (var dropped in previous?.PhoneNumbers?.Except(t.Tenant.PhoneNumbers) ?? [])
            {
                await tables.PhoneRoutes.DeleteEntityAsync(dropped, RouteRow, ETag.All, cancellationToken);
            }
        }

        return [];
    }

    public async Task<TenantDocument?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var found = await tables.Tenants.GetEntityIfExistsAsync<TableEntity>(tenantId, ProfileRow, cancellationToken: cancellationToken);
        return found.HasValue ? Parse(found.Value!) : null;
    }

    public async Task<string?> RouteAsync(string e164, CancellationToken cancellationToken)
    {
        var found = await tables.PhoneRoutes.GetEntityIfExistsAsync<TableEntity>(e164, RouteRow, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value!.GetString("TenantId") : null;
    }

    public async Task<IReadOnlyList<TenantDocument>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<TenantDocument>();
        await foreach (var e in tables.Tenants.QueryAsync<TableEntity>(x => x.RowKey == ProfileRow, cancellationToken: cancellationToken))
        {
            list.Add(Parse(e));
        }

        return list.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
    }

    private static TenantDocument Parse(TableEntity e) =>
        JsonSerializer.Deserialize<TenantDocument>(e.GetString("Document"), TenantDocument.JsonOptions)
        ?? throw new InvalidDataException($"Tenant '{e.PartitionKey}' has an empty document.");
}
