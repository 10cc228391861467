using System.Text.Json;
using System.Text.RegularExpressions;

namespace Receptionist.Deploy.Tests;

/// <summary>infra/main.parameters.json: azd substitutes ${VAR} from the environment (.azure/&lt;env&gt;/.env) and sends
/// the result with main.bicep. A name that main.bicep does not declare fails the deployment; a required parameter
/// nobody sets makes azd stop and ask.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class ParametersFileTests(CompiledInfra infra)
{
    private static JsonElement FileParameters()
    {
        using var document = JsonDocument.Parse(Repository.ReadText("infra", "main.parameters.json"));
        Assert.Equal("1.0.0.0", document.RootElement.GetProperty("contentVersion").GetString());
        return document.RootElement.GetProperty("parameters").Clone();
    }

    [Fact]
    public void ParametersFile_EveryParameter_ExistsInMainBicep()
    {
        var declared = infra.Template.Parameters.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = FileParameters().EnumerateObject().Select(p => p.Name).Where(n => !declared.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, "main.parameters.json sets parameters main.bicep does not declare: " + string.Join(", ", unknown));
    }

    [Fact]
    public void ParametersFile_RequiredParameters_AreAllSet()
    {
        var set = FileParameters().EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var required = infra.Template.Parameters.EnumerateObject()
            .Where(p => !p.Value.TryGetProperty("defaultValue", out _) && !(p.Value.TryGetProperty("nullable", out var n) && n.GetBoolean()))
            .Select(p => p.Name)
            .ToList();
        Assert.Contains("environmentName", required);
        var missing = required.Where(n => !set.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "required main.bicep parameters that main.parameters.json does not set: " + string.Join(", ", missing));
    }

    [Fact]
    public void ParametersFile_Values_AreEnvironmentReferences()
    {
        // Nothing is written into the file itself (no names, no secrets): every value comes from the azd environment.
        var literal = FileParameters().EnumerateObject()
            .Where(p => p.Value.GetProperty("value") is var v && (v.ValueKind != JsonValueKind.String || !EnvironmentReference().IsMatch(v.GetString()!)))
            .Select(p => $"{p.Name}: {p.Value.GetProperty("value")}")
            .ToList();
        Assert.True(literal.Count == 0, "values that are not ${VAR} or ${VAR=default}:\n" + string.Join('\n', literal));
    }

    [Fact]
    public void ParametersFile_Defaults_MatchMainBicep()
    {
        // ${VAR=default} is what azd sends when VAR is unset: it must say what main.bicep's own default says.
        var differ = new List<string>();
        foreach (var parameter in FileParameters().EnumerateObject())
        {
            var match = EnvironmentReference().Match(parameter.Value.GetProperty("value").GetString()!);
            if (!match.Groups[2].Success)
            {
                continue;
            }

            var fileDefault = match.Groups[2].Value;
            var bicep = infra.Template.Parameters.GetProperty(parameter.Name);
            var bicepDefault = bicep.TryGetProperty("defaultValue", out var d)
                ? d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText()
                : null;
            if (!string.Equals(fileDefault, bicepDefault, StringComparison.Ordinal))
            {
                differ.Add($"{parameter.Name}: main.parameters.json says {fileDefault}, main.bicep says {bicepDefault ?? "(no default)"}");
            }
        }

        Assert.True(differ.Count == 0, string.Join('\n', differ));
    }

    [Fact]
    public void GeneratedSecrets_Redeploy_KeepsTheirValues()
    {
        // The ACS callback secret and the Event Grid secret have no default: newGuid() would change them on every
        // provision (breaking calls in progress and the subscription's ?code=). azd generates them once per
        // environment (metadata azd.type = generate) and stores them in the environment's config.
        foreach (var name in new[] { "acsCallbackSecret", "eventGridSecret" })
        {
            var parameter = infra.Template.Parameters.GetProperty(name);
            Assert.Equal("securestring", parameter.GetProperty("type").GetString());
            Assert.False(parameter.TryGetProperty("defaultValue", out _), $"{name} must not have a default (newGuid() would rotate it on every provision)");
            Assert.Equal("generate", parameter.Path("metadata", "azd", "type").GetString());
            Assert.True(parameter.Path("metadata", "azd", "config", "length").GetInt32() >= 16, $"{name}: the app wants at least 16 characters");
            Assert.True(parameter.Path("metadata", "azd", "config", "noSpecial").GetBoolean(), $"{name} goes into a URL: letters and digits only");
        }
    }

    [GeneratedRegex(@"^\$\{([A-Z][A-Z0-9_]*)(?:=([^}]*))?\}$")]
    private static partial Regex EnvironmentReference();
}
