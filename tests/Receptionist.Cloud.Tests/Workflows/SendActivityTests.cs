using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Cloud.Tables;
using Receptionist.Cloud.Workflows;
using Receptionist.Core.Notifications;
using Receptionist.Core.Reporting;
using Receptionist.Core.Tenants;
using Receptionist.Testing;

namespace Receptionist.Cloud.Tests.Workflows;

/// <summary>
/// One attempt at a text, on real table storage: however many attempts the workflow framework runs at once for the same
/// notification (a task delivered twice after a crash), the owner's phone gets it once; an attempt that died holding it
/// is taken over only once its hold has lapsed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SendActivityTests(AzuriteFixture azurite)
{
    private static readonly Tenant Dentist = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse(TestTenants.MondayMorning, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Update_TwoWritersFromOneRead_SecondConflictsAndTheFirstStands()
    {
        var store = new TableNotificationStore(await azurite.NewTablesAsync());
        var read = await store.AddAsync(Alert(NotificationStatus.Scheduled), CancellationToken.None);

        await store.UpdateAsync(read with { Status = NotificationStatus.Sent, ProviderId = "SM1" }, CancellationToken.None);
        await Assert.ThrowsAsync<NotificationConflictException>(() => store.UpdateAsync(read with { Status = NotificationStatus.Cancelled }, CancellationToken.None));

        var stored = await store.GetAsync(Dentist.Id, read.Key, CancellationToken.None);
        Assert.Equal((NotificationStatus.Sent, "SM1"), (stored!.Status, stored.ProviderId));
    }

    [Fact]
    public async Task Attempt_TwoAttemptsAtOnce_OneTextSentAndTheOtherStandsBack()
    {
        var (services, store, sms) = await NewAsync();
        var n = await store.AddAsync(Alert(NotificationStatus.Scheduled), CancellationToken.None);
        var request = new SendRequest(Dentist.Id, n.Key, 1);

        var first = SendActivity.AttemptAsync(services, request, CancellationToken.None);
        await sms.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the first is at the provider
        var second = await SendActivity.AttemptAsync(services, request, CancellationToken.None);
        sms.Release.SetResult();
        var firstOutcome = await first.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(NotificationStatus.Sent, firstOutcome.Status);
        Assert.Equal(SendOutcome.Retry, second.Status);
        Assert.InRange(second.HeldForSeconds!.Value, 1, SendActivity.ClaimFor.TotalSeconds);
        Assert.Equal(1, sms.Sends);
        var stored = await store.GetAsync(Dentist.Id, n.Key, CancellationToken.None);
        Assert.Equal((NotificationStatus.Sent, 1, (DateTimeOffset?)null), (stored!.Status, stored.Attempts, stored.ClaimedUntil));

        // The one that stood back looks again later and finds it sent: nothing more goes out.
        Assert.Equal(NotificationStatus.Sent, (await SendActivity.AttemptAsync(services, request, CancellationToken.None)).Status);
        Assert.Equal(1, sms.Sends);
    }

    [Theory]
    [InlineData(-1, 1)] // the holder died a second past its hold: sent again (whether its text went is unknown)
    [InlineData(10, 0)] // still within the hold: left to the holder
    public async Task Attempt_RowHeldByAnAttemptThatNeverAnswered_SentOnlyOnceTheHoldLapsed(int heldForSeconds, int expectedSends)
    {
        var (services, store, sms) = await NewAsync();
        sms.Release.SetResult();
        var n = await store.AddAsync(Alert(NotificationStatus.Scheduled), CancellationToken.None);
        await store.UpdateAsync(n with { Status = NotificationStatus.Sending, Attempts = 1, ClaimedUntil = _clock.GetUtcNow().AddSeconds(heldForSeconds) }, CancellationToken.None);

        var outcome = await SendActivity.AttemptAsync(services, new SendRequest(Dentist.Id, n.Key, 2), CancellationToken.None);

        Assert.Equal(expectedSends, sms.Sends);
        Assert.Equal(expectedSends == 1 ? NotificationStatus.Sent : SendOutcome.Retry, outcome.Status);
        var stored = await store.GetAsync(Dentist.Id, n.Key, CancellationToken.None);
        Assert.Equal(expectedSends == 1 ? 2 : 1, stored!.Attempts);
    }

    private async Task<(WorkflowServices Services, TableNotificationStore Store, HeldSms Sms)> NewAsync()
    {
        var tables = await azurite.NewTablesAsync();
        var store = new TableNotificationStore(tables);
        var sms = new HeldSms();
        var services = new WorkflowServices(new OneTenant(Dentist), new TableAppointmentStore(tables), new TableCallStore(tables), new TableMessageStore(tables),
            store, new TableOptOutStore(tables), new TableCallReportStore(tables), new TableCostLedger(tables), new CostRates(), sms, _clock,
            NullLogger<WorkflowServices>.Instance);
        return (services, store, sms);
    }

    private Notification Alert(string status) => new(Dentist.Id, "m1.owner", NotificationKinds.OwnerMessage, Dentist.NotifyNumber, "New message from Sam Lee",
        status, null, 0, _clock.GetUtcNow(), _clock.GetUtcNow(), _clock.GetUtcNow(), null, null, "m1");

    private sealed class OneTenant(Tenant tenant) : ITenants
    {
        public Task<Tenant?> ByIdAsync(string tenantId, CancellationToken cancellationToken) => Task.FromResult(tenantId == tenant.Id ? tenant : null);
    }

    /// <summary>An SMS provider that holds each send until released, and counts what it accepted.</summary>
    private sealed class HeldSms : ISmsSender
    {
        private int _sends;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Sends => Volatile.Read(ref _sends);

        public async Task<SmsResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return new SmsResult("SM" + Interlocked.Increment(ref _sends), "queued");
        }
    }
}
