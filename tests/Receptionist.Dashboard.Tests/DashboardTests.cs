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
        var transcript = page.GetByRole(AriaRole.Log, new() { Name = "Transcript" });
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
    public async Task Settings_BadHoursThenFixed_ErrorByTheFieldThenSavedAndTheNextCallerHearsIt()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        var monday = page.GetByLabel("Monday", new() { Exact = true });
        await Expect(monday).ToHaveValueAsync("09:00-17:00");

        await monday.FillAsync("9 till 5");
        await page.GetByLabel("Facts", new() { Exact = false }).FillAsync("address: 12 Main St\nparking: Park in the garage on Elm Street");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.Locator("#hours-mon-error")).ToContainTextAsync("is not a range \"HH:mm-HH:mm\"");
        await Expect(monday).ToHaveAttributeAsync("aria-invalid", "true");
        await browser.ScreenshotAsync(page, "dashboard-settings-error");
        var before = await _app.App.CallAsync(TestTenants.DentistNumber, "+15557650002", "where do I park?", "no");
        Assert.Contains(before.Turns, t => t.Speaker == "agent" && t.Text.Contains("Free lot behind the building", StringComparison.Ordinal)); // nothing half-saved

        await page.GetByLabel("Monday", new() { Exact = true }).FillAsync("08:00-12:00, 13:00-18:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved.");
        await Expect(page.GetByLabel("Monday", new() { Exact = true })).ToHaveValueAsync("08:00-12:00, 13:00-18:00");
        var after = await _app.App.CallAsync(TestTenants.DentistNumber, "+15557650002", "where do I park?", "no");
        Assert.Contains(after.Turns, t => t.Speaker == "agent" && t.Text.Contains("garage on Elm Street", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bookings_CallerWithAnApostrophe_ConfirmAsksWithTheirNameAndDismissKeepsTheBooking()
    {
        var booked = await _app.App.CallAsync(TestTenants.DentistNumber, "+15557650004", "Can Sean O'Brien get a checkup tomorrow at 11 am?", "yes", "no");
        Assert.Contains(booked.Turns, t => t.Speaker == "agent" && t.Text.Contains("booked", StringComparison.OrdinalIgnoreCase));
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Bookings" }).ClickAsync();
        var asked = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            asked.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };

        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Cancel Checkup for Sean O.Brien") }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Monday 23 November" })).ToContainTextAsync("Sean O'Brien");
        Assert.Equal(["Cancel Checkup for Sean O'Brien? They will get a text."], asked);
        Assert.Equal("booked", (await _app.FirstAppointmentAsync(OwnersApp.A, _app.KeyA)).GetProperty("status").GetString());
        Assert.All((await _app.GetJsonAsync($"/api/v1/tenants/{OwnersApp.A}/appointments?from=2026-11-23&to=2026-11-23", _app.KeyA)).EnumerateArray(),
            a => Assert.Equal("booked", a.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task TryIt_TypedBooking_BookedThroughTheCallCoreAndShownInBookingsAndCalls()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Try it" }).ClickAsync();
        await page.GetByLabel("Calling from (optional)").FillAsync("+15557650005");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a test call" }).ClickAsync();
        var log = page.GetByRole(AriaRole.Log, new() { Name = "Conversation" });
        await Expect(log).ToContainTextAsync("Thank you for calling Bright Smiles Dental");

        async Task SayAsync(string text)
        {
            await page.GetByLabel("You say").FillAsync(text);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
            await Expect(log.Locator("li.caller").Last).ToHaveTextAsync("You" + text);
        }

        await SayAsync("Can Ada Park get a cleaning tomorrow at 2 pm?");
        await Expect(log.Locator("li.agent").Last).ToContainTextAsync("Shall I book it?");
        await SayAsync("yes");
        await Expect(log).ToContainTextAsync("booked for Monday, November 23 at 2 pm");
        await browser.ScreenshotAsync(page, "dashboard-try-it");
        await SayAsync("no");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The call has ended.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Bookings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Monday 23 November" })).ToContainTextAsync("Ada Park");
        await page.GetByRole(AriaRole.Link, new() { Name = "Calls" }).ClickAsync();
        await Expect(page.Locator("table tbody tr").First).ToContainTextAsync("+15557650005");
        await Expect(page.Locator("table tbody tr").First).ToContainTextAsync("Booked");
    }

    [Fact]
    public async Task Call_InProgress_NewLinesAppearLiveAndTheEndIsShown()
    {
        const string sid = "CA0123456789abcdef0123456789abcdef";
        var http = _app.App.Http;
        (await TwilioRequests.PostSignedAsync(http, "/twilio/voice", TwilioRequests.FormFrom(sid, "+15557650006", ("CallStatus", "ringing")))).EnsureSuccessStatusCode();
        var page = await SignedInAsync();
        await page.GotoAsync(Url($"/t/{OwnersApp.A}/calls/{sid}"));
        var transcript = page.GetByRole(AriaRole.Log, new() { Name = "Transcript" });
        await Expect(transcript).ToContainTextAsync("Thank you for calling Bright Smiles Dental");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Live");

        // The caller speaks while the owner watches: no reload.
        (await TwilioRequests.PostSignedAsync(http, "/twilio/voice/gather?turn=1", TwilioRequests.FormFrom(sid, "+15557650006", ("SpeechResult", "where do I park?")))).EnsureSuccessStatusCode();
        await Expect(transcript.Locator("li.caller")).ToHaveTextAsync(["Callerwhere do I park?"]);
        await Expect(transcript.Locator("li.agent", new() { HasText = "Free lot behind the building" })).ToHaveCountAsync(1);
        (await TwilioRequests.PostSignedAsync(http, "/twilio/status", TwilioRequests.FormFrom(sid, "+15557650006", ("CallStatus", "completed"), ("CallDuration", "20")))).EnsureSuccessStatusCode();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The call has ended.");
        await browser.ScreenshotAsync(page, "dashboard-call-live");
    }

    [Fact]
    public async Task Bookings_MoveToAnOpenSlot_MovedAndShownOnItsNewDay()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Bookings" }).ClickAsync();
        var monday = page.GetByRole(AriaRole.Region, new() { Name = "Monday 23 November" });
        await monday.Locator("summary", new() { HasText = "Move" }).ClickAsync();
        await monday.GetByLabel("New day").FillAsync("2026-11-25");
        await monday.GetByLabel("New time").FillAsync("14:30");
        await monday.GetByRole(AriaRole.Button, new() { Name = "Move Checkup for Sam Lee" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Checkup for Sam Lee is moved to Wed 25 Nov, 2:30 PM");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Wednesday 25 November" })).ToContainTextAsync("Sam Lee");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Monday 23 November" })).ToContainTextAsync("rescheduled");
        await browser.ScreenshotAsync(page, "dashboard-bookings-moved");

        // A slot the business is closed: refused, said so, nothing moved.
        var wednesday = page.GetByRole(AriaRole.Region, new() { Name = "Wednesday 25 November" });
        await wednesday.Locator("summary", new() { HasText = "Move" }).ClickAsync();
        await wednesday.GetByLabel("New day").FillAsync("2026-11-29");
        await wednesday.GetByLabel("New time").FillAsync("10:00");
        await wednesday.GetByRole(AriaRole.Button, new() { Name = "Move Checkup for Sam Lee" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Not moved:");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Wednesday 25 November" })).ToContainTextAsync("booked");
    }

    [Fact]
    public async Task Bookings_WeekGrid_BookingInItsDayAndHourLinkedToItsRowAndClosedHoursShaded()
    {
        var page = await SignedInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Bookings" }).ClickAsync();

        var week = page.GetByRole(AriaRole.Table, new() { Name = "Week at a glance" });
        await Expect(week.Locator("thead th")).ToHaveTextAsync(["Hour", "Sun 22", "Mon 23", "Tue 24", "Wed 25", "Thu 26", "Fri 27", "Sat 28"]);
        var nine = week.Locator("tbody tr", new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "9 AM", Exact = true }) });
        var cells = nine.Locator("td");
        await Expect(cells.Nth(1)).ToContainTextAsync("9:00 Sam Lee");
        await Expect(cells.Nth(1)).ToHaveClassAsync("open");
        await Expect(cells.Nth(0)).ToHaveClassAsync("shut"); // the practice is closed on Sundays
        await Expect(cells.Nth(0)).ToContainTextAsync("closed");
        await Expect(cells.Nth(2)).Not.ToContainTextAsync("Sam Lee");
        await browser.ScreenshotAsync(page, "dashboard-bookings-week");

        await cells.Nth(1).GetByRole(AriaRole.Link).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Contains("#appointment-", page.Url, StringComparison.Ordinal);
        var row = page.Locator(new Uri(page.Url).Fragment);
        await Expect(row).ToContainTextAsync("Checkup");
        await Expect(row).ToBeInViewportAsync();
    }

    [Fact]
    public async Task ApiReference_Development_ListsTheAdminApisOperationsWithNothingFetchedFromElsewhere()
    {
        var page = await browser.NewPageAsync();
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).Host != _app.App.BaseUrl.Host)
            {
                elsewhere.Add(request.Url);
            }
        };

        await page.GotoAsync(Url("/api/reference/"));

        await Expect(page.GetByText("The tenant's calls, newest first, paged", new() { Exact = false }).First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByText("Marks a message handled.", new() { Exact = false }).First).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "api-reference");
        Assert.Empty(elsewhere);
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
