using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Receptionist.Testing;

namespace Receptionist.Cli.Tests;

// Inside the namespace: `Cli` alone would name the Receptionist.Cli namespace.
using Cli = Receptionist.Cli.Commands.Cli;

[Collection(AzuriteCollection.Name)]
public sealed class UpCommandTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CliRun _cli = new(azurite);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Up_PortOutOfRange_ExitsUsageNamingThePort()
    {
        var result = await _cli.RunAsync("up", "--port", "99999");

        Expect.OneLineError(result, Cli.Usage, "--port", "99999");
    }

    [Fact]
    public async Task Up_PortInUse_ExitsFailedNamingThePort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await _cli.RunAsync("up", "--port", $"{port}", "--no-seed");

        Expect.OneLineError(result, Cli.Failed, $"127.0.0.1:{port}", "in use");
    }

    [Fact]
    public async Task Up_WrongAccountKey_ExitsFailedNamingTheKey()
    {
        _cli.Settings["Storage:ConnectionString"] = WithAccountKey(azurite.ConnectionString, Convert.ToBase64String(new byte[64]));

        var result = await _cli.RunAsync("up", "--port", $"{CliRun.FreePort()}", "--no-seed");

        Expect.OneLineError(result, Cli.Failed, "AccountKey", "refused");
        Assert.False(File.Exists(RunningApp.PathUnder(_cli.Root)), "no URL note for an app that never started");
    }

    [Fact]
    public async Task Up_AnotherPort_BannerCommandCallsThatApp()
    {
        Assert.Equal(Cli.Ok, (await ImportDentistAsync()).ExitCode);
        var port = CliRun.FreePort();
        using var stop = new CancellationTokenSource(CliRun.Bound);
        var up = _cli.Start(["up", "--port", $"{port}", "--no-seed"], stop.Token);
        await up.WaitForOutputAsync("Press Ctrl-C", CliRun.Bound);

        var suggested = up.Out.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("./receptionist call ", StringComparison.Ordinal));
        var call = await _cli.RunAsync([.. suggested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1), "--say", "no thanks"]);
        var calls = await _cli.RunAsync("calls", "list", "--tenant", "bright-smiles", "--json");
        await stop.CancelAsync();
        var stopped = await up.Result.WaitAsync(CliRun.Bound);

        Assert.DoesNotContain("--url", suggested, StringComparison.Ordinal);
        Assert.True(call.ExitCode == Cli.Ok, call.ToString());
        Assert.Equal(1, JsonDocument.Parse(calls.Out).RootElement.GetArrayLength()); // the call reached this app (its table prefix)
        Assert.Equal(Cli.Ok, stopped.ExitCode);
    }

    [Fact]
    public async Task Up_Serving_NotesItsUrlAndRemovesTheNoteWhenStopped()
    {
        var port = CliRun.FreePort();
        using var stop = new CancellationTokenSource(CliRun.Bound);
        var up = _cli.Start(["up", "--port", $"{port}", "--no-seed"], stop.Token);
        await up.WaitForOutputAsync("Press Ctrl-C", CliRun.Bound);
        var noted = RunningApp.Read(_cli.Root);
        var (dials, _) = _cli.Environment().AppUrl(null);

        await stop.CancelAsync();
        var stopped = await up.Result.WaitAsync(CliRun.Bound);

        Assert.Equal($"http://127.0.0.1:{port}", noted?.Url);
        Assert.Equal(new Uri($"http://127.0.0.1:{port}"), dials);
        Assert.Equal(Cli.Ok, stopped.ExitCode);
        Assert.False(File.Exists(RunningApp.PathUnder(_cli.Root)), "the note is removed when `up` stops");
    }

    private async Task<CliResult> ImportDentistAsync()
    {
        var file = Path.Combine(_cli.Root, "dentist.json");
        await File.WriteAllTextAsync(file, TestTenants.Dentist);
        return await _cli.RunAsync("tenants", "import", file);
    }

    internal static string WithAccountKey(string connectionString, string key) => string.Join(';', connectionString.Split(';')
        .Select(part => part.StartsWith("AccountKey=", StringComparison.Ordinal) ? "AccountKey=" + key : part));
}
