using Receptionist.Host.Acs;

namespace Receptionist.Host.Tests.Acs;

public sealed class AcsOptionsValidatorTests
{
    private const string Connection = "endpoint=https://contoso.communication.azure.com/;accesskey=a2V5LWtleS1rZXk=";
    private const string Ai = "https://contoso-ai.cognitiveservices.azure.com/";

    [Fact]
    public void Validate_NotConfigured_Succeeds() => Assert.True(new AcsOptionsValidator().Validate(null, new AcsOptions()).Succeeded);

    [Fact]
    public void Validate_ConnectionAndEventGridSecret_Succeeds() =>
        Assert.True(new AcsOptionsValidator().Validate(null, new AcsOptions { ConnectionString = Connection, CognitiveServicesEndpoint = Ai, EventGrid = { Secret = "0123456789abcdef" } }).Succeeded);

    [Theory]
    [InlineData("endpoint=http://contoso.communication.azure.com/;accesskey=a2V5", "Acs:ConnectionString")]
    [InlineData("accesskey=a2V5", "Acs:ConnectionString")]
    public void Validate_BadConnection_NamesTheSetting(string connection, string setting) =>
        Assert.Contains(setting, Failures(new AcsOptions { ConnectionString = connection, EventGrid = { Secret = "0123456789abcdef" } }));

    [Fact]
    public void Validate_NoAiServices_NamesIt() =>
        Assert.Contains("Acs:CognitiveServicesEndpoint", Failures(new AcsOptions { ConnectionString = Connection, EventGrid = { Secret = "0123456789abcdef" } }));

    [Fact]
    public void Validate_NoEventGridAuthentication_NamesIt() =>
        Assert.Contains("Acs:EventGrid", Failures(new AcsOptions { ConnectionString = Connection }));

    [Fact]
    public void Validate_EntraWithoutCallbackSecret_NamesIt() =>
        Assert.Contains("Acs:CallbackSecret", Failures(new AcsOptions { Endpoint = "https://contoso.communication.azure.com/", EventGrid = { Secret = "0123456789abcdef" } }));

    [Fact]
    public void Validate_ResourceIdNotAGuid_NamesIt() =>
        Assert.Contains("Acs:ResourceId", Failures(new AcsOptions { ConnectionString = Connection, ResourceId = "my-resource", EventGrid = { Secret = "0123456789abcdef" } }));

    [Fact]
    public void Validate_AudienceWithoutTenant_NamesIt() =>
        Assert.Contains("Acs:EventGrid:TenantId", Failures(new AcsOptions { ConnectionString = Connection, EventGrid = { Audience = "api://receptionist" } }));

    [Fact]
    public void Validate_ShortSecret_NamesIt() =>
        Assert.Contains("Acs:EventGrid:Secret", Failures(new AcsOptions { ConnectionString = Connection, EventGrid = { Secret = "short" } }));

    private static string Failures(AcsOptions options)
    {
        var result = new AcsOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        return result.FailureMessage;
    }
}
