using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Receptionist.Core.Storage;
using Receptionist.Core.Understanding;
using Receptionist.Testing;

namespace Receptionist.Calls.Tests;

/// <summary>What understanding a call's callers cost in LLM tokens is added up on the call, for its cost.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CallCoreUsageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        _app = await AppHost.StartAsync(azurite.ConnectionString, TestTenants.MondayMorning, services: s =>
        {
            s.RemoveAll<IUnderstanding>();
            s.AddSingleton<IUnderstanding>(new Charging());
        });
        await _app.ImportTenantsAsync(TestTenants.Dentist);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task HandleAsync_EachUnderstoodUtterance_AddsItsTokensToTheCall()
    {
        var core = _app.Services.GetRequiredService<CallCore>();
        await core.StartAsync(new CallStart("CA-tokens", "start", "twilio", TestTenants.DentistNumber, TestTenants.Caller), CancellationToken.None);

        await core.HandleAsync("CA-tokens", "e1", new CallerSaid("I'd like a cleaning", 0.9), CancellationToken.None);
        await core.HandleAsync("CA-tokens", "e2", new CallerSaid("tomorrow at 10", 0.9), CancellationToken.None);
        await core.HandleAsync("CA-tokens", "e2", new CallerSaid("tomorrow at 10", 0.9), CancellationToken.None); // redelivered: not counted again

        var call = await _app.Services.GetRequiredService<ICallStore>().GetAsync("CA-tokens", CancellationToken.None);
        Assert.Equal((2 * 120, 2 * 40), (call!.Record.LlmInputTokens, call.Record.LlmOutputTokens));
    }

    /// <summary>The rules, as if a model had been asked for each utterance and charged 120 + 40 tokens.</summary>
    private sealed class Charging : IUnderstanding
    {
        public ValueTask<Understood> UnderstandAsync(string utterance, UnderstandingContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(RuleUnderstanding.Understand(utterance, context) with { Tokens = new LlmTokens(120, 40) });
    }
}
