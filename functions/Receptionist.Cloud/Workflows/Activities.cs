using DurableTask.Core;
using Microsoft.Extensions.Logging;
using Receptionist.Core.Notifications;
using Receptionist.Core.Phone;
using Receptionist.Core.Reporting;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Cloud.Workflows;

/// <summary>What the activities read and write: the app's own stores, the SMS provider and the app's clock.</summary>
public sealed class WorkflowServices(
    ITenants tenants,
    IAppointmentStore appointments,
    ICallStore calls,
    IMessageStore messages,
    INotificationStore notifications,
    IOptOutStore optOuts,
    ICallReportStore reports,
    ICostLedger ledger,
    CostRates rates,
    ISmsSender sms,
    TimeProvider clock,
    ILogger<WorkflowServices> logger)
{
    public IAppointmentStore Appointments => appointments;
    public IMessageStore Messages => messages;
    public INotificationStore Notifications => notifications;
    public IOptOutStore OptOuts => optOuts;
    public ICallStore Calls => calls;
    public ICallReportStore Reports => reports;
    public ICostLedger Ledger => ledger;
    public CostRates Rates => rates;
    public ISmsSender Sms => sms;
    public TimeProvider Clock => clock;
    public ILogger Logger => logger;

    /// <summary>Whether the call that made an appointment came from a withheld number (false when it is not on record).</summary>
    public async Task<bool> WithheldAsync(string callId, CancellationToken ct) =>
        await calls.GetAsync(callId, ct) is { } call && call.Record.Session.CallerNumber is null;

    /// <summary>The month (yyyy-MM) an instant falls in, in the business's zone: what its costs count toward.</summary>
    public static string Month(Tenant tenant, DateTimeOffset at) => tenant.ToLocal(at).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Records what a text sent cost (again is a no-op: the entry is keyed by the notification).</summary>
    public Task RecordSmsCostAsync(Tenant tenant, Notification n, CancellationToken ct) =>
        ledger.RecordAsync(new CostEntry(tenant.Id, Month(tenant, n.UpdatedAt), "sms|" + n.Key, "sms", n.CallId, n.UpdatedAt, CallCosts.ForSms(n.Body, rates)), ct);

    public Task<Tenant?> TenantAsync(string tenantId, CancellationToken ct) => tenants.ByIdAsync(tenantId, ct);
}

/// <summary>
/// Plans a job's notification: reads what it is about, writes its row (scheduled, or skipped with the reason) once by
/// its key, and for a booking also its reminder's row. Returns the keys that are still to be sent. A non-urgent message
/// of a tenant that batches its alerts is planned for its window's end and left to that window's batch, which it starts.
/// </summary>
public sealed class PlanActivity(WorkflowServices s, WorkflowEngine engine) : AsyncTaskActivity<WorkflowJob, PlanResult>
{
    private static readonly PlanResult Nothing = new(null, null, null);

    protected override Task<PlanResult> ExecuteAsync(TaskContext context, WorkflowJob job) => PlanAndTryAsync(job);

    /// <summary>The activity's work: the plan, then a first attempt at what is due now (one activity instead of two
    /// before the caller's phone buzzes). Also what <see cref="ExpressSends"/> runs ahead of the workflow: both write the
    /// same rows by the same keys and claim the same notification, so whichever comes second finds it done or held.</summary>
    public async Task<PlanResult> PlanAndTryAsync(WorkflowJob job)
    {
        // Before the text goes, only what it needs: its row (the attempt takes it as the plan left it, instead of
        // reading it and the appointment again); a booking's reminder row is written after the attempt.
        var draft = new Draft();
        var plan = await PlanAsync(job, draft);
        if (plan.Key is { } key)
        {
            var first = await SendActivity.AttemptAsync(s, new SendRequest(job.TenantId, key, 1) { Job = job }, CancellationToken.None, draft.Row);
            plan = plan with { FirstAttempt = first.Status, FirstHeldForSeconds = first.HeldForSeconds };
        }

        if (draft.Then is { } then)
        {
            plan = await then(plan);
        }

        // Counted from now, after the first attempt (which may have waited on Twilio), so the reminder is not late by it.
        return plan.ReminderAt is { } at ? plan with { ReminderInSeconds = Math.Max(0, (at - s.Clock.GetUtcNow()).TotalSeconds) } : plan;
    }

