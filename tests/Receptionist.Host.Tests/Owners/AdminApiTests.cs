using System.Net;
using System.Text;
using System.Text.Json;
using Receptionist.Core.Owners;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Owners;

/// <summary>
/// The admin API on the real app and Azurite: a key sees its own tenant's calls, appointments and messages; another
/// tenant's key gets 404 and learns nothing, no key gets 401, a revoked key 401, and a bad query a 400 with its reason.
/// </summary>
public sealed class AdminApiTests(OwnersAppFixture fixture) : IClassFixture<OwnersAppFixture>
{
    /// <summary>The class's shared app; a test that changes data takes a fresh one first.</summary>
    private OwnersApp _app = fixture.Shared;

    /// <summary>Every tenant route, with {t} for the tenant and the placeholders the test fills with A's own ids.</summary>
    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/api/v1/tenants/{t}/calls" },
        { "GET", "/api/v1/tenants/{t}/calls/{call}" },
        { "GET", "/api/v1/tenants/{t}/appointments" },
        { "POST", "/api/v1/tenants/{t}/appointments/{appointment}:cancel" },
        { "POST", "/api/v1/tenants/{t}/appointments/{appointment}:move" },
        { "GET", "/api/v1/tenants/{t}/messages" },
        { "POST", "/api/v1/tenants/{t}/messages/{message}:handled" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_NoKey_401AndNothingChanged(string method, string route)
    {
        var path = await PathAsync(route, OwnersApp.A);

        using var response = await _app.SendAsync(new HttpMethod(method), path, key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await AssertUnchangedAsync();
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_OtherTenantsKey_404WithNoneOfItsData(string method, string route)
    {
        var path = await PathAsync(route, OwnersApp.A);

        using var response = await _app.SendAsync(new HttpMethod(method), path, _app.KeyB);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Sam Lee", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Pat Quinn", body, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTenants.Caller, body, StringComparison.Ordinal);
        await AssertUnchangedAsync();

        // The same answer as for a tenant that does not exist: nothing tells B whether A does.
        using var none = await _app.SendAsync(new HttpMethod(method), path.Replace(OwnersApp.A, "no-such-tenant", StringComparison.Ordinal), _app.KeyB);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_RevokedKey_401(string method, string route)
    {
        var path = await PathAsync(route, OwnersApp.A);
        var now = DateTimeOffset.Parse(OwnersApp.Now, System.Globalization.CultureInfo.InvariantCulture);
        var key = await AccessGrants.NewApiKeyAsync(_app.Access, OwnersApp.A, now, CancellationToken.None);
        Assert.True(await _app.Access.RevokeApiKeyAsync(AccessTokens.Hash(key), OwnersApp.A, now, CancellationToken.None));

        using var response = await _app.SendAsync(new HttpMethod(method), path, key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertUnchangedAsync();
    }

    [Theory]
    [InlineData("Bearer rk_not-a-key")]
    [InlineData("Bearer rk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Calls_MalformedOrUnknownKey_401(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tenants/{OwnersApp.A}/calls");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await _app.App.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Calls_OwnKey_NewestFirstWithTheCallersNumberAndOutcome()
    {
        var page = await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}/calls", _app.KeyA);

        var calls = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([.. _app.CallsA.AsEnumerable().Reverse()], calls.Select(c => c.GetProperty("callId").GetString()!));
        Assert.Equal(["MessageTaken", "Booked"], calls.Select(c => c.GetProperty("outcome").GetString()!));
        Assert.Equal(TestTenants.Caller, calls[1].GetProperty("from").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Call_OwnKey_FullTranscriptInTheBusinessesZone()
    {
        var call = await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}/calls/{_app.CallsA[0]}", _app.KeyA);

        var lines = call.GetProperty("transcript").EnumerateArray().ToList();
        Assert.Equal("Can Sam Lee get a checkup tomorrow at 9 am?", lines.First(l => l.GetProperty("speaker").GetString() == "caller").GetProperty("text").GetString());
        Assert.Contains(lines, l => l.GetProperty("speaker").GetString() == "agent" && l.GetProperty("text").GetString()!.Contains("booked", StringComparison.OrdinalIgnoreCase));
        Assert.EndsWith("-05:00", call.GetProperty("call").GetProperty("startedAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_PageSizeOne_ContinuationWalksEveryCallOnce()
    {
        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}/calls?pageSize=1" + (next is null ? string.Empty : "&next=" + Uri.EscapeDataString(next)), _app.KeyA);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("callId").GetString()!));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null && seen.Count < 10);

        Assert.Equal([.. _app.CallsA.AsEnumerable().Reverse()], seen);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-11-22", "to")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("from=2026-11-22T09:00:00", "from")] // no offset: which zone would it be?
    [InlineData("next=not-a-token", "next")]
    public async Task Calls_BadQuery_400NamingTheParameter(string query, string parameter)
    {
        using var response = await _app.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{OwnersApp.A}/calls?{query}", _app.KeyA);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_WindowBeforeTheCalls_Empty()
    {
        var page = await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}/calls?to={Uri.EscapeDataString("2026-11-22T17:00:00-05:00")}", _app.KeyA);

        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Cancel_OwnKey_CancelledAndTheSlotIsFreeAgain()
    {
        _app = await fixture.FreshAsync();
        var appointment = await _app.FirstAppointmentAsync(OwnersApp.A, _app.KeyA);
        var id = appointment.GetProperty("id").GetString()!;

        using var response = await _app.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{OwnersApp.A}/appointments/{id}:cancel", _app.KeyA);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("cancelled", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
        var tenant = Core.Tenants.TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;
        await CalendarInvariants.AssertAsync(_app.App.Tables, tenant, allowHolds: false, "after a cancel from the API");
        var booked = await _app.App.CallAsync(TestTenants.DentistNumber, "+15557650001", "Can Kim Ode get a checkup tomorrow at 9 am?", "yes", "no");
        Assert.Contains(booked.Turns, t => t.Speaker == "agent" && t.Text.Contains("booked", StringComparison.OrdinalIgnoreCase));

        // Again: still cancelled, not an error (a client retrying after a lost answer).
        using var again = await _app.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{OwnersApp.A}/appointments/{id}:cancel", _app.KeyA);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/calls/CA%23x")]
    [InlineData("GET", "/calls/a%5Cb")]
    [InlineData("GET", "/calls/x%3Fy")]
    [InlineData("POST", "/messages/a%23b:handled")]
    [InlineData("POST", "/appointments/20261123T140000Z_a%23b:cancel")]
    public async Task Route_IdsStorageCannotHold_404NotAStorageError(string method, string tail)
    {
        using var response = await _app.SendAsync(new HttpMethod(method), $"/api/v1/tenants/{OwnersApp.A}{tail}", _app.KeyA);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("from=9999-12-30")]
    [InlineData("from=0001-01-01")]
    [InlineData("from=2026-11-22&to=2027-11-22")]
    public async Task Appointments_DaysOutOfRange_400(string query)
    {
        using var response = await _app.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{OwnersApp.A}/appointments?{query}", _app.KeyA);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Move_OwnKeyToAFreeSlot_MovedAndTheOldSlotIsFreeAgain()
    {
        _app = await fixture.FreshAsync();
        var id = (await _app.FirstAppointmentAsync(OwnersApp.A, _app.KeyA)).GetProperty("id").GetString()!;

        using var response = await _app.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{OwnersApp.A}/appointments/{id}:move", _app.KeyA,
            new StringContent("{\"date\": \"2026-11-25\", \"time\": \"14:30\"}", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var moved = JsonDocument.Parse(body).RootElement;
        Assert.Equal(("booked", "2026-11-25T14:30:00-05:00"), (moved.GetProperty("status").GetString(), moved.GetProperty("start").GetString()));
        var week = (await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}/appointments?from=2026-11-22&to=2026-11-29", _app.KeyA)).EnumerateArray()
            .Select(a => (a.GetProperty("status").GetString()!, a.GetProperty("start").GetString()!)).ToList();
        Assert.Contains(("rescheduled", "2026-11-23T09:00:00-05:00"), week);
        Assert.Contains(("booked", "2026-11-25T14:30:00-05:00"), week);
        var tenant = Core.Tenants.TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;
        await CalendarInvariants.AssertAsync(_app.App.Tables, tenant, allowHolds: false, "after a move from the API");
        var next = await _app.App.CallAsync(TestTenants.DentistNumber, "+15557650001", "Can Kim Ode get a checkup tomorrow at 9 am?", "yes", "no");
        Assert.Contains(next.Turns, t => t.Speaker == "agent" && t.Text.Contains("booked", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("{\"date\": \"2026-11-29\", \"time\": \"10:00\"}", 409)] // a Sunday: closed
    [InlineData("{\"date\": \"2026-11-23\", \"time\": \"16:45\"}", 409)] // a 30-minute checkup past 17:00
    [InlineData("{\"date\": \"2026-11-20\", \"time\": \"10:00\"}", 409)] // the past
    [InlineData("{\"date\": \"Tuesday\", \"time\": \"10:00\"}", 400)]
    [InlineData("{\"date\": \"2026-11-24\"}", 400)]
    [InlineData("[]", 400)]
    public async Task Move_SlotThatCannotBe_RefusedAndNothingMoved(string body, int status)
    {
        var id = (await _app.FirstAppointmentAsync(OwnersApp.A, _app.KeyA)).GetProperty("id").GetString()!;

        using var response = await _app.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{OwnersApp.A}/appointments/{id}:move", _app.KeyA,
            new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        await AssertUnchangedAsync();
    }

    [Theory]
    [InlineData("20261123T140000Z_nope")]
    [InlineData("not-a-handle")]
    public async Task Cancel_UnknownAppointment_404(string id)
    {
        using var response = await _app.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{OwnersApp.A}/appointments/{id}:cancel", _app.KeyA);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Handled_OwnKey_MessageLeavesTheInboxTop()
    {
        _app = await fixture.FreshAsync();
        var message = await _app.FirstMessageAsync(OwnersApp.A, _app.KeyA);
        Assert.Equal("Pat Quinn", message.GetProperty("callerName").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("handledAt").ValueKind);

        using var response = await _app.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{OwnersApp.A}/messages/{message.GetProperty("id").GetString()}:handled", _app.KeyA);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await _app.FirstMessageAsync(OwnersApp.A, _app.KeyA);
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("handledAt").ValueKind);
    }

    [Fact]
    public async Task Routes_OperatorKey_SeesEveryTenant()
    {
        var a = await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}/messages", _app.OperatorKey);
        var b = await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.B}/messages", _app.OperatorKey);

        Assert.Equal("Pat Quinn", a.EnumerateArray().Single().GetProperty("callerName").GetString());
        Assert.Equal("Jo Marsh", b.EnumerateArray().Single().GetProperty("callerName").GetString());
    }

    [Fact]
    public async Task Handled_BodyOverTheLimit_413()
    {
        var message = await _app.FirstMessageAsync(OwnersApp.A, _app.KeyA);
        using var body = new StringContent(new string('x', 100_000), Encoding.UTF8, "application/json");

        using var response = await _app.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{OwnersApp.A}/messages/{message.GetProperty("id").GetString()}:handled", _app.KeyA, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task OpenApi_Document_ListsEveryRoute()
    {
        using var response = await _app.App.Http.GetAsync("/openapi/v1.json");
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");

        foreach (var route in Routes.Select(r => (string)r[1]))
        {
            var template = route.Replace("{t}", "{tenantId}", StringComparison.Ordinal).Replace("{call}", "{callId}", StringComparison.Ordinal)
                .Replace("{appointment}", "{appointmentId}", StringComparison.Ordinal).Replace("{message}", "{messageId}", StringComparison.Ordinal);
            Assert.True(paths.TryGetProperty(template, out _), $"{template} is not in the OpenAPI document");
        }

        // The carriers' webhooks are not part of the admin API.
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/v1/", p.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApi_Document_DeclaresBearerAuthentication()
    {
        using var response = await _app.App.Http.GetAsync("/openapi/v1.json");
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Contains(doc.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("bearer", out _));
    }

    [Fact]
    public async Task ApiReference_Development_ServesTheUiAndItsScriptFromTheApp()
    {
        using var page = await _app.App.Http.GetAsync("/api/reference/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, src => Assert.False(Uri.TryCreate(src, UriKind.Absolute, out var abs) && abs.Host != "127.0.0.1", $"{src} is fetched from elsewhere"));
        using var script = await _app.App.Http.GetAsync(new Uri(new Uri(_app.App.BaseUrl, "/api/reference/"), scripts[0]));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000, "the reference UI's script is not the bundle");
    }

    /// <summary>A route with A's own ids filled in (what B would have to guess or have seen).</summary>
    private async Task<string> PathAsync(string route, string tenant) =>
        route.Replace("{t}", tenant, StringComparison.Ordinal)
            .Replace("{call}", _app.CallsA[0], StringComparison.Ordinal)
            .Replace("{appointment}", route.Contains("{appointment}", StringComparison.Ordinal) ? (await _app.FirstAppointmentAsync(OwnersApp.A, _app.KeyA)).GetProperty("id").GetString() : string.Empty, StringComparison.Ordinal)
            .Replace("{message}", route.Contains("{message}", StringComparison.Ordinal) ? (await _app.FirstMessageAsync(OwnersApp.A, _app.KeyA)).GetProperty("id").GetString() : string.Empty, StringComparison.Ordinal);

    /// <summary>A's appointment is still booked and its message still waiting.</summary>
    private async Task AssertUnchangedAsync()
    {
        Assert.Equal("booked", (await _app.FirstAppointmentAsync(OwnersApp.A, _app.KeyA)).GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, (await _app.FirstMessageAsync(OwnersApp.A, _app.KeyA)).GetProperty("handledAt").ValueKind);
    }
}
