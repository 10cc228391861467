using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class HealthEndpointsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Ready_StorageAnswers_Returns200()
    {
        await using var app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning);

        using var response = await app.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_StorageDown_Returns503ButAliveStays200()
    {
        await using var app = await AppHost.StartAsync(DeadStorage(), TestTenants.MondayMorning);

        using var ready = await app.Http.GetAsync("/readyz");
        using var alive = await app.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("storage", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Voice_StorageDown_CallerHearsTechnicalDifficultyNotAnError()
    {
        await using var app = await AppHost.StartAsync(DeadStorage(), TestTenants.MondayMorning);
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = "CA" + new string('9', 32), ["From"] = TestTenants.Caller, ["To"] = TestTenants.DentistNumber, ["CallStatus"] = "ringing",
        };
        var url = new Uri(app.BaseUrl, TwilioPaths.Voice);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, TwilioSignature.Compute(AppHost.AuthToken, url.AbsoluteUri, form));

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Contains("technical difficulty", twiml.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.NotNull(twiml.Element("Hangup"));
    }

    /// <summary>A connection string to a loopback port nothing listens on.</summary>
    private static string DeadStorage()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Cloud.Emulator.AzuriteProcess.AccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }
}
