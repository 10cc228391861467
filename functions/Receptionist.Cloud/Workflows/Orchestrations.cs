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
        var confirmation = plan.Key is { } key ? await Steps.SendAsync(context, job, key, plan.FirstAttempt, plan.FirstHeldForSeconds) : NotificationStatus.Skipped;
        if (reminderDue is not { } due || plan.ReminderKey is not { } reminderKey)
        {
            return confirmation;
        }

        if (await StoppedBeforeAsync(context, due))
        {
            await Steps.StopAsync(context, new StopRequest(job.TenantId, reminderKey, _stopped.Task.Result));
            return "stopped: " + _stopped.Task.Result;
        }

        // The appointment may have changed without a stop arriving (e.g. a raised event lost to a crash): the reminder's
        // own plan reads it again and sends only for a booked appointment.
        var reminder = await Steps.PlanAsync(context, job with { Kind = NotificationKinds.Reminder });
        return reminder.Key is { } k ? await Steps.SendAsync(context, job, k, reminder.FirstAttempt, reminder.FirstHeldForSeconds) : NotificationStatus.Skipped;
    }

    /// <summary>Waits for <paramref name="due"/> on durable timers, or for a stop; true when stopped first. A queue
    /// message cannot stay hidden longer than 7 days, so a wait longer than <see cref="LongestTimer"/> is a chain of timers.</summary>
    private async Task<bool> StoppedBeforeAsync(OrchestrationContext context, DateTime due)
    {
        while (true)
        {
            var until = due - context.CurrentUtcDateTime > LongestTimer ? context.CurrentUtcDateTime + LongestTimer : due;
            using var cancelTimer = new CancellationTokenSource();
            var timer = context.CreateTimer(until, "reminder", cancelTimer.Token);
            if (await Task.WhenAny(timer, _stopped.Task) == _stopped.Task)
            {
                // Synchronously: CancelAsync would await the thread pool, which an orchestration must never do.
#pragma warning disable CA1849
                cancelTimer.Cancel();
#pragma warning restore CA1849
                return true;
            }

            if (until >= due)
            {
                return false;
            }
        }
    }

    /// <summary>The longest single durable timer (Azure Storage queues hide a message for at most 7 days).</summary>
    public static readonly TimeSpan LongestTimer = TimeSpan.FromDays(6);

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
        return plan.Key is { } key ? await Steps.SendAsync(context, job, key, plan.FirstAttempt, plan.FirstHeldForSeconds) : NotificationStatus.Skipped;
    }
}

/// <summary>
/// A tenant's owner batch for one window (<c>ownerAlertBatchMinutes</c>): a durable timer to the window's end, then one
/// text with every non-urgent message of the window that has no alert yet — sent with the same claim and retries as
/// any notification. Started by each message of the window; the instance id (tenant + window start) makes it once.
/// </summary>
public sealed class OwnerBatchOrchestration : TaskOrchestration<string, WorkflowJob>
{
    /// <summary>How often the batch looks again when the app's clock says its window is still open (it only happens
    /// when a durable timer fired early or the app's clock lags): a bound, not an expectation.</summary>
    public const int MaxLooks = 10;

    /// <summary>Added to every wait: a durable timer on Azure Storage may fire up to a second early (the queue hides its
    /// message for whole seconds), and a look that finds the window open a moment before its end would only look again.</summary>
    public static readonly TimeSpan TimerMargin = TimeSpan.FromSeconds(1.5);

    public override async Task<string> RunTask(OrchestrationContext context, WorkflowJob job)
    {
        var plan = await Steps.BatchAsync(context, job);
        for (var looks = 1; plan.WaitSeconds is { } wait && looks <= MaxLooks; looks++)
        {
            await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(wait) + TimerMargin, true);
            plan = await Steps.BatchAsync(context, job);
        }

        // Still open after every look: its messages stay scheduled, and the tenant's next batch takes them.
        return plan.Key is { } key ? await Steps.SendAsync(context, job, key, plan.FirstAttempt, plan.FirstHeldForSeconds)
            : plan.WaitSeconds is null ? NotificationStatus.Skipped : "window still open";
    }
}

