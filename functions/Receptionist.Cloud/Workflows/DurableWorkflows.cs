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
    /// <param name="storage">The app's storage account (<see cref="Tables.StorageClients.Workflows"/>).</param>
    public WorkflowEngine(StorageAccountClientProvider storage, string taskHub, WorkflowOptions options, ILoggerFactory loggers)
    {
        var lease = TimeSpan.FromSeconds(options.LeaseSeconds);
        Settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = storage,
            TaskHubName = taskHub,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(options.MaxPollingIntervalMilliseconds),
            LeaseInterval = lease,
            LeaseRenewInterval = lease / 3,
            LeaseAcquireInterval = lease / 3,

            // A message a crashed worker had taken (an activity running, an episode half-done) reappears after this —
            // the framework's default is 5 minutes, which would hold a confirmation back that long. Live work renews it.
            ControlQueueVisibilityTimeout = Recovery(options),
            WorkItemQueueVisibilityTimeout = Recovery(options),
            LoggerFactory = loggers,
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",

            // Every app instance works (the partitions are shared through their leases), rather than one holding the
            // app lease while the others wait: a restarted or scaled-out app starts working as soon as it has partitions.
            UseAppLease = false,

            // An orchestration stays loaded between its steps (for a while), instead of reading its history back each time.
            ExtendedSessionsEnabled = true,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        Service = new AzureStorageOrchestrationService(Settings);
        Client = new TaskHubClient(Service, loggerFactory: loggers);
        Policy = options.Policy();
        AfterCallDelaySeconds = options.AfterCallDelaySeconds;
    }

    /// <summary>How long after the end a call's report waits (a late duration report lands first).</summary>
    public double AfterCallDelaySeconds { get; }

    public AzureStorageOrchestrationServiceSettings Settings { get; }

    /// <summary>How soon work a crashed worker had taken is done again: twice the lease, at least 30 s.</summary>
    public static TimeSpan Recovery(WorkflowOptions options) => TimeSpan.FromSeconds(Math.Max(30, 2 * options.LeaseSeconds));

    public AzureStorageOrchestrationService Service { get; }

    public TaskHubClient Client { get; }

    public SendPolicy Policy { get; }

    public string TaskHub => Settings.TaskHubName;

    /// <summary>The one hourly digest ticker of the hub.</summary>
    public const string DigestInstance = "digests";

    /// <summary>A start is ignored while the instance is pending, running or done: once ever.</summary>
    public static readonly OrchestrationStatus[] Once =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Completed, OrchestrationStatus.ContinuedAsNew];

    /// <summary>A start is ignored only while the instance is pending or running: again once it has finished.</summary>
    public static readonly OrchestrationStatus[] WhileRunning = [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.ContinuedAsNew];

    /// <summary>Starts <paramref name="orchestration"/> as <paramref name="instanceId"/> unless that instance is in one of
    /// <paramref name="dedupe"/> (default <see cref="Once"/>; then nothing happens): what makes every start idempotent.</summary>
    public async Task StartAsync(Type orchestration, string instanceId, object input, OrchestrationStatus[]? dedupe = null)
    {
        try
        {
            await Client.CreateOrchestrationInstanceAsync(orchestration, instanceId, input, dedupe ?? Once);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // started before
        }
    }
}

/// <summary>
/// <see cref="IWorkflows"/> on the Durable Task Framework. Instance ids derive from what they are about, and a start
/// is ignored when that instance is pending, running or done — so a retried turn starts nothing twice. What is due at
/// once is also offered to <see cref="ExpressSends"/> once its workflow has started (not before: the workflow is the
/// guarantee). Behind <see cref="WorkflowOutbox"/> there are two: one that only offers (<paramref name="start"/> false),
/// called as soon as the outbox row is written (the row is then the guarantee), and one that only starts, in the
/// outbox's lanes — so the express lane never waits behind the framework's starts.
/// </summary>
public sealed class DurableWorkflows(WorkflowEngine engine, ExpressSends? express = null, bool start = true) : IWorkflows
{
    public Task BookedAsync(AppointmentKey appointment, CancellationToken cancellationToken) =>
        StartAsync(typeof(AppointmentOrchestration), NotificationKeys.AppointmentInstance(appointment.TenantId, appointment.Id),
            WorkflowJob.For(NotificationKinds.Booked, appointment, engine.Policy));

    // The new work is started before the old reminder is stopped: if stopping fails, the old reminder still reads its
    // appointment before sending and finds it no longer booked; if starting failed, nothing would repair it.
    public async Task MovedAsync(AppointmentKey from, AppointmentKey to, CancellationToken cancellationToken)
    {
        await StartAsync(typeof(AppointmentOrchestration), NotificationKeys.AppointmentInstance(to.TenantId, to.Id),
            WorkflowJob.For(NotificationKinds.Moved, to, engine.Policy));
        await StopAsync(from, "moved");
    }

    public async Task CancelledAsync(AppointmentKey appointment, CancellationToken cancellationToken)
    {
        await StartAsync(typeof(NotificationOrchestration), NotificationKeys.NotificationInstance(appointment.TenantId, appointment.Id, NotificationKinds.Cancelled),
            WorkflowJob.For(NotificationKinds.Cancelled, appointment, engine.Policy));
        await StopAsync(appointment, "cancelled");
    }

    public Task MessageTakenAsync(string tenantId, string messageId, CancellationToken cancellationToken) =>
        StartAsync(typeof(NotificationOrchestration), NotificationKeys.NotificationInstance(tenantId, messageId, NotificationKinds.OwnerMessage),
            new WorkflowJob(NotificationKinds.OwnerMessage, tenantId, messageId, string.Empty, DateTime.UnixEpoch, engine.Policy));

    /// <summary>Every end report (re)computes the report once the one before has finished: a later report may bring
    /// the duration, and the report replaces what it wrote.</summary>
    public Task CallEndedAsync(string tenantId, string callId, CancellationToken cancellationToken) =>
        engine.StartAsync(typeof(AfterCallOrchestration), NotificationKeys.CallInstance(callId),
            new WorkflowJob(NotificationKinds.AfterCall, tenantId, callId, string.Empty, DateTime.UnixEpoch, engine.Policy) { DelaySeconds = engine.AfterCallDelaySeconds },
            WorkflowEngine.WhileRunning);

    private async Task StartAsync(Type orchestration, string instanceId, WorkflowJob job)
    {
        if (start)
        {
            await engine.StartAsync(orchestration, instanceId, job);
        }

        express?.Offer(job);
    }

    /// <summary>Tells an appointment's workflow to stop waiting for its reminder. An instance that has ended (or never
    /// started) drops the event; its reminder step re-reads the appointment anyway.</summary>
    private Task StopAsync(AppointmentKey appointment, string reason) => !start ? Task.CompletedTask :
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

    public Task CallEndedAsync(string tenantId, string callId, CancellationToken cancellationToken) => Task.CompletedTask;
}