    /// <summary>What a plan leaves for its first attempt: the row as written or read (current, with its version, its
    /// appointment just seen booked), and what is to be written after the attempt.</summary>
    private sealed class Draft
    {
        public Notification? Row { get; set; }

        public Func<PlanResult, Task<PlanResult>>? Then { get; set; }
    }

    private async Task<PlanResult> PlanAsync(WorkflowJob job, Draft draft)
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

                var history = await s.Calls.HistoryAsync(m.CallId, ct);
                var transferFailed = history.Any(h => h.Kind == CallNotes.TransferFailedKind);
                if (!m.Urgent && tenant.OwnerAlertBatch > TimeSpan.Zero && tenant.NotifyNumber is { } owner
                    && await BatchLaterAsync(job, tenant, owner, SmsTexts.OwnerMessage(tenant, m, transferFailed), m.CallId, now) is { } batched)
                {
                    return batched;
                }

                var row = draft.Row = await AddAsync(job, NotificationKinds.OwnerMessage, tenant.NotifyNumber, SmsTexts.OwnerMessage(tenant, m, transferFailed), now, now,
                    tenant.NotifyNumber is null ? "the business has no notifyNumber" : null, m.CallId);
                return new PlanResult(Pending(row), null, null);
            }

            case NotificationKinds.Digest:
            {
                var figures = await DigestFiguresAsync(tenant, now - TimeSpan.FromDays(1), now, ct);
                var row = draft.Row = await AddAsync(job, NotificationKinds.Digest, tenant.NotifyNumber, SmsTexts.Digest(tenant, now, figures), now, now,
                    tenant.NotifyNumber is null ? "the business has no notifyNumber" : null, callId: null);
                return new PlanResult(Pending(row), null, null);
            }

            case NotificationKinds.Booked or NotificationKinds.Moved:
            {
                var a = await s.Appointments.GetAsync(job.Appointment(), ct);
                if (a is null || a.Status != "booked")
                {
                    // Moved or cancelled before its workflow ran: that change sends its own text, and the reminder the
                    // express lane may have scheduled will never be waited for — so it is cancelled here.
                    await StopActivity.StopAsync(s, new StopRequest(job.TenantId, job.Key(NotificationKinds.Reminder), a?.Status == "cancelled" ? "cancelled" : "moved"));
                    return Nothing;
                }

                var body = job.Kind == NotificationKinds.Moved ? SmsTexts.Moved(tenant, a) : SmsTexts.Booked(tenant, a);
                var cannot = await CannotTextAsync(a);
                var row = draft.Row = await AddAsync(job, job.Kind, a.CallerPhone, body, now, now, cannot, a.CallId);
                if (SmsTexts.ReminderAt(tenant, a.Start, a.CreatedAt, now) is { } at && cannot is null)
                {
                    // After the confirmation's attempt (a crash before it is repaired by the workflow's own plan).
                    draft.Then = async plan =>
                    {
                        var reminder = await AddAsync(job, NotificationKinds.Reminder, a.CallerPhone, SmsTexts.Reminder(tenant, a), at, now, null, a.CallId);
                        return Pending(reminder) is null ? plan : plan with { ReminderInSeconds = 0, ReminderKey = Pending(reminder), ReminderAt = reminder.ScheduledFor };
                    };
                }

                return new PlanResult(Pending(row), null, null);
            }

            case NotificationKinds.Reminder:
            {
                var row = await s.Notifications.GetAsync(job.TenantId, job.Key(NotificationKinds.Reminder), ct);
                if (Pending(row) is null)
                {
                    return Nothing;
                }

                var a = await s.Appointments.GetAsync(job.Appointment(), ct);
                if (a is null || a.Status != "booked" || now >= a.Start)
                {
                    // (Late, e.g. the worker was down until after the start: a reminder then would only confuse.)
                    var why = a is null || a.Status != "booked" ? "the appointment is no longer booked" : "the appointment had begun when it was due";
                    await s.Notifications.UpdateAsync(row! with { Status = NotificationStatus.Cancelled, Detail = why, UpdatedAt = now }, ct);
                    return Nothing;
                }

                draft.Row = row;
                return new PlanResult(row!.Key, null, null);
            }

            case NotificationKinds.Cancelled:
            {
                var a = await s.Appointments.GetAsync(job.Appointment(), ct);
                if (a is null)
                {
                    return Nothing;
                }

                var row = draft.Row = await AddAsync(job, NotificationKinds.Cancelled, a.CallerPhone, SmsTexts.Cancelled(tenant, a), now, now, await CannotTextAsync(a), a.CallId);
                return new PlanResult(Pending(row), null, null);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(job), job.Kind, "Not a workflow kind");
        }
    }

    /// <summary>
    /// A non-urgent alert of a batching tenant: its row is written <c>scheduled</c> for the end of the window it falls in
    /// (later than it was written: what marks it as waiting for a batch), then the batch of the window the app's clock
    /// is in <em>after</em> the write is started. So a batch, which reads only once its window closed, either finds the
    /// row or was not the one started for it: a message written while a batch is being read belongs to the next window.
    /// Null when the row is one planned earlier to go at once (the setting changed meanwhile): that stands.
    /// </summary>
    private async Task<PlanResult?> BatchLaterAsync(WorkflowJob job, Tenant tenant, string owner, string body, string callId, DateTimeOffset now)
    {
        var (_, end) = SmsTexts.BatchWindow(now, tenant.OwnerAlertBatch);
        var row = await s.Notifications.AddAsync(new Notification(job.TenantId, job.Key(NotificationKinds.OwnerMessage), NotificationKinds.OwnerMessage, owner, body,
            NotificationStatus.Scheduled, null, 0, end, now, now, "waits for the owner's batched text", null, job.RelatedId) { CallId = callId }, CancellationToken.None);
        if (row.Status != NotificationStatus.Scheduled)
        {
            return Nothing; // batched (or otherwise done) before this retry
        }

        if (!OwnerBatchActivity.Waits(row))
        {
            return null;
        }

        var (start, close) = SmsTexts.BatchWindow(s.Clock.GetUtcNow(), tenant.OwnerAlertBatch);
        var batch = WorkflowJob.OwnerBatch(tenant.Id, start, close, job.Policy);
        await engine.StartAsync(typeof(OwnerBatchOrchestration), NotificationKeys.OwnerBatchInstance(tenant.Id, start), batch);
        return Nothing;
    }

    /// <summary>Why the caller of an appointment gets no text, or null: a withheld caller ID (even when they gave a
    /// number to call back on), no number, or a number that cannot take text messages.</summary>
    private async Task<string?> CannotTextAsync(Appointment a) =>
        a.CallerPhone is null || await s.WithheldAsync(a.CallId, CancellationToken.None) ? "the caller's number was withheld"
        : SmsTexts.CanText(a.CallerPhone) ? null
        : "the caller's number cannot take text messages";

    private static string? Pending(Notification? n) => n is not null && !NotificationStatus.IsFinal(n.Status) ? n.Key : null;

    /// <summary>The calls that began in [<paramref name="from"/>, <paramref name="to"/>) and what came of them.</summary>
    private async Task<DigestFigures> DigestFiguresAsync(Tenant tenant, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var calls = (await s.Calls.ListByTenantAsync(tenant.Id, 1000, ct)).Where(c => c.Session.StartedAt >= from && c.Session.StartedAt < to).ToList();
        var messages = (await s.Messages.ListAsync(tenant.Id, ct)).Where(m => m.CreatedAt >= from && m.CreatedAt < to).ToList();
        int Count(Core.Conversation.CallOutcome outcome) => calls.Count(c => c.Session.Outcome == outcome);
        return new DigestFigures(calls.Count, Count(Core.Conversation.CallOutcome.Booked), Count(Core.Conversation.CallOutcome.Rescheduled),
            Count(Core.Conversation.CallOutcome.Cancelled), messages.Count, messages.Count(m => m.Urgent));
    }

    private Task<Notification> AddAsync(WorkflowJob job, string kind, string? to, string body, DateTimeOffset scheduledFor, DateTimeOffset now, string? skipped, string? callId) =>
        s.Notifications.AddAsync(new Notification(job.TenantId, job.Key(kind), kind, to, body,
            skipped is null ? NotificationStatus.Scheduled : NotificationStatus.Skipped, null, 0, scheduledFor, now, now, skipped, null, job.RelatedId) { CallId = callId },
            CancellationToken.None);
}

