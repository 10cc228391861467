using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using Receptionist.Cloud.Emulator;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Notifications;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;
using Xunit.Abstractions;

namespace Receptionist.Host.Tests.Chaos;

/// <summary>
/// The real app as its own process on real Azurite, killed with SIGKILL while many callers' "yes" (to book, cancel or
/// move) are in flight, then restarted; Twilio redelivers every unanswered turn. Afterwards: locks equal live
/// appointments, every caller whose call says booked/cancelled/moved has exactly that, and nothing else changed.
/// </summary>
public sealed class KillRestartTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int Callers = 12;
    private static readonly Tenant Dentist = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true).Tenants[0].Tenant;
    private static readonly DateOnly Tuesday = new(2026, 11, 24);
    private readonly string _prefix = AzuriteFixture.NewPrefix();
    private AzuriteProcess _azurite = null!;
    private TableSet _tables = null!;
    private Process? _app;
    private const string ListeningOn = "Now listening on: ";
    private HttpClient? _http;
    private readonly Dictionary<string, string> _settings = [];
    private System.Collections.Concurrent.ConcurrentQueue<string> _said = new(); // the running app's last lines

    public enum Change
    {
        Book,
        Cancel,
        Move,
    }

    public async Task InitializeAsync()
    {
        var root = AzuriteProcess.FindRepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Azurite is not installed (npm ci).");
        _azurite = await AzuriteProcess.StartAsync(root, null, (0, 0, 0), TimeSpan.FromSeconds(60), CancellationToken.None);
        _tables = new TableSet(ReceptionistHost.CreateTableService(_azurite.ConnectionString), _prefix);
        await _tables.EnsureCreatedAsync(CancellationToken.None);
        var parsed = TenantParser.Parse("t.json", TestTenants.Dentist, _ => true);
        await new TableTenantStore(_tables).ImportAsync(parsed.Tenants, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Kill();
        await _azurite.DisposeAsync();
    }

    public void Dispose() => _http?.Dispose();

    [Theory]
    [InlineData(Change.Book, 15)]
    [InlineData(Change.Book, 60)]
    [InlineData(Change.Cancel, 30)]
    [InlineData(Change.Move, 30)]
    public async Task Yes_AppKilledWhileConfirmationsAreInFlight_EveryCallerGetsExactlyWhatTheyWereToldAfterRestart(Change change, int killAfterMs)
    {
        var store = new TableAppointmentStore(_tables);
        var now = DateTimeOffset.Parse("2026-11-23T10:00:00-05:00", CultureInfo.InvariantCulture);
        var calls = Enumerable.Range(0, Callers).Select(i => (Sid: "CA" + i.ToString("x32", CultureInfo.InvariantCulture), Phone: "+1555765" + (4300 + i).ToString(CultureInfo.InvariantCulture), Slot: Slot(i))).ToList();
        if (change != Change.Book)
        {
            foreach (var c in calls)
            {
                var booked = await store.ReserveAsync(new BookingRequest("bright-smiles", "seed-" + c.Sid, "Checkup", 30, Tuesday, c.Slot, Dentist.AtLocal(Tuesday, c.Slot), "Sam Lee", c.Phone), now, CancellationToken.None);
                Assert.NotNull(booked);
            }
        }

        await StartAppAsync();
        await KillDuringYesAsync(calls, change, killAfterMs);

        var state = new TableCallStore(_tables);
        await CalendarInvariants.AssertAsync(_tables, Dentist, allowHolds: false, $"{change} after kill at {killAfterMs} ms");
        var all = await store.ListAsync("bright-smiles", null, CancellationToken.None);
        foreach (var c in calls)
        {
            var record = (await state.GetAsync(c.Sid, CancellationToken.None))!.Record;
            var live = all.Where(a => a.Status == TableAppointmentStore.Booked && a.CallerPhone == c.Phone).ToList();
            switch (change)
            {
                case Change.Book:
                    Assert.Equal(CallOutcome.Booked, record.Session.Outcome);
                    Assert.Equal(record.Session.AppointmentId, Assert.Single(live).Id);
                    break;
                case Change.Cancel:
                    Assert.Equal(CallOutcome.Cancelled, record.Session.Outcome);
                    Assert.Empty(live);
                    break;
                default:
                    Assert.Equal(CallOutcome.Rescheduled, record.Session.Outcome);
                    Assert.Equal(new DateOnly(2026, 11, 26), DateOnly.FromDateTime(Assert.Single(live).Start.DateTime));
                    break;
            }
        }
    }

    [Fact]
    public async Task Yes_AppKilledBeforeTheConfirmationsGoOut_EachCallerGetsExactlyOneAfterRestart()
    {
        // Twilio is down while the callers book and the app dies, so no confirmation can have gone out before the kill;
        // the workflows started before it must finish after the restart, each once.
        await using var twilio = await Telephony.Twilio.Simulation.TwilioRestStandIn.StartAsync(accountSid: AppHost.AccountSid, authToken: AppHost.AuthToken);
        twilio.Unavailable = true;
        _settings["Twilio__AccountSid"] = AppHost.AccountSid;
        _settings["Twilio__ApiBaseUrl"] = twilio.ApiBaseUrl;
        _settings["Workflows__LeaseSeconds"] = "10";
        _settings["Workflows__SmsFirstRetrySeconds"] = "0.5";
        _settings["Workflows__SmsMaxRetrySeconds"] = "1";
        _settings["Workflows__SmsMaxAttempts"] = "20";
        var calls = Enumerable.Range(0, Callers).Select(i => (Sid: "CA" + (0x100 + i).ToString("x32", CultureInfo.InvariantCulture), Phone: "+1555765" + (4400 + i).ToString(CultureInfo.InvariantCulture), Slot: Slot(i))).ToList();

        await StartAppAsync();
        // 3 s: the bookings are answered and their workflows have tried Twilio (and been refused) when the app dies.
        await KillDuringYesAsync(calls, Change.Book, killAfterMs: 3000, beforeRestart: () =>
        {
            Assert.True(twilio.Requests.Count > 0, "no workflow had tried Twilio before the kill");
            twilio.Unavailable = false;
        });

        // The restarted worker takes the dead one's work over (Recovery: 30 s with 10-s leases), and a text whose attempt
        // died with the app is tried again once that attempt's hold lapses (ClaimFor, 60 s; the restarted app's clock starts
        // at Clock:Now again, so a hold taken just before the kill runs on for that long after the restart); then a minute
        // for the look that finds it lapsed, on a loaded machine.
        var restarted = Stopwatch.StartNew();
        var bound = Receptionist.Cloud.Workflows.WorkflowEngine.Recovery(new Receptionist.Cloud.Workflows.WorkflowOptions { LeaseSeconds = 10 })
            + Receptionist.Cloud.Workflows.SendActivity.ClaimFor + TimeSpan.FromSeconds(60);
        var until = DateTime.UtcNow + bound;
        while (twilio.Messages.Select(m => m.To).Distinct().Count() < Callers && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // time for a duplicate to show
        var messages = twilio.Messages;
        output.WriteLine($"{messages.Count} confirmations for {Callers} bookings, the last {restarted.Elapsed.TotalSeconds - 3:0} s after the restart; {twilio.Requests.Count} requests to Twilio in all");
        foreach (var n in (await new TableNotificationStore(_tables).ListAsync("bright-smiles", CancellationToken.None)).Where(n => n.Kind == NotificationKinds.Booked && !messages.Any(m => m.To == n.To)))
        {
            output.WriteLine($"no text to {n.To}: {n.Status} after {n.Attempts} attempts, claimed until {n.ClaimedUntil:O}, updated {n.UpdatedAt:O}: {n.Detail}");
            output.WriteLine("the restarted app's last lines:\n" + string.Join("\n", _said));
        }

        Assert.Equal(calls.Select(c => c.Phone).Order(), messages.Select(m => m.To).Order());
        Assert.All(messages, m => Assert.Contains("is booked for Tuesday, November 24", m.Body, StringComparison.Ordinal));
    }

    /// <summary>Takes every caller to the read-back of <paramref name="change"/>, has them all say yes at once, kills the
    /// app <paramref name="killAfterMs"/> later, restarts it, and redelivers every "yes" as Twilio would.</summary>
    private async Task KillDuringYesAsync(List<(string Sid, string Phone, TimeOnly Slot)> calls, Change change, int killAfterMs, Action? beforeRestart = null)
    {
        foreach (var c in calls)
        {
            await PostAsync("/twilio/voice", TwilioRequests.FormFrom(c.Sid, c.Phone, ("CallStatus", "ringing")));
            var ask = change switch
            {
                Change.Book => $"Can Sam Lee get a checkup Tuesday at {Spoken(c.Slot)}?",
                Change.Cancel => "I need to cancel my appointment",
                _ => $"Can I move my checkup to Thursday at {Spoken(c.Slot)}?",
            };
            var readBack = await PostAsync("/twilio/voice/gather?turn=1", TwilioRequests.FormFrom(c.Sid, c.Phone, ("SpeechResult", ask)));
            Assert.True(string.Concat(readBack.Descendants("Say").Select(s => s.Value)).Contains('?', StringComparison.Ordinal), $"{c.Sid}: no read-back in {readBack}");
        }

        var state = new TableCallStore(_tables);
        foreach (var c in calls)
        {
            var s = (await state.GetAsync(c.Sid, CancellationToken.None))!.Record.Session.State;
            Assert.True(s is ConversationState.Confirm or ConversationState.ConfirmCancel, $"{c.Sid} is at {s}, not a read-back");
        }

        // Every caller says yes at once; the app dies mid-way.
        var inFlight = calls.Select(c => TryPostAsync("/twilio/voice/gather?turn=2", TwilioRequests.FormFrom(c.Sid, c.Phone, ("SpeechResult", "yes")))).ToList();
        await Task.Delay(killAfterMs);
        Kill();
        var first = await Task.WhenAll(inFlight);
        output.WriteLine($"{change}, killed after {killAfterMs} ms: {first.Count(r => r is not null)} of {Callers} answered before the kill");

        // Restarted; Twilio redelivers what was not answered (and, to be sure, what was).
        beforeRestart?.Invoke();
        await StartAppAsync();
        foreach (var c in calls)
        {
            await PostAsync("/twilio/voice/gather?turn=2", TwilioRequests.FormFrom(c.Sid, c.Phone, ("SpeechResult", "yes")));
        }
    }

    /// <summary>Tuesday 09:00, 09:30, … (12 half-hour checkups fit the dentist's split Tuesday); Thursday has them too.</summary>
    private static TimeOnly Slot(int i) => i < 6 ? new TimeOnly(9, 0).AddMinutes(30 * i) : new TimeOnly(13, 0).AddMinutes(30 * (i - 6));

    private static string Spoken(TimeOnly t) => t.ToString(t.Minute == 0 ? "h tt" : "h:mm tt", CultureInfo.InvariantCulture).ToLowerInvariant();

    private async Task StartAppAsync()
    {
        var dir = AppContext.BaseDirectory;
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetTempPath(), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(dir, "Receptionist.Host.dll"));
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0"); // the app picks a free port and says which: no race with other tests' servers
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["Storage__ConnectionString"] = _azurite.ConnectionString;
        psi.Environment["Storage__TablePrefix"] = _prefix;
        psi.Environment["Twilio__AuthToken"] = AppHost.AuthToken;
        psi.Environment["Clock__Now"] = "2026-11-23T10:00:00-05:00";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in _settings)
        {
            psi.Environment[key] = value;
        }

        _app = Process.Start(psi)!;
        var said = _said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Heard(string? line)
        {
            Keep(said, line);
            var at = line?.IndexOf(ListeningOn, StringComparison.Ordinal) ?? -1;
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(line![(at + ListeningOn.Length)..].Trim()));
            }
        }

        _app.OutputDataReceived += (_, e) => Heard(e.Data);
        _app.ErrorDataReceived += (_, e) => Heard(e.Data);
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
            _http?.Dispose();
            _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the app did not say where it listens within 30 s; it said: {string.Join(" | ", said)}");
        }

        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var ready = await _http.GetAsync("/readyz");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not ready yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the app did not become ready within 30 s; it said: {string.Join(" | ", said)}");
    }

    /// <summary>Keeps the app's last lines, for the message of a start that failed.</summary>
    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > 200 && lines.TryDequeue(out _))
        {
        }
    }

    private void Kill()
    {
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            _app.WaitForExit(10_000);
        }

        _app?.Dispose();
        _app = null;
    }

    private async Task<XElement?> TryPostAsync(string pathAndQuery, Dictionary<string, string> form)
    {
        try
        {
            return await PostAsync(pathAndQuery, form);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return null; // the app died under this request
        }
    }

    private async Task<XElement> PostAsync(string pathAndQuery, Dictionary<string, string> form)
    {
        using var response = await TwilioRequests.PostSignedAsync(_http!, pathAndQuery, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{pathAndQuery}: {(int)response.StatusCode} {body}");
        return XDocument.Parse(body).Root!;
    }
}
