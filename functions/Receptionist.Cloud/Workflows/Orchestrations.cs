using DurableTask.Core;
using Receptionist.Core.Notifications;

namespace Receptionist.Cloud.Workflows;

/// <summary>
/// An appointment's workflow: its confirmation (booked or moved) now, then a durable timer to its reminder, then the
/// reminder — unless a <see cref="StopEvent"/> (the appointment moved or was cancelled) arrives first. Deterministic and
/// replay-safe: every read, write and send is an activity; time is the framework's.
/// </summary>
public sealed class AppointmentOrchestration : TaskOrchestration<string, WorkflowJob, string, string>
{
    /// <summary>The event the call core raises when the appointment moved or was cancelled; its data is the reason.</summary>
    public const string StopEvent = "Stop";

    private readonly TaskCompletionSource<string> _stopped = new();

    public override async Task<string> RunTask(OrchestrationContext context, WorkflowJob job)
    {
        var plan = await Steps.PlanAsync(context, job);
        var reminderDue = plan.ReminderInSeconds is { } seconds ? context.CurrentUtcDateTime.AddSeconds(seconds) : (DateTime?)null;
        var confirmation = plan.Key is { } key ? await Steps.SendAsync(context, job, key) : NotificationStatus.Skipped;
        if (reminderDue is not { } due || plan.ReminderKey is not { } reminderKey)
        {
            return confirmation;
        }

        using var cancelTimer = new CancellationTokenSource();
        var timer = context.CreateTimer(due, "reminder", cancelTimer.Token);
        if (await Task.WhenAny(timer, _stopped.Task) == _stopped.Task)
        {
            // Synchronously: CancelAsync would await the thread pool, which an orchestration must never do.
#pragma warning disable CA1849
            cancelTimer.Cancel();
#pragma warning restore CA1849
            await Steps.StopAsync(context, new StopRequest(job.TenantId, reminderKey, _stopped.Task.Result));
            return "stopped: " + _stopped.Task.Result;
        }

        // The appointment may have changed without a stop arriving (e.g. a raised event lost to a crash): the reminder's
        // own plan reads it again and sends only for a booked appointment.
        var reminder = await Steps.PlanAsync(context, job with { Kind = NotificationKinds.Reminder });
        return reminder.Key is { } k ? await Steps.SendAsync(context, job, k) : NotificationStatus.Skipped;
    }

    public override void OnEvent(OrchestrationContext context, string name, string input)
    {
        if (name == StopEvent)
        {
            _stopped.TrySetResult(string.IsNullOrEmpty(input) ? "stopped" : input);
        }
    }
}

/// <summary>One notification (a cancel's confirmation, an owner's message alert): plan it, send it with retries.</summary>
public sealed class NotificationOrchestration : TaskOrchestration<string, WorkflowJob>
{
    public override async Task<string> RunTask(OrchestrationContext context, WorkflowJob job)
    {
        var plan = await Steps.PlanAsync(context, job);
        return plan.Key is { } key ? await Steps.SendAsync(context, job, key) : NotificationStatus.Skipped;
    }
}

/// <summary>The steps the orchestrations share.</summary>
internal static class Steps
{
    /// <summary>Activities themselves are retried through storage blips (an activity that throws is not an SMS failure).</summary>
    private static readonly RetryOptions ActivityRetry = new(TimeSpan.FromSeconds(1), 6) { BackoffCoefficient = 2, MaxRetryInterval = TimeSpan.FromSeconds(30) };

    public static Task<PlanResult> PlanAsync(OrchestrationContext context, WorkflowJob job) =>
        context.ScheduleWithRetry<PlanResult>(typeof(PlanActivity), ActivityRetry, job);

    public static Task<bool> StopAsync(OrchestrationContext context, StopRequest stop) =>
        context.ScheduleWithRetry<bool>(typeof(StopActivity), ActivityRetry, stop);

    /// <summary>Sends a planned notification: an attempt, and after a retryable failure a durable timer with the
    /// policy's doubling wait and another attempt, up to the policy's count; then it is dead-lettered.</summary>
    public static async Task<string> SendAsync(OrchestrationContext context, WorkflowJob job, string key)
    {
        for (var attempt = 1; attempt <= job.Policy.MaxAttempts; attempt++)
        {
            var outcome = await context.ScheduleWithRetry<SendOutcome>(typeof(SendActivity), ActivityRetry, new SendRequest(job.TenantId, key, attempt));
            if (outcome.Status != SendOutcome.Retry)
            {
                return outcome.Status;
            }

            if (attempt < job.Policy.MaxAttempts)
            {
                await context.CreateTimer(context.CurrentUtcDateTime.Add(job.Policy.After(attempt)), true);
            }
        }

        await context.ScheduleWithRetry<bool>(typeof(GiveUpActivity), ActivityRetry, new SendRequest(job.TenantId, key, job.Policy.MaxAttempts));
        return NotificationStatus.DeadLettered;
    }
}
