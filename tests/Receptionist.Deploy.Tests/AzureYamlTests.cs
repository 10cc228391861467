namespace Receptionist.Deploy.Tests;

/// <summary>azure.yaml: what `azd up` builds, where it deploys it and which hooks it runs.</summary>
public sealed class AzureYamlTests
{
    [Fact]
    public void AzureYaml_Service_IsReceptionistOnContainerApps()
    {
        var yaml = AzureYaml.Load();
        Assert.Equal("receptionist", AzureYaml.Scalar(yaml.Root, "name"));
        Assert.Equal(["receptionist"], yaml.ServiceNames);
        var service = yaml.Service("receptionist");
        Assert.Equal("containerapp", AzureYaml.Scalar(service, "host"));
        Assert.Equal("dotnet", AzureYaml.Scalar(service, "language"));
        var project = AzureYaml.Scalar(service, "project")!;
        Assert.Equal("functions/Receptionist.Host", project.TrimStart('.', '/'));
        Assert.True(File.Exists(Repository.PathOf(project, "Receptionist.Host.csproj")), $"azure.yaml project {project} has no Receptionist.Host.csproj");
    }

    [Fact]
    public void AzureYaml_Docker_BuildsTheDockerfileFromTheRepositoryRoot()
    {
        var service = AzureYaml.Load().Service("receptionist");
        var project = Repository.PathOf(AzureYaml.Scalar(service, "project")!);
        var docker = AzureYaml.Mapping(service, "docker");
        var dockerfile = Path.GetFullPath(Path.Combine(project, AzureYaml.Scalar(docker, "path") ?? "./Dockerfile"));
        Assert.True(File.Exists(dockerfile), $"docker.path resolves to {dockerfile}, which does not exist");
        var context = Path.GetFullPath(Path.Combine(project, AzureYaml.Scalar(docker, "context") ?? "."));
        // The build needs Directory.Build.props, Directory.Packages.props and prompts/ from the root.
        Assert.Equal(Path.TrimEndingDirectorySeparator(Repository.Root), Path.TrimEndingDirectorySeparator(context));
    }

    [Fact]
    public void AzureYaml_Infra_IsMainBicepInInfra()
    {
        var infra = AzureYaml.Mapping(AzureYaml.Load().Root, "infra");
        Assert.Equal("bicep", AzureYaml.Scalar(infra, "provider") ?? "bicep");
        var path = AzureYaml.Scalar(infra, "path") ?? "infra";
        var module = AzureYaml.Scalar(infra, "module") ?? "main";
        Assert.True(File.Exists(Repository.PathOf(path, module + ".bicep")), $"infra {path}/{module}.bicep does not exist");
        Assert.True(File.Exists(Repository.PathOf(path, module + ".parameters.json")), $"infra {path}/{module}.parameters.json does not exist");
    }

    [Fact]
    public void AzureYaml_Hooks_PointAtScriptsThatExistForBothShells()
    {
        var hooks = AzureYaml.Mapping(AzureYaml.Load().Root, "hooks");
        Assert.Contains("postdeploy", hooks.Children.Keys.Select(k => k.ToString()));
        foreach (var (name, hook) in hooks.Children.Select(c => (c.Key.ToString(), (YamlDotNet.RepresentationModel.YamlMappingNode)c.Value)))
        {
            foreach (var (os, shell) in new[] { ("posix", "sh"), ("windows", "pwsh") })
            {
                var entry = AzureYaml.Mapping(hook, os);
                Assert.Equal(shell, AzureYaml.Scalar(entry, "shell"));
                var script = AzureYaml.Scalar(entry, "run")!;
                Assert.True(File.Exists(Repository.PathOf(script)), $"hook {name} ({os}) runs {script}, which does not exist");
            }
        }
    }
}
