using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Notifications;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Twilio;

/// <summary>POST /twilio/sms: texts to a business's number; STOP and START are recorded, anything unsigned is refused.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class InboundSmsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AppHost _app = null!;

    private IOptOutStore OptOuts => _app.Services.GetRequiredService<IOptOutStore>();

    public async Task InitializeAsync()
    {
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning);
        await _app.ImportTenantsAsync(TestTenants.Dentist);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static Dictionary<string, string> Text(string body, string from = TestTenants.Caller) => new(StringComparer.Ordinal)
    {
        ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["AccountSid"] = AppHost.AccountSid, ["From"] = from,
        ["To"] = TestTenants.DentistNumber, ["Body"] = body, ["NumMedia"] = "0",
    };

    [Fact]
    public async Task InboundSms_Stop_RecordedForTheBusinessAndAnsweredWithAnEmptyResponse()
    {
        using var response = await TwilioRequests.PostSignedAsync(_app.Http, "/twilio/sms", Text("STOP"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<?xml version=\"1.0\" encoding=\"utf-8\"?><Response></Response>", await response.Content.ReadAsStringAsync(), ignoreCase: true);
        Assert.True(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Fact]
    public async Task InboundSms_StartAfterStop_OptedBackIn()
    {
        (await TwilioRequests.PostSignedAsync(_app.Http, "/twilio/sms", Text("stop"))).Dispose();
        (await TwilioRequests.PostSignedAsync(_app.Http, "/twilio/sms", Text("START"))).Dispose();

        Assert.False(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Fact]
    public async Task InboundSms_OtherText_NothingRecorded()
    {
        using var response = await TwilioRequests.PostSignedAsync(_app.Http, "/twilio/sms", Text("Stop texting me please"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Fact]
    public async Task InboundSms_Unsigned_403AndNothingRecorded()
    {
        using var response = await _app.Http.PostAsync("/twilio/sms", new FormUrlEncodedContent(Text("STOP")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Fact]
    public async Task InboundSms_SignedWithAnotherToken_403AndNothingRecorded()
    {
        using var response = await TwilioRequests.PostSignedAsync(_app.Http, "/twilio/sms", Text("STOP"), token: "not-the-auth-token-0123456789");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await OptOuts.IsOptedOutAsync("bright-smiles", TestTenants.Caller, CancellationToken.None));
    }

    [Fact]
    public async Task InboundSms_FromIsNotANumber_400WithTheReason()
    {
        using var response = await TwilioRequests.PostSignedAsync(_app.Http, "/twilio/sms", Text("STOP", from: "not-a-number"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("From and To", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
