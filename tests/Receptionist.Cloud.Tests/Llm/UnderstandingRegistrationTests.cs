using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Receptionist.Cloud.Llm;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using Receptionist.Host.Configuration;

namespace Receptionist.Cloud.Tests.Llm;

/// <summary>Receptionist.Host's <see cref="UnderstandingRegistration"/> in a started host: the configured key and deployment
/// reach the endpoint, and a bad "OpenAI" section stops the start naming the setting. (The basic rules-vs-LLM choice is
/// covered in Receptionist.Host.Tests/Configuration/UnderstandingRegistrationTests.)</summary>
public sealed class UnderstandingRegistrationTests
{
    private static readonly UnderstandingContext Context = new(
        Expecting.Anything, [ServiceOffering.Create("Cleaning", 60)], new DateOnly(2026, 11, 23), [], []);

    [Fact]
    public async Task AddUnderstanding_KeyButNoEndpoint_StartsOnTheRulesOnly()
    {
        using var host = Build(new Dictionary<string, string?> { ["OpenAI:ApiKey"] = "stray-key" });

        await host.StartAsync();

        Assert.IsType<RuleUnderstanding>(Assert.Single(host.Services.GetServices<IUnderstanding>()));
        await host.StopAsync();
    }

    [Fact]
    public async Task AddUnderstanding_EndpointAndKeyConfigured_SendsUnsureTurnsToThatDeploymentWithThatKey()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Script(FakeReply.Json(new Dictionary<string, object?>
        {
            ["intent"] = "Book", ["answer"] = "none", ["service"] = "Cleaning", ["topic"] = null, ["date"] = null, ["time"] = null,
            ["name"] = null, ["phone"] = null, ["preference"] = "None", ["corrects"] = false, ["choice"] = null,
        }));
        using var host = Build(new Dictionary<string, string?>
        {
            ["OpenAI:Endpoint"] = server.Endpoint.ToString(),
            ["OpenAI:Deployment"] = "front-desk",
            ["OpenAI:ApiKey"] = "configured-key-123",
        });
        await host.StartAsync();

        var understood = await host.Services.GetRequiredService<IUnderstanding>()
            .UnderstandAsync("mmm the thing, whenever Doc is free after the holiday", Context, CancellationToken.None);

        Assert.Equal("Cleaning", understood.Service);
        var request = Assert.Single(server.Requests);
        Assert.Equal("front-desk", request.Model);
        Assert.Equal("Bearer configured-key-123", request.Authorization);
        Assert.IsType<LlmUnderstanding>(Assert.Single(host.Services.GetServices<IUnderstanding>()));
        Assert.Equal(OpenAIOptions.DefaultTimeoutMilliseconds, host.Services.GetRequiredService<IOptions<OpenAIOptions>>().Value.TimeoutMilliseconds);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("my-resource.openai.azure.com")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("https://my-resource.openai.azure.com/?api-key=secret")]
    public async Task AddUnderstanding_BadEndpoint_FailsAtStartNamingOpenAIEndpoint(string endpoint)
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["OpenAI:Endpoint"] = endpoint,
            ["OpenAI:Deployment"] = "gpt-4o-mini",
            ["OpenAI:ApiKey"] = "key-123",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("OpenAI:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://r.openai.azure.com", null, "key", "1500", "OpenAI:Deployment")]
    [InlineData("https://r.openai.azure.com", "d", "key", "50", "OpenAI:TimeoutMilliseconds")]
    [InlineData("https://r.openai.azure.com", "d", "key", "20000", "OpenAI:TimeoutMilliseconds")]
    [InlineData("http://127.0.0.1:5000", "d", null, "1500", "OpenAI:ApiKey")]
    public async Task AddUnderstanding_IncompleteSection_FailsAtStartNamingTheSetting(string endpoint, string? deployment, string? key, string timeout, string setting)
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["OpenAI:Endpoint"] = endpoint,
            ["OpenAI:Deployment"] = deployment,
            ["OpenAI:ApiKey"] = key,
            ["OpenAI:TimeoutMilliseconds"] = timeout,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A host like the app's: the rules registered first, then <see cref="UnderstandingRegistration.AddUnderstanding"/>.</summary>
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IUnderstanding, RuleUnderstanding>();
        builder.Services.AddUnderstanding(builder.Configuration);
        return builder.Build();
    }
}
