using Microsoft.Playwright;

namespace Receptionist.Dashboard.Tests;

/// <summary>Every browser test class joins this collection and so shares one <see cref="BrowserFixture"/> (and one Azurite).</summary>
[CollectionDefinition("Browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<Receptionist.Testing.AzuriteFixture>
{
}

/// <summary>
/// One Playwright driver and one headless Chromium for the whole assembly. The browser is Debian's
/// (<c>apt-get install chromium</c>, at /usr/bin/chromium, or the binary named by RECEPTIONIST_CHROMIUM):
/// Playwright's own browser download (<c>playwright install</c>) is never used, so nothing is fetched at test time.
/// Each test gets a fresh, isolated <see cref="IBrowserContext"/> from <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromiumPath = "/usr/bin/chromium";
    public const string ChromiumPathVariable = "RECEPTIONIST_CHROMIUM";

    /// <summary>Upper bound for launching the browser, navigations and screenshots.</summary>
    public const float LaunchAndNavigationTimeoutMs = 15_000;

    /// <summary>Upper bound for a click, fill, wait-for or <c>Expect(…)</c> assertion.</summary>
    public const float ActionTimeoutMs = 10_000;

    /// <summary>A phone held upright (iPhone 12-ish CSS pixels): the owners' dashboard must work here.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>A laptop screen.</summary>
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not been started.");

    /// <summary>The Chromium this fixture launches.</summary>
    public string ChromiumPath { get; private set; } = DefaultChromiumPath;

    public async Task InitializeAsync()
    {
        ChromiumPath = FindChromium(Environment.GetEnvironmentVariable(ChromiumPathVariable));
        Assertions.SetDefaultExpectTimeout(ActionTimeoutMs);
        _playwright = await Playwright.CreateAsync().WaitAsync(TimeSpan.FromMilliseconds(LaunchAndNavigationTimeoutMs));
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            ChromiumSandbox = false,
            Args = ChromiumArgs,
            Timeout = LaunchAndNavigationTimeoutMs,
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts.ToArray())
        {
            await context.CloseAsync();
        }

        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// The Chromium binary: <paramref name="overridePath"/> (RECEPTIONIST_CHROMIUM) when set, else /usr/bin/chromium.
    /// Throws — never skips — when it is not there.
    /// </summary>
    public static string FindChromium(string? overridePath)
    {
        var path = string.IsNullOrWhiteSpace(overridePath) ? DefaultChromiumPath : overridePath;
        if (!File.Exists(path))
        {
            var from = string.IsNullOrWhiteSpace(overridePath) ? "" : $" (from {ChromiumPathVariable})";
            throw new InvalidOperationException(
                $"Chromium was not found at {path}{from}. The browser tests use Debian's Chromium, not a Playwright download: " +
                $"run `apt-get update && apt-get install -y --no-install-recommends chromium` (tests/run.sh does this), " +
                $"or set {ChromiumPathVariable} to a Chromium binary.");
        }

        return path;
    }

    /// <summary>
    /// A page in a fresh browser context (own cookies, storage and cache), sized <paramref name="viewport"/>
    /// (default <see cref="Desktop"/>). Close it when done: <c>await using var _ = page.Context;</c>
    /// (contexts still open are closed with the fixture).
    /// </summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null, bool isMobile = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? Desktop,
            IsMobile = isMobile,
            HasTouch = isMobile,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(LaunchAndNavigationTimeoutMs);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        context.Close += (_, _) =>
        {
            lock (_contexts)
            {
                _contexts.Remove(context);
            }
        };
        return await context.NewPageAsync();
    }

    /// <summary>Saves a full-page PNG to &lt;repo root&gt;/.build/screenshots/&lt;name&gt;.png (git-ignored) and returns its path.</summary>
    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ArgumentException($"A screenshot name is letters, digits, '-', '_' and '.': \"{name}\".", nameof(name));
        }

        var directory = Path.Combine(FindRepoRoot(AppContext.BaseDirectory), ".build", "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = LaunchAndNavigationTimeoutMs });
        return path;
    }

    /// <summary>Walks up from <paramref name="start"/> to the folder holding Receptionist.sln (the repository root).</summary>
    public static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Receptionist.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Receptionist.sln above {start}: run the tests from inside the repository.");
    }
}
