using Azure.Core;

namespace Receptionist.Telephony.Acs;

/// <summary>Options of <see cref="AcsSmsClient"/>: the SMS API version, pinned here and nowhere else, and the pipeline's
/// retry, transport and diagnostics settings (Azure SDK conventions).</summary>
public sealed class AcsSmsClientOptions : ClientOptions
{
    public enum ServiceVersion
    {
        V2021_03_07 = 1,
    }

    public const ServiceVersion LatestVersion = ServiceVersion.V2021_03_07;

    public AcsSmsClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2021_03_07 => "2021-03-07",
            _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Unknown SMS API version"),
        };

        // Inside ISmsSender.MaxSendTime (30 s) with room to spare: 3 tries of at most 8 s and their short waits. Every
        // recipient carries a repeatabilityRequestId, so a retried request never sends a text twice.
        Retry.MaxRetries = 2;
        Retry.Delay = TimeSpan.FromMilliseconds(500);
        Retry.MaxDelay = TimeSpan.FromSeconds(2);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(8);
    }

    /// <summary>The <c>api-version</c> query value.</summary>
    public string Version { get; }

    /// <summary>The clock that dates HMAC signatures and <c>repeatabilityFirstSent</c>.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
