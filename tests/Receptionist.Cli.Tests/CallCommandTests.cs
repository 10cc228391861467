using System.Diagnostics;

namespace Receptionist.Cli.Tests;

// Inside the namespace: `Cli` alone would name the Receptionist.Cli namespace.
using Cli = Receptionist.Cli.Commands.Cli;

/// <summary>`call` failures that need no storage: a dead URL, a bad or missing --script, bad usage.</summary>
public sealed class CallCommandTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Call_NothingListening_ExitsFailedNamingTheUrl()
    {
        var url = $"http://127.0.0.1:{CliRun.FreePort()}";

        var result = await _cli.RunAsync("call", "--to", "+15550100001", "--say", "hi", "--url", url);

        Expect.OneLineError(result, Cli.Failed, url, "--url", "./receptionist up");
    }

    [Fact]
    public async Task Call_AcsChannelNothingListening_RunsTheStandInAndExitsFailedNamingTheUrl()
    {
        var url = $"http://127.0.0.1:{CliRun.FreePort()}";
        _cli.Settings["Acs:ConnectionString"] = $"endpoint=http://127.0.0.1:{CliRun.FreePort()}/;accesskey=" + Convert.ToBase64String("a-test-access-key"u8.ToArray());
        _cli.Settings["Acs:EventGrid:Secret"] = "a-test-event-grid-secret";

        var result = await _cli.RunAsync("call", "--channel", "acs", "--to", "+15550100001", "--say", "hi", "--url", url);

        Expect.OneLineError(result, Cli.Failed, url, "./receptionist up");
    }

    [Fact]
    public async Task Call_AcsChannelRealResource_ExitsFailedNamingTheSetting()
    {
        _cli.Settings["Acs:ConnectionString"] = "endpoint=https://contoso.communication.azure.com/;accesskey=a2V5";

        var result = await _cli.RunAsync("call", "--channel", "acs", "--to", "+15550100001", "--say", "hi");

        Expect.OneLineError(result, Cli.Failed, "Acs:ConnectionString", "loopback");
    }

    [Fact]
    public async Task Call_NoUrlWhileUpServes_DialsTheUrlUpNoted()
    {
        var url = $"http://127.0.0.1:{CliRun.FreePort()}";
        new RunningApp(url, Environment.ProcessId).Write(_cli.Root);

        var result = await _cli.RunAsync("call", "--to", "+15550100001", "--say", "hi");

        Expect.OneLineError(result, Cli.Failed, url, RunningApp.RelativePath);
    }

    [Fact]
    public async Task AppUrl_NoteOfAnExitedUp_IsIgnored()
    {
        new RunningApp("http://127.0.0.1:7181", await ExitedProcessIdAsync()).Write(_cli.Root);

        var (url, source) = _cli.Environment().AppUrl(null);

        Assert.Equal(new Uri(CliEnvironment.DefaultAppUrl), url);
        Assert.Equal("the default", source);
    }

    [Fact]
    public void AppUrl_PublicBaseUrlSet_WinsOverTheNote()
    {
        new RunningApp("http://127.0.0.1:7181", Environment.ProcessId).Write(_cli.Root);
        _cli.Settings["PublicBaseUrl"] = "https://receptionist.example.com";

        var (url, _) = _cli.Environment().AppUrl(null);

        Assert.Equal(new Uri("https://receptionist.example.com"), url);
    }

    [Fact]
    public async Task Call_ScriptNotFound_ExitsFailedNamingTheFile()
    {
        var missing = Path.Combine(_cli.Root, "no-such-script.json");

        var result = await _cli.RunAsync("call", "--calls", "2", "--script", missing, "--url", $"http://127.0.0.1:{CliRun.FreePort()}");

        Expect.OneLineError(result, Cli.Failed, missing, "not found");
    }

    [Theory]
    [InlineData("{\"to\": \"+15550100001\", \"say\": [\"hi\"")]
    [InlineData("{\"to\": \"+15550100001\", \"say\": \"hi\"}")]
    [InlineData("not json at all")]
    public async Task Call_ScriptMalformed_ExitsFailedNamingTheFile(string json)
    {
        var file = Path.Combine(_cli.Root, "bad-script.json");
        await File.WriteAllTextAsync(file, json);

        var result = await _cli.RunAsync("call", "--calls", "2", "--script", file, "--url", $"http://127.0.0.1:{CliRun.FreePort()}");

        Expect.OneLineError(result, Cli.Failed, file, "not a valid script");
    }

    [Fact]
    public async Task Call_CallsWithoutScript_ExitsUsage()
    {
        var result = await _cli.RunAsync("call", "--calls", "2");

        Expect.OneLineError(result, Cli.Usage, "--script");
    }

    [Fact]
    public async Task Call_UrlNotAbsolute_ExitsUsageNamingIt()
    {
        var result = await _cli.RunAsync("call", "--to", "+15550100001", "--say", "hi", "--url", "localhost-7071");

        Expect.OneLineError(result, Cli.Usage, "--url", "localhost-7071");
    }

    [Fact]
    public async Task Call_ThinkOutOfRange_ExitsUsageNamingTheValue()
    {
        var result = await _cli.RunAsync("call", "--to", "+15550100001", "--think", "61");

        Expect.OneLineError(result, Cli.Usage, "--think", "61");
    }

    [Fact]
    public async Task Cli_UnknownOption_ExitsUsageInOneLine()
    {
        var result = await _cli.RunAsync("tenants", "list", "--bogus");

        Expect.OneLineError(result, Cli.Usage, "--bogus", "./receptionist tenants list --help");
    }

    [Fact]
    public async Task Cli_PortNotANumber_ExitsUsageInOneLine()
    {
        var result = await _cli.RunAsync("up", "--port", "seventy");

        Expect.OneLineError(result, Cli.Usage, "seventy");
    }

    [Fact]
    public async Task Program_PortOutOfRange_ExitsUsageFromTheBuiltCommand()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "receptionist.dll"));
        foreach (var arg in new[] { "up", "--port", "99999" })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["RECEPTIONIST_ROOT"] = _cli.Root;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CliRun.Bound);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Expect.OneLineError(new CliResult(process.ExitCode, await stdout, await stderr), Cli.Usage, "99999");
    }

    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("sh", "-c true") { UseShellExecute = false })!;
        await process.WaitForExitAsync().WaitAsync(CliRun.Bound);
        return process.Id;
    }
}
