using System.Collections.Concurrent;
using Receptionist.Core.Professions;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Calls;

/// <summary>Resolves dialled numbers and tenant ids to validated tenants. Tenant profiles (not call state) are cached
/// briefly per process; unknown numbers are not cached so a fresh import takes effect at once.</summary>
public sealed class TenantDirectory(ITenantStore store, ProfessionCatalog professions, TimeProvider clock) : ITenants
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (Tenant Tenant, DateTimeOffset Expires)> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string TenantId, DateTimeOffset Expires)> _routes = new(StringComparer.Ordinal);

    public ProfessionCatalog Professions => professions;

    public async Task<Tenant?> ByNumberAsync(string e164, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!_routes.TryGetValue(e164, out var route) || route.Expires < now)
        {
            var id = await store.RouteAsync(e164, cancellationToken);
            if (id is null)
            {
                return null;
            }

            route = (id, now + Ttl);
            _routes[e164] = route;
        }

        return await ByIdAsync(route.TenantId, cancellationToken);
    }

    /// <summary>The tenant this process last saw for a dialled number, however old: only for falling back when storage
    /// cannot be read (e.g. to put the caller through to the business). Null when it never saw one.</summary>
    public Tenant? LastKnownByNumber(string e164) =>
        _routes.TryGetValue(e164, out var route) && _byId.TryGetValue(route.TenantId, out var cached) ? cached.Tenant : null;

    /// <summary>Drops what this process cached of a tenant and its numbers' routes (its settings were just saved here):
    /// the next call reads them again. Other instances see the change within the cache's 10 s.</summary>
    public void Forget(string tenantId)
    {
        _byId.TryRemove(tenantId, out _);
        foreach (var route in _routes.Where(r => r.Value.TenantId == tenantId).ToList())
        {
            _routes.TryRemove(route.Key, out _);
        }
    }

    /// <summary>As <see cref="LastKnownByNumber"/>, by tenant id.</summary>
    public Tenant? LastKnownById(string tenantId) => _byId.TryGetValue(tenantId, out var cached) ? cached.Tenant : null;

    public async Task<Tenant?> ByIdAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_byId.TryGetValue(tenantId, out var cached) && cached.Expires >= now)
        {
            return cached.Tenant;
        }

        var doc = await store.GetAsync(tenantId, cancellationToken);
        if (doc is null)
        {
            return null;
        }

        var tenant = TenantParser.FromStored(doc, professions.Contains);
        _byId[tenantId] = (tenant, now + Ttl);
        return tenant;
    }
}
