using System.Text.Json;
using Receptionist.Cloud.Tables;
using Receptionist.Testing;

namespace Receptionist.Cli.Tests;

using Cli = Receptionist.Cli.Commands.Cli;

/// <summary>`bench owners`: seeding lands the counts asked for (once, however often it runs), and the measuring part
/// reaches every route. Timing is the benchmark's to report, never asserted here.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BenchCommandTests(AzuriteFixture azurite) : IDisposable
{
    private const string Tenant = "bench-dental";

    private readonly CliRun _cli = new(azurite);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task BenchOwners_SeedOnly_WritesTheCountsOnceThroughTheStores()
    {
        var first = await _cli.RunAsync("bench", "owners", "--calls", "30", "--appointments", "25", "--requests", "0", "--json");
        var again = await _cli.RunAsync("bench", "owners", "--calls", "30", "--appointments", "25", "--requests", "0", "--json");

        Assert.True(first.ExitCode == Cli.Ok, first.ToString());
        Assert.True(again.ExitCode == Cli.Ok, again.ToString());
        var seeded = JsonDocument.Parse(first.Out).RootElement.GetProperty("seeded");
        Assert.Equal((30, 30, 25, 25, 1, 3), (seeded.GetProperty("calls").GetInt32(), seeded.GetProperty("callsWritten").GetInt32(),
            seeded.GetProperty("appointments").GetInt32(), seeded.GetProperty("appointmentsWritten").GetInt32(),
            seeded.GetProperty("cancelledAppointments").GetInt32(), seeded.GetProperty("messages").GetInt32()));
        var reseeded = JsonDocument.Parse(again.Out).RootElement.GetProperty("seeded");
        Assert.Equal((30, 0, 25, 0), (reseeded.GetProperty("calls").GetInt32(), reseeded.GetProperty("callsWritten").GetInt32(),
            reseeded.GetProperty("appointments").GetInt32(), reseeded.GetProperty("appointmentsWritten").GetInt32()));

        // What landed, read back the way the app reads it.
        var tables = _cli.Environment().Tables();
        var calls = new TableCallStore(tables);
        var listed = await calls.ListByTenantAsync(Tenant, 1000, CancellationToken.None);
        Assert.Equal(30, listed.Count);
        Assert.All(listed, c => Assert.True(c.Session.Ended, c.Session.CallId));
        Assert.True((await calls.HistoryAsync(listed[0].Session.CallId, CancellationToken.None)).Count >= 4);
        Assert.NotNull(await new TableCallReportStore(tables).GetAsync(listed[0].Session.CallId, CancellationToken.None));
        var page = await calls.PageByTenantAsync(Tenant, null, null, 25, null, CancellationToken.None);
        Assert.Equal(25, page.Calls.Count);
        Assert.NotNull(page.Continuation);
        var appointments = await new TableAppointmentStore(tables).ListAsync(Tenant, null, CancellationToken.None);
        Assert.Equal(25, appointments.Count);
        Assert.Equal(1, appointments.Count(a => a.Status == TableAppointmentStore.Cancelled));
        Assert.Equal(3, (await new TableMessageStore(tables).ListAsync(Tenant, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task BenchOwners_AgainstTheApp_EveryRouteAnswers()
    {
        var port = CliRun.FreePort();
        using var stop = new CancellationTokenSource(CliRun.Bound);
        var up = _cli.Start(["up", "--port", $"{port}", "--no-seed"], stop.Token);
        await up.WaitForOutputAsync("Press Ctrl-C", CliRun.Bound);

        var result = await _cli.RunAsync("bench", "owners", "--calls", "30", "--appointments", "10", "--requests", "3", "--url", $"http://127.0.0.1:{port}", "--json");
        await stop.CancelAsync();
        await up.Result.WaitAsync(CliRun.Bound);

        // Every request of every route had to answer 200, or the run fails naming the route.
        Assert.True(result.ExitCode == Cli.Ok, result.ToString());
        var routes = JsonDocument.Parse(result.Out).RootElement.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("path").GetString()!).ToList();
        Assert.Equal(8, routes.Count);
        Assert.Contains(routes, r => r.Contains("/calls?next=", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Contains("/calls?from=", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.StartsWith($"/t/{Tenant}/calls/CAbench", StringComparison.Ordinal));
        Assert.Contains($"/t/{Tenant}/bookings", routes);
    }

    [Fact]
    public async Task BenchOwners_NoApp_ExitsFailedBeforeSeeding()
    {
        var result = await _cli.RunAsync("bench", "owners", "--calls", "30", "--url", $"http://127.0.0.1:{CliRun.FreePort()}");

        Expect.OneLineError(result, Cli.Failed, "not reachable", "./receptionist up");
    }

    [Fact]
    public async Task BenchOwners_RequestsOutOfRange_ExitsUsage()
    {
        var result = await _cli.RunAsync("bench", "owners", "--requests", "-1");

        Expect.OneLineError(result, Cli.Usage, "--requests");
    }
}
