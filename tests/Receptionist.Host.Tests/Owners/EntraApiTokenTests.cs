using System.Net;
using Receptionist.Core.Owners;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Owners;

/// <summary>
/// The admin API with Entra ID access tokens (Microsoft sign-in configured, a loopback provider playing Entra): an
/// owner's token sees their tenant and no other, an operator's app role manages tenants, and a token for another
/// audience, signed by a key the provider never published, expired, or of an account that owns nothing is 401.
/// API keys keep working beside them.
/// </summary>
public sealed class EntraApiTokenTests(OwnersAppFixture fixture) : IClassFixture<OwnersAppFixture>, IAsyncLifetime
{
    private const string Owner = "dr.lee@example.com";
    private const string Audience = "api://" + OidcStandIn.ClientId;

    private OidcStandIn _entra = null!;
    private OwnersApp _app = null!;

    public async Task InitializeAsync()
    {
        _entra = await OidcStandIn.StartAsync();
        _app = await fixture.FreshAsync(new Dictionary<string, string?>
        {
            ["Owners:Entra:Authority"] = _entra.Authority.AbsoluteUri.TrimEnd('/'),
            ["Owners:Entra:ClientId"] = OidcStandIn.ClientId,
            ["Owners:Entra:ClientSecret"] = OidcStandIn.ClientSecret,
        });
        await _app.Access.AddOwnerAsync(Owner, OwnersApp.A, DateTimeOffset.UtcNow, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _entra.DisposeAsync();

    private string CallsOf(string tenant) => $"/api/v1/tenants/{tenant}/calls";

    [Fact]
    public async Task GetCalls_OwnersEntraToken_ListsTheirCalls()
    {
        var page = await _app.GetJsonAsync(CallsOf(OwnersApp.A), _entra.AccessToken("Dr.Lee@example.com", Audience));

        Assert.Equal([.. _app.CallsA.AsEnumerable().Reverse()], page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("callId").GetString()!));
    }

    [Fact]
    public async Task GetCalls_TokenForTheClientIdAudience_Accepted()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, CallsOf(OwnersApp.A), _entra.AccessToken(Owner, OidcStandIn.ClientId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetCalls_OwnersTokenOnAnotherTenant_404WithNoneOfItsData()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, CallsOf(OwnersApp.B), _entra.AccessToken(Owner, Audience));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("callId", body, StringComparison.Ordinal);
    }

    public static TheoryData<string> RefusedTokens => ["other audience", "unpublished key", "expired", "owns nothing", "not a JWT"];

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task GetCalls_RefusedToken_401(string kind)
    {
        var token = kind switch
        {
            "other audience" => _entra.AccessToken(Owner, "api://someone-else"),
            "unpublished key" => _entra.AccessToken(Owner, Audience, foreign: true),
            "expired" => _entra.AccessToken(Owner, Audience, lifetime: TimeSpan.FromMinutes(-10)),
            "owns nothing" => _entra.AccessToken("stranger@example.com", Audience),
            _ => "eyJhbGciOiJub25lIn0.e30.",
        };

        using var response = await _app.SendAsync(HttpMethod.Get, CallsOf(OwnersApp.A), token);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("callId", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTenants_OperatorRoleToken_ListsEveryTenant()
    {
        var tenants = await _app.GetJsonAsync("/api/v1/tenants", _entra.AccessToken("ops@example.com", Audience, roles: ["Receptionist.Operator"]));

        var ids = tenants.EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.Contains(OwnersApp.A, ids);
        Assert.Contains(OwnersApp.B, ids);
    }

    [Fact]
    public async Task ListTenants_OwnersToken_403()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, "/api/v1/tenants", _entra.AccessToken(Owner, Audience, roles: ["Some.Other.Role"]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GetCalls_ApiKeyBesideEntra_StillWorks()
    {
        using var ok = await _app.SendAsync(HttpMethod.Get, CallsOf(OwnersApp.A), _app.KeyA);
        using var revoked = await RevokedKeyCallAsync();

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    private async Task<HttpResponseMessage> RevokedKeyCallAsync()
    {
        var key = await AccessGrants.NewApiKeyAsync(_app.Access, OwnersApp.A, DateTimeOffset.UtcNow, CancellationToken.None);
        await _app.Access.RevokeApiKeyAsync(AccessTokens.Hash(key), OwnersApp.A, DateTimeOffset.UtcNow, CancellationToken.None);
        return await _app.SendAsync(HttpMethod.Get, CallsOf(OwnersApp.A), key);
    }
}