/// <summary>
/// An owner batch, once its window has closed on the app's clock (until then: how long to wait): the alerts waiting for
/// a batch whose window ended by this one's end are marked <c>batched</c> into this batch's text (each by a conditional
/// write, so an alert is in one batch only), then the text is written once by its key. Run again (a retried activity,
/// a redelivered or restarted workflow) it finds the text's row — or, had it died before writing it, the alerts it
/// marked — and plans nothing new. Nothing is sent when the window had no such message.
/// </summary>
public sealed class OwnerBatchActivity(WorkflowServices services) : AsyncTaskActivity<WorkflowJob, PlanResult>
{
    /// <summary>How long after its window's end a batch reads: more than the clocks of two app instances differ, so an
    /// alert written before the end on one is seen by the batch read on another.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private static readonly PlanResult Nothing = new(null, null, null);

    protected override async Task<PlanResult> ExecuteAsync(TaskContext context, WorkflowJob job)
    {
        var plan = await PlanAsync(services, job, CancellationToken.None);
        if (plan.Key is { } key)
        {
            var first = await SendActivity.AttemptAsync(services, new SendRequest(job.TenantId, key, 1) { Job = job }, CancellationToken.None);
            plan = plan with { FirstAttempt = first.Status, FirstHeldForSeconds = first.HeldForSeconds };
        }

        return plan;
    }

