using System.Net;
using System.Text.RegularExpressions;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Owners;

/// <summary>
/// The dashboard's sign-in and isolation over HTTP (the browser tests show the pages; these pin the rules): a link
/// signs in once, pages need the cookie, another tenant's pages are 404, a form without its antiforgery token is 400,
/// and sign-in is rate-limited.
/// </summary>
public sealed partial class OwnerPagesTests(OwnersAppFixture fixture) : IClassFixture<OwnersAppFixture>
{
    /// <summary>The class's shared app; a test that changes data (or counts sign-ins) takes a fresh one first.</summary>
    private OwnersApp _app = fixture.Shared;

    /// <summary>Every page of a tenant's dashboard ({t}: the tenant, {call}: one of its calls).</summary>
    public static TheoryData<string> TenantPages => new()
    {
        "/t/{t}/calls", "/t/{t}/calls/{call}", "/t/{t}/bookings", "/t/{t}/messages", "/t/{t}/settings", "/t/{t}/try", "/t/{t}/calls/{call}/live",
    };

    /// <summary>A browser-like client: cookies kept, redirects not followed (so the test sees them).</summary>
    private HttpClient Browser(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = _app.App.BaseUrl };

    /// <summary>GETs the page with the form, then POSTs it back with its antiforgery token.</summary>
    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, string? postPath = null, bool withToken = true)
    {
        using var page = await client.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenField().Match(html);
        Assert.True(token.Success, $"no antiforgery token on {path}: {(int)page.StatusCode} {html[..Math.Min(html.Length, 400)]}");
        var fields = withToken ? new Dictionary<string, string> { ["__RequestVerificationToken"] = token.Groups[1].Value } : [];
        return await client.PostAsync(postPath ?? path, new FormUrlEncodedContent(fields));
    }

    private async Task<HttpClient> SignedInAsync(string tenant = OwnersApp.A, CookieContainer? cookies = null)
    {
        var client = Browser(cookies);
        using var signIn = await SubmitAsync(client, await _app.SignInPathAsync(tenant));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal($"/t/{tenant}/calls", signIn.Headers.Location!.OriginalString);
        return client;
    }

    [Fact]
    public async Task SignIn_Link_SignsInOnceAndTheCookieIsHttpOnly()
    {
        var link = await _app.SignInPathAsync(OwnersApp.A);
        using var client = Browser();

        using var first = await SubmitAsync(client, link);
        using var calls = await client.GetAsync($"/t/{OwnersApp.A}/calls");
        using var second = await SubmitAsync(Browser(), link);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".receptionist.owner=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=lax", StringComparison.OrdinalIgnoreCase));
        Assert.True(calls.StatusCode == HttpStatusCode.OK, $"{calls.StatusCode} {calls.Headers.Location} cookie: {string.Join(" / ", first.Headers.GetValues("Set-Cookie"))}");
        Assert.Contains(TestTenants.Caller, WebUtility.HtmlDecode(await calls.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("expired or was used", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TenantPages))]
    [InlineData("/")]
    public async Task Page_NotSignedIn_RedirectedToSignIn(string page)
    {
        using var client = Browser();

        using var response = await client.GetAsync(Fill(page, OwnersApp.A));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TenantPages))]
    public async Task Page_OtherTenantsOwner_404WithNoneOfItsData(string page)
    {
        using var client = await SignedInAsync(OwnersApp.B);

        using var response = await client.GetAsync(Fill(page, OwnersApp.A));
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Sam Lee", body, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTenants.Caller, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Bright Smiles", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkHandled_OtherTenantsOwner_404AndTheMessageStillWaits()
    {
        var message = (await _app.FirstMessageAsync(OwnersApp.A, _app.KeyA)).GetProperty("id").GetString();
        using var client = await SignedInAsync(OwnersApp.B);

        // B's own messages page gives B a valid form token; B posts it at A's message.
        using var response = await SubmitAsync(client, $"/t/{OwnersApp.B}/messages", $"/t/{OwnersApp.A}/messages?handler=Handled&messageId={message}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await _app.FirstMessageAsync(OwnersApp.A, _app.KeyA)).GetProperty("handledAt").ValueKind);
    }

    [Fact]
    public async Task SaveSettings_OtherTenantsOwner_404AndNothingSaved()
    {
        using var client = await SignedInAsync(OwnersApp.B);

        using var response = await SubmitAsync(client, $"/t/{OwnersApp.B}/settings", $"/t/{OwnersApp.A}/settings");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Bright Smiles Dental", (await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}", _app.KeyA)).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("{a}")] // A's own test chat, posted to by B's owner under A's address
    [InlineData("{phone}")] // a phone call of A's: not a test chat, whoever asks
    public async Task TryIt_SayIntoACallThatIsNotOwnTestChat_404AndTheCallUnchanged(string which)
    {
        _app = await fixture.FreshAsync();
        using var ownerA = await SignedInAsync();
        using var start = await SubmitAsync(ownerA, $"/t/{OwnersApp.A}/try", $"/t/{OwnersApp.A}/try?handler=Start");
        var chat = System.Web.HttpUtility.ParseQueryString(new Uri(_app.App.BaseUrl, start.Headers.Location!).Query)["call"]!;
        var target = which == "{a}" ? chat : _app.CallsA[0];
        using var client = which == "{a}" ? await SignedInAsync(OwnersApp.B) : await SignedInAsync();
        var tenant = which == "{a}" ? OwnersApp.B : OwnersApp.A;
        var before = await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}/calls/{target}", _app.KeyA);

        using var page = await client.GetAsync($"/t/{tenant}/try");
        var token = TokenField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var response = await client.PostAsync($"/t/{(which == "{a}" ? OwnersApp.A : tenant)}/try?handler=Say",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["callId"] = target, ["turn"] = "1", ["text"] = "cancel everything" }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var after = await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}/calls/{target}", _app.KeyA);
        Assert.Equal(before.GetProperty("transcript").GetArrayLength(), after.GetProperty("transcript").GetArrayLength());
    }

    [Fact]
    public async Task MarkHandled_NoAntiforgeryToken_400AndTheMessageStillWaits()
    {
        var message = (await _app.FirstMessageAsync(OwnersApp.A, _app.KeyA)).GetProperty("id").GetString();
        using var client = await SignedInAsync();

        using var response = await SubmitAsync(client, $"/t/{OwnersApp.A}/messages", $"/t/{OwnersApp.A}/messages?handler=Handled&messageId={message}", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await _app.FirstMessageAsync(OwnersApp.A, _app.KeyA)).GetProperty("handledAt").ValueKind);
    }

    [Fact]
    public async Task Cookie_SecondInstanceOnTheSameStorage_StillSignedIn()
    {
        var first = new CookieContainer();
        using var client = await SignedInAsync(cookies: first);
        await using var second = await AppHost.StartAsync(fixture.Azurite.ConnectionString, OwnersApp.Now, prefix: _app.App.TablePrefix);
        var cookies = new CookieContainer();
        foreach (Cookie c in first.GetAllCookies())
        {
            cookies.Add(second.BaseUrl, new Cookie(c.Name, c.Value));
        }

        // Another instance (or this one after a restart) reads the same Data Protection keys from storage.
        using var other = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = second.BaseUrl };
        using var response = await other.GetAsync($"/t/{OwnersApp.A}/messages");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Pat Quinn", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // … from the app's own storage, not from a folder of this machine that a container would not share.
        Assert.NotEmpty(_app.App.Tables.Access.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "dataprotection").ToList());
    }

    [Theory]
    [InlineData("/t/{t}/messages?handler=Handled")]
    [InlineData("/t/{t}/bookings?handler=Cancel")]
    [InlineData("/t/{t}/bookings?handler=Cancel&appointmentId=garbage")]
    public async Task Post_WithoutTheIdItActsOn_404(string path)
    {
        using var client = await SignedInAsync();

        using var response = await SubmitAsync(client, $"/t/{OwnersApp.A}/messages", Fill(path, OwnersApp.A));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/t/{t}/bookings?from=9999-12-30")]
    [InlineData("/t/{t}/bookings?from=0001-01-01")]
    [InlineData("/t/{t}/calls?outcome=99")]
    [InlineData("/t/{t}/calls?day=nonsense")]
    public async Task Page_OddQuery_StillAPage(string path)
    {
        using var client = await SignedInAsync();

        using var response = await client.GetAsync(Fill(path, OwnersApp.A));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_ManyAttemptsFromOneAddress_429()
    {
        _app = await fixture.FreshAsync(); // the default limit, and no other test's sign-ins in its minute
        using var client = Browser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await client.GetAsync("/signin/" + new string('A', 43));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 10), statuses.Take(10));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task SignIn_BehindTheIngressManyClients_EachLimitedOnItsOwn()
    {
        // In Azure every request comes from the Container Apps ingress; ASPNETCORE_FORWARDEDHEADERS_ENABLED (set by
        // infra/) makes the client's own address, appended by the ingress to X-Forwarded-For, the one that counts.
        _app = await fixture.FreshAsync(new Dictionary<string, string?> { ["FORWARDEDHEADERS_ENABLED"] = "true" });
        using var client = Browser();

        async Task<HttpStatusCode> SignInFromAsync(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/signin/" + new string('A', 43));
            request.Headers.Add("X-Forwarded-For", address);
            request.Headers.Add("X-Forwarded-Proto", "https");
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            first.Add(await SignInFromAsync("203.0.113.5"));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 10), HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.OK, await SignInFromAsync("203.0.113.6"));
    }

    private string Fill(string page, string tenant) =>
        page.Replace("{t}", tenant, StringComparison.Ordinal).Replace("{call}", _app.CallsA[0], StringComparison.Ordinal);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
