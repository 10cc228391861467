using Microsoft.Playwright;
using Receptionist.Testing;
using static Microsoft.Playwright.Assertions;

namespace Receptionist.Dashboard.Tests;

/// <summary>
/// The owners' dashboard in a real browser (Debian's Chromium) against the real app on Azurite, whose calls were made
/// through the Twilio simulator: an owner opens their sign-in link, reads a call's transcript, marks a message handled
/// and cancels a booking — and sees nothing of the other business. Screenshots go to .build/screenshots/.
/// </summary>
[Collection("Browser")]
public sealed class DashboardTests(BrowserFixture browser, AzuriteFixture azurite) : IAsyncLifetime
{
    private OwnersApp _app = null!;

    public async Task InitializeAsync() => _app = await OwnersApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.App.BaseUrl, path).ToString();

    private async Task<IPage> SignedInAsync(ViewportSize? viewport = null)
    {
        var page = await browser.NewPageAsync(viewport, isMobile: viewport == BrowserFixture.Phone);
        await page.GotoAsync(Url(await _app.SignInPathAsync(OwnersApp.A)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Url($"/t/{OwnersApp.A}/calls"));
        return page;
    }

    [Fact]
    public async Task SignIn_OwnersLink_SeesTheirCallsAndATranscript()
    {
        var page = await SignedInAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Calls · Bright Smiles Dental");
        var rows = page.Locator("table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("Message taken");
        await Expect(rows.Nth(1)).ToContainTextAsync("Booked");
        await Expect(rows.Nth(1)).ToContainTextAsync(TestTenants.Caller);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Robin Fox"); // the other business's caller
        await browser.ScreenshotAsync(page, "dashboard-calls");

        await rows.Nth(1).GetByRole(AriaRole.Link).ClickAsync();
        var transcript = page.GetByRole(AriaRole.List, new() { Name = "Transcript" });
        await Expect(transcript).ToContainTextAsync("Can Sam Lee get a checkup tomorrow at 9 am?");
        await Expect(transcript.Locator("li.agent").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("booked", System.Text.RegularExpressions.RegexOptions.IgnoreCase) })).Not.ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "dashboard-call");
    }

    [Fact]
    public async Task Messages_MarkHandled_LeavesTheInboxWithTheCallbackNumberAsALink()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Messages" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "+15557654322" })).ToHaveAttributeAsync("href", "tel:+15557654322");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark the message from Pat Quinn handled" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The message from Pat Quinn is marked handled.");
        await Expect(page.Locator("table")).ToContainTextAsync("Handled");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mark the message from Pat Quinn handled" })).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "dashboard-messages");
    }

    [Fact]
    public async Task Bookings_CancelOnAPhone_CancelledAndTheSlotIsFreeForTheNextCaller()
    {
        var page = await SignedInAsync(BrowserFixture.Phone);
        await page.GetByRole(AriaRole.Link, new() { Name = "Bookings" }).ClickAsync();
        var monday = page.GetByRole(AriaRole.Region, new() { Name = "Monday 23 November" });
        await Expect(monday).ToContainTextAsync("Sam Lee");
        await browser.ScreenshotAsync(page, "dashboard-bookings-phone");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await monday.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Cancel Checkup for Sam Lee") }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Checkup for Sam Lee on Mon 23 Nov, 9:00 AM is cancelled");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Monday 23 November" })).ToContainTextAsync("cancelled");
        var next = await _app.App.CallAsync(TestTenants.DentistNumber, "+15557650001", "Can Kim Ode get a checkup tomorrow at 9 am?", "yes", "no");
        Assert.Contains(next.Turns, t => t.Speaker == "agent" && t.Text.Contains("booked", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Pages_OtherBusinessesAddress_NotFound()
    {
        var page = await SignedInAsync();

        var response = await page.GotoAsync(Url($"/t/{OwnersApp.B}/calls"));

        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Robin Fox");
    }

    [Fact]
    public async Task Pages_NotSignedIn_SentToSignIn()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync(Url($"/t/{OwnersApp.A}/messages"));

        Assert.StartsWith(Url("/signin"), page.Url, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in");
    }
}
