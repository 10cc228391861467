using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Receptionist.Cloud.Tables;
using Receptionist.Cloud.Workflows;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Telephony.Twilio.Simulation;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Workflows;

/// <summary>
/// The outbox (docs/workflows.md "The outbox"): the turn writes one row and the app starts the workflow in the
/// background; a row whose start failed or was never made (the app died) is taken up by the sweep, on Azurite, with the
/// texts that reach the loopback stand-in for Twilio's Messages API.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkflowOutboxTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string Phone = "+15557002345";
    private TwilioRestStandIn _twilio = null!;
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        (_twilio, _app) = await DentistBookings.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Workflows:OutboxSweepSeconds"] = "2",
            ["Workflows:OutboxStartDelaySeconds"] = "10",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    private WorkflowOutbox Outbox => Assert.IsType<WorkflowOutbox>(_app.Services.GetRequiredService<IWorkflows>());

    private TableSet Tables => _app.Services.GetRequiredService<TableSet>();

    private Task<AppointmentKey> BookAsync(string callId, int hour) => DentistBookings.BookCheckupAsync(_app, callId, Phone, new TimeOnly(hour, 0));

    private Task<Notification> SentAsync(AppointmentKey appointment) => DentistBookings.ConfirmationSentAsync(_app, appointment, Patience);

    private async Task<IReadOnlyList<string>> PendingAfterAsync(Func<IReadOnlyList<string>, bool> done)
    {
        var until = DateTime.UtcNow + Patience;
        var pending = await Outbox.PendingAsync(CancellationToken.None);
        while (!done(pending) && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
            pending = await Outbox.PendingAsync(CancellationToken.None);
        }

        return pending;
    }

    [Fact]
    public async Task BookedAsync_OutboxOn_TextFirstThenTheWorkflowStartsInTheBackgroundAndTheRowIsGone()
    {
        var appointment = await BookAsync("CA-outbox-1", 9);
        var engine = _app.Services.GetRequiredService<WorkflowEngine>();
        var instance = NotificationKeys.AppointmentInstance("bright-smiles", appointment.Id);

        await Outbox.BookedAsync(appointment, CancellationToken.None);

        // The express lane sent the text; the workflow starts 10 s after the row was written, which holds it till then.
        var sent = await SentAsync(appointment);
        Assert.Equal(1, sent.Attempts);
        Assert.Contains($"bright-smiles/booked:{appointment.Id}", await Outbox.PendingAsync(CancellationToken.None));
        Assert.Null(await engine.Client.GetOrchestrationStateAsync(instance));

        Assert.Empty(await PendingAfterAsync(p => p.Count == 0));
        Assert.NotNull(await engine.Client.GetOrchestrationStateAsync(instance));
        Assert.Single(_twilio.Messages, m => m.To == Phone);
    }

    [Fact]
    public async Task SweepAsync_TheStartFailedWhereTheRowWasWritten_TheRowStaysAndTheSweepSendsTheTextOnce()
    {
        var appointment = await BookAsync("CA-outbox-2", 10);
        await using (var dying = new WorkflowOutbox(Tables.WorkflowOutbox, new FailingWorkflows(), null, new WorkflowOptions { OutboxSweepSeconds = 3600 },
            _app.Services.GetRequiredService<TimeProvider>(), NullLogger<WorkflowOutbox>.Instance))
        {
            await dying.BookedAsync(appointment, CancellationToken.None);
            Assert.Contains($"bright-smiles/booked:{appointment.Id}", await dying.PendingAsync(CancellationToken.None));
        }

        // The app's own outbox takes it up once it is two seconds old.
        var sent = await SentAsync(appointment);
        Assert.Equal(1, sent.Attempts);
        Assert.DoesNotContain($"bright-smiles/booked:{appointment.Id}", await PendingAfterAsync(p => !p.Contains($"bright-smiles/booked:{appointment.Id}")));
        await Task.Delay(2500); // another sweep: nothing sent twice
        Assert.Single(_twilio.Messages, m => m.To == Phone);
    }

    [Fact]
    public async Task SweepAsync_AnUnreadableRowBesideAGoodOne_TheGoodOneIsCarriedOutAndTheOtherLeftAsItIs()
    {
        var appointment = await BookAsync("CA-outbox-3", 11);
        var old = DateTimeOffset.Parse(TestTenants.MondayMorning, System.Globalization.CultureInfo.InvariantCulture).AddMinutes(-5);
        await Tables.WorkflowOutbox.UpsertEntityAsync(new TableEntity("bright-smiles", "nonsense:x") { ["Op"] = "nonsense", ["Key"] = "x", ["WrittenAt"] = old });
        await using (var dying = new WorkflowOutbox(Tables.WorkflowOutbox, new FailingWorkflows(), null, new WorkflowOptions { OutboxSweepSeconds = 3600 },
            _app.Services.GetRequiredService<TimeProvider>(), NullLogger<WorkflowOutbox>.Instance))
        {
            await dying.BookedAsync(appointment, CancellationToken.None);
        }

        await SentAsync(appointment);
        var pending = await PendingAfterAsync(p => !p.Contains($"bright-smiles/booked:{appointment.Id}"));
        Assert.Contains("bright-smiles/nonsense:x", pending);
        Assert.DoesNotContain($"bright-smiles/booked:{appointment.Id}", pending);
    }

    /// <summary>Where every start fails, as when the framework's storage does not answer.</summary>
    private sealed class FailingWorkflows : IWorkflows
    {
        private static Task Fail() => Task.FromException(new InvalidOperationException("the task hub does not answer"));

        public Task BookedAsync(AppointmentKey appointment, CancellationToken cancellationToken) => Fail();

        public Task MovedAsync(AppointmentKey from, AppointmentKey to, CancellationToken cancellationToken) => Fail();

        public Task CancelledAsync(AppointmentKey appointment, CancellationToken cancellationToken) => Fail();

        public Task MessageTakenAsync(string tenantId, string messageId, CancellationToken cancellationToken) => Fail();

        public Task CallEndedAsync(string tenantId, string callId, CancellationToken cancellationToken) => Fail();
    }
}
