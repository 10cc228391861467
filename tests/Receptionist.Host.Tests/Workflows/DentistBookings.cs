using Microsoft.Extensions.DependencyInjection;
using Receptionist.Cloud.Workflows;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Telephony.Twilio.Simulation;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Workflows;

/// <summary>What the workflow tests on the test dentist share: a booking made as a call makes it, and the wait for its
/// confirmation to be sent.</summary>
internal static class DentistBookings
{
    public const string TenantId = "bright-smiles";

    private static readonly Tenant Dentist = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;

    /// <summary>The app with its workflows on, sending to a loopback stand-in for Twilio's Messages API, and the test
    /// dentist imported.</summary>
    public static async Task<(TwilioRestStandIn Twilio, AppHost App)> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null)
    {
        var twilio = await TwilioRestStandIn.StartAsync(accountSid: AppHost.AccountSid, authToken: AppHost.AuthToken);
        var app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, twilioApi: twilio, settings: settings);
        await app.ImportTenantsAsync(TestTenants.Dentist);
        return (twilio, app);
    }

    /// <summary>A checkup on Tuesday 24 November at <paramref name="at"/> for Sam Lee on <paramref name="phone"/>.</summary>
    public static async Task<AppointmentKey> BookCheckupAsync(AppHost app, string callId, string phone, TimeOnly at)
    {
        var day = new DateOnly(2026, 11, 24);
        var booked = await app.Services.GetRequiredService<IAppointmentStore>().ReserveAsync(
            new BookingRequest(TenantId, callId, "Checkup", 30, day, at, Dentist.AtLocal(day, at), "Sam Lee", phone),
            DateTimeOffset.Parse(TestTenants.MondayMorning, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        Assert.NotNull(booked);
        return new AppointmentKey(TenantId, booked.Id, day, booked.Start);
    }

    /// <summary>The job the app's workflows run for <paramref name="appointment"/>'s confirmation.</summary>
    public static WorkflowJob Job(AppHost app, AppointmentKey appointment) =>
        WorkflowJob.For(NotificationKinds.Booked, appointment, app.Services.GetRequiredService<WorkflowEngine>().Policy);

    /// <summary>Waits (at most <paramref name="patience"/>) for the appointment's confirmation to be sent, and returns its row.</summary>
    public static async Task<Notification> ConfirmationSentAsync(AppHost app, AppointmentKey appointment, TimeSpan patience)
    {
        var key = Job(app, appointment).Key(NotificationKinds.Booked);
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            var row = await app.Services.GetRequiredService<INotificationStore>().GetAsync(TenantId, key, CancellationToken.None);
            if (row is { Status: NotificationStatus.Sent } || DateTime.UtcNow > until)
            {
                Assert.Equal(NotificationStatus.Sent, row?.Status);
                return row!;
            }

            await Task.Delay(50);
        }
    }
}
