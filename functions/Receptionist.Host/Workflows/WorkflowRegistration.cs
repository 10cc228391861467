using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Receptionist.Cloud.Tables;
using Receptionist.Cloud.Workflows;
using Receptionist.Core.Storage;
using Receptionist.Host.Acs;
using Receptionist.Core.Notifications;
using Receptionist.Core.Reporting;
using Receptionist.Telephony.Acs;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Host.Workflows;

public static class WorkflowRegistration
{
    /// <summary>After-call work (docs/workflows.md): SMS through Twilio's REST API and/or ACS (<see cref="SmsRouting"/>), the Notifications table, and — unless
    /// Workflows:Enabled is false — the Durable Task client the call core starts workflows with and its worker.</summary>
    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<WorkflowOptions>().Bind(config.GetSection(WorkflowOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TwilioRestOptions>().Bind(config.GetSection(TwilioRestOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(TwilioRestOptions.Section);
        services.AddSingleton<ISmsSender>(sp =>
        {
            var twilio = sp.GetRequiredService<IOptions<TwilioRestOptions>>().Value;
            var acs = sp.GetRequiredService<IOptions<AcsOptions>>().Value.Configured ? sp.GetRequiredService<AcsSmsSender>() : null;
            return SmsRouting.For(
                string.IsNullOrEmpty(twilio.AccountSid) || string.IsNullOrEmpty(twilio.AuthToken)
                    ? null
                    : new TwilioSmsSender(twilio, sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(TwilioRestOptions.Section)),
                acs,
                sp.GetRequiredService<ICallStore>());
        });
        services.AddSingleton<INotificationStore, TableNotificationStore>();
        services.AddSingleton<IOptOutStore, TableOptOutStore>();
        services.AddSingleton<ICallReportStore, TableCallReportStore>();
        services.AddSingleton<ICostLedger, TableCostLedger>();
        services.AddOptions<CostRates>().Bind(config.GetSection(CostRates.Section)).Validate(
            r => typeof(CostRates).GetProperties().All(p => (decimal)p.GetValue(r)! >= 0), "Costs: every price must be zero or more.").ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CostRates>>().Value);
        services.AddSingleton<WorkflowServices>();
        services.TryAddSingleton<Receptionist.Cloud.Llm.ICallSummaryWriter, Receptionist.Cloud.Llm.RulesSummaryWriter>(); // the LLM's when OpenAI is configured (AddUnderstanding)
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<StorageClients>();
            var options = sp.GetRequiredService<IOptions<WorkflowOptions>>().Value;
            return new WorkflowEngine(storage.Workflows(), options.HubName(storage.Options.TablePrefix), options, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton(sp => new ExpressSends(
            new PlanActivity(sp.GetRequiredService<WorkflowServices>(), sp.GetRequiredService<WorkflowEngine>()),
            sp.GetRequiredService<IOptions<WorkflowOptions>>().Value, sp.GetRequiredService<ILogger<ExpressSends>>()));
        services.AddSingleton<IWorkflows>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WorkflowOptions>>().Value;
            if (!options.Enabled)
            {
                return new NoWorkflows();
            }

            var engine = sp.GetRequiredService<WorkflowEngine>();
            var express = options.ExpressSends ? sp.GetRequiredService<ExpressSends>() : null;
            return options.Outbox
                ? new WorkflowOutbox(sp.GetRequiredService<TableSet>().WorkflowOutbox, new DurableWorkflows(engine),
                    express is null ? null : new DurableWorkflows(engine, express, start: false),
                    options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WorkflowOutbox>>())
                : new DurableWorkflows(engine, express);
        });
        services.AddHostedService<WorkflowHostedService>();
        return services;
    }
}

/// <summary>Runs the worker for the app's lifetime, started in the background: calls are answered at once, and
/// workflows started meanwhile wait in their queues. Storage that does not answer at start is retried every few seconds.</summary>
public sealed class WorkflowHostedService(IOptions<WorkflowOptions> options, IServiceProvider services, ILogger<WorkflowHostedService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private WorkflowWorker? _worker;
    private Task _starting = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogWarning("Workflows:Enabled is false: no confirmations, reminders or owner alerts are sent");
            return Task.CompletedTask;
        }

        // The outbox sweeps for starts a previous run left behind from its first resolution: now, not at the first call.
        _ = services.GetRequiredService<IWorkflows>();
        _worker = ActivatorUtilities.CreateInstance<WorkflowWorker>(services);
        _starting = RunAsync(_worker, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _starting.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_worker is not null)
        {
            await _worker.StopAsync(cancellationToken);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(WorkflowWorker worker, CancellationToken ct)
    {
        await Task.Yield();
        for (var attempt = 1; !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                await worker.StartAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.Log(attempt == 1 ? LogLevel.Error : LogLevel.Warning, "The workflow worker could not start ({Message}); retrying in {Seconds} s",
                    ex.Message, RetryEvery.TotalSeconds);
            }

            await Task.Delay(RetryEvery, ct);
        }
    }
}

/// <summary>Neither Twilio nor ACS configured: every SMS fails at once, for good, saying so (visible in `notifications list`).</summary>
public sealed class UnconfiguredSmsSender : ISmsSender
{
    public Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
        throw new SmsSendException("No SMS provider is configured: set Twilio:AccountSid and Twilio:AuthToken, or Acs:ConnectionString (or Acs:Endpoint).", 401, null);
}
