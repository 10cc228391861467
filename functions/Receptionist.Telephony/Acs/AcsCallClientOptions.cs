using Azure.Core;

namespace Receptionist.Telephony.Acs;

/// <summary>Options of <see cref="AcsCallClient"/>: the Call Automation API version, pinned here and nowhere else, and
/// the pipeline's retry, transport and diagnostics settings (Azure SDK conventions).</summary>
public sealed class AcsCallClientOptions : ClientOptions
{
    public enum ServiceVersion
    {
        V2025_06_15 = 1,
    }

    public const ServiceVersion LatestVersion = ServiceVersion.V2025_06_15;

    public AcsCallClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2025_06_15 => "2025-06-15",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown Call Automation API version"),
        };

        // A turn waits on these requests: fail fast rather than leave the caller in silence. Every POST carries a
        // Repeatability-Request-ID, so a retry never acts twice.
        Retry.MaxRetries = 2;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(1);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
    }

    /// <summary>The <c>api-version</c> query value.</summary>
    public string Version { get; }

    /// <summary>The clock that dates HMAC signatures and repeatability headers.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
