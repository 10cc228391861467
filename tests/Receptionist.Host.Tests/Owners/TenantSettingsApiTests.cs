using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Owners;

/// <summary>
/// `GET/PUT /api/v1/tenants/{id}` and the operator's `GET/POST /api/v1/tenants`: settings validated as a tenant file
/// is, errors by field, nothing half-saved, and a saved change heard on the very next call.
/// </summary>
public sealed class TenantSettingsApiTests(OwnersAppFixture fixture) : IClassFixture<OwnersAppFixture>, IAsyncLifetime
{
    private OwnersApp _app = null!;

    /// <summary>Every test here changes settings: each takes a fresh app (its own tables) on the class's Azurite.</summary>
    public async Task InitializeAsync() => _app = await fixture.FreshAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonObject> SettingsAsync(string key) =>
        JsonNode.Parse((await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}", key)).GetRawText())!.AsObject();

    [Fact]
    public async Task Put_BadHoursAndService_400ByFieldAndNothingSaved()
    {
        var settings = await SettingsAsync(_app.KeyA);
        settings["hours"]!["mon"] = new JsonArray("9 till 5");
        settings["services"]![0]!["minutes"] = 7;
        settings["facts"]!["parking"] = "Street parking only";

        using var response = await _app.SendAsync(HttpMethod.Put, $"/api/v1/tenants/{OwnersApp.A}", _app.KeyA, Json(settings));
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HH:mm-HH:mm", errors.GetProperty("hours.mon[0]")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("15 to 480", errors.GetProperty("services[0].minutes")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Free lot behind the building", (await SettingsAsync(_app.KeyA))["facts"]!["parking"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_NewParkingFact_TheNextCallerHearsIt()
    {
        var settings = await SettingsAsync(_app.KeyA);
        settings["facts"]!["parking"] = "Park in the garage on Elm Street";

        using var response = await _app.SendAsync(HttpMethod.Put, $"/api/v1/tenants/{OwnersApp.A}", _app.KeyA, Json(settings));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = await _app.App.CallAsync(TestTenants.DentistNumber, "+15557650002", "where do I park?", "no");
        Assert.Contains(call.Turns, t => t.Speaker == "agent" && t.Text.Contains("garage on Elm Street", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_TenantKeyChangingNumbersOrSubscription_KeptAsTheOperatorSetThem()
    {
        var settings = await SettingsAsync(_app.KeyA);
        settings["phoneNumbers"] = new JsonArray("+15550100555");
        settings["subscription"] = "inactive";
        settings["name"] = "Bright Smiles Family Dental";

        using var response = await _app.SendAsync(HttpMethod.Put, $"/api/v1/tenants/{OwnersApp.A}", _app.KeyA, Json(settings));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var saved = await SettingsAsync(_app.KeyA);
        Assert.Equal("Bright Smiles Family Dental", saved["name"]!.GetValue<string>());
        Assert.Equal([TestTenants.DentistNumber], saved["phoneNumbers"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("active", saved["subscription"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"colour\": \"blue\"}")]
    [InlineData("[1, 2]")]
    [InlineData("not json")]
    [InlineData("{\"id\": \"other-dental\"}")]
    public async Task Put_NotATenantDocument_400AndNothingSaved(string body)
    {
        using var response = await _app.SendAsync(HttpMethod.Put, $"/api/v1/tenants/{OwnersApp.A}", _app.KeyA, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bright Smiles Dental", (await SettingsAsync(_app.KeyA))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_OtherTenantsKey_404AndNothingSaved()
    {
        var settings = await SettingsAsync(_app.KeyA);
        settings["name"] = "Taken over";

        using var response = await _app.SendAsync(HttpMethod.Put, $"/api/v1/tenants/{OwnersApp.A}", _app.KeyB, Json(settings));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Bright Smiles Dental", (await SettingsAsync(_app.KeyA))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tenants_OperatorListsAndCreates_TenantKeyForbidden()
    {
        var list = await _app.GetJsonAsync("/api/v1/tenants", _app.OperatorKey);
        Assert.Equal([OwnersApp.A, OwnersApp.B], list.EnumerateArray().Select(t => t.GetProperty("id").GetString()!).Order());

        var created = JsonNode.Parse(OwnersApp.OtherDentist)!.AsObject();
        created["id"] = "third-dental";
        created["phoneNumbers"] = new JsonArray("+15550100078");
        using var create = await _app.SendAsync(HttpMethod.Post, "/api/v1/tenants", _app.OperatorKey, Json(created));
        using var again = await _app.SendAsync(HttpMethod.Post, "/api/v1/tenants", _app.OperatorKey, Json(created));
        using var byTenant = await _app.SendAsync(HttpMethod.Get, "/api/v1/tenants", _app.KeyA);

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byTenant.StatusCode);
        var call = await _app.App.CallAsync("+15550100078", "+15557650003", "no");
        Assert.Contains("Other Dental", call.Turns[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_NumberOfAnotherTenant_400NamingPhoneNumbers()
    {
        var created = JsonNode.Parse(OwnersApp.OtherDentist)!.AsObject();
        created["id"] = "fourth-dental";
        created["phoneNumbers"] = new JsonArray(TestTenants.DentistNumber);

        using var response = await _app.SendAsync(HttpMethod.Post, "/api/v1/tenants", _app.OperatorKey, Json(created));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("phoneNumbers", body, StringComparison.Ordinal);
        Assert.Contains("already belongs to tenant 'bright-smiles'", body, StringComparison.Ordinal);
    }
}
