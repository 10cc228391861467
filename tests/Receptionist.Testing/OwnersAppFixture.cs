using Xunit;

namespace Receptionist.Testing;

/// <summary>
/// One Azurite and one <see cref="OwnersApp"/> for a test class (so the owner tests run beside the other Azurite tests,
/// not after them): read-only tests share <see cref="Shared"/>; a test that changes data takes <see cref="FreshAsync"/>.
/// The shared app's sign-in limit is raised, since every test signs in from 127.0.0.1 within the same minute.
/// </summary>
public sealed class OwnersAppFixture : IAsyncLifetime
{
    private readonly List<OwnersApp> _apps = [];

    public AzuriteFixture Azurite { get; } = new();

    public OwnersApp Shared { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        Shared = await FreshAsync(new Dictionary<string, string?> { ["Owners:SignInsPerMinute"] = "10000" });
    }

    /// <summary>A new app with its own tables (same Azurite), disposed with the fixture.</summary>
    public async Task<OwnersApp> FreshAsync(IDictionary<string, string?>? settings = null)
    {
        var app = await OwnersApp.StartAsync(Azurite, settings);
        lock (_apps)
        {
            _apps.Add(app);
        }

        return app;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}
