using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Receptionist.Host.Configuration;

namespace Receptionist.Cli.Tests;

// Inside the namespace: `Cli` alone would name the Receptionist.Cli namespace.
using Cli = Receptionist.Cli.Commands.Cli;

/// <summary>`call --mode stream` without an app: the speech stand-in it starts, the settings it needs, its flags.</summary>
public sealed class CallStreamModeTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Call_StreamModeNothingListening_RunsTheSpeechStandInAndExitsFailedNamingTheUrl()
    {
        var url = $"http://127.0.0.1:{CliRun.FreePort()}";
        _cli.Settings["Speech:Endpoint"] = $"http://127.0.0.1:{CliRun.FreePort()}/";

        var result = await _cli.RunAsync("call", "--mode", "stream", "--to", "+15550100001", "--say", "hi", "--url", url);

        Expect.OneLineError(result, Cli.Failed, url, "./receptionist up");
    }

    [Fact]
    public async Task Call_StreamModeSpeechPortTaken_ExitsFailedNamingThePort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        _cli.Settings["Speech:Endpoint"] = $"http://127.0.0.1:{port}/";

        var result = await _cli.RunAsync("call", "--mode", "stream", "--to", "+15550100001", "--say", "hi", "--url", $"http://127.0.0.1:{CliRun.FreePort()}");

        Expect.OneLineError(result, Cli.Failed, $"127.0.0.1:{port}", "call --mode stream");
    }

    [Fact]
    public async Task Call_StreamModeRealSpeechRegion_ExitsFailedNamingTheSetting()
    {
        _cli.Settings["Speech:Region"] = "eastus";

        var result = await _cli.RunAsync("call", "--mode", "stream", "--to", "+15550100001", "--say", "hi");

        Expect.OneLineError(result, Cli.Failed, "Speech:Endpoint", "Speech:Region", LocalSettings.DevelopmentSpeechEndpoint);
    }

    [Theory]
    [InlineData("--barge-in")]
    [InlineData("--play")]
    public async Task Call_StreamFlagWithoutStreamMode_ExitsUsage(string flag)
    {
        var result = await _cli.RunAsync("call", "--mode", "relay", "--to", "+15550100001", "--say", "hi", flag);

        Expect.OneLineError(result, Cli.Usage, "--mode stream");
    }

    [Fact]
    public void DevelopmentDefaults_NoSpeechSettings_PointSpeechAtTheLocalStandInWithAKey()
    {
        _cli.Environment().WithDevelopmentDefaults(out _);

        var settings = LocalSettings.Read(Path.Combine(_cli.Root, LocalSettings.FileName));
        Assert.Equal(LocalSettings.DevelopmentSpeechEndpoint, settings["Speech:Endpoint"]);
        Assert.Equal(32, settings["Speech:Key"]!.Length);
    }

    [Fact]
    public void DevelopmentDefaults_SpeechRegionSet_AddsNoStandIn()
    {
        var path = Path.Combine(_cli.Root, LocalSettings.FileName);
        File.WriteAllText(path, new JsonObject { ["Values"] = new JsonObject { ["Speech__Region"] = "eastus" } }.ToJsonString());

        _cli.Environment().WithDevelopmentDefaults(out _);

        var settings = LocalSettings.Read(path);
        Assert.False(settings.ContainsKey("Speech:Endpoint"));
        Assert.False(settings.ContainsKey("Speech:Key"));
    }
}
