using Microsoft.Extensions.Options;
using Receptionist.Testing;

namespace Receptionist.Host.Tests;

public sealed class ReceptionistHostTests
{
    [Fact]
    public async Task Start_NoTwilioAuthToken_FailsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            AppHost.StartAsync("UseDevelopmentStorage=true", TestTenants.MondayMorning, settings: new Dictionary<string, string?> { ["Twilio:AuthToken"] = "" }));

        Assert.Contains("Twilio:AuthToken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TwilioAuthTokenTooShort_FailsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            AppHost.StartAsync("UseDevelopmentStorage=true", TestTenants.MondayMorning, settings: new Dictionary<string, string?> { ["Twilio:AuthToken"] = "abc" }));

        Assert.Contains("Twilio:AuthToken is too short", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AcsOnlyWithoutATwilioToken_StartsAndRefusesEveryTwilioWebhook()
    {
        await using var app = await AppHost.StartAsync("UseDevelopmentStorage=true", TestTenants.MondayMorning, acs: true,
            settings: new Dictionary<string, string?> { ["Twilio:AuthToken"] = "" });
        var url = new Uri(app.BaseUrl, "/twilio/voice").AbsoluteUri;
        var form = new Dictionary<string, string> { ["CallSid"] = "CA1", ["From"] = TestTenants.Caller, ["To"] = TestTenants.DentistNumber };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(Telephony.Twilio.TwilioSignature.Header, Telephony.Twilio.TwilioSignature.Compute(string.Empty, url, form)); // signed with the empty token

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Start_ClockNowNotAnInstant_FailsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => AppHost.StartAsync("UseDevelopmentStorage=true", "next tuesday"));

        Assert.Contains("Clock:Now", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadTablePrefix_FailsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            AppHost.StartAsync("UseDevelopmentStorage=true", TestTenants.MondayMorning, prefix: "bad-prefix!"));

        Assert.Contains("Storage:TablePrefix", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url", "x", "y", "Owners:Entra:Authority")]
    [InlineData("https://login.microsoftonline.com/t/v2.0", "", "y", "Owners:Entra:ClientId")]
    [InlineData("https://login.microsoftonline.com/t/v2.0", "x", "", "Owners:Entra:ClientSecret")]
    public async Task Start_MicrosoftSignInHalfConfigured_FailsNamingTheSetting(string authority, string clientId, string secret, string named)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            AppHost.StartAsync("UseDevelopmentStorage=true", TestTenants.MondayMorning, settings: new Dictionary<string, string?>
            {
                ["Owners:Entra:Authority"] = authority, ["Owners:Entra:ClientId"] = clientId, ["Owners:Entra:ClientSecret"] = secret,
            }));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }
}
