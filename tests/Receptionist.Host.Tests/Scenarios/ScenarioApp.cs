using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Tenants;
using Receptionist.Telephony.Speech.Simulation;
using Receptionist.Telephony.Twilio;
using Receptionist.Telephony.Twilio.Streams;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Scenarios;

/// <summary>
/// The app the scenario suite calls, one per channel or voice mode for every scenario on one emulator: started once
/// with the scenario tenants; before each call its clock is set to the call's "now" and every table a call writes is
/// emptied. Starting an app and importing the tenants for every call took more of the suite's time than the calls.
/// </summary>
internal sealed class ScenarioApp : IAsyncDisposable
{
    private ScenarioApp(AppHost host, ResettableClock clock, IReadOnlyList<Tenant> tenants, SpeechStandIn? speech)
    {
        Host = host;
        Clock = clock;
        Tenants = tenants;
        Speech = speech;
    }

    public AppHost Host { get; }

    public ResettableClock Clock { get; }

    public IReadOnlyList<Tenant> Tenants { get; }

    /// <summary>The loopback Azure Speech the "stream" app listens and speaks with; null for the other modes.</summary>
    public SpeechStandIn? Speech { get; }

    /// <summary>A simulator for this app's mode: Twilio media streams (real audio both ways) for "stream".</summary>
    public ICallSimulator Simulator(string mode) => Speech is null
        ? Host.Simulator(mode)
        : new TwilioStreamSimulator(Host.Http, Host.BaseUrl, AppHost.AuthToken, AppHost.AccountSid, Speech);

    /// <summary>The app for <paramref name="mode"/> ("gather", "relay", "stream", "acs"), ready for a call at <paramref name="now"/>.</summary>
    public static async Task<ScenarioApp> ReadyAsync(AzuriteFixture azurite, string mode, DateTimeOffset now)
    {
        var app = await azurite.SharedAsync("scenario-app:" + mode, () => StartAsync(azurite.ConnectionString, mode, now));
        await app.ResetAsync(now);
        return app;
    }

    private static async Task<ScenarioApp> StartAsync(string storage, string mode, DateTimeOffset now)
    {
        var tenantsJson = WithVoiceMode(await File.ReadAllTextAsync(Path.Combine(Scenario.Folder, "tenants.json")), mode == "acs" ? "gather" : mode);
        var clock = new ResettableClock(now);
        var speech = mode == "stream" ? await SpeechStandIn.StartAsync() : null;
        var settings = new Dictionary<string, string?> { ["Twilio:RelaySilenceSeconds"] = "2", ["Twilio:RelaySpeechMillisecondsPerCharacter"] = "0" };
        if (speech is not null)
        {
            // Silence ("" in a script) waits for the stream's silence timer: 2 s, as in relay mode.
            (settings["Speech:Endpoint"], settings["Speech:Key"], settings["Streaming:SilenceSeconds"]) = (speech.Endpoint.ToString(), speech.Key, "2");
        }

        var host = await AppHost.StartAsync(storage, now.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            settings: settings, services: s => s.AddSingleton<TimeProvider>(clock), acs: mode == "acs");
        await host.ImportTenantsAsync(tenantsJson);
        return new ScenarioApp(host, clock, TenantParser.Parse("tenants.json", tenantsJson, _ => true).Tenants.Select(t => t.Tenant).ToList(), speech);
    }

    /// <summary>Empties what calls write (calls, calendar, messages, limits, notifications, opt-outs, costs, the
    /// outbox) — the tenants, their numbers and the owners' access stay — and sets the clock.</summary>
    private async Task ResetAsync(DateTimeOffset now)
    {
        var tables = Host.Tables;
        await Task.WhenAll(tables.All.Except([tables.Tenants, tables.PhoneRoutes, tables.Access]).Select(EmptyAsync));
        Clock.Reset(now);
    }

    private static async Task EmptyAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            rows.Add(row);
        }

        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r)));
            }
        }
    }

    private static string WithVoiceMode(string tenantsJson, string mode)
    {
        var tenants = JsonNode.Parse(tenantsJson)!.AsArray();
        foreach (var tenant in tenants)
        {
            tenant!["voiceMode"] = mode;
        }

        return tenants.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (Speech is not null)
        {
            await Speech.DisposeAsync();
        }
    }
}
