using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Receptionist.Cli.Commands;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Professions;
using Receptionist.Host;
using Receptionist.Host.Configuration;
using Receptionist.Host.Professions;

namespace Receptionist.Cli;

/// <summary>Where the repo is and what configuration says: local.settings.json below environment variables, exactly
/// as the app reads it, so `call` signs with the token `up` validates.</summary>
public sealed class CliEnvironment
{
    public const string DefaultAppUrl = "http://127.0.0.1:7071";

    private static readonly Dictionary<string, string?> NoSettings = [];

    private CliEnvironment(string root, IReadOnlyDictionary<string, string?> settings)
    {
        Root = root;
        Settings = settings;
        Configuration = Build(root, settings);
    }

    public string Root { get; }

    public IConfiguration Configuration { get; }

    /// <summary>Settings given to this run above environment variables (tests: their storage and table prefix);
    /// `up` passes them on to the app.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public string SettingsPath => Path.Combine(Root, LocalSettings.FileName);

    public string PromptsDirectory => Configuration["Prompts:Directory"] is { Length: > 0 } dir ? dir : Path.Combine(Root, "prompts");

    /// <summary>The repo root from RECEPTIONIST_ROOT (the `receptionist` script sets it) or the current directory.</summary>
    public static CliEnvironment Load() =>
        Load(Environment.GetEnvironmentVariable("RECEPTIONIST_ROOT") is { Length: > 0 } r ? r : Directory.GetCurrentDirectory(), NoSettings);

    /// <param name="settings">Above environment variables and local.settings.json, "Section:Key" names.</param>
    public static CliEnvironment Load(string root, IReadOnlyDictionary<string, string?> settings) => new(root, settings);

    /// <summary>Creates local.settings.json with a generated development Twilio auth token when none is configured;
    /// returns the environment re-read, and whether the file was written.</summary>
    public CliEnvironment WithDevelopmentDefaults(out bool created)
    {
        try
        {
            created = LocalSettings.EnsureDevelopmentDefaults(SettingsPath);
        }
        catch (JsonException ex)
        {
            throw new CliException($"{SettingsPath}: not valid JSON ({Commands.Cli.OneLine(ex.Message)})");
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(ex.Message);
        }

        return created ? new CliEnvironment(Root, Settings) : this;
    }

    public string ConnectionString => Configuration["Storage:ConnectionString"] is { Length: > 0 } c ? c : "UseDevelopmentStorage=true";

    public bool UsesDevelopmentStorage => ConnectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase);

    public string TablePrefix => Configuration["Storage:TablePrefix"] ?? string.Empty;

    /// <summary>The table endpoint, for messages (never the connection string: it holds the key).</summary>
    public string StorageEndpoint
    {
        get
        {
            try
            {
                return TableService().Uri.GetLeftPart(UriPartial.Authority);
            }
            catch (CliException)
            {
                return "(invalid Storage:ConnectionString)";
            }
        }
    }

    public TableSet Tables() => new(TableService(), TablePrefix);

    /// <summary>Now as the app sees it: Clock:Now when set (a development replay; where its clock started), else real time.</summary>
    public DateTimeOffset Now => DateTimeOffset.TryParse(Configuration["Clock:Now"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var now)
        ? now
        : TimeProvider.System.GetUtcNow();

    public ProfessionCatalog Professions() => ProfessionLoader.Load(PromptsDirectory);

    /// <summary>The app's base URL and where it came from: --url, else PublicBaseUrl (Twilio signs that URL), else the
    /// URL a running `up` wrote (<see cref="RunningApp"/>), else http://127.0.0.1:7071.</summary>
    public (Uri Url, string Source) AppUrl(string? option)
    {
        if (option is not null)
        {
            return (ParseUrl(option, "--url", Commands.Cli.Usage), "--url");
        }

        if (Configuration["PublicBaseUrl"] is { Length: > 0 } publicBaseUrl)
        {
            return (ParseUrl(publicBaseUrl, "PublicBaseUrl", Commands.Cli.Failed), "PublicBaseUrl");
        }

        return RunningApp.Read(Root) is { } running && Uri.TryCreate(running.Url, UriKind.Absolute, out var url)
            ? (url, $"served by `up`, noted in {RunningApp.RelativePath}")
            : (new Uri(DefaultAppUrl), "the default");
    }

    private static Uri ParseUrl(string value, string name, int exitCode) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new CliException($"{name}: '{value}' is not an absolute http(s) URL, e.g. {DefaultAppUrl}", exitCode);

    /// <summary>By connection string, or — for an Azure account that refuses keys — by <c>Storage:TableEndpoint</c> with the
    /// operator's own Entra ID sign-in (<c>az login</c>; they need "Storage Table Data Contributor" on the account).</summary>
    private TableServiceClient TableService()
    {
        if (Configuration["Storage:TableEndpoint"] is not { Length: > 0 } endpoint)
        {
            return Storage(ReceptionistHost.CreateTableService);
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new CliException($"Storage:TableEndpoint: '{endpoint}' is not an https endpoint such as https://account.table.core.windows.net");
        }

        return new StorageClients(new StorageOptions { TableEndpoint = endpoint }, new Azure.Identity.DefaultAzureCredential()).Tables();
    }

    private T Storage<T>(Func<string, T> create)
    {
        try
        {
            return create(ConnectionString);
        }
        catch (FormatException)
        {
            throw new CliException("Storage:ConnectionString: the AccountKey is not valid base-64; copy the account's key again.");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new CliException($"Storage:ConnectionString is not a storage connection string ({Commands.Cli.OneLine(ex.Message)}).");
        }
    }

    private static IConfiguration Build(string root, IReadOnlyDictionary<string, string?> settings)
    {
        IDictionary<string, string?> file;
        try
        {
            file = LocalSettings.Read(Path.Combine(root, LocalSettings.FileName));
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(ex.Message);
        }

        return new ConfigurationBuilder()
            .AddInMemoryCollection(file)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings)
            .Build();
    }
}