/// <summary>A call that ended: after a short wait (for the carrier's last report), its summary and cost are stored.</summary>
public sealed class AfterCallOrchestration : TaskOrchestration<string, WorkflowJob>
{
    public override async Task<string> RunTask(OrchestrationContext context, WorkflowJob job)
    {
        if (job.DelaySeconds > 0)
        {
            await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(job.DelaySeconds), true);
        }

        return await context.ScheduleWithRetry<string>(typeof(ReportActivity), Steps.ActivityRetry, job);
    }
}

/// <summary>The hourly digest ticker: starts the digests due this hour, sleeps to the next hour, and begins again
/// with an empty history (ContinueAsNew), for as long as the hub exists.</summary>
public sealed class DigestOrchestration : TaskOrchestration<string, SendPolicy>
{
    public override async Task<string> RunTask(OrchestrationContext context, SendPolicy policy)
    {
        var seconds = await context.ScheduleWithRetry<double>(typeof(DigestDueActivity), Steps.ActivityRetry, policy);
        await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(seconds), true);
        context.ContinueAsNew(policy);
        return "next hour";
    }
}

/// <summary>The steps the orchestrations share.</summary>
internal static class Steps
{
    /// <summary>Activities themselves are retried through storage blips (an activity that throws is not an SMS failure).</summary>
    public static readonly RetryOptions ActivityRetry = new(TimeSpan.FromSeconds(1), 6) { BackoffCoefficient = 2, MaxRetryInterval = TimeSpan.FromSeconds(30) };

    public static Task<PlanResult> PlanAsync(OrchestrationContext context, WorkflowJob job) =>
        context.ScheduleWithRetry<PlanResult>(typeof(PlanActivity), ActivityRetry, job);

    public static Task<PlanResult> BatchAsync(OrchestrationContext context, WorkflowJob job) =>
        context.ScheduleWithRetry<PlanResult>(typeof(OwnerBatchActivity), ActivityRetry, job);

    public static Task<bool> StopAsync(OrchestrationContext context, StopRequest stop) =>
        context.ScheduleWithRetry<bool>(typeof(StopActivity), ActivityRetry, stop);

    /// <summary>Sends a planned notification whose first attempt came to <paramref name="first"/> (made by the plan; null:
    /// none yet): after a retryable failure a durable timer with the policy's doubling wait and another attempt, up to
    /// the policy's count; then it is dead-lettered.</summary>
    public static async Task<string> SendAsync(OrchestrationContext context, WorkflowJob job, string key, string? first, double? firstHeld = null)
    {
        if (first is not null && first != SendOutcome.Retry)
        {
            return first;
        }

        // A first attempt that stood back was no attempt: wait out the hold and make attempt 1.
        var stoodBack = first is not null && firstHeld is not null;
        var wait = first is null ? TimeSpan.Zero : stoodBack ? TimeSpan.FromSeconds(Math.Max(1, firstHeld!.Value)) : job.Policy.After(1);
        for (var attempt = first is null || stoodBack ? 1 : 2; attempt <= job.Policy.MaxAttempts; attempt++)
        {
            if (wait > TimeSpan.Zero)
            {
                await context.CreateTimer(context.CurrentUtcDateTime.Add(wait), true);
            }

            var outcome = await context.ScheduleWithRetry<SendOutcome>(typeof(SendActivity), ActivityRetry, new SendRequest(job.TenantId, key, attempt) { Job = job });
            if (outcome.Status != SendOutcome.Retry)
            {
                return outcome.Status;
            }

            if (outcome.HeldForSeconds is { } held)
            {
                // Another attempt holds it (the express lane, a duplicate of this task after a crash): wait it out; that was
                // no attempt. Not counted against the policy: a hold ends (ClaimedUntil), and every hold is an attempt
                // counted on the row, which dead-letters the text once the policy's attempts are made — so the looks end.
                wait = TimeSpan.FromSeconds(Math.Max(1, held));
                attempt--;
                continue;
            }

            wait = job.Policy.After(attempt);
        }

        await context.ScheduleWithRetry<bool>(typeof(GiveUpActivity), ActivityRetry, new SendRequest(job.TenantId, key, job.Policy.MaxAttempts));
        return NotificationStatus.DeadLettered;
    }
}
