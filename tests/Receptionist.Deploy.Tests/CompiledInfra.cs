using System.Text.Json;
using System.Text.RegularExpressions;

namespace Receptionist.Deploy.Tests;

/// <summary>Runs `bicep build` and `bicep lint` on infra/main.bicep once for every test in the collection, and parses
/// the ARM JSON Azure would be sent.</summary>
public sealed partial class CompiledInfra : IAsyncLifetime
{
    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "receptionist-bicep-" + Guid.NewGuid().ToString("N"));
    private JsonDocument? _document;

    public static string MainBicep => Repository.PathOf("infra", "main.bicep");

    public ProcessResult Build { get; private set; } = null!;

    public ProcessResult Lint { get; private set; } = null!;

    /// <summary>The compiled main.bicep (subscription scope); its modules are nested deployments with inline templates.</summary>
    public ArmTemplate Main { get; private set; } = null!;

    /// <summary>Lines bicep prints for a diagnostic: "file(line,col) : Warning rule: message".</summary>
    public static IReadOnlyList<string> Diagnostics(ProcessResult result) =>
        result.Output.Split('\n').Select(l => l.Trim()).Where(l => DiagnosticLine().IsMatch(l)).ToList();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_outputDirectory);
        var bicep = Repository.BicepExecutable;
        if (!File.Exists(bicep))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {bicep}. It comes with `dotnet restore` (PackageDownload "
                + "Azure.Bicep.CommandLine.linux-x64); on another OS set BICEP_PATH to a bicep executable.", bicep);
        }

        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(bicep).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        var build = ProcessRunner.RunAsync(bicep, ["build", MainBicep, "--outdir", _outputDirectory], Repository.Root);
        var lint = ProcessRunner.RunAsync(bicep, ["lint", MainBicep], Repository.Root);
        Build = await build;
        Lint = await lint;
        var compiled = Path.Combine(_outputDirectory, "main.json");
        if (Build.ExitCode == 0 && File.Exists(compiled))
        {
            _document = JsonDocument.Parse(await File.ReadAllTextAsync(compiled));
            Main = new ArmTemplate(_document.RootElement, "main", null, null);
        }
    }

    public Task DisposeAsync()
    {
        _document?.Dispose();
        Directory.Delete(_outputDirectory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The compiled template, failing with bicep's own output when it did not compile.</summary>
    public ArmTemplate Template =>
        Main ?? throw new InvalidOperationException($"bicep build failed (exit {Build.ExitCode}):\n{Build.Output}");

    [GeneratedRegex(@"\(\d+,\d+\)\s*:\s*(Error|Warning|Info)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DiagnosticLine();
}

[CollectionDefinition(Name)]
public sealed class CompiledInfraCollection : ICollectionFixture<CompiledInfra>
{
    public const string Name = "compiled infra";
}

/// <summary>One ARM template: main.json or a module's inline template (both language versions: resources as an array
/// or as an object keyed by symbolic name).</summary>
public sealed partial class ArmTemplate(JsonElement root, string name, ArmTemplate? parent, JsonElement? deployment)
{
    public JsonElement Root { get; } = root;

    /// <summary>"main", "main/app", … (the symbolic name of each module).</summary>
    public string Name { get; } = name;

    public ArmTemplate? Parent { get; } = parent;

    /// <summary>The Microsoft.Resources/deployments resource this template is the inline template of.</summary>
    public JsonElement? Deployment { get; } = deployment;

    public IEnumerable<(string Key, JsonElement Resource)> Resources
    {
        get
        {
            if (!Root.TryGetProperty("resources", out var resources))
            {
                yield break;
            }

            if (resources.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var r in resources.EnumerateArray())
                {
                    yield return ((i++).ToString(System.Globalization.CultureInfo.InvariantCulture), r);
                }
            }
            else
            {
                foreach (var p in resources.EnumerateObject())
                {
                    yield return (p.Name, p.Value);
                }
            }
        }
    }

    public IEnumerable<ArmTemplate> Modules =>
        Resources.Where(r => Type(r.Resource) == "Microsoft.Resources/deployments")
            .Select(r => new ArmTemplate(r.Resource.GetProperty("properties").GetProperty("template"), $"{Name}/{r.Key}", this, r.Resource));

    /// <summary>This template and every module below it.</summary>
    public IEnumerable<ArmTemplate> All => new[] { this }.Concat(Modules.SelectMany(m => m.All));

    /// <summary>Every resource this template and its modules declare (not the deployments themselves, nor `existing` ones).</summary>
    public IEnumerable<(ArmTemplate Template, JsonElement Resource)> AllResources =>
        All.SelectMany(t => t.Resources
            .Where(r => Type(r.Resource) != "Microsoft.Resources/deployments" && !(r.Resource.TryGetProperty("existing", out var e) && e.GetBoolean()))
            .Select(r => (t, r.Resource)));

    public ArmTemplate Module(string symbolicName) =>
        Modules.SingleOrDefault(m => m.Name.EndsWith("/" + symbolicName, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"{Name} has no module '{symbolicName}' (has: {string.Join(", ", Modules.Select(m => m.Name))})");

    public JsonElement OnlyResource(string type)
    {
        var matches = Resources.Where(r => Type(r.Resource) == type).Select(r => r.Resource).ToList();
        return matches.Count == 1 ? matches[0] : throw new InvalidOperationException($"{Name} declares {matches.Count} resources of type {type}, expected 1");
    }

    public JsonElement Parameters => Root.GetProperty("parameters");

    public JsonElement Outputs => Root.TryGetProperty("outputs", out var o) ? o : default;

    /// <summary>The value the parent passes for one of this module's parameters.</summary>
    public JsonElement Argument(string parameter) =>
        Deployment?.GetProperty("properties").GetProperty("parameters").GetProperty(parameter).GetProperty("value")
        ?? throw new InvalidOperationException($"{Name} is not a module");

    /// <summary>Follows `[variables('x')]`, `[parameters('x')]` (to the value the parent passes) and
    /// `[parameters('x').field]` one step at a time until it reaches something else; returns that, as raw JSON.</summary>
    public string Resolve(string expression)
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(expression));
        return Resolve(document.RootElement);
    }

    /// <summary>The role definition GUIDs a roleAssignments resource grants (several for a copy loop over a role map).</summary>
    public IReadOnlySet<string> RoleDefinitions(JsonElement assignment)
    {
        var expression = assignment.Text("properties", "roleDefinitionId") ?? "";
        var guids = new HashSet<string>(GuidPattern().Matches(expression).Select(m => m.Value), StringComparer.OrdinalIgnoreCase);
        if (!Root.TryGetProperty("variables", out var variables))
        {
            return guids;
        }

        foreach (Match m in VariableUse().Matches(expression))
        {
            if (!variables.TryGetProperty(m.Groups[2].Value, out var variable))
            {
                continue;
            }

            if (m.Groups[4].Success && variable.ValueKind == JsonValueKind.Object)
            {
                variable = variable.GetProperty(m.Groups[4].Value);
            }

            if (m.Groups[1].Success && variable.ValueKind == JsonValueKind.Object)
            {
                // items(variables('roles'))[copyIndex()].value: one assignment per role in the map.
                guids.UnionWith(variable.EnumerateObject().Select(p => p.Value.GetString()!));
            }
            else if (variable.ValueKind == JsonValueKind.String)
            {
                guids.Add(variable.GetString()!);
            }
        }

        return guids;
    }

    public string Resolve(JsonElement value)
    {
        var template = this;
        for (var hops = 0; hops < 10; hops++)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                return value.GetRawText();
            }

            var text = value.GetString()!;
            if (VariableReference().Match(text) is { Success: true } v && template.Root.TryGetProperty("variables", out var variables)
                && variables.TryGetProperty(v.Groups[1].Value, out var variable))
            {
                value = variable;
                continue;
            }

            if (ParameterReference().Match(text) is { Success: true } p && template.Deployment is not null)
            {
                var argument = template.Argument(p.Groups[1].Value);
                if (p.Groups[2].Success)
                {
                    argument = argument.GetProperty(p.Groups[2].Value);
                }

                value = argument;
                template = template.Parent!;
                continue;
            }

            return text;
        }

        throw new InvalidOperationException($"{Name}: {value} does not resolve");
    }

    public static string? Type(JsonElement resource) => resource.TryGetProperty("type", out var t) ? t.GetString() : null;

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"(items\()?variables\('([^']+)'\)(\)\[copyIndex\(\)\]\.value)?(?:\.(\w+))?")]
    private static partial Regex VariableUse();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)(?:\.(\w+))?\]$")]
    private static partial Regex ParameterReference();
}

internal static class Json
{
    public static JsonElement Path(this JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            element = element.ValueKind == JsonValueKind.Array ? element[int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)] : element.GetProperty(name);
        }

        return element;
    }

    public static string? Text(this JsonElement element, params string[] names)
    {
        var value = element;
        foreach (var name in names)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
            {
                return null;
            }
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
    }
}
