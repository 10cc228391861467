using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Receptionist.Cloud.Emulator;
using Receptionist.Host.Acs;
using Receptionist.Telephony.Acs;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Acs;

/// <summary>
/// When things go wrong on an ACS call: storage stalls mid-call (the test's own Azurite is stopped with SIGSTOP), ACS
/// refuses a request, ACS never reports that a goodbye has played. The caller is never left in silence.
/// </summary>
public sealed class AcsFailureTests : IAsyncLifetime
{
    private const string Open = "2026-11-23T10:00:00-05:00";
    private AzuriteProcess _azurite = null!;

    public async Task InitializeAsync()
    {
        var root = AzuriteProcess.FindRepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Azurite is not installed (npm ci).");
        _azurite = await AzuriteProcess.StartAsync(root, null, (0, 0, 0), TimeSpan.FromSeconds(60), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Signal("CONT");
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Turn_StorageStalled_CallerHearsWhyAndIsPutThroughToTheBusiness()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["Calls:TurnBudgetSeconds"] = "1" });
        var acs = new AcsTestCalls(app);
        var (_, callback, connection) = await acs.ConnectedAsync();

        Signal("STOP");
        try
        {
            using var response = await acs.Acs.PostCallbackAsync(callback, AcsTestCalls.Recognized(connection, "t0", "I'd like a cleaning"), CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await AcsTestCalls.WaitForAsync(() => acs.Requests(connection, ":transferToParticipant").Count == 1);
        }
        finally
        {
            Signal("CONT");
        }

        var apology = Assert.Single(acs.Requests(connection, ":play"));
        Assert.Contains("put you through", apology.Body, StringComparison.Ordinal);
        Assert.Equal("4:+15550109999", (string?)JsonNode.Parse(acs.Requests(connection, ":transferToParticipant")[0].Body)!["targetParticipant"]!["rawId"]);
    }

    [Fact]
    public async Task Turn_AcsRefusesTheNextQuestion_CallerHearsAnApologyAndTheCallEnds()
    {
        await using var app = await StartAsync(services: s => s.AddSingleton<AcsCallClient>(sp => new RefusingClient(sp.GetRequiredService<IOptions<AcsOptions>>().Value)));
        var simulator = app.Simulator("acs");

        var call = await simulator.RunAsync(TestTenants.DentistNumber, TestTenants.Caller, new ScriptedCaller(["I'd like a cleaning"]), CancellationToken.None);

        Assert.True(call.Ended);
        Assert.Contains("technical difficulty", call.Turns[^1].Text, StringComparison.Ordinal);
        Assert.Contains(app.Acs!.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Goodbye_PlayCompletedNeverComes_HungUpAfterTheTimeout()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["Acs:PlayTimeoutSeconds"] = "1" }, playCompleted: false);
        var simulator = app.Simulator("acs");
        var watch = Stopwatch.StartNew();

        var call = await simulator.RunAsync(TestTenants.DentistNumber, TestTenants.Caller, new ScriptedCaller(["that's all, goodbye"]), CancellationToken.None);

        Assert.True(call.Ended);
        Assert.Contains(app.Acs!.Requests, r => r.Method == "DELETE");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), "hung up before the timeout");
    }

    private async Task<AppHost> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool playCompleted = true)
    {
        var app = await AppHost.StartAsync(_azurite.ConnectionString, Open, settings: settings, services: services, acs: true, acsPlayCompleted: playCompleted);
        await app.ImportTenantsAsync(TestTenants.Dentist);
        return app;
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_azurite.ProcessId}") { UseShellExecute = false })!;
        kill.WaitForExit(5000);
    }

    /// <summary>ACS as it is when it refuses every recognize after the greeting's (say, the call broke on its side).</summary>
    private sealed class RefusingClient(AcsOptions options) : AcsCallClient(options.Connection(), null)
    {
        public override Task RecognizeAsync(string callConnectionId, AcsRecognizeRequest request, Guid repeatability, CancellationToken ct) =>
            request.OperationContext == "t0"
                ? base.RecognizeAsync(callConnectionId, request, repeatability, ct)
                : throw new RequestFailedException(400, "Action failed.", "8523", null);
    }
}
