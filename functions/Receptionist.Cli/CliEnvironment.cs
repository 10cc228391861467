using Microsoft.Extensions.Configuration;
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
    private CliEnvironment(string root, IConfiguration configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    public string Root { get; }

    public IConfiguration Configuration { get; }

    public string SettingsPath => Path.Combine(Root, LocalSettings.FileName);

    public string PromptsDirectory => Configuration["Prompts:Directory"] is { Length: > 0 } dir ? dir : Path.Combine(Root, "prompts");

    public static CliEnvironment Load()
    {
        var root = Environment.GetEnvironmentVariable("RECEPTIONIST_ROOT") is { Length: > 0 } r ? r : Directory.GetCurrentDirectory();
        return new CliEnvironment(root, Build(root));
    }

    /// <summary>Re-reads configuration (after local.settings.json was created).</summary>
    public CliEnvironment Reload() => new(Root, Build(Root));

    public string ConnectionString => Configuration["Storage:ConnectionString"] is { Length: > 0 } c ? c : "UseDevelopmentStorage=true";

    public string TablePrefix => Configuration["Storage:TablePrefix"] ?? string.Empty;

    public TableSet Tables() => new(ReceptionistHost.CreateTableService(ConnectionString), TablePrefix);

    public ProfessionCatalog Professions() => ProfessionLoader.Load(PromptsDirectory);

    private static IConfiguration Build(string root) => new ConfigurationBuilder()
        .AddInMemoryCollection(LocalSettings.Read(Path.Combine(root, LocalSettings.FileName)))
        .AddEnvironmentVariables()
        .Build();
}
