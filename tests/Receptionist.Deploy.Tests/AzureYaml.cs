using YamlDotNet.RepresentationModel;

namespace Receptionist.Deploy.Tests;

/// <summary>azure.yaml as azd reads it (YamlDotNet; a malformed file throws).</summary>
internal sealed class AzureYaml(YamlMappingNode root)
{
    public YamlMappingNode Root { get; } = root;

    public static AzureYaml Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Repository.ReadText("azure.yaml"));
        stream.Load(reader);
        return new AzureYaml((YamlMappingNode)stream.Documents.Single().RootNode);
    }

    public IEnumerable<string> ServiceNames => Mapping(Root, "services").Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    public YamlMappingNode Service(string name) => Mapping(Mapping(Root, "services"), name);

    public static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlMappingNode mapping
            ? mapping
            : throw new KeyNotFoundException($"azure.yaml: no mapping '{key}'");

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
