using System.Text.Json;

namespace Receptionist.Deploy.Tests;

/// <summary>The container app as Twilio, ACS and the owners' browsers reach it.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class ContainerAppTests(CompiledInfra infra)
{
    private ArmTemplate Module => infra.Template.Module("app");

    private JsonElement App => Module.OnlyResource("Microsoft.App/containerApps");

    private JsonElement Container => App.Path("properties", "template", "containers", "0");

    [Fact]
    public void Ingress_WebSockets_PassThroughOverHttp1()
    {
        var ingress = App.Path("properties", "configuration", "ingress");
        Assert.True(ingress.GetProperty("external").GetBoolean(), "Twilio and ACS must reach the app from the internet");
        // WebSockets (ConversationRelay, media streams) are an HTTP/1.1 upgrade: "http2" would break them.
        Assert.Equal("http", ingress.GetProperty("transport").GetString());
        Assert.False(ingress.GetProperty("allowInsecure").GetBoolean(), "plain http must redirect to https (signatures are checked against https URLs)");
        Assert.Equal("8080", Module.Resolve(ingress.GetProperty("targetPort")));
    }

    [Fact]
    public void Probes_HealthEndpoints_AreTheAppsOwn()
    {
        var probes = Container.GetProperty("probes").EnumerateArray().ToDictionary(p => p.GetProperty("type").GetString()!, p => p);
        Assert.True(probes.ContainsKey("Liveness") && probes.ContainsKey("Readiness"), "liveness and readiness probes expected, found: " + string.Join(", ", probes.Keys));
        Assert.Equal("/healthz", probes["Liveness"].Path("httpGet", "path").GetString());
        // Readiness is /readyz (storage reachable, prompts loaded) once the real image runs; the placeholder has only /healthz.
        var readiness = Module.Resolve(probes["Readiness"].Path("httpGet", "path"));
        Assert.Contains("'/readyz'", readiness, StringComparison.Ordinal);
        foreach (var probe in probes.Values)
        {
            Assert.Equal("8080", Module.Resolve(probe.Path("httpGet", "port")));
        }
    }

    [Fact]
    public void Scale_Defaults_AreOneToFiveReplicasOnHttpConcurrency()
    {
        var main = infra.Template.Parameters;
        Assert.Equal(1, main.Path("minReplicas", "defaultValue").GetInt32());
        Assert.Equal(5, main.Path("maxReplicas", "defaultValue").GetInt32());
        Assert.Equal(50, main.Path("httpConcurrentRequests", "defaultValue").GetInt32());
        var scale = App.Path("properties", "template", "scale");
        Assert.Equal("[parameters('minReplicas')]", Module.Resolve(scale.GetProperty("minReplicas")));
        Assert.Equal("[parameters('maxReplicas')]", Module.Resolve(scale.GetProperty("maxReplicas")));
        var rule = scale.GetProperty("rules").EnumerateArray().Single();
        Assert.Equal("[string(parameters('concurrentRequests'))]", rule.Path("http", "metadata", "concurrentRequests").GetString());
        Assert.Equal("[parameters('httpConcurrentRequests')]", Module.Argument("concurrentRequests").GetString());
    }

    [Fact]
    public void Identity_UserAssigned_IsUsedForTheAppAndItsImage()
    {
        Assert.Equal("UserAssigned", App.Text("identity", "type"));
        var registry = App.Path("properties", "configuration", "registries").EnumerateArray().Single();
        Assert.Equal("[parameters('identityId')]", registry.GetProperty("identity").GetString());
        Assert.Contains("'identity').outputs.id.value", Module.Resolve(registry.GetProperty("identity")), StringComparison.Ordinal);
        Assert.Contains("'registry').outputs.loginServer.value", Module.Resolve(registry.GetProperty("server")), StringComparison.Ordinal);
        Assert.False(registry.TryGetProperty("passwordSecretRef", out _), "no registry password");
    }

    [Fact]
    public void Environment_ApplicationInsights_IsASecretReference()
    {
        var env = Container.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e);
        var ai = env["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        Assert.False(ai.TryGetProperty("value", out _), "the connection string must not be a plain environment value");
        var secretName = ai.GetProperty("secretRef").GetString();
        var secret = App.Path("properties", "configuration", "secrets").EnumerateArray().Single(s => s.GetProperty("name").GetString() == secretName);
        var value = secret.GetProperty("value").GetString()!;
        var source = System.Text.RegularExpressions.Regex.Match(value, @"^\[reference\('(\w+)'\)\.ConnectionString\]$");
        Assert.True(source.Success, $"the secret should be an Application Insights connection string, is {value}");
        Assert.Equal("Microsoft.Insights/components", ArmTemplate.Type(Module.Resources.Single(r => r.Key == source.Groups[1].Value).Resource));
    }

    [Fact]
    public void Environment_Settings_AreWiredToTheirResources()
    {
        var env = Container.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e);
        // The app reads exactly these names; each must come from the resource that provides it.
        var expected = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["AZURE_CLIENT_ID"] = "'identity').outputs.clientId.value",
            ["Storage__TableEndpoint"] = "'storage').outputs.tableEndpoint.value",
            ["Storage__QueueEndpoint"] = "'storage').outputs.queueEndpoint.value",
            ["Storage__BlobEndpoint"] = "'storage').outputs.blobEndpoint.value",
            ["KeyVault__Uri"] = "'vault').outputs.vaultUri.value",
            ["OpenAI__Endpoint"] = "'ai').outputs.openAiEndpoint.value",
            ["OpenAI__Deployment"] = "'ai').outputs.deploymentName.value",
            ["Speech__Endpoint"] = "'ai').outputs.endpoint.value",
            ["Speech__ResourceId"] = "'ai').outputs.id.value", // with the endpoint: Entra ID (never Region too: one or the other)
            ["Acs__Endpoint"] = "'communication').outputs.endpoint.value",
            ["Acs__CognitiveServicesEndpoint"] = "'ai').outputs.endpoint.value",
            ["Acs__ResourceId"] = "'communication').outputs.immutableResourceId.value",
            ["Twilio__AccountSid"] = "parameters('twilioAccountSid')",
            ["PublicBaseUrl"] = ".defaultDomain",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        };
        var wrong = new List<string>();
        foreach (var (name, source) in expected)
        {
            if (!env.TryGetValue(name, out var variable) || !variable.TryGetProperty("value", out var value))
            {
                wrong.Add($"{name}: missing");
                continue;
            }

            var resolved = Module.Resolve(value);
            if (!resolved.Contains(source, StringComparison.Ordinal))
            {
                wrong.Add($"{name}: {resolved} (expected it to come from {source})");
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void PublicBaseUrl_AppHostName_IsComputedWithoutACycle()
    {
        // The app's own URL (Twilio signs requests for it) cannot come from the app's fqdn while the app is being created:
        // it is https://<app name>.<environment default domain>.
        var env = Container.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "PublicBaseUrl");
        var url = Module.Resolve(env.GetProperty("value"));
        Assert.StartsWith("[format('https://{0}.{1}', parameters('appName'), reference('env').defaultDomain)]", url, StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_AzdServiceName_MatchesAzureYaml()
    {
        var tags = App.GetProperty("tags").GetString()!;
        Assert.Contains("'azd-service-name', parameters('serviceName')", tags, StringComparison.Ordinal);
        Assert.Equal(AzureYaml.Load().ServiceNames.Single(), infra.Template.Resolve(Module.Argument("serviceName")));
    }
}
