using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Receptionist.Cloud.Workflows;
using Receptionist.Core.Notifications;
using Receptionist.Core.Conversation;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Telephony.Twilio.Simulation;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Workflows;

/// <summary>
/// The express lane (docs/workflows.md "Express sends"): a confirmation tried in the app as soon as its workflow has
/// started, on Azurite, with what reaches the loopback stand-in for Twilio's Messages API. Whoever comes first sends;
/// the caller gets one text.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExpressSendsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private const string Phone = "+15557001234";
    private TwilioRestStandIn _twilio = null!;
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        (_twilio, _app) = await DentistBookings.StartAsync(azurite);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    /// <summary>A checkup booked for Tuesday at 10 by a caller whose number can take texts, and its confirmation's job.</summary>
    private async Task<WorkflowJob> BookAsync(string callId) =>
        DentistBookings.Job(_app, await DentistBookings.BookCheckupAsync(_app, callId, Phone, new TimeOnly(10, 0)));

    private PlanActivity Plan() => new(_app.Services.GetRequiredService<WorkflowServices>(), _app.Services.GetRequiredService<WorkflowEngine>());

    private Task<Notification> ConfirmationAsync(WorkflowJob job) => DentistBookings.ConfirmationSentAsync(_app, job.Appointment(), Patience);

    [Fact]
    public async Task Offer_NoWorkflowStarted_TheExpressLaneAloneSendsTheConfirmationAndWritesItsReminder()
    {
        var job = await BookAsync("CA-express-1");
        await using var express = new ExpressSends(Plan(), new WorkflowOptions(), NullLogger<ExpressSends>.Instance);

        Assert.True(express.Offer(job));

        var sent = await ConfirmationAsync(job);
        var text = Assert.Single(_twilio.Messages);
        Assert.Equal((Phone, TestTenants.DentistNumber, sent.ProviderId), (text.To, text.From, text.Sid));
        Assert.StartsWith("Bright Smiles Dental: your ", text.Body, StringComparison.Ordinal);
        Assert.Contains(" is booked for ", text.Body, StringComparison.Ordinal);
        Assert.Equal(1, sent.Attempts);
        var reminder = await _app.Services.GetRequiredService<INotificationStore>().GetAsync("bright-smiles", job.Key(NotificationKinds.Reminder), CancellationToken.None);
        Assert.Equal(NotificationStatus.Scheduled, reminder?.Status);
    }

    [Fact]
    public async Task PlanAndTryAsync_ExpressAndTheWorkflowAtTheSameTime_OneTextAndOneAttempt()
    {
        var job = await BookAsync("CA-express-2");
        var plan = Plan();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => plan.PlanAndTryAsync(job))));

        Assert.Single(_twilio.Messages);
        var sent = await ConfirmationAsync(job);
        Assert.Equal(1, sent.Attempts);
        Assert.All(results, r => Assert.Equal(job.Key(NotificationKinds.Reminder), r.ReminderKey));
        await Task.Delay(500);
        Assert.Single(_twilio.Messages);
    }

    [Fact]
    public async Task BookedAsync_ExpressAndItsWorkflow_OneConfirmationTheWorkflowFindsSent()
    {
        var job = await BookAsync("CA-express-3");
        var appointment = job.Appointment();

        await _app.Services.GetRequiredService<IWorkflows>().BookedAsync(appointment, CancellationToken.None);

        var sent = await ConfirmationAsync(job);
        var engine = _app.Services.GetRequiredService<WorkflowEngine>();
        var instance = NotificationKeys.AppointmentInstance("bright-smiles", appointment.Id);
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until && (await engine.Client.GetOrchestrationStateAsync(instance))?.OrchestrationStatus != DurableTask.Core.OrchestrationStatus.Running)
        {
            await Task.Delay(50);
        }

        // The workflow runs its plan (with its own attempt) and then waits for the reminder: it must find the text sent.
        Assert.Equal(DurableTask.Core.OrchestrationStatus.Running, (await engine.Client.GetOrchestrationStateAsync(instance))?.OrchestrationStatus);
        await Task.Delay(2000);
        Assert.Single(_twilio.Messages);
        Assert.Equal(1, sent.Attempts);
    }

    [Fact]
    public async Task Offer_AfterDispose_IsRefusedAndNothingIsSent()
    {
        var job = await BookAsync("CA-express-4");
        var express = new ExpressSends(Plan(), new WorkflowOptions(), NullLogger<ExpressSends>.Instance);
        await express.DisposeAsync();

        Assert.False(express.Offer(job));
        await Task.Delay(300);
        Assert.Empty(_twilio.Messages);
    }
}
