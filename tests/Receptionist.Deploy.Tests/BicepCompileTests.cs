namespace Receptionist.Deploy.Tests;

/// <summary>What `azd provision` does first: compile infra/main.bicep. Any warning fails, since one usually means a
/// property Azure ignores or rejects, an unknown API version or a secret leaking somewhere.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class BicepCompileTests(CompiledInfra infra)
{
    [Fact]
    public void Build_MainBicep_SucceedsWithoutWarnings()
    {
        var diagnostics = CompiledInfra.Diagnostics(infra.Build);
        Assert.True(infra.Build.ExitCode == 0 && diagnostics.Count == 0,
            $"bicep build infra/main.bicep exited {infra.Build.ExitCode} with {diagnostics.Count} diagnostic(s):\n{infra.Build.Output}");
        // azd deploys it at subscription scope: the template creates its own resource group.
        Assert.EndsWith("/subscriptionDeploymentTemplate.json#", infra.Template.Root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_MainBicep_ReportsNothing()
    {
        var diagnostics = CompiledInfra.Diagnostics(infra.Lint);
        Assert.True(infra.Lint.ExitCode == 0 && diagnostics.Count == 0,
            $"bicep lint infra/main.bicep exited {infra.Lint.ExitCode} with {diagnostics.Count} diagnostic(s):\n{string.Join('\n', diagnostics)}\n{infra.Lint.Output}");
    }

    [Fact]
    public void Build_Modules_AreLocalFilesOnly()
    {
        // Registry modules (br:, br/public:, ts:) would need the network to restore: CI and offline machines could not build.
        var bicepFiles = Directory.EnumerateFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories).ToList();
        Assert.True(bicepFiles.Count >= 2, "expected infra/main.bicep and its modules");
        var remote = bicepFiles
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(Repository.Root, f), Line: i + 1, Text: line)))
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l.Text, @"^\s*module\s+\w+\s+'(br|br/public|ts)[:/]"))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(remote.Count == 0, "registry modules found:\n" + string.Join('\n', remote));
        Assert.True(infra.Template.Modules.Count() >= 8, "main.bicep should compile its local modules inline");
    }
}
