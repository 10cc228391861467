using Microsoft.Extensions.Options;
using Receptionist.Cloud.Tables;
using Receptionist.Cloud.Workflows;
using Receptionist.Core.Notifications;
using Receptionist.Telephony.Twilio;

namespace Receptionist.Host.Workflows;

public static class WorkflowRegistration
{
    /// <summary>After-call work (docs/workflows.md): SMS through Twilio's REST API, the Notifications table, and — unless
    /// Workflows:Enabled is false — the Durable Task client the call core starts workflows with and its worker.</summary>
    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<WorkflowOptions>().Bind(config.GetSection(WorkflowOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TwilioRestOptions>().Bind(config.GetSection(TwilioRestOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(TwilioRestOptions.Section);
        services.AddSingleton<ISmsSender>(sp =>
        {
            var twilio = sp.GetRequiredService<IOptions<TwilioRestOptions>>().Value;
            return string.IsNullOrEmpty(twilio.AccountSid) || string.IsNullOrEmpty(twilio.AuthToken)
                ? new UnconfiguredSmsSender()
                : new TwilioSmsSender(twilio, sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(TwilioRestOptions.Section));
        });
        services.AddSingleton<INotificationStore, TableNotificationStore>();
        services.AddSingleton<IOptOutStore, TableOptOutStore>();
        services.AddSingleton<WorkflowServices>();
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var options = sp.GetRequiredService<IOptions<WorkflowOptions>>().Value;
            return new WorkflowEngine(storage.ConnectionString, options.HubName(storage.TablePrefix), options, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton<IWorkflows>(sp => sp.GetRequiredService<IOptions<WorkflowOptions>>().Value.Enabled
            ? ActivatorUtilities.CreateInstance<DurableWorkflows>(sp)
            : new NoWorkflows());
        services.AddHostedService<WorkflowHostedService>();
        return services;
    }
}

/// <summary>Runs the worker for the app's lifetime. Storage that does not answer at start does not stop the app (calls
/// are still answered); the worker is started as soon as it does.</summary>
public sealed class WorkflowHostedService(IOptions<WorkflowOptions> options, IServiceProvider services, ILogger<WorkflowHostedService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private WorkflowWorker? _worker;
    private Task _starting = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogWarning("Workflows:Enabled is false: no confirmations, reminders or owner alerts are sent");
            return;
        }

        _worker = ActivatorUtilities.CreateInstance<WorkflowWorker>(services);
        try
        {
            await _worker.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("The workflow worker could not start ({Message}); retrying every {Seconds} s", ex.Message, RetryEvery.TotalSeconds);
            _starting = RetryAsync(_worker, _stopping.Token);
        }
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

    private async Task RetryAsync(WorkflowWorker worker, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(RetryEvery, ct);
            try
            {
                await worker.StartAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("The workflow worker still cannot start: {Message}", ex.Message);
            }
        }
    }
}

/// <summary>No Twilio account configured: every SMS fails at once, for good, saying so (visible in `notifications list`).</summary>
public sealed class UnconfiguredSmsSender : ISmsSender
{
    public Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
        throw new SmsSendException("No SMS provider is configured: set Twilio:AccountSid and Twilio:AuthToken.", 401, null);
}
