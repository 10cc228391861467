using DurableTask.Core;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Cloud.Workflows;
using Receptionist.Core.Notifications;
using Receptionist.Telephony.Twilio.Simulation;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Workflows;

/// <summary>
/// Owner alerts of a tenant that batches them (<c>ownerAlertBatchMinutes</c>), end to end: real calls to the app, its
/// Durable Task worker on Azurite, and what reaches the loopback stand-in for Twilio's Messages API. The app's clock
/// (Clock:Now) starts a few seconds before a one-minute window closes (18:31 in New York, 23:31 UTC), so the batch goes
/// out within seconds.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OwnerBatchWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string Owner = "+15550109998";

    /// <summary>The one-minute window the calls fall in: 23:30–23:31 UTC.</summary>
    private static readonly DateTimeOffset WindowStart = DateTimeOffset.Parse("2026-11-23T23:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset WindowEnd = WindowStart.AddMinutes(1);

    private static readonly string Batching = TestTenants.DentistWith("\"subscription\"", "\"ownerAlertBatchMinutes\": 1, \"subscription\"");

    private TwilioRestStandIn _twilio = null!;
    private readonly List<AppHost> _apps = [];

    public async Task InitializeAsync() =>
        _twilio = await TwilioRestStandIn.StartAsync(accountSid: AppHost.AccountSid, authToken: AppHost.AuthToken);

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await _twilio.DisposeAsync();
    }

    private async Task<AppHost> StartAsync(string clockNow, string tenant)
    {
        var app = await AppHost.StartAsync(azurite.ConnectionString, clockNow, twilioApi: _twilio);
        _apps.Add(app);
        await app.ImportTenantsAsync(tenant);
        return app;
    }

    /// <summary>A non-urgent message, after hours (the dentist closed at 17:00).</summary>
    private static Task MessageAsync(AppHost app, string from, string name, string words) =>
        app.CallAsync(TestTenants.DentistNumber, from, "can I speak to someone", name, words, "yes", "no");

    private static Task<IReadOnlyList<Notification>> NotificationsAsync(AppHost app) =>
        app.Services.GetRequiredService<INotificationStore>().ListAsync("bright-smiles", CancellationToken.None);

    /// <summary>The tenant's notifications once <paramref name="done"/> holds (the row is written just after Twilio
    /// answered); fails the test after <see cref="Patience"/>.</summary>
    private static async Task<IReadOnlyList<Notification>> RowsAsync(AppHost app, Func<IReadOnlyList<Notification>, bool> done)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var rows = await NotificationsAsync(app);
            if (done(rows) || DateTime.UtcNow > until)
            {
                Assert.True(done(rows), "the notifications did not come to the expected state: " + string.Join("; ", rows.Select(n => $"{n.Kind} {n.Status}")));
                return rows;
            }

            await Task.Delay(100);
        }
    }

    private IReadOnlyList<TwilioRestStandIn.ReceivedMessage> ToOwner() => _twilio.Messages.Where(m => m.To == Owner).ToList();

    /// <summary>Waits until the owner has <paramref name="count"/> texts; fails the test after <see cref="Patience"/>.</summary>
    private async Task<IReadOnlyList<TwilioRestStandIn.ReceivedMessage>> OwnerTextsAsync(int count)
    {
        var until = DateTime.UtcNow + Patience;
        while (ToOwner().Count < count && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        Assert.True(ToOwner().Count >= count, $"{ToOwner().Count} of {count} owner texts arrived within {Patience.TotalSeconds} s");
        return ToOwner();
    }

    /// <summary>The calls of a batch test must all fall in the window, or the test proves nothing: says so if the machine was too slow.</summary>
    private static void AssertStillInTheWindow(AppHost app)
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        Assert.True(now < WindowEnd, $"the calls ended at {now:HH:mm:ss.f}Z, after the window closed at {WindowEnd:HH:mm:ss}Z: the test could not run as designed");
    }

    [Fact]
    public async Task Messages_NoBatchSetting_EachAlertsAtOnce()
    {
        var app = await StartAsync("2026-11-23T18:30:00-05:00", TestTenants.Dentist);

        await MessageAsync(app, TestTenants.Caller, "Sam Lee", "please call me about my bill");
        var first = Assert.Single(await OwnerTextsAsync(1));
        await MessageAsync(app, "+15557654322", "Pat Quinn", "please call me about my crown");
        var texts = await OwnerTextsAsync(2);

        Assert.Equal("Bright Smiles Dental: message from Sam Lee (+15557654321): \"please call me about my bill\"", first.Body);
        Assert.StartsWith("Bright Smiles Dental: message from Pat Quinn (+15557654322): ", texts[1].Body, StringComparison.Ordinal);
        var rows = await RowsAsync(app, rows => rows.Count(n => n.Kind == NotificationKinds.OwnerMessage && n.Status == NotificationStatus.Sent) == 2);
        Assert.DoesNotContain(rows, n => n.Kind == NotificationKinds.OwnerBatch);
    }

    [Fact]
    public async Task Messages_ThreeCallsInABatchWindow_OneOwnerTextListsEveryCallerWithTheirNumber()
    {
        var app = await StartAsync("2026-11-23T18:30:45-05:00", Batching);

        await MessageAsync(app, TestTenants.Caller, "Sam Lee", "please call me about my bill");
        await MessageAsync(app, "+15557654322", "Pat Quinn", "please call me about my crown");
        await MessageAsync(app, "+15557654323", "Ann Ruiz", "please call me about my cleaning");
        AssertStillInTheWindow(app);
        Assert.Empty(ToOwner()); // nothing before the window closes

        var text = Assert.Single(await OwnerTextsAsync(1));
        Assert.Equal("Bright Smiles Dental, 3 new messages: Sam Lee (+15557654321): \"please call me about my bill\"; "
            + "Pat Quinn (+15557654322): \"please call me about my crown\"; Ann Ruiz (+15557654323): \"please call me about my cleaning\"", text.Body);
        Assert.Equal(TestTenants.DentistNumber, text.From);
        var rows = await RowsAsync(app, rows => rows.Any(n => n.Kind == NotificationKinds.OwnerBatch && n.Status == NotificationStatus.Sent));
        var batch = Assert.Single(rows, n => n.Kind == NotificationKinds.OwnerBatch);
        Assert.Equal((NotificationStatus.Sent, text.Sid, Owner), (batch.Status, batch.ProviderId, batch.To));
        var alerts = rows.Where(n => n.Kind == NotificationKinds.OwnerMessage).ToList();
        Assert.Equal(3, alerts.Count);
        Assert.All(alerts, a => Assert.Equal((NotificationStatus.Batched, NotificationStatus.BatchedInto(batch.Key)), (a.Status, a.Detail)));
        await Task.Delay(1000);
        Assert.Single(ToOwner());
    }

    [Fact]
    public async Task Messages_UrgentOneDuringTheWindow_GoesAtOnceAndIsNotRepeatedInTheBatch()
    {
        var app = await StartAsync("2026-11-23T18:30:45-05:00", Batching);

        await MessageAsync(app, TestTenants.Caller, "Sam Lee", "please call me about my bill");
        await app.CallAsync(TestTenants.DentistNumber, "+15557654322", "I have a knocked out tooth", "Pat Quinn", "please call me back as soon as you open", "yes", "no");
        var urgent = Assert.Single(await OwnerTextsAsync(1));
        await MessageAsync(app, "+15557654323", "Ann Ruiz", "please call me about my cleaning");
        AssertStillInTheWindow(app);

        Assert.StartsWith("URGENT — Bright Smiles Dental: message from Pat Quinn (+15557654322): ", urgent.Body, StringComparison.Ordinal);
        var texts = await OwnerTextsAsync(2);
        Assert.Equal("Bright Smiles Dental, 2 new messages: Sam Lee (+15557654321): \"please call me about my bill\"; "
            + "Ann Ruiz (+15557654323): \"please call me about my cleaning\"", texts[1].Body);
        var rows = await RowsAsync(app, rows => rows.Any(n => n.Kind == NotificationKinds.OwnerBatch && n.Status == NotificationStatus.Sent));
        Assert.Single(rows, n => n.Kind == NotificationKinds.OwnerMessage && n.Status == NotificationStatus.Sent && n.Body.StartsWith("URGENT", StringComparison.Ordinal));
        Assert.Equal(2, rows.Count(n => n.Kind == NotificationKinds.OwnerMessage && n.Status == NotificationStatus.Batched));
        await Task.Delay(1000);
        Assert.Equal(2, ToOwner().Count);
    }

    [Fact]
    public async Task Batch_StartedAgainAndRunAgainAfterItWent_OwnerGetsItOnce()
    {
        var app = await StartAsync("2026-11-23T18:30:50-05:00", Batching);
        await MessageAsync(app, TestTenants.Caller, "Sam Lee", "please call me about my bill");
        AssertStillInTheWindow(app);
        var text = Assert.Single(await OwnerTextsAsync(1));
        Assert.Equal("Bright Smiles Dental, 1 new message: Sam Lee (+15557654321): \"please call me about my bill\"", text.Body);

        // Every message of the window starts the same instance: once more is a no-op.
        var engine = app.Services.GetRequiredService<WorkflowEngine>();
        var job = WorkflowJob.OwnerBatch("bright-smiles", WindowStart, WindowEnd, engine.Policy);
        var instance = NotificationKeys.OwnerBatchInstance("bright-smiles", WindowStart);
        await engine.StartAsync(typeof(OwnerBatchOrchestration), instance, job);
        // The whole workflow run again (as a redelivery would after its state was lost), and its activity once more.
        await engine.StartAsync(typeof(OwnerBatchOrchestration), instance + ":again", job);
        var again = await WaitForAsync(engine, instance + ":again");
        var services = app.Services.GetRequiredService<WorkflowServices>();
        var plan = await OwnerBatchActivity.PlanAsync(services, job, CancellationToken.None);
        var attempt = await SendActivity.AttemptAsync(services, new SendRequest("bright-smiles", plan.Key!, 1) { Job = job }, CancellationToken.None);

        Assert.Equal(OrchestrationStatus.Completed, (await engine.Client.GetOrchestrationStateAsync(instance))?.OrchestrationStatus);
        Assert.Equal(NotificationStatus.Sent, again.Output?.Trim('"'));
        Assert.Equal((job.Key(NotificationKinds.OwnerBatch), NotificationStatus.Sent), (plan.Key, attempt.Status));
        Assert.Single(_twilio.Requests, r => r.FormValue("To") == Owner);
        Assert.Single(await NotificationsAsync(app), n => n.Kind == NotificationKinds.OwnerBatch);
    }

    private static async Task<OrchestrationState> WaitForAsync(WorkflowEngine engine, string instanceId)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var state = await engine.Client.GetOrchestrationStateAsync(instanceId);
            if (state?.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed || DateTime.UtcNow > until)
            {
                Assert.True(state?.OrchestrationStatus == OrchestrationStatus.Completed, $"{instanceId}: {state?.OrchestrationStatus} {state?.Output}");
                return state!;
            }

            await Task.Delay(100);
        }
    }
}
