using System.Net;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Receptionist.Host.Configuration;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Configuration;

/// <summary>
/// Secrets from Key Vault as the app reads them in Azure, against a loopback vault (https, self-signed certificate,
/// Key Vault's bearer challenge): the vault's Twilio auth token is the one webhooks are checked with; a rotated token
/// is taken up at the next reload; a vault that fails on reload leaves the last values; one that fails at start stops
/// the app naming KeyVault:Uri.
/// </summary>
public sealed class KeyVaultSecretsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime, IDisposable
{
    private const string VaultToken = "vault-held-twilio-token-0001";
    private readonly LoopbackCertificate _certificate = new();
    private readonly StandInTokenCredential _identity = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private KeyVaultStandIn _vault = null!;
    private AppHost? _app;

    public async Task InitializeAsync()
    {
        _vault = await KeyVaultStandIn.StartAsync(_certificate);
        _vault.Set("Twilio--AuthToken", VaultToken);
        _vault.Set("Acs--EventGrid--Secret", "from-the-vault-0123456789");
        _vault.Set("Owners--SignInsPerMinute", "7");
        _vault.Set("Disabled--Setting", "never-read", enabled: false);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _vault.DisposeAsync();
    }

    public void Dispose() => _certificate.Dispose();

    private async Task<AppHost> StartAsync(string? reloadSeconds = "60")
    {
        var options = new SecretClientOptions { DisableChallengeResourceVerification = true }; // the loopback vault is not *.vault.azure.net
        options.Transport = _certificate.TrustingAzureTransport();
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, settings: new Dictionary<string, string?>
        {
            ["KeyVault:Uri"] = _vault.VaultUri.AbsoluteUri,
            ["KeyVault:ReloadSeconds"] = reloadSeconds,
        }, builder: b => b.Host.Properties[typeof(KeyVaultAccess)] = new KeyVaultAccess(_identity, options, _clock));
        await _app.ImportTenantsAsync(TestTenants.Dentist);
        return _app;
    }

    private static async Task<HttpStatusCode> IncomingCallAsync(AppHost app, string signWith)
    {
        var url = new Uri(app.BaseUrl, "/twilio/voice").AbsoluteUri;
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = "CA" + Guid.NewGuid().ToString("N"),
            ["AccountSid"] = AppHost.AccountSid,
            ["From"] = TestTenants.Caller,
            ["To"] = TestTenants.DentistNumber,
            ["CallStatus"] = "ringing",
            ["Direction"] = "inbound",
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.Header, TwilioSignature.Compute(signWith, url, form));
        using var response = await app.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task WaitUntilAsync(Func<bool> done, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!done() && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        Assert.True(done(), $"not within 15 s: {what}");
    }

    [Fact]
    public async Task Start_SecretsInTheVault_AreTheSettingsWebhooksAreCheckedWith()
    {
        var app = await StartAsync();
        var config = app.Services.GetRequiredService<IConfiguration>();

        Assert.Equal(VaultToken, config["Twilio:AuthToken"]);
        Assert.Equal("from-the-vault-0123456789", config["Acs:EventGrid:Secret"]);
        Assert.Null(config["Disabled:Setting"]);
        Assert.Equal(HttpStatusCode.OK, await IncomingCallAsync(app, VaultToken));
        Assert.Equal(HttpStatusCode.Forbidden, await IncomingCallAsync(app, AppHost.AuthToken)); // the local setting is overridden
        Assert.True(_vault.Refused >= 1, "the client never met Key Vault's bearer challenge");
        Assert.Contains("https://vault.azure.net/.default", _identity.Scopes);
    }

    [Fact]
    public async Task Reload_TokenRotatedInTheVault_NewTokenAcceptedOldRefused()
    {
        var app = await StartAsync();
        var provider = app.Services.GetRequiredService<KeyVaultSecretsProvider>();
        var reloaded = 0;
        provider.Reloaded += () => Interlocked.Increment(ref reloaded);

        _vault.Set("Twilio--AuthToken", "rotated-twilio-token-0002");
        _clock.Advance(TimeSpan.FromSeconds(61));
        await WaitUntilAsync(() => Volatile.Read(ref reloaded) == 1, "the reload after the interval");

        Assert.Equal(HttpStatusCode.OK, await IncomingCallAsync(app, "rotated-twilio-token-0002"));
        Assert.Equal(HttpStatusCode.Forbidden, await IncomingCallAsync(app, VaultToken));
    }

    [Fact]
    public async Task Reload_VaultFailing_KeepsTheLastValuesAndReportsIt()
    {
        var app = await StartAsync();
        var provider = app.Services.GetRequiredService<KeyVaultSecretsProvider>();
        Exception? failure = null;
        provider.ReloadFailed += ex => failure = ex;

        _vault.Failing = true;
        _clock.Advance(TimeSpan.FromSeconds(61));
        await WaitUntilAsync(() => failure is not null, "the failed reload");

        Assert.Equal(VaultToken, app.Services.GetRequiredService<IConfiguration>()["Twilio:AuthToken"]);
        Assert.Equal(HttpStatusCode.OK, await IncomingCallAsync(app, VaultToken));
        Assert.Contains("503", failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_VaultFailing_StopsNamingKeyVaultUri()
    {
        _vault.Failing = true;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync());

        Assert.StartsWith($"KeyVault:Uri ({_vault.VaultUri}): the app's secrets could not be read at start", error.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault Secrets User", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KeyVault:Uri", "http://my-vault.vault.azure.net/", "KeyVault:Uri: 'http://my-vault.vault.azure.net/' is not an https URL")]
    [InlineData("KeyVault:ReloadSeconds", "soon", "KeyVault:ReloadSeconds: 'soon' must be a number of seconds")]
    public async Task Start_BadKeyVaultSetting_StopsNamingIt(string setting, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["KeyVault:Uri"] = _vault.VaultUri.AbsoluteUri, [setting] = value };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, settings: settings));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _vault.Requests);
    }
}
