using DurableTask.Core;
using Microsoft.Extensions.Logging;
using Receptionist.Core.Notifications;
using Receptionist.Core.Phone;
using Receptionist.Core.Professions;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Cloud.Workflows;

/// <summary>What the activities read and write: the app's own stores, the SMS provider and the app's clock.</summary>
public sealed class WorkflowServices(
    ITenantStore tenants,
    ProfessionCatalog professions,
    IAppointmentStore appointments,
    ICallStore calls,
    IMessageStore messages,
    INotificationStore notifications,
    IOptOutStore optOuts,
    ISmsSender sms,
    TimeProvider clock,
    ILogger<WorkflowServices> logger)
{
    public IAppointmentStore Appointments => appointments;
    public IMessageStore Messages => messages;
    public INotificationStore Notifications => notifications;
    public IOptOutStore OptOuts => optOuts;
    public ISmsSender Sms => sms;
    public TimeProvider Clock => clock;
    public ILogger Logger => logger;

    /// <summary>Whether the call that made an appointment came from a withheld number (false when it is not on record).</summary>
    public async Task<bool> WithheldAsync(string callId, CancellationToken ct) =>
        await calls.GetAsync(callId, ct) is { } call && call.Record.Session.CallerNumber is null;

    public async Task<Tenant?> TenantAsync(string tenantId, CancellationToken ct) =>
        await tenants.GetAsync(tenantId, ct) is { } doc ? TenantParser.FromStored(doc, professions.Contains) : null;
}

/// <summary>
/// Plans a job's notification: reads what it is about, writes its row (scheduled, or skipped with the reason) once by
/// its key, and for a booking also its reminder's row. Returns the keys that are still to be sent.
/// </summary>
public sealed class PlanActivity(WorkflowServices s) : AsyncTaskActivity<WorkflowJob, PlanResult>
{
    private static readonly PlanResult Nothing = new(null, null, null);

    protected override async Task<PlanResult> ExecuteAsync(TaskContext context, WorkflowJob job)
    {
        var ct = CancellationToken.None;
        var tenant = await s.TenantAsync(job.TenantId, ct);
        if (tenant is null)
        {
            s.Logger.LogWarning("Workflow {Kind} for {RelatedId}: tenant {TenantId} is gone; nothing sent", job.Kind, job.RelatedId, job.TenantId);
            return Nothing;
        }

        var now = s.Clock.GetUtcNow();
        switch (job.Kind)
        {
            case NotificationKinds.OwnerMessage:
            {
                var m = await s.Messages.GetAsync(job.TenantId, job.RelatedId, ct);
                if (m is null)
                {
                    return Nothing;
                }

                var row = await AddAsync(job, NotificationKinds.OwnerMessage, tenant.NotifyNumber, SmsTexts.OwnerMessage(tenant, m), now, now,
                    tenant.NotifyNumber is null ? "the business has no notifyNumber" : null);
                return new PlanResult(Pending(row), null, null);
            }

            case NotificationKinds.Booked or NotificationKinds.Moved:
            {
                var a = await s.Appointments.GetAsync(job.Appointment(), ct);
                if (a is null || a.Status != "booked")
                {
                    return Nothing; // moved or cancelled before its confirmation: that change sends its own
                }

                var body = job.Kind == NotificationKinds.Moved ? SmsTexts.Moved(tenant, a) : SmsTexts.Booked(tenant, a);
                var cannot = await CannotTextAsync(a);
                var row = await AddAsync(job, job.Kind, a.CallerPhone, body, now, now, cannot);
                if (SmsTexts.ReminderAt(tenant, a.Start, a.CreatedAt, now) is not { } at || cannot is not null)
                {
                    return new PlanResult(Pending(row), null, null);
                }

                var reminder = await AddAsync(job, NotificationKinds.Reminder, a.CallerPhone, SmsTexts.Reminder(tenant, a), at, now, null);
                return new PlanResult(Pending(row), Pending(reminder) is null ? null : Math.Max(0, (reminder.ScheduledFor - now).TotalSeconds), Pending(reminder));
            }

            case NotificationKinds.Reminder:
            {
                var row = await s.Notifications.GetAsync(job.TenantId, job.Key(NotificationKinds.Reminder), ct);
                if (Pending(row) is null)
                {
                    return Nothing;
                }

                var a = await s.Appointments.GetAsync(job.Appointment(), ct);
                if (a is null || a.Status != "booked")
                {
                    await s.Notifications.UpdateAsync(row! with { Status = NotificationStatus.Cancelled, Detail = "the appointment is no longer booked", UpdatedAt = now }, ct);
                    return Nothing;
                }

                return new PlanResult(row!.Key, null, null);
            }

            case NotificationKinds.Cancelled:
            {
                var a = await s.Appointments.GetAsync(job.Appointment(), ct);
                if (a is null)
                {
                    return Nothing;
                }

                var row = await AddAsync(job, NotificationKinds.Cancelled, a.CallerPhone, SmsTexts.Cancelled(tenant, a), now, now, await CannotTextAsync(a));
                return new PlanResult(Pending(row), null, null);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(job), job.Kind, "Not a workflow kind");
        }
    }

    /// <summary>Why the caller of an appointment gets no text, or null: a withheld caller ID (even when they gave a
    /// number to call back on), no number, or a number that cannot take text messages.</summary>
    private async Task<string?> CannotTextAsync(Appointment a) =>
        a.CallerPhone is null || await s.WithheldAsync(a.CallId, CancellationToken.None) ? "the caller's number was withheld"
        : SmsTexts.CanText(a.CallerPhone) ? null
        : "the caller's number cannot take text messages";

    private static string? Pending(Notification? n) => n is not null && !NotificationStatus.IsFinal(n.Status) ? n.Key : null;

