using System.Diagnostics;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Cloud.Emulator;
using Receptionist.Core.Storage;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;
using Xunit.Abstractions;

namespace Receptionist.Host.Tests.Twilio;

/// <summary>
/// Storage stalls mid-call (the test's own Azurite process is stopped with SIGSTOP, then resumed with SIGCONT): within
/// the turn budget the caller hears "one moment" and Twilio retries the same turn once; if storage is still stalled the
/// caller is put through to the business; after storage resumes the call goes on and nothing was booked twice.
/// </summary>
public sealed class StorageStallTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";
    private AzuriteProcess _azurite = null!;
    private AppHost _app = null!;

    public async Task InitializeAsync()
    {
        var root = AzuriteProcess.FindRepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Azurite is not installed (npm ci).");
        _azurite = await AzuriteProcess.StartAsync(root, null, (0, 0, 0), TimeSpan.FromSeconds(60), CancellationToken.None);
        _app = await AppHost.StartAsync(_azurite.ConnectionString, "2026-11-23T10:00:00-05:00",
            settings: new Dictionary<string, string?> { ["Calls:TurnBudgetSeconds"] = "1" });
        await _app.ImportTenantsAsync(TestTenants.Dentist);
    }

    public async Task DisposeAsync()
    {
        Signal("CONT");
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Turn_StorageStalled_HoldsThenRetriesThenPutsTheCallerThrough()
    {
        await PostAsync("/twilio/voice", Form(("CallStatus", "ringing")));
        Signal("STOP");
        try
        {
            var watch = Stopwatch.StartNew();
            var held = await PostAsync("/twilio/voice/gather?turn=1", Form(("SpeechResult", "I'd like a cleaning")));
            var heldAfter = watch.Elapsed;
            var redirect = held.Element("Redirect")!.Value;
            watch.Restart();
            var through = await PostAsync(redirect, Form());
            var throughAfter = watch.Elapsed;
            output.WriteLine($"stalled storage: 'one moment' after {heldAfter.TotalMilliseconds:F0} ms, put through after {throughAfter.TotalMilliseconds:F0} ms more");

            Assert.Contains("One moment", held.Element("Say")!.Value, StringComparison.Ordinal);
            Assert.Equal("/twilio/voice/gather?turn=1&retry=1", redirect);
            Assert.Contains("put you through", through.Element("Say")!.Value, StringComparison.Ordinal);
            Assert.Equal("+15550109999", through.Descendants("Number").Single().Value);
        }
        finally
        {
            Signal("CONT");
        }
    }

    [Fact]
    public async Task Yes_StalledThenResumed_BooksOnceAndTheCallGoesOn()
    {
        await PostAsync("/twilio/voice", Form(("CallStatus", "ringing")));
        await PostAsync("/twilio/voice/gather?turn=1", Form(("SpeechResult", "Can Sam Lee get a cleaning tomorrow at 10?")));
        Signal("STOP");
        XElement held;
        try
        {
            held = await PostAsync("/twilio/voice/gather?turn=2", Form(("SpeechResult", "yes")));
        }
        finally
        {
            Signal("CONT");
        }

        var retried = await PostAsync(held.Element("Redirect")!.Value, Form());

        var appointments = await _app.Services.GetRequiredService<IAppointmentStore>().ListAsync("bright-smiles", null, CancellationToken.None);
        Assert.True(appointments.Count <= 1, $"{appointments.Count} appointments");
        Assert.NotEmpty(retried.Descendants("Say")); // the caller hears the stored answer or is asked again, never silence
        var call = (await _app.Services.GetRequiredService<ICallStore>().GetAsync(CallSid, CancellationToken.None))!.Record;
        Assert.False(call.Session.Ended);
        Assert.Equal(appointments.Count == 1, call.Session.AppointmentId is not null); // told the truth: booked iff stored
    }

    [Fact]
    public async Task Relay_StorageStalled_SaysOneMomentThenApologisesAndEnds()
    {
        await _app.ImportTenantsAsync(TestTenants.DentistWith("\"voice\": \"en-US-JennyNeural\"", "\"voice\": \"en-US-JennyNeural\", \"voiceMode\": \"relay\""));
        var twiml = await PostAsync("/twilio/voice", Form(("CallStatus", "ringing")));
        var url = (string)twiml.Descendants("ConversationRelay").Single().Attribute("url")!;
        await using var relay = await RelayClient.ConnectAsync(url);
        await relay.SendAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "setup", ["sessionId"] = "VX1", ["callSid"] = CallSid, ["from"] = TestTenants.Caller, ["to"] = TestTenants.DentistNumber,
        });
        await Task.Delay(200); // bound to the call before storage stalls
        Signal("STOP");
        try
        {
            var watch = Stopwatch.StartNew();
            await relay.SendAsync(new System.Text.Json.Nodes.JsonObject { ["type"] = "prompt", ["voicePrompt"] = "I'd like a cleaning", ["last"] = true });
            var holding = await relay.ReceiveAsync();
            var heldAfter = watch.Elapsed;
            var apology = await relay.ReceiveAsync();
            var end = await relay.ReceiveAsync();
            output.WriteLine($"relay, stalled storage: 'one moment' after {heldAfter.TotalMilliseconds:F0} ms, apology after {watch.Elapsed.TotalMilliseconds:F0} ms");

            Assert.Contains("One moment", (string)holding["token"]!, StringComparison.Ordinal);
            Assert.False((bool)holding["last"]!);
            Assert.Contains("technical difficulty", (string)apology["token"]!, StringComparison.Ordinal);
            Assert.Equal("end", (string)end["type"]!);
        }
        finally
        {
            Signal("CONT");
        }
    }

    [Fact]
    public async Task IncomingCall_StorageStalledForANumberNeverSeen_ApologisesWithinTheBudget()
    {
        Signal("STOP");
        try
        {
            var held = await PostAsync("/twilio/voice", Form(("CallStatus", "ringing")));
            var after = await PostAsync(held.Element("Redirect")!.Value, Form(("CallStatus", "ringing")));

            Assert.Equal("/twilio/voice?retry=1", held.Element("Redirect")!.Value);
            Assert.Contains("technical difficulty", after.Element("Say")!.Value, StringComparison.Ordinal);
            Assert.NotNull(after.Element("Hangup"));
        }
        finally
        {
            Signal("CONT");
        }
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_azurite.ProcessId}") { UseShellExecute = false })!;
        kill.WaitForExit(5000);
    }

    private static Dictionary<string, string> Form(params (string Key, string Value)[] extra) => TwilioRequests.Form(CallSid, extra);

    private async Task<XElement> PostAsync(string pathAndQuery, Dictionary<string, string> form)
    {
        using var response = await TwilioRequests.PostSignedAsync(_app.Http, pathAndQuery, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{pathAndQuery}: {(int)response.StatusCode} {body}");
        return XDocument.Parse(body).Root!;
    }
}
