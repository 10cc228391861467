using System.Text.Json;
using System.Text.RegularExpressions;

namespace Receptionist.Deploy.Tests;

/// <summary>No keys anywhere: every service is reached with Entra ID by the app's managed identity, each role granted on
/// the one resource it is for, and nothing secret comes out of the deployment.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class SecurityTests(CompiledInfra infra)
{
    private static readonly Dictionary<string, string> AppRoles = new()
    {
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["a97b65f3-24c7-4388-baec-2e87135dc908"] = "Cognitive Services User",
        ["5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"] = "Cognitive Services OpenAI User",
        ["7f951dda-4ed3-4680-a7ca-43fe172d538d"] = "AcrPull",
        ["09976791-48a7-449e-bb21-39d1a415f350"] = "Communication and Email Service Owner",
    };

    [Fact]
    public void Storage_SharedKeys_AreOff()
    {
        var storage = infra.Template.Module("storage").OnlyResource("Microsoft.Storage/storageAccounts").GetProperty("properties");
        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean(), "allowSharedKeyAccess must be false: no account keys, Entra ID only");
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean(), "allowBlobPublicAccess must be false");
        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());
        Assert.True(storage.GetProperty("supportsHttpsTrafficOnly").GetBoolean(), "https only");
    }

    [Fact]
    public void KeyVault_Access_IsRbacWithSoftDelete()
    {
        var vault = infra.Template.Module("vault").OnlyResource("Microsoft.KeyVault/vaults").GetProperty("properties");
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean(), "enableRbacAuthorization must be true (no access policies)");
        Assert.True(vault.GetProperty("enableSoftDelete").GetBoolean(), "soft delete on");
        Assert.False(vault.TryGetProperty("accessPolicies", out _), "RBAC only: no access policies");
    }

    [Fact]
    public void KeyVault_SecretNames_UseTheConfigurationSeparator()
    {
        // The app's Key Vault configuration provider maps "--" to ":": these names become Twilio:AuthToken etc.
        var names = infra.Template.Module("vault").Resources
            .Where(r => ArmTemplate.Type(r.Resource) == "Microsoft.KeyVault/vaults/secrets")
            .Select(r => Regex.Match(r.Resource.GetProperty("name").GetString()!, @"'([A-Za-z-]+)'\)\]$").Groups[1].Value)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["Acs--CallbackSecret", "Acs--EventGrid--Secret", "Twilio--AuthToken"], names);
    }

    [Fact]
    public void AiServices_LocalAuth_IsDisabled()
    {
        var ai = infra.Template.Module("ai").OnlyResource("Microsoft.CognitiveServices/accounts");
        Assert.Equal("AIServices", ai.GetProperty("kind").GetString());
        Assert.True(ai.Path("properties", "disableLocalAuth").GetBoolean(), "disableLocalAuth must be true: keys off, Entra ID only");
        Assert.False(string.IsNullOrEmpty(ai.Text("properties", "customSubDomainName")), "Entra ID needs a custom subdomain");
    }

    [Fact]
    public void Registry_AdminUser_IsDisabled()
    {
        var registry = infra.Template.Module("registry").OnlyResource("Microsoft.ContainerRegistry/registries");
        Assert.False(registry.Path("properties", "adminUserEnabled").GetBoolean(), "the app pulls with its identity (AcrPull), not the admin password");
    }

    [Fact]
    public void RoleAssignments_Scope_IsTheResourceTheyAreFor()
    {
        var assignments = infra.Template.AllResources.Where(r => ArmTemplate.Type(r.Resource) == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.True(assignments.Count >= AppRoles.Count, $"expected at least {AppRoles.Count} role assignments, found {assignments.Count}");
        var broad = assignments
            .Where(a => a.Resource.Text("scope") is not { } scope
                || !ResourceScope().IsMatch(scope)
                || scope.Contains("resourceGroup()", StringComparison.Ordinal)
                || scope.Contains("subscription()", StringComparison.Ordinal))
            .Select(a => $"{a.Template.Name}: {a.Resource.Text("name")} scope={a.Resource.Text("scope") ?? "(none: the resource group)"}")
            .ToList();
        Assert.True(broad.Count == 0, "role assignments not scoped to a single resource:\n" + string.Join('\n', broad));
    }

    [Fact]
    public void RoleAssignments_AppIdentity_GetsEveryRoleItNeeds()
    {
        var granted = infra.Template.AllResources
            .Where(r => ArmTemplate.Type(r.Resource) == "Microsoft.Authorization/roleAssignments")
            .Where(r => r.Resource.Text("properties", "principalId") is { } p
                && r.Template.Resolve(p).Contains("'identity').outputs.principalId", StringComparison.Ordinal))
            .SelectMany(r => r.Template.RoleDefinitions(r.Resource))
            .ToHashSet();
        var missing = AppRoles.Where(r => !granted.Contains(r.Key)).Select(r => r.Value).ToList();
        Assert.True(missing.Count == 0, "the app's managed identity lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void RoleAssignments_AcsIdentity_CanUseTheAiServicesAccount()
    {
        // ACS speaks and recognises through the AI services account with its own (system-assigned) identity.
        var acs = infra.Template.Module("communication").OnlyResource("Microsoft.Communication/communicationServices");
        Assert.Equal("SystemAssigned", acs.Text("identity", "type"));
        var ai = infra.Template.Module("ai");
        var acsGrant = ai.Resources.Select(r => r.Resource)
            .Where(r => ArmTemplate.Type(r) == "Microsoft.Authorization/roleAssignments")
            .SingleOrDefault(r => r.Text("properties", "principalId") == "[parameters('acsPrincipalId')]");
        Assert.True(acsGrant.ValueKind == JsonValueKind.Object, "no role assignment for the ACS identity on the AI services account");
        Assert.Contains("a97b65f3-24c7-4388-baec-2e87135dc908", ai.RoleDefinitions(acsGrant)); // Cognitive Services User
        Assert.Contains("communication').outputs.principalId", ai.Argument("acsPrincipalId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_NoneOfThem_CarriesASecret()
    {
        var outputs = infra.Template.All
            .Where(t => t.Outputs.ValueKind == JsonValueKind.Object)
            .SelectMany(t => t.Outputs.EnumerateObject().Select(o => (Template: t, Output: o)))
            .ToList();
        Assert.True(outputs.Count > 20, $"expected the outputs of main.bicep and its modules, found {outputs.Count}");
        var securedParameters = infra.Template.All
            .SelectMany(t => t.Parameters.EnumerateObject().Where(p => (p.Value.Text("type") ?? "").StartsWith("secure", StringComparison.OrdinalIgnoreCase))
                .Select(p => $"parameters('{p.Name}')"))
            .ToHashSet();
        var leaks = new List<string>();
        foreach (var (template, output) in outputs)
        {
            var where = $"{template.Name} output {output.Name}";
            var type = output.Value.Text("type") ?? "";
            var value = output.Value.Text("value") ?? "";
            // Resource types in expressions (Microsoft.KeyVault/vaults) say where a value comes from, not what it is.
            var words = ResourceType().Replace(value, "'type'");
            if (type.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
            {
                leaks.Add($"{where} is of type {type}");
            }

            if (SecretWord().IsMatch(output.Name))
            {
                leaks.Add($"{where}: the name mentions a secret");
            }

            if (SecretWord().IsMatch(words) || ListFunction().IsMatch(words) || securedParameters.Any(p => words.Contains(p, StringComparison.Ordinal)))
            {
                leaks.Add($"{where}: {value}");
            }
        }

        Assert.True(leaks.Count == 0, "outputs that may carry secrets (they land in .azure/<env>/.env and the deployment history):\n" + string.Join('\n', leaks));
    }

    [GeneratedRegex(@"resourceId\('Microsoft\.(?!Resources/resourceGroups)\w+/\w+")]
    private static partial Regex ResourceScope();

    [GeneratedRegex(@"'Microsoft\.[A-Za-z]+/[^']*'")]
    private static partial Regex ResourceType();

    [GeneratedRegex("key|secret|password|connectionstring|sas", RegexOptions.IgnoreCase)]
    private static partial Regex SecretWord();

    [GeneratedRegex(@"\blist\w*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();
}
