using System.Text.RegularExpressions;

namespace Receptionist.Deploy.Tests;

/// <summary>What `azd up` writes into .azure/&lt;env&gt;/.env and what the DevOps engineer pastes into Twilio.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class OutputsTests(CompiledInfra infra)
{
    [Fact]
    public void Outputs_RegistryEndpoint_IsWhereAzdPushes()
    {
        // azd refuses to deploy a containerapp service without AZURE_CONTAINER_REGISTRY_ENDPOINT.
        Assert.Equal("[reference('registry').outputs.loginServer.value]", infra.Template.Outputs.Path("AZURE_CONTAINER_REGISTRY_ENDPOINT", "value").GetString());
    }

    [Theory]
    [InlineData("TWILIO_VOICE_WEBHOOK_URL", "IncomingCall")]
    [InlineData("TWILIO_STATUS_CALLBACK_URL", "Status")]
    [InlineData("TWILIO_SMS_WEBHOOK_URL", "InboundSms")]
    public void Outputs_TwilioWebhookUrls_AreTheAppsRoutes(string output, string handler)
    {
        // The routes as the app maps them (functions/Receptionist.Host/Twilio/TwilioEndpoints.cs).
        var source = Repository.ReadText("functions", "Receptionist.Host", "Twilio", "TwilioEndpoints.cs");
        var group = GroupRoute().Match(source);
        Assert.True(group.Success, "TwilioEndpoints.cs no longer maps a \"/twilio\" group: check the Twilio outputs of main.bicep");
        var route = Regex.Match(source, $@"group\.MapPost\(""([^""]+)"",\s*{handler}\)");
        Assert.True(route.Success, $"TwilioEndpoints.cs no longer maps {handler}: check the {output} output of main.bicep");

        var value = infra.Template.Outputs.Path(output, "value").GetString();
        Assert.Equal($"[format('{{0}}{group.Groups[1].Value}{route.Groups[1].Value}', reference('app').outputs.uri.value)]", value);
    }

    [Fact]
    public void Outputs_AppUri_IsTheIngressFqdnOverHttps()
    {
        Assert.Equal("[reference('app').outputs.uri.value]", infra.Template.Outputs.Path("SERVICE_RECEPTIONIST_URI", "value").GetString());
        var uri = infra.Template.Module("app").Outputs.Path("uri", "value").GetString();
        Assert.Equal("[format('https://{0}', reference('app').configuration.ingress.fqdn)]", uri);
    }

    [GeneratedRegex(@"MapGroup\(""(/twilio)""\)")]
    private static partial Regex GroupRoute();
}
