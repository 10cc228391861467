using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Receptionist.Cloud.Llm;
using Receptionist.Core.Understanding;
using Receptionist.Host.Configuration;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Configuration;

public sealed class UnderstandingRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<IUnderstanding, RuleUnderstanding>();
        services.AddUnderstanding(config);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddUnderstanding_NoOpenAIConfigured_RulesAlone()
    {
        using var provider = Build([]);

        Assert.IsType<RuleUnderstanding>(provider.GetRequiredService<IUnderstanding>());
        Assert.Single(provider.GetServices<IUnderstanding>());
    }

    [Fact]
    public void AddUnderstanding_EndpointDeploymentAndKey_RulesAssistedByTheModel()
    {
        using var provider = Build(new() { ["OpenAI:Endpoint"] = "https://example-resource.openai.azure.com", ["OpenAI:Deployment"] = "gpt-4o-mini", ["OpenAI:ApiKey"] = "k-123" });

        Assert.IsType<LlmUnderstanding>(provider.GetRequiredService<IUnderstanding>());
        Assert.Single(provider.GetServices<IUnderstanding>());
    }

    [Theory]
    [InlineData("not a url", "OpenAI:Endpoint")]
    [InlineData("http://example-resource.openai.azure.com", "OpenAI:Endpoint")]
    public void AddUnderstanding_BadEndpoint_ValidationNamesTheSetting(string endpoint, string setting)
    {
        using var provider = Build(new() { ["OpenAI:Endpoint"] = endpoint, ["OpenAI:Deployment"] = "gpt-4o-mini" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OpenAIOptions>>().Value);
        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EndpointWithoutDeployment_AppRefusesToStartNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => AppHost.StartAsync("UseDevelopmentStorage=true", TestTenants.MondayMorning,
            settings: new Dictionary<string, string?> { ["OpenAI:Endpoint"] = "https://example-resource.openai.azure.com" }));

        Assert.Contains("OpenAI:Deployment", ex.Message, StringComparison.Ordinal);
    }
}
