using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Receptionist.Calls;
using Receptionist.Host.Telemetry;

// In the host's namespace, as the other AddXxx of ReceptionistHost: one line there turns telemetry on.
namespace Receptionist.Host;

/// <summary>
/// OpenTelemetry traces, metrics and logs (docs/telemetry.md), registered only when there is somewhere to send them:
/// Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, any OTLP collector when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> grpc or http/protobuf), or both.
/// With neither, no provider and no listener exist: the product's spans and instruments cost a null check.
/// </summary>
public static class TelemetryRegistration
{
    public const string ServiceName = "receptionist";

    /// <summary>Request paths never traced: the platform's probes.</summary>
    private static readonly PathString[] Probes = ["/healthz", "/readyz"];

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddOptions<TelemetryOptions>()
            .Bind(config.GetSection(TelemetryOptions.Section))
            .Configure(o => o.ReadVariables(config))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Checked now as well as on start: the exporters are built with the logging (before start-up validation runs),
        // and a bad value must stop the app with a message naming it, not with an exporter's own error.
        var exporters = new TelemetryOptions();
        config.GetSection(TelemetryOptions.Section).Bind(exporters);
        exporters.ReadVariables(config);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(exporters, new ValidationContext(exporters), problems, validateAllProperties: true))
        {
            throw new OptionsValidationException(TelemetryOptions.Section, typeof(TelemetryOptions), problems.Select(p => p.ErrorMessage ?? "invalid"));
        }

        if (!exporters.Exports)
        {
            return builder;
        }

        var version = typeof(TelemetryRegistration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        void AzureMonitor(AzureMonitorExporterOptions o)
        {
            o.ConnectionString = exporters.AzureMonitorConnectionString;
            o.EnableLiveMetrics = false;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: version))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ReceptionistTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = http => !Probes.Any(p => http.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
                        o.RecordException = false; // exception messages may quote data; the status and error.type say what failed
                    })
                    .AddHttpClientInstrumentation(o =>
                    {
                        o.RecordException = false;
                    })
                    // First, so every exporter sees scrubbed spans only.
                    .AddProcessor(new RedactingSpanProcessor());
                if (exporters.UsesAzureMonitor)
                {
                    tracing.AddAzureMonitorTraceExporter(AzureMonitor);
                }

                if (exporters.UsesOtlp)
                {
                    tracing.AddOtlpExporter(); // endpoint, protocol, headers and batching from the standard OTEL_* settings
                }

                // After the exporters: Azure Monitor's registration sets a sampler of its own, this one wins.
                tracing.SetSampler(sp => new ReceptionistSampler(sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.SamplingRatio, exporters.UsesAzureMonitor));
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ReceptionistTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (exporters.UsesAzureMonitor)
                {
                    metrics.AddAzureMonitorMetricExporter(AzureMonitor);
                }

                if (exporters.UsesOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithLogging(
                logging =>
                {
                    logging.AddProcessor(new RedactingLogProcessor());
                    if (exporters.UsesAzureMonitor)
                    {
                        logging.AddAzureMonitorLogExporter(AzureMonitor);
                    }

                    if (exporters.UsesOtlp)
                    {
                        logging.AddOtlpExporter();
                    }
                },
                o =>
                {
                    // Trace and span ids come with every record written inside a span, and the redacting processor adds
                    // the turn's call and tenant ids. Scopes are not exported: ASP.NET Core's carry the request path
                    // (a sign-in link's secret), and a processor cannot rewrite them.
                    o.IncludeScopes = false;
                    o.IncludeFormattedMessage = true;
                });
        return builder;
    }
}
