using System.Diagnostics.Metrics;

namespace Receptionist.Cloud;

/// <summary>
/// The Cloud project's metrics, on a meter with the product's name ("Receptionist", as Receptionist.Calls'
/// ReceptionistTelemetry: a listener of that name gets both). Tags are closed vocabularies (docs/telemetry.md).
/// </summary>
public static class CloudTelemetry
{
    public const string Name = "Receptionist";

    public static readonly Meter Meter = new(Name, typeof(CloudTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> LlmFallbacks = Meter.CreateCounter<long>(
        "receptionist.llm.fallbacks", "{fallback}", "Times the model was asked but the rules' reading was used, by reason");

    public static readonly Counter<long> StorageRetries = Meter.CreateCounter<long>(
        "receptionist.storage.retries", "{retry}", "Conditional storage writes that lost to a concurrent writer and are tried again, by operation");

    public static readonly Counter<long> NotificationsFailed = Meter.CreateCounter<long>(
        "receptionist.notifications.failed", "{notification}", "Text message attempts that failed (to be retried, for good, or dead-lettered), by kind");

    /// <summary>Values of the LLM fallback reason tag.</summary>
    public static class LlmReasons
    {
        public const string CircuitOpen = "circuit-open";
        public const string Timeout = "timeout";
        public const string HttpError = "http-error";

        /// <summary>No answer at all (connection refused, DNS, TLS).</summary>
        public const string Unreachable = "unreachable";
        public const string Error = "error";
        public const string Refused = "refused";
        public const string Incomplete = "incomplete";
        public const string Malformed = "malformed";
    }

    public static void LlmFallback(string reason)
    {
        if (LlmFallbacks.Enabled)
        {
            LlmFallbacks.Add(1, new KeyValuePair<string, object?>("receptionist.llm.reason", reason));
        }
    }

    /// <summary>A conditional write lost a race and is tried again ("call-turn", "lookup-limit", "owner-access", "reserve").</summary>
    public static void StorageRetry(string operation)
    {
        if (StorageRetries.Enabled)
        {
            StorageRetries.Add(1, new KeyValuePair<string, object?>("receptionist.storage.operation", operation));
        }
    }

    /// <summary>A text message attempt failed: <paramref name="result"/> "retry", "failed" (for good) or "dead-lettered".</summary>
    public static void NotificationFailed(string kind, string result, string tenantId)
    {
        if (NotificationsFailed.Enabled)
        {
            NotificationsFailed.Add(1, new KeyValuePair<string, object?>("receptionist.notification.kind", kind),
                new KeyValuePair<string, object?>("receptionist.notification.result", result), new KeyValuePair<string, object?>("receptionist.tenant.id", tenantId));
        }
    }
}
