using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Professions;
using Receptionist.Core.Storage;
using Receptionist.Core.Understanding;
using Receptionist.Calls;
using Receptionist.Host.Acs;
using Receptionist.Host.Configuration;
using Receptionist.Host.Owners;
using Receptionist.Host.Professions;
using Receptionist.Host.Streaming;
using Receptionist.Host.Twilio;
using Receptionist.Host.Workflows;

namespace Receptionist.Host;

/// <summary>Builds the web app. Program.cs and the CLI's `up` both use it, and so do the integration tests.</summary>
public static class ReceptionistHost
{
    /// <param name="overrides">Test seam: replaces service registrations after the app's own.</param>
    public static WebApplication Build(string[] args, string? localSettingsPath = null, Action<WebApplicationBuilder>? configure = null,
        Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        LocalSettings.AddBelowEnvironment(builder.Configuration, localSettingsPath ?? Path.Combine(Directory.GetCurrentDirectory(), LocalSettings.FileName));
        configure?.Invoke(builder);
        builder.AddKeyVaultSecrets();
        builder.AddReceptionistServices();
        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler(); // an unexpected error is a 500 ProblemDetails, no stack trace (AddProblemDetails below)
        app.UseStatusCodePages(); // every other bodiless 4xx/5xx (404, 405, …) gets a ProblemDetails with its reason
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapHealthApi();
        app.MapTwilioApi();
        app.MapAcsApi();
        app.MapOwners();
        return app;
    }

    public static WebApplicationBuilder AddReceptionistServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        builder.Logging.AddSimpleConsole(o =>
        {
            o.IncludeScopes = true;
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.AddTelemetry(); // OpenTelemetry when an exporter is configured (docs/telemetry.md)

        var acsOnly = config.GetSection(AcsOptions.Section).Get<AcsOptions>()?.Configured == true;
        services.AddOptions<TwilioOptions>().Bind(config.GetSection(TwilioOptions.Section)).ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrEmpty(o.AuthToken) || acsOnly,
                "Twilio:AuthToken is required (Twilio__AuthToken in local.settings.json or the environment, Twilio--AuthToken in Key Vault), unless ACS is the only channel (Acs:Endpoint or Acs:ConnectionString).")
            .Validate(o => string.IsNullOrEmpty(o.AuthToken) || o.AuthToken.Length >= TwilioOptions.MinAuthTokenLength, "Twilio:AuthToken is too short to be a real token.")
            .ValidateOnStart();
        services.AddOptions<ReceptionistOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(config.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PromptsOptions>().Bind(config.GetSection(PromptsOptions.Section));
        services.AddOptions<CallsOptions>().Bind(config.GetSection(CallsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(CreateClock(config, builder.Environment));
        services.AddSingleton(sp => ProfessionLoader.Load(sp.GetRequiredService<IOptions<PromptsOptions>>().Value.ResolvedDirectory));
        // One identity for every Azure service reached without a key (storage by endpoint, Key Vault, OpenAI, ACS):
        // the managed identity in Azure (AZURE_CLIENT_ID names the user-assigned one), the developer's login locally.
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton(sp => new StorageClients(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TokenCredential>(),
            sp.GetService<HttpPipelineTransport>()));
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<StorageClients>();
            return new TableSet(storage.Tables(), storage.Options.TablePrefix);
        });
        services.AddSingleton<ITenantStore, TableTenantStore>();
        services.AddSingleton<ICallStore, TableCallStore>();
        services.AddSingleton<IAppointmentStore, TableAppointmentStore>();
        services.AddSingleton<IMessageStore, TableMessageStore>();
        services.AddSingleton<ILookupLimiter, TableLookupLimiter>();
        services.AddUnderstanding(config);
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<Core.Tenants.ITenants>(sp => sp.GetRequiredService<TenantDirectory>());
        services.AddSingleton<CallCore>();
        services.AddSingleton<TwilioWebhookFilter>();
        services.AddAcs(config);
        services.AddStreaming(config);
        services.AddHostedService<StartupChecks>();
        services.AddWorkflows(config);
        services.AddOwners(config, builder.Environment);
        services.AddProblemDetails();
        return builder;
    }

    /// <summary>Tables by connection string, failing fast as the app's do (<see cref="StorageClients"/>).</summary>
    public static TableServiceClient CreateTableService(string connectionString) => StorageClients.Tables(connectionString);

    private static TimeProvider CreateClock(IConfiguration config, IWebHostEnvironment env)
    {
        var now = config[$"{ClockOptions.Section}:Now"];
        if (string.IsNullOrWhiteSpace(now) || !env.IsDevelopment())
        {
            return TimeProvider.System;
        }

        return DateTimeOffset.TryParse(now, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start) && now.Length > 10
            ? new StartedClock(start, TimeProvider.System)
            : throw new OptionsValidationException("Clock:Now", typeof(ClockOptions), [$"Clock:Now: '{now}' is not an ISO-8601 instant with offset, e.g. 2026-11-23T09:00:00-05:00"]);
    }
}
