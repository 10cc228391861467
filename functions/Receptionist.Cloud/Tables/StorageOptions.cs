using System.ComponentModel.DataAnnotations;

namespace Receptionist.Cloud.Tables;

/// <summary>Configuration section "Storage": a connection string (Azurite, or an account key), or — in Azure — the
/// account's three endpoints, reached with the app's Entra ID identity (no key anywhere).</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>An Azure Storage connection string; Azurite by default. Ignored when the endpoints are set.</summary>
    [Required]
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>e.g. https://account.table.core.windows.net — with <see cref="QueueEndpoint"/> and <see cref="BlobEndpoint"/>.</summary>
    public string? TableEndpoint { get; set; }

    /// <summary>e.g. https://account.queue.core.windows.net (the after-call workflows' queues).</summary>
    public string? QueueEndpoint { get; set; }

    /// <summary>e.g. https://account.blob.core.windows.net (the workflows' partition leases).</summary>
    public string? BlobEndpoint { get; set; }

    /// <summary>Prepended to every table name (letters and digits) so tests and environments never share data.</summary>
    [RegularExpression("^[A-Za-z]?[A-Za-z0-9]{0,20}$", ErrorMessage = "Storage:TablePrefix must be letters and digits, starting with a letter.")]
    public string TablePrefix { get; set; } = string.Empty;

    /// <summary>Storage is reached by endpoint with a token credential rather than by connection string.</summary>
    public bool UsesEndpoints =>
        !string.IsNullOrWhiteSpace(TableEndpoint) || !string.IsNullOrWhiteSpace(QueueEndpoint) || !string.IsNullOrWhiteSpace(BlobEndpoint);

    public Uri Endpoint(string? value) => new(value!, UriKind.Absolute);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesEndpoints)
        {
            yield break;
        }

        foreach (var (name, value) in new[] { ("TableEndpoint", TableEndpoint), ("QueueEndpoint", QueueEndpoint), ("BlobEndpoint", BlobEndpoint) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return new ValidationResult(
                    $"{Section}:{name} is required once any storage endpoint is set (the app needs tables, queues and blobs of one account)", [name]);
            }
            else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Query))
            {
                yield return new ValidationResult(
                    $"{Section}:{name}: '{value}' is not an https endpoint such as https://account.{name[..^"Endpoint".Length].ToLowerInvariant()}.core.windows.net (tokens are only sent over TLS)", [name]);
            }
        }
    }
}