    private Task<Notification> AddAsync(WorkflowJob job, string kind, string? to, string body, DateTimeOffset scheduledFor, DateTimeOffset now, string? skipped) =>
        s.Notifications.AddAsync(new Notification(job.TenantId, job.Key(kind), kind, to, body,
            skipped is null ? NotificationStatus.Scheduled : NotificationStatus.Skipped, null, 0, scheduledFor, now, now, skipped, null, job.RelatedId), CancellationToken.None);
}

/// <summary>
/// One attempt at a planned notification. A notification already final is not sent again (a retried activity, a
/// replayed workflow); the attempt is recorded before the provider is called, and the provider's id before success is
/// reported. Refusals for good (an invalid number: 4xx) are final; 429, 5xx and no answer are retried by the workflow.
/// </summary>
public sealed class SendActivity(WorkflowServices s) : AsyncTaskActivity<SendRequest, SendOutcome>
{
    protected override async Task<SendOutcome> ExecuteAsync(TaskContext context, SendRequest request)
    {
        var ct = CancellationToken.None;
        var n = await s.Notifications.GetAsync(request.TenantId, request.Key, ct);
        if (n is null)
        {
            return new SendOutcome(NotificationStatus.Skipped);
        }

        if (NotificationStatus.IsFinal(n.Status))
        {
            return new SendOutcome(n.Status);
        }

        var tenant = await s.TenantAsync(request.TenantId, ct);
        if (n.To is null || tenant is null)
        {
            await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.Skipped, Detail = tenant is null ? "the tenant is gone" : "no number to send to", UpdatedAt = s.Clock.GetUtcNow() }, ct);
            return new SendOutcome(NotificationStatus.Skipped);
        }

        if (await s.OptOuts.IsOptedOutAsync(request.TenantId, n.To, ct))
        {
            await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.Skipped, Detail = "the recipient replied STOP to this business's texts", UpdatedAt = s.Clock.GetUtcNow() }, ct);
            return new SendOutcome(NotificationStatus.Skipped);
        }

        n = n with { Status = NotificationStatus.Sending, Attempts = n.Attempts + 1, UpdatedAt = s.Clock.GetUtcNow() };
        await s.Notifications.UpdateAsync(n, ct);
        try
        {
            var sent = await s.Sms.SendAsync(new SmsMessage(n.To, tenant.PhoneNumbers[0], n.Body), ct);
            await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.Sent, ProviderId = sent.ProviderId, Detail = sent.Status, ProviderErrorCode = null, UpdatedAt = s.Clock.GetUtcNow() }, ct);
            s.Logger.LogInformation("SMS {Kind} {Key} to {To} sent ({ProviderId}, attempt {Attempt})", n.Kind, n.Key, PhoneNumber.Mask(n.To), sent.ProviderId, n.Attempts);
            return new SendOutcome(NotificationStatus.Sent);
        }
        catch (SmsSendException ex)
        {
            var retry = Retryable(ex);
            if (ex.ProviderErrorCode == UnsubscribedRecipient)
            {
                // Twilio saw a STOP we did not (sent to another of the business's numbers, or before we listened).
                await s.OptOuts.SetAsync(request.TenantId, n.To, true, s.Clock.GetUtcNow(), ct);
            }

            await s.Notifications.UpdateAsync(n with
            {
                Status = retry ? NotificationStatus.Sending : NotificationStatus.Failed,
                Detail = ex.Message,
                ProviderErrorCode = ex.ProviderErrorCode,
                UpdatedAt = s.Clock.GetUtcNow(),
            }, ct);
            s.Logger.LogWarning("SMS {Kind} {Key} attempt {Attempt} failed{Final}: HTTP {Status}, provider error {Code}",
                n.Kind, n.Key, n.Attempts, retry ? string.Empty : " for good", ex.StatusCode, ex.ProviderErrorCode);
            return new SendOutcome(retry ? SendOutcome.Retry : NotificationStatus.Failed);
        }
    }

    /// <summary>Twilio's "Attempt to send to unsubscribed recipient".</summary>
    public const int UnsubscribedRecipient = 21610;

    /// <summary>No answer, too many requests, or the provider's own trouble: worth another try later.</summary>
    public static bool Retryable(SmsSendException ex) => ex.StatusCode is null or 408 or 429 or >= 500;
}

/// <summary>Every attempt failed with a retryable error: the notification is dead-lettered (and shown so).</summary>
public sealed class GiveUpActivity(WorkflowServices s) : AsyncTaskActivity<SendRequest, bool>
{
    protected override async Task<bool> ExecuteAsync(TaskContext context, SendRequest request)
    {
        var n = await s.Notifications.GetAsync(request.TenantId, request.Key, CancellationToken.None);
        if (n is null || NotificationStatus.IsFinal(n.Status))
        {
            return false;
        }

        await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.DeadLettered, UpdatedAt = s.Clock.GetUtcNow() }, CancellationToken.None);
        s.Logger.LogError("SMS {Kind} {Key} dead-lettered after {Attempts} attempts", n.Kind, n.Key, n.Attempts);
        return true;
    }
}

/// <summary>A scheduled reminder whose appointment moved or was cancelled is marked cancelled (never sent).</summary>
public sealed class StopActivity(WorkflowServices s) : AsyncTaskActivity<StopRequest, bool>
{
    protected override async Task<bool> ExecuteAsync(TaskContext context, StopRequest request)
    {
        var n = await s.Notifications.GetAsync(request.TenantId, request.Key, CancellationToken.None);
        if (n is null || n.Status != NotificationStatus.Scheduled)
        {
            return false;
        }

        await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.Cancelled, Detail = $"the appointment was {request.Reason}", UpdatedAt = s.Clock.GetUtcNow() }, CancellationToken.None);
        return true;
    }
}
