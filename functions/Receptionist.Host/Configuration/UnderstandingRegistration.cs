using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Receptionist.Cloud.Llm;
using Receptionist.Core.Understanding;
using Receptionist.Meaning;

namespace Receptionist.Host.Configuration;

/// <summary>Chooses how callers are understood: the offline rules, or the rules assisted by Azure OpenAI when the
/// "OpenAI" section names an endpoint.</summary>
public static class UnderstandingRegistration
{
    /// <summary>Registers <see cref="IUnderstanding"/>, replacing any earlier registration. Without OpenAI:Endpoint:
    /// <see cref="RuleUnderstanding"/> (with sentence meaning unless Understanding:Meaning is false). With it: <see cref="LlmUnderstanding"/>, its options validated at start
    /// (OpenAI:Endpoint an absolute https URL — http only for loopback —, OpenAI:Deployment required,
    /// OpenAI:TimeoutMilliseconds 100–10000; no OpenAI:ApiKey means Entra ID via DefaultAzureCredential).</summary>
    public static IServiceCollection AddUnderstanding(this IServiceCollection services, IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetSection(OpenAIOptions.Section);
        services.RemoveAll<IUnderstanding>();

        // Sentence meaning (offline MiniLM) helps the rules with what no rule foresaw; Understanding:Meaning=false turns it off.
        var encoder = config.GetValue("Understanding:Meaning", defaultValue: true) ? MiniLmSentenceEncoder.Shared : null;
        var rules = new RuleUnderstanding(Lexicon.English, encoder);
        services.RemoveAll<MeaningWarmup>();
        services.AddSingleton(new MeaningWarmup(rules));
        services.AddHostedService(sp => sp.GetRequiredService<MeaningWarmup>());
        if (string.IsNullOrWhiteSpace(section[nameof(OpenAIOptions.Endpoint)]))
        {
            services.AddSingleton<IUnderstanding>(rules);
            return services;
        }

        services.AddOptions<OpenAIOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IUnderstanding>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OpenAIOptions>>().Value;
            return new LlmUnderstanding(
                ChatClientFactory.Create(options, sp.GetService<Azure.Core.TokenCredential>()),
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<LlmUnderstanding>>(),
                rules);
        });

        // The same model writes the owner's call summaries after the call (the rules' summary when it fails). Its own
        // client: a turn's client gives up after the turn's budget (about 2.5 s), a summary may take its 10 s.
        services.RemoveAll<ICallSummaryWriter>();
        services.AddSingleton<ICallSummaryWriter>(sp =>
        {
            var turn = sp.GetRequiredService<IOptions<OpenAIOptions>>().Value;
            var summary = new OpenAIOptions
            {
                Endpoint = turn.Endpoint,
                Deployment = turn.Deployment,
                ApiKey = turn.ApiKey,
                TimeoutMilliseconds = (int)LlmSummaryWriter.DefaultTimeout.TotalMilliseconds,
            };
            return new LlmSummaryWriter(ChatClientFactory.Create(summary, sp.GetService<Azure.Core.TokenCredential>()),
                LlmSummaryWriter.DefaultTimeout, TimeProvider.System, sp.GetRequiredService<ILogger<LlmSummaryWriter>>());
        });
        return services;
    }
}