    /// <summary>Whether an owner alert waits for a batch: scheduled for later than it was written (its window's end).</summary>
    public static bool Waits(Notification n) =>
        n.Kind == NotificationKinds.OwnerMessage && n.Status == NotificationStatus.Scheduled && n.ScheduledFor > n.CreatedAt;

    /// <summary>The activity's work without its first send (tests call it directly): the batch text's key once it is
    /// planned (an attempt at a final one only reports its status), nothing when no message waited, or
    /// <see cref="PlanResult.WaitSeconds"/> while the window is open.</summary>
    public static async Task<PlanResult> PlanAsync(WorkflowServices s, WorkflowJob job, CancellationToken ct)
    {
        var end = new DateTimeOffset(DateTime.SpecifyKind(job.WindowEndUtc, DateTimeKind.Utc));
        var now = s.Clock.GetUtcNow();
        if (now < end + Grace)
        {
            return Nothing with { WaitSeconds = (end + Grace - now).TotalSeconds };
        }

        var key = job.Key(NotificationKinds.OwnerBatch);
        if (await s.Notifications.GetAsync(job.TenantId, key, ct) is { } planned)
        {
            return new PlanResult(planned.Key, null, null); // planned before: an attempt at it finds what became of it
        }

        if (await s.TenantAsync(job.TenantId, ct) is not { } tenant)
        {
            return Nothing;
        }

        var into = NotificationStatus.BatchedInto(key);
        var members = new List<Notification>();
        foreach (var n in await s.Notifications.ListAsync(job.TenantId, ct))
        {
            if (n.Kind == NotificationKinds.OwnerMessage && n.Status == NotificationStatus.Batched && n.Detail == into)
            {
                members.Add(n); // marked by an earlier run of this batch that died before writing its text
            }
            else if (Waits(n) && n.ScheduledFor <= end && await MarkAsync(s, n, into, now, ct) is { } marked)
            {
                members.Add(marked);
            }
        }

        var messages = new List<StoredMessage>();
        foreach (var n in members)
        {
            if (await s.Messages.GetAsync(job.TenantId, n.RelatedId, ct) is { } m)
            {
                messages.Add(m);
            }
        }

        if (messages.Count == 0)
        {
            return Nothing;
        }

        messages.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        var skipped = tenant.NotifyNumber is null ? "the business has no notifyNumber" : null;
        var row = await s.Notifications.AddAsync(new Notification(job.TenantId, key, NotificationKinds.OwnerBatch, tenant.NotifyNumber,
            SmsTexts.OwnerBatch(tenant, messages), skipped is null ? NotificationStatus.Scheduled : NotificationStatus.Skipped, null, 0, end, now, now,
            skipped ?? $"{messages.Count} {(messages.Count == 1 ? "message" : "messages")}", null, job.RelatedId), ct);
        return new PlanResult(row.Key, null, null);
    }

