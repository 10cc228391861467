using Microsoft.Playwright;
using Receptionist.Core.Owners;
using Receptionist.Testing;
using static Microsoft.Playwright.Assertions;

namespace Receptionist.Dashboard.Tests;

/// <summary>"Sign in with Microsoft" in a real browser against a loopback OpenID Connect provider playing Entra ID
/// (authorization code + PKCE): an owner's account lands on their calls; an account that owns nothing is told so and
/// gets no cookie.</summary>
[Collection("Browser")]
public sealed class EntraSignInTests(BrowserFixture browser, AzuriteFixture azurite) : IAsyncLifetime
{
    private OidcStandIn _entra = null!;
    private OwnersApp _app = null!;

    public async Task InitializeAsync()
    {
        _entra = await OidcStandIn.StartAsync();
        _app = await OwnersApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Owners:Entra:Authority"] = _entra.Authority.AbsoluteUri.TrimEnd('/'),
            ["Owners:Entra:ClientId"] = OidcStandIn.ClientId,
            ["Owners:Entra:ClientSecret"] = OidcStandIn.ClientSecret,
        });
        await _app.Access.AddOwnerAsync("dr.lee@example.com", OwnersApp.A, DateTimeOffset.UtcNow, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _entra.DisposeAsync();
    }

    private string Url(string path) => new Uri(_app.App.BaseUrl, path).ToString();

    [Fact]
    public async Task SignInWithMicrosoft_OwnersAccount_LandsOnTheirCalls()
    {
        _entra.Email = "Dr.Lee@example.com";
        var page = await browser.NewPageAsync();

        await page.GotoAsync(Url($"/t/{OwnersApp.A}/messages"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(Url($"/t/{OwnersApp.A}/calls"));
        await Expect(page.Locator("table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("header")).ToContainTextAsync("dr.lee@example.com");
        Assert.Equal(1, _entra.TokensIssued);
    }

    [Fact]
    public async Task SignInWithMicrosoft_AccountThatOwnsNothing_RefusedWithoutACookie()
    {
        _entra.Email = "stranger@example.com";
        var page = await browser.NewPageAsync();

        await page.GotoAsync(Url("/signin"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Microsoft" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not the owner of a business here");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == ".receptionist.owner");
        var calls = await page.GotoAsync(Url($"/t/{OwnersApp.A}/calls"));
        Assert.StartsWith(Url("/signin"), page.Url, StringComparison.Ordinal);
        Assert.Equal(200, calls!.Status);
    }
}
