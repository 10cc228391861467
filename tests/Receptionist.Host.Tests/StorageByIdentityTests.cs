using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Receptionist.Cloud.Emulator;
using Receptionist.Testing;
using Receptionist.Telephony.Twilio.Simulation;

namespace Receptionist.Host.Tests;

/// <summary>
/// Storage the way it runs in Azure: by endpoint, with the app's identity and no key. Azurite serves https and checks
/// the bearer tokens (lifetime, issuer, audience); the app is given the three endpoints and a connection string whose
/// key is wrong, so any request that used the key would fail. A call books an appointment and the after-call workflow
/// (the Durable Task Framework on the same account: tables, queues, lease blobs) texts the confirmation.
/// </summary>
public sealed class StorageByIdentityTests : IAsyncLifetime, IDisposable
{
    private readonly LoopbackCertificate _certificate = new();
    private readonly StandInTokenCredential _identity = new();
    private AzuriteProcess _azurite = null!;
    private TwilioRestStandIn _twilio = null!;
    private AppHost? _app;

    public async Task InitializeAsync()
    {
        var root = AzuriteProcess.FindRepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Azurite is not installed: run `npm ci`.");
        _azurite = await AzuriteProcess.StartAsync(root, null, (0, 0, 0), TimeSpan.FromSeconds(60), CancellationToken.None,
            new AzuriteTls(_certificate.CertificatePemPath, _certificate.KeyPemPath));
        _twilio = await TwilioRestStandIn.StartAsync(accountSid: AppHost.AccountSid, authToken: AppHost.AuthToken);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _twilio.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    public void Dispose() => _certificate.Dispose();

    private async Task<AppHost> StartAsync(bool importTenants = true)
    {
        var wrongKey = _azurite.ConnectionString.Replace(AzuriteProcess.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        _app = await AppHost.StartAsync(wrongKey, TestTenants.MondayMorning, settings: new Dictionary<string, string?>
        {
            ["Storage:TableEndpoint"] = _azurite.Endpoint("table").AbsoluteUri,
            ["Storage:QueueEndpoint"] = _azurite.Endpoint("queue").AbsoluteUri,
            ["Storage:BlobEndpoint"] = _azurite.Endpoint("blob").AbsoluteUri,
        }, services: s =>
        {
            s.Replace(ServiceDescriptor.Singleton<TokenCredential>(_identity));
            s.AddSingleton<HttpPipelineTransport>(_certificate.TrustingAzureTransport());
        }, twilioApi: _twilio);
        if (importTenants)
        {
            await _app.ImportTenantsAsync(TestTenants.Dentist);
        }

        return _app;
    }

    [Fact]
    public async Task Call_StorageByEndpointWithTheAppsIdentity_BookedAndConfirmedWithNoKeyUsed()
    {
        var app = await StartAsync();

        var call = await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "I'd like a cleaning", "tomorrow at 10", "Sam Lee", "yes", "no");

        Assert.Contains(call.Turns, t => t.Speaker == "agent" && t.Text.Contains("booked", StringComparison.OrdinalIgnoreCase));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (_twilio.Messages.Count == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        var sms = Assert.Single(_twilio.Messages);
        Assert.Contains("your Cleaning is booked for Tuesday, November 24 at 10 am", sms.Body, StringComparison.Ordinal);
        Assert.NotEmpty(_identity.Scopes);
        Assert.All(_identity.Scopes, s => Assert.StartsWith("https://storage.azure.com/", s, StringComparison.Ordinal));
        using var ready = await app.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Start_NoIdentityToGetATokenWith_StopsNamingTheSettingToCheck()
    {
        _identity.Failure = new Azure.Identity.CredentialUnavailableException("ManagedIdentityCredential authentication unavailable.");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(importTenants: false));

        Assert.StartsWith($"Storage:TableEndpoint ({_azurite.Endpoint("table").GetLeftPart(UriPartial.Authority)}): the app's identity could not get a token", error.Message, StringComparison.Ordinal);
        Assert.Contains("ManagedIdentityCredential authentication unavailable.", error.Message, StringComparison.Ordinal);
        Assert.Contains("AZURE_CLIENT_ID", error.Message, StringComparison.Ordinal);
    }
}
