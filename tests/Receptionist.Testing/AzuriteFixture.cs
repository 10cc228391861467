using Receptionist.Cloud.Emulator;
using Receptionist.Cloud.Tables;
using Receptionist.Host;
using Xunit;

namespace Receptionist.Testing;

/// <summary>
/// One Azurite per test collection: a child node process on OS-chosen 127.0.0.1 ports with in-memory data, killed on
/// dispose. Each test takes its own table prefix, so tests never see each other's data.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<IAsyncDisposable>>> _shared = new(StringComparer.Ordinal);

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not started.");

    public async Task InitializeAsync()
    {
        var root = AzuriteProcess.FindRepoRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Azurite is not installed: run `npm ci` in the repository root (the README's test command does).");
        _azurite = await AzuriteProcess.StartAsync(root, null, (0, 0, 0), TimeSpan.FromSeconds(60), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var shared in _shared.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            await shared.Value.Result.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>One <typeparamref name="T"/> per key for every test on this emulator (e.g. the app the scenario suite
    /// resets between calls): started on first use, disposed before the emulator stops.</summary>
    public async Task<T> SharedAsync<T>(string key, Func<Task<T>> start) where T : IAsyncDisposable =>
        (T)await _shared.GetOrAdd(key, _ => new Lazy<Task<IAsyncDisposable>>(async () => await start())).Value;

    /// <summary>A fresh table prefix: letters and digits, unique per call.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Tables under a fresh prefix, created.</summary>
    public async Task<TableSet> NewTablesAsync(string? prefix = null)
    {
        var tables = new TableSet(ReceptionistHost.CreateTableService(ConnectionString), prefix ?? NewPrefix());
        await tables.EnsureCreatedAsync(CancellationToken.None);
        return tables;
    }
}
