using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace Receptionist.Host.Configuration;

/// <summary>
/// Secrets from the app's Key Vault as configuration (<c>KeyVault:Uri</c>; in Azure the Twilio auth token, the ACS
/// callback and Event Grid secrets, …). A secret named <c>Twilio--AuthToken</c> is the setting <c>Twilio:AuthToken</c>.
/// Read once at start — a vault that cannot be read then stops the app, naming <c>KeyVault:Uri</c> — and again every
/// <c>KeyVault:ReloadSeconds</c> (default 300): a reload that fails keeps the last values and logs a warning.
/// (Azure.Extensions.AspNetCore.Configuration.Secrets does not restore here; this is the same idea on
/// Azure.Security.KeyVault.Secrets.)
/// </summary>
public sealed class KeyVaultSecretsProvider : ConfigurationProvider, IDisposable
{
    public const string Section = "KeyVault";
    public const double DefaultReloadSeconds = 300;

    private readonly SecretClient _client;
    private readonly ITimer? _timer;
    private int _reloading;

    public KeyVaultSecretsProvider(SecretClient client, TimeSpan reloadEvery, TimeProvider clock)
    {
        _client = client;
        if (reloadEvery > TimeSpan.Zero)
        {
            _timer = clock.CreateTimer(_ => _ = ReloadAsync(), null, reloadEvery, reloadEvery);
        }
    }

    public Uri VaultUri => _client.VaultUri;

    /// <summary>Told of each reload that failed (the app logs it as a warning; the last values stay).</summary>
    public event Action<Exception>? ReloadFailed;

    /// <summary>Told of each reload that changed something.</summary>
    public event Action? Reloaded;

    public override void Load()
    {
        try
        {
            Data = ReadAllAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is RequestFailedException or AuthenticationFailedException or HttpRequestException or AggregateException)
        {
            throw new InvalidOperationException($"{Section}:Uri ({VaultUri}): the app's secrets could not be read at start ({FirstLine(ex)}). "
                + "Check the address, that the app's identity holds 'Key Vault Secrets User' on the vault, and that the vault lets the app in (network rules).", ex);
        }
    }

    /// <summary>Reads the vault again; on failure keeps what it had. Overlapping reloads are skipped.</summary>
    public async Task ReloadAsync()
    {
        if (Interlocked.Exchange(ref _reloading, 1) == 1)
        {
            return;
        }

        try
        {
            var fresh = await ReadAllAsync(CancellationToken.None);
            if (!SameAs(fresh))
            {
                Data = fresh;
                OnReload();
                Reloaded?.Invoke();
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or AuthenticationFailedException or HttpRequestException or AggregateException or TaskCanceledException)
        {
            ReloadFailed?.Invoke(ex);
        }
        finally
        {
            Volatile.Write(ref _reloading, 0);
        }
    }

    /// <summary>The setting a secret name stands for: <c>--</c> separates sections (Key Vault names allow only letters,
    /// digits and dashes).</summary>
    public static string SettingName(string secretName) => secretName.Replace("--", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);

    private async Task<Dictionary<string, string?>> ReadAllAsync(CancellationToken ct)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        await foreach (var properties in _client.GetPropertiesOfSecretsAsync(ct))
        {
            if (properties.Enabled != true || properties.Managed)
            {
                continue;
            }

            var secret = await _client.GetSecretAsync(properties.Name, cancellationToken: ct);
            data[SettingName(properties.Name)] = secret.Value.Value;
        }

        return data;
    }

    private bool SameAs(Dictionary<string, string?> fresh) =>
        fresh.Count == Data.Count && fresh.All(kv => Data.TryGetValue(kv.Key, out var old) && string.Equals(old, kv.Value, StringComparison.Ordinal));

    private static string FirstLine(Exception ex) => ex.Message.Split('\n')[0].Trim();

    public void Dispose() => _timer?.Dispose();
}

/// <summary>How the app reaches its vault. The app uses <see cref="DefaultAzureCredential"/>; tests put their own in the
/// builder's properties (a loopback vault with a self-signed certificate, a fake clock).</summary>
public sealed record KeyVaultAccess(TokenCredential Credential, SecretClientOptions? Options = null, TimeProvider? Clock = null);

public static class KeyVaultSecrets
{
    /// <summary>Adds the vault named by <c>KeyVault:Uri</c>, when set, above every other configuration source.</summary>
    public static IHostApplicationBuilder AddKeyVaultSecrets(this IHostApplicationBuilder builder)
    {
        var uri = builder.Configuration[$"{KeyVaultSecretsProvider.Section}:Uri"];
        if (string.IsNullOrWhiteSpace(uri))
        {
            return builder;
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var vault) || vault.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{KeyVaultSecretsProvider.Section}:Uri: '{uri}' is not an https URL such as https://my-vault.vault.azure.net/");
        }

        var reload = builder.Configuration[$"{KeyVaultSecretsProvider.Section}:ReloadSeconds"];
        var seconds = KeyVaultSecretsProvider.DefaultReloadSeconds;
        if (reload is not null && (!double.TryParse(reload, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out seconds) || seconds is < 0 or > 86_400))
        {
            throw new InvalidOperationException($"{KeyVaultSecretsProvider.Section}:ReloadSeconds: '{reload}' must be a number of seconds from 0 (never) to 86400");
        }

        var access = builder.Properties.TryGetValue(typeof(KeyVaultAccess), out var given) && given is KeyVaultAccess a
            ? a
            : new KeyVaultAccess(new DefaultAzureCredential());
        var options = access.Options ?? new SecretClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        var provider = new KeyVaultSecretsProvider(new SecretClient(vault, access.Credential, options), TimeSpan.FromSeconds(seconds), access.Clock ?? TimeProvider.System);
        builder.Configuration.Add(new KeyVaultSecretsSource(provider));
        builder.Services.AddSingleton(provider);
        builder.Services.AddHostedService<KeyVaultReloadLog>();
        return builder;
    }

    private sealed class KeyVaultSecretsSource(KeyVaultSecretsProvider provider) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
    }
}

/// <summary>Logs each failed reload of the vault as a warning (the app goes on with the last values).</summary>
public sealed class KeyVaultReloadLog(KeyVaultSecretsProvider provider, ILogger<KeyVaultReloadLog> logger) : IHostedService
{
    private void OnFailed(Exception ex) =>
        logger.LogWarning("Key Vault {Vault} could not be read again ({Reason}); the last values stay in use", provider.VaultUri.Host, ex.Message.Split('\n')[0].Trim());

    private void OnReloaded() => logger.LogInformation("Key Vault {Vault}: secrets reloaded", provider.VaultUri.Host);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        provider.ReloadFailed += OnFailed;
        provider.Reloaded += OnReloaded;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        provider.ReloadFailed -= OnFailed;
        provider.Reloaded -= OnReloaded;
        return Task.CompletedTask;
    }
}
