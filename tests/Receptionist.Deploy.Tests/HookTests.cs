namespace Receptionist.Deploy.Tests;

/// <summary>The azd hooks (infra/hooks/*.sh) run with stand-ins for `azd` and `curl` that record what they were asked.</summary>
public sealed class HookTests : IDisposable
{
    private readonly string _bin = Path.Combine(Path.GetTempPath(), "receptionist-hooks-" + Guid.NewGuid().ToString("N"));

    public HookTests()
    {
        Directory.CreateDirectory(_bin);
        // azd: records its arguments. curl: fails until the given number of calls has been made, then succeeds.
        Script("azd", "echo \"$*\" >> \"$HOOK_LOG/azd.log\"\n");
        Script("curl", """
            n=$(( $(cat "$HOOK_LOG/curl.count" 2>/dev/null || echo 0) + 1 ))
            echo "$n" > "$HOOK_LOG/curl.count"
            echo "$*" >> "$HOOK_LOG/curl.log"
            [ "$n" -ge "${CURL_SUCCEEDS_ON:-1}" ]
            """);
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    [Fact]
    public async Task Postdeploy_AppBecomesReady_ProvisionsAgainWithTheSubscriptionOn()
    {
        var result = await RunAsync("postdeploy.sh", new() { ["CURL_SUCCEEDS_ON"] = "3" });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(3, Log("curl").Count);
        Assert.All(Log("curl"), line => Assert.EndsWith("https://receptionist.example.test/readyz", line, StringComparison.Ordinal));
        Assert.Equal(
            ["env set ACS_EVENT_SUBSCRIPTION true", "env set SERVICE_RECEPTIONIST_RESOURCE_EXISTS true", "provision --no-prompt"],
            Log("azd"));
    }

    [Fact]
    public async Task Postdeploy_AlreadySubscribed_DoesNothing()
    {
        var result = await RunAsync("postdeploy.sh", new() { ["ACS_INCOMING_CALL_SUBSCRIBED"] = "true" });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Empty(Log("azd"));
        Assert.Empty(Log("curl"));
    }

    [Fact]
    public async Task Postdeploy_SkipRequested_DoesNotSubscribe()
    {
        var result = await RunAsync("postdeploy.sh", new() { ["RECEPTIONIST_SKIP_EVENT_SUBSCRIPTION"] = "true" });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Empty(Log("azd"));
        Assert.Contains("will not be answered", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postdeploy_AppNeverReady_FailsWithoutProvisioning()
    {
        var result = await RunAsync("postdeploy.sh", new() { ["CURL_SUCCEEDS_ON"] = "1000", ["RECEPTIONIST_READY_TIMEOUT"] = "0" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(Log("azd"));
        Assert.Contains("/readyz did not answer 200", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postdeploy_NoAppUrl_FailsWithAReason()
    {
        var result = await RunAsync("postdeploy.sh", new() { ["SERVICE_RECEPTIONIST_URI"] = null });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("SERVICE_RECEPTIONIST_URI is not set", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Log("azd"));
    }

    [Fact]
    public async Task Postdown_AfterDown_ForgetsTheDeletedApp()
    {
        var result = await RunAsync("postdown.sh", []);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["env set SERVICE_RECEPTIONIST_RESOURCE_EXISTS false", "env set ACS_EVENT_SUBSCRIPTION false"], Log("azd"));
    }

    private Task<ProcessResult> RunAsync(string hook, Dictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>
        {
            ["PATH"] = _bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["HOOK_LOG"] = _bin,
            ["SERVICE_RECEPTIONIST_URI"] = "https://receptionist.example.test",
            ["RECEPTIONIST_READY_INTERVAL"] = "0",
            ["ACS_INCOMING_CALL_SUBSCRIBED"] = "false",
            ["RECEPTIONIST_SKIP_EVENT_SUBSCRIPTION"] = null,
            ["ACS_EVENT_SUBSCRIPTION"] = null,
        };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return ProcessRunner.RunAsync("sh", [Repository.PathOf("infra", "hooks", hook)], Repository.Root, variables, TimeSpan.FromSeconds(30));
    }

    private List<string> Log(string tool)
    {
        var path = Path.Combine(_bin, tool + ".log");
        return File.Exists(path) ? File.ReadAllLines(path).ToList() : [];
    }

    private void Script(string name, string body)
    {
        var path = Path.Combine(_bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
