using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Owners;
using Xunit;

namespace Receptionist.Testing;

/// <summary>An app with two businesses, each with calls, an appointment and a message, and an API key for each: what
/// the owner and API tests look at and try to cross.</summary>
public sealed class OwnersApp : IAsyncDisposable
{
    public const string A = "bright-smiles";
    public const string B = "other-dental";
    public const string BNumber = "+15550100077";

    /// <summary>Sunday evening: the calls book Monday.</summary>
    public const string Now = "2026-11-22T18:00:00-05:00";

    public static readonly string OtherDentist = TestTenants.Dentist
        .Replace("bright-smiles", B, StringComparison.Ordinal)
        .Replace("Bright Smiles Dental", "Other Dental", StringComparison.Ordinal)
        .Replace(TestTenants.DentistNumber, BNumber, StringComparison.Ordinal);

    private OwnersApp(AppHost app) => App = app;

    public AppHost App { get; }

    public string KeyA { get; private set; } = string.Empty;
    public string KeyB { get; private set; } = string.Empty;
    public string OperatorKey { get; private set; } = string.Empty;

    /// <summary>A's call ids (booking call first, then the message call), newest last.</summary>
    public List<string> CallsA { get; } = [];

    public IAccessStore Access => App.Services.GetRequiredService<IAccessStore>();

    public static async Task<OwnersApp> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null)
    {
        var app = await AppHost.StartAsync(azurite.ConnectionString, Now, settings: settings);
        await app.ImportTenantsAsync($"[{TestTenants.Dentist}, {OtherDentist}]");
        var owners = new OwnersApp(app);
        owners.CallsA.Add((await app.CallAsync(TestTenants.DentistNumber, TestTenants.Caller, "Can Sam Lee get a checkup tomorrow at 9 am?", "yes", "no")).CallSid);
        owners.CallsA.Add((await app.CallAsync(TestTenants.DentistNumber, "+15557654322", "can I speak to someone", "Pat Quinn", "please call me about my bill", "yes", "no")).CallSid);
        await app.CallAsync(BNumber, "+15557654399", "Can Robin Fox get a cleaning tomorrow at 10 am?", "yes", "no");
        await app.CallAsync(BNumber, "+15557654398", "can I speak to someone", "Jo Marsh", "please call me about my crown", "yes", "no");
        var now = DateTimeOffset.Parse(Now, System.Globalization.CultureInfo.InvariantCulture);
        owners.KeyA = await AccessGrants.NewApiKeyAsync(owners.Access, A, now, CancellationToken.None);
        owners.KeyB = await AccessGrants.NewApiKeyAsync(owners.Access, B, now, CancellationToken.None);
        owners.OperatorKey = await AccessGrants.NewApiKeyAsync(owners.Access, null, now, CancellationToken.None);
        return owners;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await App.Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path, string key)
    {
        using var response = await SendAsync(HttpMethod.Get, path, key);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The first appointment of a tenant this week, as the API lists it.</summary>
    public async Task<JsonElement> FirstAppointmentAsync(string tenant, string key) =>
        (await GetJsonAsync($"/api/v1/tenants/{tenant}/appointments?from=2026-11-22&to=2026-11-29", key)).EnumerateArray().First();

    public async Task<JsonElement> FirstMessageAsync(string tenant, string key) =>
        (await GetJsonAsync($"/api/v1/tenants/{tenant}/messages", key)).EnumerateArray().First();

    /// <summary>A one-time sign-in link (its path) for a new owner of <paramref name="tenant"/>.</summary>
    public async Task<string> SignInPathAsync(string tenant, string? email = null) =>
        AccessGrants.LinkPath(await AccessGrants.AddOwnerAsync(Access, email ?? $"owner@{tenant}.example.com", tenant, DateTimeOffset.Parse(Now, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None));

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