    /// <summary>Marks a waiting alert as in this batch, unless another writer came first (then it is in this batch
    /// only if that writer was another run of it).</summary>
    private static async Task<Notification?> MarkAsync(WorkflowServices s, Notification n, string into, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            return await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.Batched, Detail = into, UpdatedAt = now }, ct);
        }
        catch (NotificationConflictException)
        {
            return await s.Notifications.GetAsync(n.TenantId, n.Key, ct) is { Status: NotificationStatus.Batched } again && again.Detail == into ? again : null;
        }
    }
}

/// <summary>
/// One attempt at a planned notification. A notification already final is not sent again (a retried activity, a
/// replayed workflow); the attempt is recorded before the provider is called, and the provider's id before success is
/// reported. Refusals for good (an invalid number: 4xx) are final; 429, 5xx and no answer are retried by the workflow.
/// </summary>
public sealed class SendActivity(WorkflowServices services) : AsyncTaskActivity<SendRequest, SendOutcome>
{
    protected override Task<SendOutcome> ExecuteAsync(TaskContext context, SendRequest request) => AttemptAsync(services, request, CancellationToken.None);

    /// <summary>One attempt (the plan makes the first itself, to save the workflow a round trip). <paramref name="planned"/>:
    /// the row as the plan that comes just before wrote or read it — then neither it nor its appointment is read again.</summary>
    public static async Task<SendOutcome> AttemptAsync(WorkflowServices s, SendRequest request, CancellationToken ct, Notification? planned = null)
    {
        var fresh = planned is not null && planned.Key == request.Key && planned.TenantId == request.TenantId;
        var n = fresh ? planned : await s.Notifications.GetAsync(request.TenantId, request.Key, ct);
        if (n is null)
        {
            return new SendOutcome(NotificationStatus.Skipped);
        }

        var tenant = await s.TenantAsync(request.TenantId, ct);
        if (NotificationStatus.IsFinal(n.Status))
        {
            if (n.Status == NotificationStatus.Sent && tenant is not null)
            {
                await s.RecordSmsCostAsync(tenant, n, ct); // a retry after the cost could not be recorded
            }

            return new SendOutcome(n.Status);
        }

        if (n.To is null || tenant is null)
        {
            await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.Skipped, Detail = tenant is null ? "the tenant is gone" : "no number to send to", UpdatedAt = s.Clock.GetUtcNow() }, ct);
            return new SendOutcome(NotificationStatus.Skipped);
        }

        if (!fresh && n.Kind is NotificationKinds.Booked or NotificationKinds.Moved or NotificationKinds.Reminder && request.Job is { } job
            && await s.Appointments.GetAsync(job.Appointment(), ct) is not { Status: "booked" })
        {
            // Moved or cancelled while this text waited to be retried: its own text tells the caller what stands.
            await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.Skipped, Detail = "the appointment is no longer booked", UpdatedAt = s.Clock.GetUtcNow() }, ct);
            return new SendOutcome(NotificationStatus.Skipped);
        }

        var to = n.To;
        if (await s.OptOuts.IsOptedOutAsync(request.TenantId, to, ct))
        {
            await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.Skipped, Detail = "the recipient replied STOP to this business's texts", UpdatedAt = s.Clock.GetUtcNow() }, ct);
            return new SendOutcome(NotificationStatus.Skipped);
        }

        // The claim: one attempt at a time holds the notification, for as long as a send can take; another attempt (a
        // workflow's duplicate task after a crash, a replay) stands back until the text is sent or the hold lapses —
        // then the holder died, and whether its text went is unknown: it is sent again (at least once, never twice at once).
        var now = s.Clock.GetUtcNow();
        if (n.Status == NotificationStatus.Sending && n.ClaimedUntil is { } held && held > now)
        {
            return StandBack(s, n, held - now);
        }

        if (request.Job is { } policyOf && n.Attempts >= policyOf.Policy.MaxAttempts)
        {
            // Every attempt the policy allows has been made (an express attempt ahead of the workflow counts too).
            await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.DeadLettered, ClaimedUntil = null, UpdatedAt = now }, ct);
            s.Logger.LogError("SMS {Kind} {Key} dead-lettered after {Attempts} attempts", n.Kind, n.Key, n.Attempts);
            CloudTelemetry.NotificationFailed(n.Kind, "dead-lettered", request.TenantId);
            return new SendOutcome(NotificationStatus.DeadLettered);
        }

        try
        {
            n = await s.Notifications.UpdateAsync(n with { Status = NotificationStatus.Sending, Attempts = n.Attempts + 1, UpdatedAt = now, ClaimedUntil = now + ClaimFor }, ct);
        }
        catch (NotificationConflictException)
        {
            return StandBack(s, n, ClaimFor);
        }

        try
        {
            var sent = await s.Sms.SendAsync(new SmsMessage(to, tenant.PhoneNumbers[0], n.Body) { CallId = n.CallId }, ct);
            var done = n with { Status = NotificationStatus.Sent, ProviderId = sent.ProviderId, Detail = sent.Status, ProviderErrorCode = null, UpdatedAt = s.Clock.GetUtcNow(), ClaimedUntil = null };
            try
            {
                n = await s.Notifications.UpdateAsync(done, ct);
            }
            catch (NotificationConflictException)
            {
                n = await s.Notifications.UpdateAsync(done with { Version = null }, ct); // it went: that stands over a give-up written meanwhile
            }

            await s.RecordSmsCostAsync(tenant, n, ct);
            s.Logger.LogInformation("SMS {Kind} {Key} to {To} sent ({ProviderId}, attempt {Attempt})", n.Kind, n.Key, PhoneNumber.Mask(n.To), sent.ProviderId, n.Attempts);
            return new SendOutcome(NotificationStatus.Sent);
        }
        catch (SmsSendException ex)
        {
            var retry = Retryable(ex);
            if (ex.ProviderErrorCode == UnsubscribedRecipient)
            {
                // Twilio saw a STOP we did not (sent to another of the business's numbers, or before we listened).
                await s.OptOuts.SetAsync(request.TenantId, to, true, s.Clock.GetUtcNow(), ct);
            }

            await s.Notifications.UpdateAsync(n with
            {
                Status = retry ? NotificationStatus.Sending : NotificationStatus.Failed,
                ClaimedUntil = null,
                Detail = ex.Message,
                ProviderErrorCode = ex.ProviderErrorCode,
                UpdatedAt = s.Clock.GetUtcNow(),
            }, ct);
            s.Logger.LogWarning("SMS {Kind} {Key} attempt {Attempt} failed{Final}: HTTP {Status}, provider error {Code}",
                n.Kind, n.Key, n.Attempts, retry ? string.Empty : " for good", ex.StatusCode, ex.ProviderErrorCode);
            CloudTelemetry.NotificationFailed(n.Kind, retry ? "retry" : "failed", request.TenantId);
            return new SendOutcome(retry ? SendOutcome.Retry : NotificationStatus.Failed);
        }
    }

    /// <summary>How long an attempt holds its notification: the longest a send can take, and a margin for the claim's
    /// own write and the one after the send (each bounded by the storage client's timeouts and retries).</summary>
    public static readonly TimeSpan ClaimFor = ISmsSender.MaxSendTime + TimeSpan.FromSeconds(30);

    /// <summary>Another attempt holds the notification: look again after the hold, or after <see cref="LookAgainAfter"/> if
    /// sooner — a holder that is done (sent, or failed and let go, as an express attempt does within a second) releases
    /// its claim long before the hold would lapse.</summary>
    private static SendOutcome StandBack(WorkflowServices s, Notification n, TimeSpan held)
    {
        var look = held < LookAgainAfter ? held : LookAgainAfter;
        s.Logger.LogInformation("SMS {Kind} {Key} is being attempted elsewhere; looking again in {Seconds:0.#} s", n.Kind, n.Key, look.TotalSeconds);
        return new SendOutcome(SendOutcome.Retry) { HeldForSeconds = look.TotalSeconds };
    }

    /// <summary>The longest a workflow waits before it looks again at a notification another attempt holds.</summary>
    public static readonly TimeSpan LookAgainAfter = TimeSpan.FromSeconds(3);

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
        CloudTelemetry.NotificationFailed(n.Kind, "dead-lettered", request.TenantId);
        return true;
    }
}

