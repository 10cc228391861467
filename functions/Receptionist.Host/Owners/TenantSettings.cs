using Receptionist.Calls;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Host.Owners;

/// <summary>One problem with proposed settings: the field's path as in the tenant file (<c>hours.mon[0]</c>,
/// <c>services[1].minutes</c>) and what is wrong with it.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>The outcome of saving settings: the tenant as stored, or every error (nothing was written).</summary>
public sealed record SettingsResult(TenantDocument? Saved, IReadOnlyList<FieldError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Reading and changing a business's settings from the dashboard or the API, validated by the same parser as
/// `tenants import` and written by the same all-or-nothing import. Owners may change everything but the business's id,
/// its phone numbers and its subscription (those are the operator's); a saved change applies to this instance's next
/// call at once, and to every instance within the tenant cache's 10 s.
/// </summary>
public sealed class TenantSettings(ITenantStore store, TenantDirectory directory, ILogger<TenantSettings> logger)
{
    /// <summary>What the error messages name the settings as.</summary>
    public const string Source = "settings";

    public Task<TenantDocument?> GetAsync(string tenantId, CancellationToken ct) => store.GetAsync(tenantId, ct);

    public Task<IReadOnlyList<TenantDocument>> ListAsync(CancellationToken ct) => store.ListAsync(ct);

    /// <summary>An owner's change: <paramref name="proposed"/> replaces the settings, except id, numbers and subscription.</summary>
    public async Task<SettingsResult> SaveAsync(string tenantId, TenantDocument proposed, CancellationToken ct)
    {
        var current = await store.GetAsync(tenantId, ct);
        if (current is null)
        {
            return new SettingsResult(null, [new FieldError("id", $"no tenant '{tenantId}'")]);
        }

        proposed.Id = current.Id;
        proposed.PhoneNumbers = current.PhoneNumbers;
        proposed.Subscription = current.Subscription;
        return await WriteAsync(proposed, ct);
    }

    /// <summary>An operator's create or replace of a whole tenant (numbers and subscription included).</summary>
    public Task<SettingsResult> PutAsync(TenantDocument proposed, CancellationToken ct) => WriteAsync(proposed, ct);

    private async Task<SettingsResult> WriteAsync(TenantDocument proposed, CancellationToken ct)
    {
        var parsed = TenantParser.Parse(Source, proposed.ToJson(), directory.Professions.Contains);
        if (!parsed.Ok)
        {
            return new SettingsResult(null, parsed.Errors.Select(ToFieldError).ToList());
        }

        var valid = parsed.Tenants[0];
        var refused = await store.ImportAsync([valid], ct);
        if (refused.Count > 0)
        {
            return new SettingsResult(null, refused.Select(ToFieldError).ToList());
        }

        directory.Forget(valid.Tenant.Id);
        logger.LogInformation("Settings of {TenantId} saved", valid.Tenant.Id);
        return new SettingsResult(valid.Document, []);
    }

    /// <summary>"settings: $.hours.mon[0]: 'x' is not …" → (hours.mon[0], 'x' is not …).</summary>
    public static FieldError ToFieldError(string error)
    {
        var rest = error.StartsWith(Source + ": ", StringComparison.Ordinal) ? error[(Source.Length + 2)..] : error;
        if (rest.StartsWith("tenant '", StringComparison.Ordinal) && rest.IndexOf("': ", StringComparison.Ordinal) is var named and > 0)
        {
            rest = "$." + rest[(named + 3)..]; // the store's refusals: "tenant 'x': phoneNumbers: … already belongs to …"
        }

        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        if (!rest.StartsWith('$') || colon < 0)
        {
            return new FieldError(string.Empty, rest);
        }

        var path = rest[..colon].TrimStart('$').TrimStart('.');
        return new FieldError(path, rest[(colon + 2)..]);
    }
}
