using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Cloud.Tables;
using Receptionist.Cloud.Workflows;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Reporting;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Workflows;

/// <summary>
/// An owner batch's planning on real table storage, with the app's clock in hand: it waits for its window to close,
/// takes the alerts waiting for it (not the next window's, not the ones that went at once), and however often it runs
/// — a retried activity, a workflow run again, a run that died half-way — there is one batch text, sent once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OwnerBatchActivityTests(AzuriteFixture azurite)
{
    private static readonly Tenant Dentist = TenantParser.Parse("t.json", TestTenants.DentistWith("\"subscription\"", "\"ownerAlertBatchMinutes\": 15, \"subscription\""), _ => true)
        .Tenants[0].Tenant;

    /// <summary>10:07 in New York: inside the window 15:00–15:15 UTC.</summary>
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-23T10:07:00-05:00", System.Globalization.CultureInfo.InvariantCulture));

    private static readonly DateTimeOffset WindowStart = DateTimeOffset.Parse("2026-11-23T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset WindowEnd = WindowStart.AddMinutes(15);

    private static WorkflowJob Job => WorkflowJob.OwnerBatch(Dentist.Id, WindowStart, WindowEnd, new SendPolicy(3, 1, 10));

    private static string BatchKey => Job.Key(NotificationKinds.OwnerBatch);

    [Fact]
    public async Task Plan_WindowStillOpen_WaitsForItsEndAndTheGraceAndWritesNothing()
    {
        var (services, store, _) = await NewAsync();
        await WaitingAsync(services, "m1", "Sam Lee", "+15557654321", "call me about my bill", WindowEnd);

        var plan = await OwnerBatchActivity.PlanAsync(services, Job, CancellationToken.None);

        Assert.Null(plan.Key);
        Assert.Equal((WindowEnd + OwnerBatchActivity.Grace - _clock.GetUtcNow()).TotalSeconds, plan.WaitSeconds);
        Assert.Equal(NotificationStatus.Scheduled, Assert.Single(await store.ListAsync(Dentist.Id, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Plan_RunTwiceThenSentTwice_OneBatchTextWithTheWindowsMessagesSentOnce()
    {
        var (services, store, sms) = await NewAsync();
        await WaitingAsync(services, "m1", "Sam Lee", "+15557654321", "call me about my bill", WindowEnd);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await WaitingAsync(services, "m2", "Pat Quinn", "+15557654322", "can I bring my dog", WindowEnd);
        await WaitingAsync(services, "m3", "Ann Ruiz", "+15557654323", "next window", WindowEnd.AddMinutes(15)); // written after this batch read
        var urgent = await services.Messages.SaveAsync(new MessageRequest(Dentist.Id, "CA-u", "mu", "Lou Park", "+15557654324", "my tooth", true), _clock.GetUtcNow(), CancellationToken.None);
        await store.AddAsync(new Notification(Dentist.Id, "mu.owner-message", NotificationKinds.OwnerMessage, Dentist.NotifyNumber, "URGENT", NotificationStatus.Sent,
            "SM0", 1, _clock.GetUtcNow(), _clock.GetUtcNow(), _clock.GetUtcNow(), null, null, urgent.Id), CancellationToken.None);
        _clock.SetUtcNow(WindowEnd + OwnerBatchActivity.Grace);

        var first = await OwnerBatchActivity.PlanAsync(services, Job, CancellationToken.None);
        var second = await OwnerBatchActivity.PlanAsync(services, Job, CancellationToken.None);

        Assert.Equal((BatchKey, BatchKey), (first.Key, second.Key));
        var rows = await store.ListAsync(Dentist.Id, CancellationToken.None);
        var batch = Assert.Single(rows, n => n.Kind == NotificationKinds.OwnerBatch);
        Assert.Equal("Bright Smiles Dental, 2 new messages: Sam Lee (+15557654321): \"call me about my bill\"; Pat Quinn (+15557654322): \"can I bring my dog\"", batch.Body);
        Assert.Equal((Dentist.NotifyNumber, NotificationStatus.Scheduled, WindowEnd), (batch.To, batch.Status, batch.ScheduledFor));
        Assert.All(rows.Where(n => n.RelatedId is "m1" or "m2"), n => Assert.Equal((NotificationStatus.Batched, NotificationStatus.BatchedInto(BatchKey)), (n.Status, n.Detail)));
        Assert.Equal(NotificationStatus.Scheduled, Assert.Single(rows, n => n.RelatedId == "m3").Status);
        Assert.Equal(NotificationStatus.Sent, Assert.Single(rows, n => n.RelatedId == "mu").Status);

        var request = new SendRequest(Dentist.Id, BatchKey, 1) { Job = Job };
        Assert.Equal(NotificationStatus.Sent, (await SendActivity.AttemptAsync(services, request, CancellationToken.None)).Status);
        Assert.Equal(NotificationStatus.Sent, (await SendActivity.AttemptAsync(services, request, CancellationToken.None)).Status);
        Assert.Equal(BatchKey, (await OwnerBatchActivity.PlanAsync(services, Job, CancellationToken.None)).Key); // planned before: the same text
        Assert.Equal(NotificationStatus.Sent, (await SendActivity.AttemptAsync(services, request, CancellationToken.None)).Status);
        Assert.Equal([Dentist.NotifyNumber!], sms.Sent.Select(m => m.To));
    }

    [Fact]
    public async Task Plan_AnEarlierRunDiedAfterMarking_ItsMarkedMessagesAreStillInTheText()
    {
        var (services, store, _) = await NewAsync();
        var marked = await WaitingAsync(services, "m1", "Sam Lee", "+15557654321", "call me about my bill", WindowEnd);
        await store.UpdateAsync(marked with { Status = NotificationStatus.Batched, Detail = NotificationStatus.BatchedInto(BatchKey) }, CancellationToken.None);
        await WaitingAsync(services, "m2", "Pat Quinn", "+15557654322", "can I bring my dog", WindowEnd);
        _clock.SetUtcNow(WindowEnd + OwnerBatchActivity.Grace);

        var plan = await OwnerBatchActivity.PlanAsync(services, Job, CancellationToken.None);

        var batch = await store.GetAsync(Dentist.Id, plan.Key!, CancellationToken.None);
        Assert.StartsWith("Bright Smiles Dental, 2 new messages: Sam Lee (+15557654321)", batch!.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_NoMessageWaits_NothingWrittenAndNothingToSend()
    {
        var (services, store, _) = await NewAsync();
        _clock.SetUtcNow(WindowEnd + OwnerBatchActivity.Grace);

        var plan = await OwnerBatchActivity.PlanAsync(services, Job, CancellationToken.None);

        Assert.Null(plan.Key);
        Assert.Null(plan.WaitSeconds);
        Assert.Empty(await store.ListAsync(Dentist.Id, CancellationToken.None));
    }

    /// <summary>A message and its alert as the plan writes it for a batching tenant: scheduled for its window's end.</summary>
    private async Task<Notification> WaitingAsync(WorkflowServices services, string id, string name, string phone, string text, DateTimeOffset windowEnd)
    {
        var now = _clock.GetUtcNow();
        var m = await services.Messages.SaveAsync(new MessageRequest(Dentist.Id, "CA-" + id, id, name, phone, text, false), now, CancellationToken.None);
        return await services.Notifications.AddAsync(new Notification(Dentist.Id, id + ".owner-message", NotificationKinds.OwnerMessage, Dentist.NotifyNumber,
            SmsTexts.OwnerMessage(Dentist, m), NotificationStatus.Scheduled, null, 0, windowEnd, now, now, "waits for the owner's batched text", null, id) { CallId = m.CallId },
            CancellationToken.None);
    }

    private async Task<(WorkflowServices Services, TableNotificationStore Store, CountingSms Sms)> NewAsync()
    {
        var tables = await azurite.NewTablesAsync();
        var store = new TableNotificationStore(tables);
        var sms = new CountingSms();
        var services = new WorkflowServices(new OneTenant(Dentist), new TableAppointmentStore(tables), new TableCallStore(tables), new TableMessageStore(tables),
            store, new TableOptOutStore(tables), new TableCallReportStore(tables), new TableCostLedger(tables), new CostRates(), sms, _clock,
            NullLogger<WorkflowServices>.Instance);
        return (services, store, sms);
    }

    private sealed class OneTenant(Tenant tenant) : ITenants
    {
        public Task<Tenant?> ByIdAsync(string tenantId, CancellationToken cancellationToken) => Task.FromResult(tenantId == tenant.Id ? tenant : null);
    }

    private sealed class CountingSms : ISmsSender
    {
        private readonly List<SmsMessage> _sent = [];

        public IReadOnlyList<SmsMessage> Sent
        {
            get { lock (_sent) { return [.. _sent]; } }
        }

        public Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
        {
            lock (_sent)
            {
                _sent.Add(message);
                return Task.FromResult(new SmsResult("SM" + _sent.Count, "queued"));
            }
        }
    }
}
