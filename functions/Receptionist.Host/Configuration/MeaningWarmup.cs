using Receptionist.Core.Understanding;

namespace Receptionist.Host.Configuration;

/// <summary>Warms the sentence model before the app takes calls: its first use and the lexicon's example sentences take
/// a few seconds, longer than a turn's budget, so they are paid at start-up (once per process); /readyz says 503 until
/// then.</summary>
public sealed class MeaningWarmup(RuleUnderstanding rules) : IHostedService
{
    private volatile bool _warm;

    public bool IsWarm => _warm;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.Run(rules.Warm, cancellationToken);
        _warm = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
