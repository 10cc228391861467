using System.ComponentModel.DataAnnotations;

namespace Receptionist.Host.Telemetry;

/// <summary>
/// What telemetry exports to and how much of it: configuration section "Telemetry" plus the standard variables
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (read from configuration, so environment variables and local.settings.json both
/// work). Validated at start: a bad value stops the app with a message naming the setting.
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";
    public const string AzureMonitorVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>Share of call traces kept (0 to 1, trace-id ratio; a span follows its parent's decision).</summary>
    public double SamplingRatio { get; set; } = 1.0;

    /// <summary><see cref="AzureMonitorVariable"/>; null when not set.</summary>
    public string? AzureMonitorConnectionString { get; set; }

    /// <summary><see cref="OtlpEndpointVariable"/>; null when not set.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><see cref="OtlpProtocolVariable"/>: "grpc" (the .NET exporter's default) or "http/protobuf".</summary>
    public string? OtlpProtocol { get; set; }

    public bool UsesAzureMonitor => !string.IsNullOrWhiteSpace(AzureMonitorConnectionString);

    public bool UsesOtlp => !string.IsNullOrWhiteSpace(OtlpEndpoint);

    /// <summary>Anything to export to; without it no OpenTelemetry provider is registered at all.</summary>
    public bool Exports => UsesAzureMonitor || UsesOtlp;

    /// <summary>Reads the standard variables (the section itself is bound as options are).</summary>
    public void ReadVariables(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        AzureMonitorConnectionString = Empty(config[AzureMonitorVariable]);
        OtlpEndpoint = Empty(config[OtlpEndpointVariable]);
        OtlpProtocol = Empty(config[OtlpProtocolVariable]);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (double.IsNaN(SamplingRatio) || SamplingRatio is < 0 or > 1)
        {
            yield return new ValidationResult($"{Section}:SamplingRatio must be between 0 and 1 (got {SamplingRatio.ToString(System.Globalization.CultureInfo.InvariantCulture)}).",
                [nameof(SamplingRatio)]);
        }

        if (OtlpProtocol is { } protocol && protocol.Trim().ToLowerInvariant() is not ("grpc" or "http/protobuf"))
        {
            yield return new ValidationResult($"{OtlpProtocolVariable} must be 'grpc' or 'http/protobuf' (got '{protocol}'); 'http/json' is not supported by the .NET exporter.",
                [nameof(OtlpProtocol)]);
        }

        if (OtlpEndpoint is { } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            // Not echoed: a collector URL may carry a key (user info or a query).
            yield return new ValidationResult($"{OtlpEndpointVariable} must be an absolute http(s) URL, e.g. http://localhost:4318 (the value set is {endpoint.Length} characters and is not one).",
                [nameof(OtlpEndpoint)]);
        }

        if (AzureMonitorConnectionString is { } connection && ConnectionStringProblem(connection) is { } problem)
        {
            // The value itself is a credential of sorts: never echoed.
            yield return new ValidationResult($"{AzureMonitorVariable} is not an Application Insights connection string: {problem}.",
                [nameof(AzureMonitorConnectionString)]);
        }
    }

    /// <summary>Why a connection string is not one Application Insights gives out ("InstrumentationKey=guid;IngestionEndpoint=https://…;…"), or null.</summary>
    public static string? ConnectionStringProblem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return "every part must be Name=value";
            }

            if (!parts.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim()))
            {
                return $"'{part[..eq].Trim()}' appears twice";
            }
        }

        if (!parts.TryGetValue("InstrumentationKey", out var key) || !Guid.TryParse(key, out _))
        {
            return "InstrumentationKey must be a GUID";
        }

        foreach (var name in new[] { "IngestionEndpoint", "LiveEndpoint" })
        {
            if (parts.TryGetValue(name, out var url) && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                return $"{name} must be an absolute http(s) URL";
            }
        }

        return null;
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
