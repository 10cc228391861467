using DurableTask.Core;
using Microsoft.Extensions.Logging;

namespace Receptionist.Cloud.Workflows;

/// <summary>
/// The Durable Task worker inside the app: creates the task hub's queues, tables and lease container if missing,
/// then runs the orchestrations and activities of <see cref="AppointmentOrchestration"/> and
/// <see cref="NotificationOrchestration"/>. Several app instances share the hub's partitions through leases; a crashed
/// one's partitions are taken over when its leases expire (Workflows:LeaseSeconds).
/// </summary>
public sealed class WorkflowWorker(WorkflowEngine engine, WorkflowServices services, Core.Storage.ITenantStore tenants, Llm.ICallSummaryWriter summaries, ILoggerFactory loggers)
{
    private TaskHubWorker? _worker;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.Service.CreateIfNotExistsAsync().WaitAsync(cancellationToken);
        var worker = new TaskHubWorker(engine.Service, loggers);
        worker.AddTaskOrchestrations(typeof(AppointmentOrchestration), typeof(NotificationOrchestration), typeof(AfterCallOrchestration), typeof(DigestOrchestration),
            typeof(OwnerBatchOrchestration));
        worker.AddTaskActivities(new PlanActivity(services, engine), new OwnerBatchActivity(services), new SendActivity(services), new GiveUpActivity(services), new StopActivity(services), new ReportActivity(services, summaries),
            new DigestDueActivity(services, engine, tenants));
        await worker.StartAsync().WaitAsync(cancellationToken);
        _worker = worker;
        await engine.StartAsync(typeof(DigestOrchestration), WorkflowEngine.DigestInstance, engine.Policy);
        loggers.CreateLogger<WorkflowWorker>().LogInformation("After-call workflows running on task hub {TaskHub}", engine.TaskHub);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is { } worker)
        {
            _worker = null;

            // Work in flight is abandoned, not lost: its messages become visible again and run on the next start.
            await worker.StopAsync(isForced: true).WaitAsync(cancellationToken);
            worker.Dispose();
        }
    }
}
