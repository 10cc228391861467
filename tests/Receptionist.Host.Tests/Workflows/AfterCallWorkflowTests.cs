using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Notifications;
using Receptionist.Core.Reporting;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;
using Receptionist.Telephony.Twilio.Simulation;

namespace Receptionist.Host.Tests.Workflows;

/// <summary>
/// The after-call workflows end to end: the app (with its Durable Task worker on Azurite) takes a call over Twilio,
/// and what reaches the loopback stand-in for Twilio's Messages API is what a caller's or owner's phone would get.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AfterCallWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>How long a test waits for an SMS that should come within seconds.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

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

    private async Task<AppHost> StartAsync(string clockNow, string tenant = TestTenants.Dentist, IDictionary<string, string?>? settings = null)
    {
        var app = await AppHost.StartAsync(azurite.ConnectionString, clockNow, settings: settings, twilioApi: _twilio);
        _apps.Add(app);
        await app.ImportTenantsAsync(tenant);
        return app;
    }

    private static Task<IReadOnlyList<Notification>> NotificationsAsync(AppHost app) =>
        app.Services.GetRequiredService<INotificationStore>().ListAsync("bright-smiles", CancellationToken.None);

    /// <summary>Waits until the stand-in has accepted <paramref name="count"/> messages; fails the test after <see cref="Patience"/>.</summary>
    private async Task<IReadOnlyList<TwilioRestStandIn.ReceivedMessage>> MessagesAsync(int count)
    {
        var until = DateTime.UtcNow + Patience;
        while (_twilio.Messages.Count < count && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        Assert.True(_twilio.Messages.Count >= count, $"{_twilio.Messages.Count} of {count} SMS arrived within {Patience.TotalSeconds} s");
        return _twilio.Messages;
    }

    private static async Task<Notification> NotificationAsync(AppHost app, string kind, string status)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var found = (await NotificationsAsync(app)).FirstOrDefault(n => n.Kind == kind);
            if (found?.Status == status || DateTime.UtcNow > until)
            {
                Assert.True(found is not null, $"no {kind} notification");
                Assert.Equal(status, found.Status);
                return found;
            }

            await Task.Delay(100);
        }
    }

    private static Task<CallReportRecord> ReportAsync(AppHost app, string callId) =>
        WaitAsync(() => app.Services.GetRequiredService<ICallReportStore>().GetAsync(callId, CancellationToken.None), r => r is not null)!;

    /// <summary>Reads until <paramref name="done"/> holds, for at most <see cref="Patience"/>; returns the last read.</summary>
    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > until)
            {
                Assert.True(done(value), $"not within {Patience.TotalSeconds} s: {value}");
                return value;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Booking_CallerGetsOneConfirmationWithTheDetails_AndTheReminderIsScheduled()
    {
        var app = await StartAsync(TestTenants.MondayMorning);

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");

        var sms = Assert.Single(await MessagesAsync(1));
        Assert.Equal((TestTenants.Caller, TestTenants.DentistNumber), (sms.To, sms.From));
        Assert.Equal("Bright Smiles Dental: your Cleaning is booked for Tuesday, November 24 at 10 am. 12 Main St. To change it, call us at (555) 010-0001.", sms.Body);
        var confirmation = await NotificationAsync(app, NotificationKinds.Booked, NotificationStatus.Sent);
        Assert.Equal((sms.Sid, 1, TestTenants.Caller), (confirmation.ProviderId, confirmation.Attempts, confirmation.To));
        var reminder = await NotificationAsync(app, NotificationKinds.Reminder, NotificationStatus.Scheduled);
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T10:00:00-05:00"), reminder.ScheduledFor); // 24 h before, booked 26 h ahead

        await Task.Delay(1000);
        Assert.Single(_twilio.Messages);
    }

    [Fact]
    public async Task Booking_ReminderTimeComes_CallerGetsTheReminderOnce()
    {
        // 20 s before 09:00 on Monday: a checkup on Tuesday at 09:00 is reminded of at 09:00 today.
        var app = await StartAsync("2026-11-23T08:59:40-05:00");

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a checkup", "tomorrow at 9", "Sam Lee", "yes", "no");

        var messages = await MessagesAsync(2);
        Assert.Equal("Bright Smiles Dental: a reminder of your Checkup on Tuesday, November 24 at 9 am. 12 Main St. To change it, call us at (555) 010-0001.", messages[1].Body);
        await NotificationAsync(app, NotificationKinds.Reminder, NotificationStatus.Sent);
        await Task.Delay(1000);
        Assert.Equal(2, _twilio.Messages.Count);
    }

    [Fact]
    public async Task Move_OldReminderCancelled_NewConfirmationAndReminderAtTheNewTime()
    {
        var app = await StartAsync("2026-11-23T08:59:40-05:00");
        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");
        await MessagesAsync(1);

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I need to reschedule my appointment", "tomorrow at 9", "yes", "no");

        var messages = await MessagesAsync(3);
        Assert.Equal("Bright Smiles Dental: your Cleaning has been moved to Tuesday, November 24 at 9 am. 12 Main St. To change it, call us at (555) 010-0001.", messages[1].Body);
        Assert.Contains("a reminder of your Cleaning on Tuesday, November 24 at 9 am", messages[2].Body, StringComparison.Ordinal);
        var reminders = (await NotificationsAsync(app)).Where(n => n.Kind == NotificationKinds.Reminder).ToList();
        Assert.Equal(2, reminders.Count);
        Assert.Contains(reminders, r => r.Status == NotificationStatus.Cancelled && r.ScheduledFor == DateTimeOffset.Parse("2026-11-23T10:00:00-05:00"));
        Assert.Contains(reminders, r => r.Status == NotificationStatus.Sent && r.ScheduledFor == DateTimeOffset.Parse("2026-11-23T09:00:00-05:00"));
    }

    [Fact]
    public async Task Cancel_ReminderCancelled_CallerGetsTheCancellation()
    {
        var app = await StartAsync(TestTenants.MondayMorning);
        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");
        await MessagesAsync(1);

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I need to cancel my appointment", "yes", "no");

        var messages = await MessagesAsync(2);
        Assert.Equal("Bright Smiles Dental: your Cleaning on Tuesday, November 24 at 10 am is cancelled. To book again, call us at (555) 010-0001.", messages[1].Body);
        var reminder = await NotificationAsync(app, NotificationKinds.Reminder, NotificationStatus.Cancelled);
        Assert.Contains("cancelled", reminder.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_OwnerGetsTheCallersNameNumberAndWords_UrgentMarked()
    {
        var app = await StartAsync("2026-11-23T07:00:00-05:00");

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I have a knocked out tooth", "Sam Lee", "please call me back as soon as you open", "yes", "no");

        var sms = Assert.Single(await MessagesAsync(1));
        Assert.Equal(("+15550109998", TestTenants.DentistNumber), (sms.To, sms.From));
        Assert.StartsWith("URGENT — Bright Smiles Dental: message from Sam Lee (+15557654321): ", sms.Body, StringComparison.Ordinal);
        Assert.Contains("as soon as you open", sms.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_TenantWithoutNotifyNumber_NothingSentAndTheReasonShown()
    {
        var app = await StartAsync("2026-11-23T18:30:00-05:00", TestTenants.DentistWith("\"notifyNumber\": \"+15550109998\",", string.Empty));

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "can I speak to someone", "Sam Lee", "please call me about my bill", "yes", "no");

        var alert = await NotificationAsync(app, NotificationKinds.OwnerMessage, NotificationStatus.Skipped);
        Assert.Contains("notifyNumber", alert.Detail, StringComparison.Ordinal);
        Assert.Empty(_twilio.Messages);
    }

    [Fact]
    public async Task Booking_WithheldCallerId_NoTextEvenToTheNumberTheyGave()
    {
        var app = await StartAsync(TestTenants.MondayMorning);

        await app.CallAsync(TestTenants.DentistNumber, "anonymous", "I'd like a cleaning tomorrow at 10", "Sam Lee", "five five five two three four nine eight seven six", "yes", "yes", "no");

        var confirmation = await NotificationAsync(app, NotificationKinds.Booked, NotificationStatus.Skipped);
        Assert.Contains("withheld", confirmation.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await NotificationsAsync(app), n => n.Kind == NotificationKinds.Reminder);
        Assert.Empty(_twilio.Messages);
    }

    [Fact]
    public async Task Booking_CallerRepliedStopEarlier_NoConfirmation()
    {
        var app = await StartAsync(TestTenants.MondayMorning);
        var stop = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM1", ["AccountSid"] = AppHost.AccountSid, ["From"] = TestTenants.Caller, ["To"] = TestTenants.DentistNumber, ["Body"] = "STOP",
        };
        (await TwilioRequests.PostSignedAsync(app.Http, "/twilio/sms", stop)).Dispose();

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");

        var confirmation = await NotificationAsync(app, NotificationKinds.Booked, NotificationStatus.Skipped);
        Assert.Contains("STOP", confirmation.Detail, StringComparison.Ordinal);
        Assert.Empty(_twilio.Requests);
    }

    [Fact]
    public async Task Send_TwilioSaysUnsubscribed_FailedAndTheNumberIsOptedOut()
    {
        var app = await StartAsync(TestTenants.MondayMorning);
        _twilio.FailNext(400, 21610, "Attempt to send to unsubscribed recipient");

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");

        var confirmation = await NotificationAsync(app, NotificationKinds.Booked, NotificationStatus.Failed);
        Assert.Equal(21610, confirmation.ProviderErrorCode);
        Assert.True(await app.Services.GetRequiredService<IOptOutStore>().IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Fact]
    public async Task CallEnds_SummaryAndCostStored_TheMonthsLedgerHasTheCallAndItsText()
    {
        var app = await StartAsync(TestTenants.MondayMorning);

        var call = await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "What's your address?", "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");

        await MessagesAsync(1);
        var report = await ReportAsync(app, call.CallSid);
        Assert.StartsWith("Booked a Cleaning for Tuesday, November 24 at 10 am. Asked: What's your address?", report.Summary.Text, StringComparison.Ordinal);
        Assert.Equal(["telephony (Twilio)", "speech recognition", "text-to-speech"], report.Cost.Lines.Select(l => l.Item));
        Assert.Equal(6, report.Cost.Lines[1].Quantity); // six things said, each recognised once
        var ledger = app.Services.GetRequiredService<ICostLedger>();
        var month = await WaitAsync(() => ledger.MonthAsync("bright-smiles", "2026-11", CancellationToken.None), m => m.Count == 2);
        Assert.Equal(report.Cost.Total, Assert.Single(month, e => e.Kind == "call").Cost.Total);
        var text = Assert.Single(month, e => e.Kind == "sms");
        Assert.Equal((call.CallSid, 0.0113m), (text.CallId, text.Cost.Total)); // one segment at list price plus the carrier fee
    }

    [Fact]
    public async Task AcsCall_EndedByTheReceptionist_GetsItsSummaryAndAcsCost()
    {
        // ACS reports the end without a duration, after our goodbye already ended the conversation.
        var app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, acs: true, twilioApi: _twilio);
        _apps.Add(app);
        await app.ImportTenantsAsync(TestTenants.Dentist);

        var call = await app.Simulator("acs").RunAsync(TestTenants.DentistNumber, TestTenants.Caller,
            new ScriptedCaller(["I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no"]), CancellationToken.None);

        var report = await ReportAsync(app, call.CallSid);
        Assert.Equal("Booked a Cleaning for Tuesday, November 24 at 10 am.", report.Summary.Text);
        Assert.Equal(["telephony (ACS)", "speech-to-text (at most)", "text-to-speech"], report.Cost.Lines.Select(l => l.Item));
        await WaitAsync(() => Task.FromResult(app.Acs!.Texts.Count), n => n == 1); // and the caller's confirmation, through ACS (docs/acs.md)
        Assert.Empty(_twilio.Messages);
    }

    [Fact]
    public async Task Message_AfterATransferNobodyAnswered_TheOwnersTextSaysSo()
    {
        var app = await StartAsync("2026-11-23T10:00:00-05:00");
        var simulator = app.Simulator();
        simulator.DialStatus = "no-answer";

        await simulator.RunAsync(TestTenants.DentistNumber, TestTenants.Caller,
            new ScriptedCaller(["can I speak to someone", "Sam Lee", "please call me about my bill", "yes", "no"]), CancellationToken.None);

        var sms = Assert.Single(await MessagesAsync(1));
        Assert.EndsWith("(We tried to put them through; nobody answered.)", sms.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_AtTheTenantsHour_OwnerGetsTheDaysCallsAndWhatCameOfThem()
    {
        // 25 s before 09:00, the dentist's digest hour: two calls, one of them a booking, then the digest at 09:00.
        var app = await StartAsync("2026-11-23T08:59:35-05:00", TestTenants.DentistWith("\"subscription\"", "\"digestHour\": 9, \"subscription\""));
        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");
        await app.CallAsync(TestTenants.DentistNumber, "+15557654322", "What's your address?", "no");

        var digest = await WaitAsync(() => Task.FromResult(_twilio.Messages.FirstOrDefault(m => m.To == "+15550109998")), m => m is not null);

        Assert.Equal("Bright Smiles Dental, the 24 hours to Monday, November 23 at 9 am: 2 calls; 1 booked.", digest!.Body);
        await Task.Delay(2000);
        Assert.Single(_twilio.Messages, m => m.To == "+15550109998"); // once a day, however often the hour is looked at
    }

    [Fact]
    public async Task Send_ProviderKeepsFailingWith500_RetriedThenDeadLettered()
    {
        var app = await StartAsync(TestTenants.MondayMorning, settings: new Dictionary<string, string?>
        {
            ["Workflows:SmsMaxAttempts"] = "3",
            ["Workflows:SmsFirstRetrySeconds"] = "0.2",
        });
        for (var i = 0; i < 3; i++)
        {
            _twilio.FailNext(500, 20500, "Internal Server Error");
        }

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");

        var confirmation = await NotificationAsync(app, NotificationKinds.Booked, NotificationStatus.DeadLettered);
        Assert.Equal(3, confirmation.Attempts);
        Assert.Equal(3, _twilio.Requests.Count);
        Assert.Empty(_twilio.Messages);
    }

    [Fact]
    public async Task Send_ProviderRecoversAfterA429_SentOnTheSecondAttempt()
    {
        var app = await StartAsync(TestTenants.MondayMorning, settings: new Dictionary<string, string?> { ["Workflows:SmsFirstRetrySeconds"] = "0.2" });
        _twilio.FailNext(429, 20429, "Too Many Requests");

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");

        Assert.Single(await MessagesAsync(1));
        var confirmation = await NotificationAsync(app, NotificationKinds.Booked, NotificationStatus.Sent);
        Assert.Equal(2, confirmation.Attempts);
    }

    [Fact]
    public async Task Send_InvalidNumber_FailedAtOnceWithTheProvidersCode()
    {
        var app = await StartAsync(TestTenants.MondayMorning);
        _twilio.FailNext(400, 21211, "The 'To' number is not a valid phone number.");

        await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");

        var confirmation = await NotificationAsync(app, NotificationKinds.Booked, NotificationStatus.Failed);
        Assert.Equal((1, 21211), (confirmation.Attempts, confirmation.ProviderErrorCode));
        Assert.Single(_twilio.Requests);
    }
}
