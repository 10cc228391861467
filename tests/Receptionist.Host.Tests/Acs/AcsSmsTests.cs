using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Notifications;
using Receptionist.Telephony.Acs;
using Receptionist.Telephony.Twilio;
using Receptionist.Telephony.Twilio.Simulation;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Acs;

/// <summary>
/// Texts over ACS, end to end on Azurite with the workflows running and both providers configured (the loopback ACS
/// stand-in and Twilio's): a caller who booked over ACS gets the confirmation through ACS, one who called over Twilio
/// through Twilio; a STOP delivered as Event Grid's SMSReceived is recorded like Twilio's, and only when the delivery
/// is authenticated.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AcsSmsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] Booking = ["I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no"];
    private TwilioRestStandIn _twilio = null!;
    private AppHost _app = null!;
    private AcsTestCalls _acs = null!;

    public async Task InitializeAsync()
    {
        _twilio = await TwilioRestStandIn.StartAsync(accountSid: AppHost.AccountSid, authToken: AppHost.AuthToken);
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, acs: true, twilioApi: _twilio);
        _acs = new AcsTestCalls(_app);
        await _app.ImportTenantsAsync(TestTenants.Dentist);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    private IOptOutStore OptOuts => _app.Services.GetRequiredService<IOptOutStore>();

    private Task BookOverAcsAsync() => _app.Simulator("acs").RunAsync(TestTenants.DentistNumber, TestTenants.Caller, new ScriptedCaller(Booking), CancellationToken.None);

    private static JsonArray SmsReceived(string message, string? from = TestTenants.Caller, string? to = TestTenants.DentistNumber)
    {
        var data = new JsonObject { ["messageId"] = "Incoming_" + Guid.NewGuid().ToString("N"), ["message"] = message, ["receivedTimestamp"] = DateTimeOffset.UtcNow.ToString("O") };
        if (from is not null)
        {
            data["from"] = from;
        }

        if (to is not null)
        {
            data["to"] = to;
        }

        return new JsonArray(AcsTestCalls.Event("Microsoft.Communication.SMSReceived", data));
    }

    private async Task<Notification> NotificationAsync(string kind, Func<Notification, bool> done)
    {
        var store = _app.Services.GetRequiredService<INotificationStore>();
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var found = (await store.ListAsync("bright-smiles", CancellationToken.None)).FirstOrDefault(n => n.Kind == kind);
            if ((found is not null && done(found)) || DateTime.UtcNow > until)
            {
                Assert.True(found is not null && done(found), $"{kind}: {found?.Status ?? "none"} {found?.Detail}");
                return found!;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Booked_OverAcs_ConfirmationArrivesAtAcsNotTwilio()
    {
        await BookOverAcsAsync();

        var sent = await NotificationAsync(NotificationKinds.Booked, n => n.Status == NotificationStatus.Sent);
        var text = Assert.Single(_app.Acs!.Texts);
        Assert.Equal((TestTenants.Caller, TestTenants.DentistNumber), (text.To, text.From));
        Assert.Equal("Bright Smiles Dental: your Cleaning is booked for Tuesday, November 24 at 10 am. 12 Main St. To change it, call us at (555) 010-0001.", text.Message);
        Assert.Equal((text.MessageId, AcsSmsSender.Accepted, 1), (sent.ProviderId, sent.Detail, sent.Attempts));
        Assert.Empty(_twilio.Messages);
        Assert.Equal(0, _app.Acs.RejectedRequests); // every SMS request was signed with the resource's key
    }

    [Fact]
    public async Task Booked_OverTwilioWithAcsConfigured_ConfirmationArrivesAtTwilio()
    {
        await _app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, Booking);

        await NotificationAsync(NotificationKinds.Booked, n => n.Status == NotificationStatus.Sent);
        Assert.Single(_twilio.Messages);
        Assert.Empty(_app.Acs!.Texts);
    }

    [Fact]
    public async Task Booked_AcsRefusesTheNumber_FailedForGoodAfterOneAttempt()
    {
        _app.Acs!.FailNextSms(Telephony.Acs.Simulation.AcsSmsFailure.InvalidNumber());

        await BookOverAcsAsync();

        var failed = await NotificationAsync(NotificationKinds.Booked, n => n.Status == NotificationStatus.Failed);
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("HTTP 400", failed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTenants.Caller, failed.Detail, StringComparison.Ordinal);
        Assert.Empty(_app.Acs.Texts);
        Assert.Empty(_twilio.Messages);
    }

    [Fact]
    public async Task SmsReceived_Stop_RecordedAndTheNextConfirmationIsSkipped()
    {
        using (var response = await _acs.PostEventsAsync(SmsReceived(" stop "), AppHost.EventGridSecret))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));

        await BookOverAcsAsync();

        var skipped = await NotificationAsync(NotificationKinds.Booked, n => n.Status == NotificationStatus.Skipped);
        Assert.Contains("STOP", skipped.Detail, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Empty(_app.Acs!.Texts);
        Assert.Empty(_twilio.Messages);
    }

    [Fact]
    public async Task SmsReceived_StartAfterStop_OptedBackIn()
    {
        using (await _acs.PostEventsAsync(SmsReceived("STOP"), AppHost.EventGridSecret))
        {
        }

        using var response = await _acs.PostEventsAsync(SmsReceived("Start"), AppHost.EventGridSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Fact]
    public async Task SmsReceived_NotAKeyword_NothingRecorded()
    {
        using var response = await _acs.PostEventsAsync(SmsReceived("Stop texting me please"), AppHost.EventGridSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret-0123456789")]
    public async Task SmsReceived_Unauthenticated_401AndNoOptOutWritten(string? code)
    {
        using var response = await _acs.PostEventsAsync(SmsReceived("STOP"), code);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Theory]
    [InlineData(null, TestTenants.DentistNumber, "from")]
    [InlineData(TestTenants.Caller, "not a number", "to")]
    public async Task SmsReceived_Malformed_400NamingWhatIsWrongAndNothingWritten(string? from, string? to, string named)
    {
        using var response = await _acs.PostEventsAsync(SmsReceived("STOP", from, to), AppHost.EventGridSecret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"];
        Assert.Contains($"SMSReceived): {named}", detail, StringComparison.Ordinal);
        Assert.False(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Fact]
    public async Task SmsReceived_DataNotAnObject_400()
    {
        var body = SmsReceived("STOP");
        body[0]!["data"] = "STOP";

        using var response = await _acs.PostEventsAsync(body, AppHost.EventGridSecret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
