namespace Receptionist.Deploy.Tests;

/// <summary>ACS tells the app about incoming calls through an Event Grid subscription on its system topic. Event Grid
/// calls the endpoint to validate it while the subscription is created, so it may only be created once the app runs.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class EventGridTests(CompiledInfra infra)
{
    private ArmTemplate Module => infra.Template.Module("eventGrid");

    [Fact]
    public void Subscription_FirstProvision_IsNotCreated()
    {
        // On the first `azd up` provisioning runs before the app exists: the validation handshake would fail.
        Assert.False(infra.Template.Parameters.Path("deployEventSubscription", "defaultValue").GetBoolean());
        var subscribe = Module.Argument("subscribe").GetString()!;
        Assert.Contains("parameters('deployEventSubscription')", subscribe, StringComparison.Ordinal);
        Assert.Contains("'app').outputs.deployed.value", subscribe, StringComparison.Ordinal);
        var subscription = Module.OnlyResource("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        Assert.Equal("[parameters('subscribe')]", subscription.GetProperty("condition").GetString());
    }

    [Fact]
    public void Subscription_IncomingCall_GoesToAcsEventsWithTheSecret()
    {
        var topic = Module.OnlyResource("Microsoft.EventGrid/systemTopics");
        Assert.Equal("Microsoft.Communication.CommunicationServices", topic.Path("properties", "topicType").GetString());
        var subscription = Module.OnlyResource("Microsoft.EventGrid/systemTopics/eventSubscriptions").GetProperty("properties");
        Assert.Equal(["Microsoft.Communication.IncomingCall"], subscription.Path("filter", "includedEventTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("EventGridSchema", subscription.GetProperty("eventDeliverySchema").GetString());
        Assert.Equal("WebHook", subscription.Path("destination", "endpointType").GetString());
        Assert.Equal("[parameters('endpointUrl')]", subscription.Path("destination", "properties", "endpointUrl").GetString());
        // The URL carries the secret: a secure parameter, so it stays out of the deployment history.
        Assert.Equal("securestring", Module.Parameters.Path("endpointUrl", "type").GetString());
        var url = Module.Argument("endpointUrl").GetString()!;
        Assert.Contains("/acs/events?code={1}", url, StringComparison.Ordinal);
        Assert.Contains("uriComponent(parameters('eventGridSecret'))", url, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_AcsEventsUrl_HasNoCode()
    {
        var url = infra.Template.Outputs.Path("ACS_EVENTS_URL", "value").GetString()!;
        Assert.EndsWith("/acs/events', reference('app').outputs.uri.value)]", url, StringComparison.Ordinal);
        Assert.DoesNotContain("code", url, StringComparison.OrdinalIgnoreCase);
    }
}
