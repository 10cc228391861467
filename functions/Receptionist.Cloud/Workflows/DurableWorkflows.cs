using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.Extensions.Logging;
using Receptionist.Core.Notifications;

namespace Receptionist.Cloud.Workflows;

/// <summary>
/// The Durable Task Framework's Azure Storage back end on the app's storage account, one per process: the client side
/// (<see cref="DurableWorkflows"/>) and the worker (<see cref="WorkflowWorker"/>) share it.
/// </summary>
public sealed class WorkflowEngine
{
    public WorkflowEngine(string connectionString, string taskHub, WorkflowOptions options, ILoggerFactory loggers)
    {
        var lease = TimeSpan.FromSeconds(options.LeaseSeconds);
        Settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHub,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(options.MaxPollingIntervalMilliseconds),
            LeaseInterval = lease,
            LeaseRenewInterval = lease / 3,
            LeaseAcquireInterval = lease / 3,
            LoggerFactory = loggers,
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
        };
        Service = new AzureStorageOrchestrationService(Settings);
        Client = new TaskHubClient(Service, loggerFactory: loggers);
        Policy = options.Policy();
    }

    public AzureStorageOrchestrationServiceSettings Settings { get; }

    public AzureStorageOrchestrationService Service { get; }

    public TaskHubClient Client { get; }

    public SendPolicy Policy { get; }

    public string TaskHub => Settings.TaskHubName;
}

/// <summary>
/// <see cref="IWorkflows"/> on the Durable Task Framework. Instance ids derive from what they are about, and a start
/// is ignored when that instance is pending, running or done — so a retried turn starts nothing twice.
/// </summary>
public sealed class DurableWorkflows(WorkflowEngine engine, ILogger<DurableWorkflows> logger) : IWorkflows
{
    private static readonly OrchestrationStatus[] Dedupe =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Completed, OrchestrationStatus.ContinuedAsNew];

    public Task BookedAsync(AppointmentKey appointment, CancellationToken cancellationToken) =>
        StartAsync(typeof(AppointmentOrchestration), NotificationKeys.AppointmentInstance(appointment.TenantId, appointment.Id),
            WorkflowJob.For(NotificationKinds.Booked, appointment, engine.Policy));

    public async Task MovedAsync(AppointmentKey from, AppointmentKey to, CancellationToken cancellationToken)
    {
        await StopAsync(from, "moved");
        await StartAsync(typeof(AppointmentOrchestration), NotificationKeys.AppointmentInstance(to.TenantId, to.Id),
            WorkflowJob.For(NotificationKinds.Moved, to, engine.Policy));
    }

    public async Task CancelledAsync(AppointmentKey appointment, CancellationToken cancellationToken)
    {
        await StopAsync(appointment, "cancelled");
        await StartAsync(typeof(NotificationOrchestration), NotificationKeys.NotificationInstance(appointment.TenantId, appointment.Id, NotificationKinds.Cancelled),
            WorkflowJob.For(NotificationKinds.Cancelled, appointment, engine.Policy));
    }

    public Task MessageTakenAsync(string tenantId, string messageId, CancellationToken cancellationToken) =>
        StartAsync(typeof(NotificationOrchestration), NotificationKeys.NotificationInstance(tenantId, messageId, NotificationKinds.OwnerMessage),
            new WorkflowJob(NotificationKinds.OwnerMessage, tenantId, messageId, string.Empty, DateTime.UnixEpoch, engine.Policy));

    private async Task StartAsync(Type orchestration, string instanceId, WorkflowJob job)
    {
        try
        {
            await engine.Client.CreateOrchestrationInstanceAsync(orchestration, instanceId, job, Dedupe);
            logger.LogDebug("Started {Orchestration} {InstanceId}", orchestration.Name, instanceId);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            logger.LogDebug("{InstanceId} was started before", instanceId);
        }
    }

    /// <summary>Tells an appointment's workflow to stop waiting for its reminder. An instance that has ended (or never
    /// started) drops the event; its reminder step re-reads the appointment anyway.</summary>
    private Task StopAsync(AppointmentKey appointment, string reason) =>
        engine.Client.RaiseEventAsync(new OrchestrationInstance { InstanceId = NotificationKeys.AppointmentInstance(appointment.TenantId, appointment.Id) },
            AppointmentOrchestration.StopEvent, reason);
}

/// <summary>Workflows switched off (Workflows:Enabled false): nothing after the call runs; the app said so at start.</summary>
public sealed class NoWorkflows : IWorkflows
{
    public Task BookedAsync(AppointmentKey appointment, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task MovedAsync(AppointmentKey from, AppointmentKey to, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CancelledAsync(AppointmentKey appointment, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task MessageTakenAsync(string tenantId, string messageId, CancellationToken cancellationToken) => Task.CompletedTask;
}
