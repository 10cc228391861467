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
