using Microsoft.Playwright;

namespace Receptionist.Dashboard.Tests;

/// <summary>Proves the fixture drives the real Chromium against a real loopback HTTP server.</summary>
[Collection("Browser")]
public sealed class BrowserSmokeTests(BrowserFixture browser)
{
    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Smoke</title></head>
        <body style="font-family: sans-serif; padding: 1rem">
          <h1>Browser smoke test</h1>
          <p id="out">Not clicked yet</p>
          <button type="button" onclick="document.getElementById('out').textContent = 'Clicked at ' + location.host">Greet</button>
        </body>
        </html>
        """;

    [Fact]
    public async Task Click_ButtonOnLoopbackPage_TextChanges()
    {
        await using var site = await LoopbackSite.StartAsync(Page);
        var page = await browser.NewPageAsync(BrowserFixture.Phone, isMobile: true);
        await using var context = page.Context;

        var response = await page.GotoAsync(site.Url.ToString());
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        await Assertions.Expect(page.Locator("#out")).ToHaveTextAsync("Not clicked yet");

        await page.GetByRole(AriaRole.Button, new() { Name = "Greet" }).ClickAsync();

        await Assertions.Expect(page.Locator("#out")).ToHaveTextAsync($"Clicked at {site.Url.Authority}");
        var shot = await browser.ScreenshotAsync(page, "smoke-click");
        Assert.True(new FileInfo(shot).Length > 0, shot);
    }
}

/// <summary>The fixture's lookup of Chromium; outside the "Browser" collection so it runs even when no browser starts.</summary>
public sealed class BrowserFixtureTests
{
    [Fact]
    public void FindChromium_PathMissing_ThrowsWithAptGetHint()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BrowserFixture.FindChromium("/nonexistent/chromium"));
        Assert.Contains("apt-get install", error.Message, StringComparison.Ordinal);
        Assert.Contains("chromium", error.Message, StringComparison.Ordinal);
    }
}