/// <summary>A scheduled reminder whose appointment moved or was cancelled is marked cancelled (never sent).</summary>
public sealed class StopActivity(WorkflowServices s) : AsyncTaskActivity<StopRequest, bool>
{
    protected override Task<bool> ExecuteAsync(TaskContext context, StopRequest request) => StopAsync(s, request);

    /// <summary>Cancels the notification if it is still scheduled; true when it was.</summary>
    public static async Task<bool> StopAsync(WorkflowServices s, StopRequest request)
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

/// <summary>A call that ended: its summary (the rules', or the LLM's where configured and true to the call) and its own
/// cost — the summary's tokens included — are stored with it, and the cost in the tenant's ledger for the month it
/// began in. Running it again recomputes and replaces both.</summary>
public sealed class ReportActivity(WorkflowServices services, Llm.ICallSummaryWriter summaries) : AsyncTaskActivity<WorkflowJob, string>
{
    protected override Task<string> ExecuteAsync(TaskContext context, WorkflowJob job) => ReportAsync(services, summaries, job, CancellationToken.None);

    /// <summary>The activity's work (tests call it directly).</summary>
    public static async Task<string> ReportAsync(WorkflowServices s, Llm.ICallSummaryWriter summaries, WorkflowJob job, CancellationToken ct)
    {
        var call = await s.Calls.GetAsync(job.RelatedId, ct);
        var tenant = await s.TenantAsync(job.TenantId, ct);
        if (call is null || tenant is null)
        {
            return "no such call or tenant";
        }

        var record = call.Record;
        var history = await s.Calls.HistoryAsync(job.RelatedId, ct);
        var messages = new Dictionary<string, StoredMessage>(StringComparer.Ordinal);
        foreach (var id in history.Where(h => h.Kind == CallNotes.MessageKind).Select(h => CallNotes.ReadMessageId(h.Text)).OfType<string>().Distinct())
        {
            if (await s.Messages.GetAsync(tenant.Id, id, ct) is { } m)
            {
                messages[id] = m;
            }
        }

        var (summary, tokens) = await summaries.WriteAsync(CallReport.Summarize(record, history, tenant, messages), history, tenant, record.Session.StartedAt, ct);
        var costed = tokens is null ? record : record with { LlmInputTokens = record.LlmInputTokens + tokens.Input, LlmOutputTokens = record.LlmOutputTokens + tokens.Output };
        var cost = CallCosts.ForCall(costed, history, s.Rates);
        await s.Reports.SaveAsync(new CallReportRecord(record.Session.CallId, tenant.Id, s.Clock.GetUtcNow(), summary, cost), ct);
        await s.Ledger.RecordAsync(new CostEntry(tenant.Id, WorkflowServices.Month(tenant, record.Session.StartedAt), record.Session.CallId, "call",
            record.Session.CallId, record.Session.StartedAt, cost), ct);
        return summary.Outcome;
    }
}

/// <summary>
/// Once an hour (the app's clock): starts the digest of every business whose <c>digestHour</c> it now is — one
/// notification workflow per business and day, so a second tick in the same hour starts nothing — and answers how
/// many seconds remain to the next hour.
/// </summary>
public sealed class DigestDueActivity(WorkflowServices s, WorkflowEngine engine, ITenantStore tenants) : AsyncTaskActivity<SendPolicy, double>
{
    protected override async Task<double> ExecuteAsync(TaskContext context, SendPolicy policy)
    {
        var now = s.Clock.GetUtcNow();
        foreach (var doc in await tenants.ListAsync(CancellationToken.None))
        {
            if (doc.DigestHour is not { } hour || await s.TenantAsync(doc.Id!, CancellationToken.None) is not { } tenant || tenant.ToLocal(now).Hour != hour)
            {
                continue;
            }

            var day = tenant.ToLocal(now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var job = new WorkflowJob(NotificationKinds.Digest, tenant.Id, "digest-" + day, day, DateTime.UnixEpoch, policy);
            await engine.StartAsync(typeof(NotificationOrchestration), NotificationKeys.NotificationInstance(tenant.Id, job.RelatedId, NotificationKinds.Digest), job);
        }

        // Past the top of the hour by a little: a durable timer may fire up to a second early.
        var next = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, now.Offset).AddHours(1);
        return (next - now).TotalSeconds + 2;
    }
}
