using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Receptionist.Cloud.Tables;
using Receptionist.Core.Conversation;
using Receptionist.Core.Owners;
using Receptionist.Core.Reporting;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;

namespace Receptionist.Cli.Commands;

/// <summary>
/// `bench owners [--calls 10000] [--appointments 5000] [--requests 200] [--url URL] [--json]`: seeds a dedicated tenant
/// (<see cref="TenantId"/>) with calls (and their history, reports and messages) and appointments through the real stores
/// — idempotently: ids are deterministic, so a second run writes only what is missing — then signs in as its owner and
/// times the owners' dashboard pages and admin API list calls against the running app, one request at a time.
/// `--requests 0` only seeds.
/// </summary>
internal static partial class BenchCommand
{
    public const string TenantId = "bench-dental";
    public const string Number = "+15550100999";
    public const string OwnerEmail = "owner@bench-dental.example.com";

    /// <summary>The requirement: every measured route's p95 at or under this.</summary>
    public const double GoalP95Milliseconds = 50;

    private const int Parallelism = 16;

    /// <summary>Appointments fill the day 07:00–21:00 in 15-minute slots, day after day from today: 5,000 take 90 days.</summary>
    private const int SlotsPerDay = 56;

    private static readonly TimeOnly Opens = new(7, 0);

    /// <summary>Calls per local day, 07:00–21:00, from yesterday backwards: 10,000 take 59 days.</summary>
    private const int CallsPerDay = 170;

    private const string CallPrefix = "CAbench";
    private const string AppointmentCallPrefix = "CAbenchapt";

    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A busy group practice, open every day 07:00–21:00, booking 15-minute slots.</summary>
    public const string TenantJson = """
        { "id": "bench-dental", "name": "Bench Dental Group", "profession": "dentist",
          "phoneNumbers": ["+15550100999"], "timeZone": "America/New_York",
          "hours": { "mon": ["07:00-21:00"], "tue": ["07:00-21:00"], "wed": ["07:00-21:00"], "thu": ["07:00-21:00"],
                     "fri": ["07:00-21:00"], "sat": ["07:00-21:00"], "sun": ["07:00-21:00"] },
          "closedDates": [],
          "services": [ { "name": "Checkup", "minutes": 15, "priceMin": 60, "priceMax": 90 },
                        { "name": "Consultation", "minutes": 15, "priceMin": 40, "priceMax": 60 },
                        { "name": "Follow-up", "minutes": 15, "priceMin": 0, "priceMax": 40 },
                        { "name": "X-ray", "minutes": 15, "priceMin": 50, "priceMax": 120 },
                        { "name": "Cleaning", "minutes": 60, "priceMin": 90, "priceMax": 150 } ],
          "facts": { "address": "99 Bench Street", "parking": "Free lot behind the building" },
          "transferNumber": "+15550109997", "notifyNumber": "+15550109996",
          "subscription": "active", "language": "en-US", "voice": "en-US-JennyNeural" }
        """;

    private static readonly string[] Names =
        ["Sam Lee", "Maria Garcia", "James Smith", "Priya Patel", "Chen Wei", "Olivia Brown", "Noah Johnson", "Ava Martinez", "Liam Wilson", "Emma Davis", "Lucas Moore", "Mia Taylor"];

    private static readonly string[] QuickServices = ["Checkup", "Consultation", "Follow-up", "X-ray"];

    public static Command Create(Func<CliEnvironment> environment)
    {
        var calls = new Option<int>("--calls") { Description = "Calls the bench tenant should have (seeded when missing).", DefaultValueFactory = _ => 10_000 };
        Cli.Between(calls, 0, 1_000_000);
        var appointments = new Option<int>("--appointments") { Description = "Appointments it should have, from today on.", DefaultValueFactory = _ => 5_000 };
        Cli.Between(appointments, 0, 200_000);
        var requests = new Option<int>("--requests") { Description = "Timed requests per route, one at a time (0: only seed).", DefaultValueFactory = _ => 200 };
        Cli.Between(requests, 0, 100_000);
        var url = new Option<string?>("--url") { Description = "The app's base URL (default: PublicBaseUrl, else the running `up`, else http://127.0.0.1:7071)." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var owners = new Command("owners", $"Seed {TenantId} and time the owners' dashboard pages and admin API list calls (p50/p95/p99/max).")
        {
            calls, appointments, requests, url, json,
        };
        owners.SetAction((parse, ct) => Owners(environment(), parse.GetValue(calls), parse.GetValue(appointments), parse.GetValue(requests), parse.GetValue(url),
            parse.GetValue(json), ct));
        var streams = new Option<int>("--streams") { Description = "Calls heard at once.", DefaultValueFactory = _ => 200 };
        Cli.Between(streams, 1, 100_000);
        var seconds = new Option<int>("--seconds") { Description = "Seconds of caller audio per call.", DefaultValueFactory = _ => 20 };
        Cli.Between(seconds, 1, 3_600);
        var batch = new Option<int>("--batch") { Description = "Calls per VAD inference (0: all of them; 1: one at a time).", DefaultValueFactory = _ => 0 };
        Cli.Between(batch, 0, 100_000);
        var audioJson = new Option<bool>("--json") { Description = "Print JSON." };
        var audio = new Command("audio", "How many calls one core can listen to: μ-law decode, 8→16 kHz, Silero VAD and end of turn on one thread.")
        {
            streams, seconds, batch, audioJson,
        };
        audio.SetAction((parse, ct) => AudioBench.RunAsync(environment(), parse.GetValue(streams), parse.GetValue(seconds), parse.GetValue(batch), parse.GetValue(audioJson), ct));
        return new Command("bench", "Benchmarks against local storage and the running app.") { owners, audio };
    }

    private static async Task<int> Owners(CliEnvironment env, int calls, int appointments, int requests, string? url, bool json, CancellationToken ct)
    {
        var (baseUrl, source) = env.AppUrl(url);
        var progress = json ? null : Console.Out;
        if (requests > 0)
        {
            // Before minutes of seeding: is there an app to measure?
            await ReadyAsync(baseUrl, source, ct);
        }

        Seeded? seeded = null;
        string? apiKey = null;
        string? signInSecret = null;
        var code = await Cli.WithStorage(env, async () =>
        {
            var tables = env.Tables();
            await tables.EnsureCreatedAsync(ct);
            var tenant = await ImportTenantAsync(env, tables, ct);
            seeded = await SeedAsync(env, tables, tenant, calls, appointments, progress, ct);
            if (requests > 0)
            {
                var access = new TableAccessStore(tables);
                apiKey = await AccessGrants.NewApiKeyAsync(access, TenantId, env.Now, ct);
                signInSecret = await AccessGrants.AddOwnerAsync(access, OwnerEmail, TenantId, env.Now, ct);
            }

            return Cli.Ok;
        });
        if (code != Cli.Ok || seeded is null)
        {
            return code;
        }

        IReadOnlyList<RouteResult> routes = [];
        if (requests > 0)
        {
            var warmup = Math.Clamp(requests / 10, 1, 20);
            progress?.WriteLine($"Measuring {baseUrl} ({source}): {requests} requests per route after {warmup} warm-up, one at a time…");
            try
            {
                var tenant = TenantParser.Parse("bench", TenantJson, _ => true).Tenants[0].Tenant;
                routes = await MeasureAsync(baseUrl, source, tenant, env.Now, apiKey!, signInSecret!, requests, warmup, ct);
            }
            finally
            {
                // The key was only for this run.
                try
                {
                    await new TableAccessStore(env.Tables()).RevokeApiKeyAsync(AccessTokens.Hash(apiKey!), TenantId, env.Now, CancellationToken.None);
                }
                catch (Exception ex) when (Cli.StorageFailure(env, ex) is not null)
                {
                    // Storage went away after measuring: the key stays until revoked with `keys revoke`.
                }
            }
        }

        var goalMet = routes.All(r => r.P95 <= GoalP95Milliseconds);
        var s = seeded;
        if (json)
        {
            Cli.WriteJson(new
            {
                Tenant = TenantId, Number, Storage = env.StorageEndpoint, Url = requests > 0 ? baseUrl.ToString() : null,
                Seeded = new
                {
                    s.Calls, s.Appointments, s.CancelledAppointments, s.Messages, AppointmentsFrom = s.FirstDay, AppointmentsTo = s.LastDay,
                    s.CallsWritten, s.AppointmentsWritten, CallsSeconds = Math.Round(s.CallsSeconds, 1), AppointmentsSeconds = Math.Round(s.AppointmentsSeconds, 1),
                    Seconds = Math.Round(s.CallsSeconds + s.AppointmentsSeconds, 1),
                },
                Requests = requests, Warmup = requests > 0 ? Math.Clamp(requests / 10, 1, 20) : 0, Sequential = true, GoalP95Ms = GoalP95Milliseconds,
                GoalMet = requests > 0 ? goalMet : (bool?)null,
                Routes = routes.Select(r => new
                {
                    r.Name, r.Path, P50Ms = Math.Round(r.P50, 2), P95Ms = Math.Round(r.P95, 2), P99Ms = Math.Round(r.P99, 2), MaxMs = Math.Round(r.Max, 2),
                    r.Bytes, MeetsGoal = r.P95 <= GoalP95Milliseconds,
                }),
            });
            return Cli.Ok;
        }

        if (routes.Count == 0)
        {
            return Cli.Ok;
        }

        Console.WriteLine();
        Console.WriteLine($"{TenantId}: {s.Calls:N0} calls, {s.Appointments:N0} appointments ({s.CancelledAppointments:N0} cancelled, {s.FirstDay:yyyy-MM-dd}..{s.LastDay:yyyy-MM-dd}), {s.Messages:N0} messages; "
            + $"{requests} requests per route after {Math.Clamp(requests / 10, 1, 20)} warm-up, sequential, one client, {baseUrl}");
        var width = routes.Max(r => r.Name.Length);
        Console.WriteLine($"{"route".PadRight(width)} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"bytes",8}  p95 ≤ {GoalP95Milliseconds:0} ms");
        foreach (var r in routes)
        {
            Console.WriteLine($"{r.Name.PadRight(width)} {r.P50,8:0.0} {r.P95,8:0.0} {r.P99,8:0.0} {r.Max,8:0.0} {r.Bytes,8:N0}  {(r.P95 <= GoalP95Milliseconds ? "yes" : "NO")}");
        }

        var over = routes.Count(r => r.P95 > GoalP95Milliseconds);
        Console.WriteLine(goalMet ? $"Goal p95 ≤ {GoalP95Milliseconds:0} ms: met on all {routes.Count} routes." : $"Goal p95 ≤ {GoalP95Milliseconds:0} ms: NOT met on {over} of {routes.Count} routes.");
        return Cli.Ok;
    }

    // ---------------------------------------------------------------- seeding

    /// <summary>What the bench tenant holds after seeding, and what this run wrote.</summary>
    internal sealed record Seeded(int Calls, int CallsWritten, double CallsSeconds, int Appointments, int CancelledAppointments, int AppointmentsWritten,
        double AppointmentsSeconds, int Messages, DateOnly? FirstDay, DateOnly? LastDay);

    private static async Task<Tenant> ImportTenantAsync(CliEnvironment env, TableSet tables, CancellationToken ct)
    {
        Core.Professions.ProfessionCatalog professions;
        try
        {
            professions = env.Professions();
        }
        catch (Host.Professions.ConfigurationFileException ex)
        {
            throw new CliException(ex.Message);
        }

        var parsed = TenantParser.Parse("bench-dental.json", TenantJson, professions.Contains);
        if (!parsed.Ok)
        {
            throw new CliException($"the bench tenant does not validate: {string.Join("; ", parsed.Errors)}");
        }

        var errors = await new TableTenantStore(tables).ImportAsync(parsed.Tenants, ct);
        return errors.Count > 0 ? throw new CliException($"the bench tenant could not be imported: {string.Join("; ", errors)}") : parsed.Tenants[0].Tenant;
    }

    internal static async Task<Seeded> SeedAsync(CliEnvironment env, TableSet tables, Tenant tenant, int calls, int appointments, TextWriter? progress,
        CancellationToken ct)
    {
        var now = env.Now;
        var callStore = new TableCallStore(tables);
        var reports = new TableCallReportStore(tables);
        var messages = new TableMessageStore(tables);
        var calendar = new TableAppointmentStore(tables);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct };

        // Calls: those the tenant's index does not list yet.
        var clock = Stopwatch.StartNew();
        var haveCalls = await CallIdsAsync(tables, ct);
        var missingCalls = Enumerable.Range(0, calls).Where(i => !haveCalls.Contains(CallId(i))).ToList();
        progress?.WriteLine($"Seeding {TenantId} ({Number}) in {env.StorageEndpoint}: {calls:N0} calls wanted, {haveCalls.Count:N0} there, {missingCalls.Count:N0} to write…");
        var callTicker = new Ticker(progress, "calls", missingCalls.Count);
        await Parallel.ForEachAsync(missingCalls, options, async (i, t) =>
        {
            await SeedCallAsync(tenant, i, now, callStore, reports, messages, t);
            callTicker.Tick();
        });
        var callsSeconds = clock.Elapsed.TotalSeconds;

        // Appointments: day after day from the first seeding's day (found again from an existing one), 15 minutes each.
        clock.Restart();
        var haveAppointments = (await calendar.ListAsync(TenantId, null, ct)).Where(a => AppointmentIndex(a.CallId) is not null).ToList();
        var today = DateOnly.FromDateTime(tenant.ToLocal(now).DateTime);
        var firstDay = haveAppointments.FirstOrDefault() is { } known
            ? DateOnly.FromDateTime(tenant.ToLocal(known.Start).DateTime).AddDays(-(AppointmentIndex(known.CallId)!.Value / SlotsPerDay))
            : today;
        var have = haveAppointments.Select(a => a.CallId).ToHashSet(StringComparer.Ordinal);
        var missing = Enumerable.Range(0, appointments).Where(i => !have.Contains(AppointmentCallId(i))).ToList();
        progress?.WriteLine($"  {appointments:N0} appointments wanted, {have.Count:N0} there, {missing.Count:N0} to write…");
        var taken = 0;
        var appointmentTicker = new Ticker(progress, "appointments", missing.Count);
        await Parallel.ForEachAsync(missing, options, async (i, t) =>
        {
            if (!await SeedAppointmentAsync(tenant, i, firstDay, now, calendar, t))
            {
                Interlocked.Increment(ref taken);
            }

            appointmentTicker.Tick();
        });
        var appointmentsSeconds = clock.Elapsed.TotalSeconds;
        if (taken > 0)
        {
            progress?.WriteLine($"  {taken:N0} appointment slot(s) were taken by other bookings and skipped.");
        }

        // What landed, counted from storage.
        var callCount = (await CallIdsAsync(tables, ct)).Count;
        var listed = await calendar.ListAsync(TenantId, null, ct);
        var messageCount = (await messages.ListAsync(TenantId, ct)).Count;
        progress?.WriteLine($"Seeded in {callsSeconds + appointmentsSeconds:0.0} s (calls {callsSeconds:0.0} s, appointments {appointmentsSeconds:0.0} s): "
            + $"{callCount:N0} calls, {listed.Count:N0} appointments, {messageCount:N0} messages.");
        return new Seeded(callCount, missingCalls.Count, callsSeconds, listed.Count, listed.Count(a => a.Status == TableAppointmentStore.Cancelled), missing.Count - taken,
            appointmentsSeconds, messageCount,
            listed.Count > 0 ? DateOnly.FromDateTime(tenant.ToLocal(listed[0].Start).DateTime) : null,
            listed.Count > 0 ? DateOnly.FromDateTime(tenant.ToLocal(listed[^1].Start).DateTime) : null);
    }

    private static async Task<HashSet<string>> CallIdsAsync(TableSet tables, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in tables.CallsByTenant.QueryAsync<Azure.Data.Tables.TableEntity>(x => x.PartitionKey == TenantId, maxPerPage: 1000, select: ["CallId"],
            cancellationToken: ct))
        {
            ids.Add(e.GetString("CallId"));
        }

        return ids;
    }

    internal static string CallId(int i) => CallPrefix + i.ToString("D8", CultureInfo.InvariantCulture);

    internal static string AppointmentCallId(int i) => AppointmentCallPrefix + i.ToString("D8", CultureInfo.InvariantCulture);

    private static int? AppointmentIndex(string callId) =>
        callId.StartsWith(AppointmentCallPrefix, StringComparison.Ordinal)
        && int.TryParse(callId.AsSpan(AppointmentCallPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary>A spread of numbers, names and choices from the index: the same every run, no two neighbours alike.</summary>
    private static int Mix(int i, int salt) => (int)(((uint)i * 2654435761u + (uint)salt * 40503u) >> 8);

    private static string CallerNumber(int i) => "+15557" + (Mix(i, 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>One ended call as the call core stores it: the record, its history lines, its report (summary and cost)
    /// and, for a message call, the message. The call goes in last, so a listed call is a complete one.</summary>
    private static async Task SeedCallAsync(Tenant tenant, int i, DateTimeOffset now, TableCallStore calls, TableCallReportStore reports, TableMessageStore messages,
        CancellationToken ct)
    {
        var callId = CallId(i);
        var day = DateOnly.FromDateTime(tenant.ToLocal(now).DateTime).AddDays(-1 - (i / CallsPerDay));
        var minute = (i % CallsPerDay) * 14 * 60 / CallsPerDay;
        var started = tenant.AtLocal(day, Opens.AddMinutes(minute)).AddSeconds(Mix(i, 2) % 280);
        var caller = i % 37 == 5 ? null : CallerNumber(i);
        var name = Names[Mix(i, 3) % Names.Length];
        var service = QuickServices[Mix(i, 4) % QuickServices.Length];
        var (channel, mode) = i % 11 == 3 ? ("acs", "recognize") : i % 7 == 2 ? ("twilio", "relay") : ("twilio", "gather");

        var history = new List<CallTurn>();
        var at = started;
        void Line(string speaker, string kind, string text)
        {
            history.Add(new CallTurn(history.Count + 1, at, speaker, kind, text));
            at = at.AddSeconds(speaker == "caller" ? 4 + (Mix(i, history.Count) % 5) : 3);
        }

        Line("system", "started", $"From {Core.Phone.PhoneNumber.Mask(caller)} ({channel}, {mode})");
        Line("agent", "say", $"Thank you for calling {tenant.Name}, this is the front desk. How can I help you today?");
        var outcome = CallOutcome.Completed;
        string? appointmentId = null;
        StoredMessage? message = null;
        switch (i % 10)
        {
            case 0 or 1 or 2:
                var when = DateOnly.FromDateTime(started.DateTime).AddDays(1 + (Mix(i, 5) % 14));
                var slot = Opens.AddMinutes(15 * (Mix(i, 6) % SlotsPerDay));
                var start = tenant.AtLocal(when, slot);
                appointmentId = $"{callId}-apt";
                Line("caller", "speech", $"Can {name} get a {service.ToLowerInvariant()} on {when:dddd} at {slot:h:mm tt}?");
                Line("agent", "say", $"So that's a {service} for {name} on {when:dddd, MMMM d} at {slot:h:mm tt}. Shall I book it?");
                Line("caller", "speech", "yes");
                Line("system", CallNotes.BookedKind, CallNotes.Booked(appointmentId, service, start));
                Line("agent", "say", $"You're booked: {service} on {when:dddd, MMMM d} at {slot:h:mm tt}. You'll get a text to confirm. Is there anything else?");
                Line("caller", "speech", "no thanks");
                outcome = CallOutcome.Booked;
                break;
            case 3 or 4:
                var (question, answer) = i % 20 < 10
                    ? ("what's your address?", $"We're at {tenant.Address}.")
                    : ("is there parking?", "Free lot behind the building.");
                Line("caller", CallNotes.QuestionKind, question);
                Line("agent", "say", answer + " Is there anything else?");
                Line("caller", "speech", "no that's all");
                outcome = CallOutcome.Answered;
                break;
            case 5:
                var urgent = i % 50 == 5;
                var text = urgent ? "my crown came off and it really hurts, please call me back today" : "please call me about my bill";
                Line("caller", "speech", "can I speak to someone");
                Line("agent", "say", "Nobody can come to the phone right now, but I can take a message. What's your name?");
                Line("caller", "speech", name);
                Line("agent", "say", "And what's the message?");
                Line("caller", "speech", text);
                Line("agent", "say", $"I have: {text}. Shall I pass that on?");
                Line("caller", "speech", "yes");
                message = await messages.SaveAsync(new MessageRequest(TenantId, callId, $"{callId}-m1", name, caller, text, urgent), at, ct);
                if (started < now.AddDays(-7))
                {
                    message = await messages.MarkHandledAsync(TenantId, message.Id, at.AddHours(2), ct) ?? message;
                }

                Line("system", CallNotes.MessageKind, CallNotes.Message(message.Id, urgent));
                Line("agent", "say", "I've passed that on. Is there anything else?");
                Line("caller", "speech", "no");
                outcome = CallOutcome.MessageTaken;
                break;
            case 6:
                Line("caller", "speech", "I need to cancel my appointment");
                Line("agent", "say", $"I found your {service} on {DateOnly.FromDateTime(started.DateTime).AddDays(3):dddd, MMMM d}. Shall I cancel it?");
                Line("caller", "speech", "yes");
                Line("system", CallNotes.CancelledKind, CallNotes.Cancelled($"{callId}-old", done: true));
                Line("agent", "say", "It's cancelled. Is there anything else?");
                Line("caller", "speech", "no");
                outcome = CallOutcome.Cancelled;
                break;
            case 7:
                Line("caller", "speech", "I'd like to talk to a person");
                Line("agent", "say", "Of course, putting you through now.");
                Line("system", CallNotes.TransferConnectedKind, "A person answered the transfer");
                outcome = CallOutcome.Transferred;
                break;
            case 8:
                Line("caller", "silence", string.Empty);
                Line("agent", "say", "Are you still there?");
                Line("caller", "silence", string.Empty);
                outcome = CallOutcome.Abandoned;
                break;
            default:
                Line("caller", CallNotes.QuestionKind, "are you open on Sunday?");
                Line("agent", "say", "Yes, we're open every day from 7 AM to 9 PM. Is there anything else?");
                Line("caller", "speech", "ok thanks bye");
                outcome = CallOutcome.Answered;
                break;
        }

        var goodbye = outcome is CallOutcome.Transferred or CallOutcome.Abandoned ? null : "Thanks for calling. Have a great day. Goodbye.";
        if (goodbye is not null)
        {
            Line("agent", "say", goodbye);
        }

        Line("system", "ended", outcome == CallOutcome.Abandoned ? "The caller hung up" : "completed");
        var session = new CallSession(callId, TenantId, caller, Number, started, ConversationState.Ended, BookingDraft.Empty, Outcome: outcome, AppointmentId: appointmentId);
        IReadOnlyList<CallAction> last = goodbye is null ? [new Hangup()] : [new Say(goodbye), new Hangup()];
        var ended = history[^1].At;
        var record = new CallRecord(session, history.Count(h => h.Speaker == "caller"), last, history.Count, ended)
        {
            Channel = channel,
            Mode = mode,
            DurationSeconds = (int)Math.Ceiling((ended - started).TotalSeconds) + 2,
            RecentEvents = [$"{callId}-start", $"{callId}-end"],
        };
        var byId = message is null ? new Dictionary<string, StoredMessage>() : new Dictionary<string, StoredMessage> { [message.Id] = message };
        var summary = CallReport.Summarize(record, history, tenant, byId);
        // The call first, as in life: the report then puts its summary and cost on the call's listing row.
        await calls.CreateAsync(record, history, ct);
        await reports.SaveAsync(new CallReportRecord(callId, TenantId, ended.AddSeconds(5), summary, CallCosts.ForCall(record, history, new CostRates())), ct);
    }

    /// <summary>Appointment <paramref name="i"/>: day i / 56 from <paramref name="firstDay"/>, slot i % 56 from 07:00; every
    /// 20th is cancelled again. False when its slot was taken by another booking.</summary>
    private static async Task<bool> SeedAppointmentAsync(Tenant tenant, int i, DateOnly firstDay, DateTimeOffset now, TableAppointmentStore calendar, CancellationToken ct)
    {
        var callId = AppointmentCallId(i);
        var date = firstDay.AddDays(i / SlotsPerDay);
        var time = Opens.AddMinutes(15 * (i % SlotsPerDay));
        var name = Names[Mix(i, 7) % Names.Length];
        var phone = i % 29 == 3 ? null : CallerNumber(i + 1_000_003);
        var service = QuickServices[Mix(i, 8) % QuickServices.Length];
        var booked = await calendar.ReserveAsync(new BookingRequest(TenantId, callId, service, 15, date, time, tenant.AtLocal(date, time), name, phone), now, ct);
        if (booked is null)
        {
            return false;
        }

        if (i % 20 == 19)
        {
            await calendar.CancelAsync(TenantId, new AppointmentRef(booked.Id, service, 15, date, time, name, booked.Start, phone), callId, now, ct);
        }

        return true;
    }

    /// <summary>Prints "calls: 3,000/10,000 (1,234/s)" at every tenth of the way.</summary>
    private sealed class Ticker(TextWriter? output, string what, int total)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _done;

        public void Tick()
        {
            var done = Interlocked.Increment(ref _done);
            if (output is null || total == 0 || done * 10L / total == (done - 1) * 10L / total)
            {
                return;
            }

            lock (output)
            {
                output.WriteLine($"  {what}: {done:N0}/{total:N0} ({done / Math.Max(_clock.Elapsed.TotalSeconds, 0.001):N0}/s)");
            }
        }
    }

    // ---------------------------------------------------------------- measuring

    internal sealed record RouteResult(string Name, string Path, double P50, double P95, double P99, double Max, long Bytes);

    private static async Task ReadyAsync(Uri baseUrl, string source, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = HttpTimeout };
        HttpResponseMessage ready;
        try
        {
            ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative), ct);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"The app is not reachable at {baseUrl} ({source}): {Cli.OneLine(ex.Message)}. Start it with `./receptionist up`, or give --url.");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"The app at {baseUrl} ({source}) did not answer /readyz within {HttpTimeout.TotalSeconds:0} s.");
        }

        using (ready)
        {
            if (!ready.IsSuccessStatusCode)
            {
                throw new CliException($"The app at {baseUrl} ({source}) is not ready: /readyz answered {(int)ready.StatusCode}.");
            }
        }
    }

    private static async Task<IReadOnlyList<RouteResult>> MeasureAsync(Uri baseUrl, string source, Tenant tenant, DateTimeOffset now, string apiKey, string signInSecret,
        int requests, int warmup, CancellationToken ct)
    {
        using var api = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }, disposeHandler: true) { BaseAddress = baseUrl, Timeout = HttpTimeout };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var cookies = new CookieContainer();
        using var pages = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies }, disposeHandler: true) { BaseAddress = baseUrl, Timeout = HttpTimeout };
        try
        {
            await SignInAsync(pages, cookies, baseUrl, signInSecret, ct);

            var calls = $"/api/v1/tenants/{TenantId}/calls";
            var (firstCallId, next) = await FirstPageAsync(api, calls, ct);
            var yesterday = DateOnly.FromDateTime(tenant.ToLocal(now).DateTime).AddDays(-1);
            var from = Uri.EscapeDataString(tenant.AtLocal(yesterday, TimeOnly.MinValue).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            var to = Uri.EscapeDataString(tenant.AtLocal(yesterday.AddDays(1), TimeOnly.MinValue).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            var routes = new List<(string Name, string Path, HttpClient Client)>
            {
                ($"GET {calls}", calls, api),
            };
            if (next is not null)
            {
                routes.Add(($"GET {calls}?next=… (page 2)", $"{calls}?next={Uri.EscapeDataString(next)}", api));
            }

            routes.Add(($"GET {calls}?from=…&to=… ({yesterday:yyyy-MM-dd})", $"{calls}?from={from}&to={to}", api));
            routes.Add(($"GET /api/v1/tenants/{TenantId}/appointments (7 days)", $"/api/v1/tenants/{TenantId}/appointments", api));
            routes.Add(($"GET /api/v1/tenants/{TenantId}/messages", $"/api/v1/tenants/{TenantId}/messages", api));
            routes.Add(($"page /t/{TenantId}/calls", $"/t/{TenantId}/calls", pages));
            routes.Add(($"page /t/{TenantId}/bookings", $"/t/{TenantId}/bookings", pages));
            if (firstCallId is not null)
            {
                routes.Add(($"page /t/{TenantId}/calls/{{callId}}", $"/t/{TenantId}/calls/{Uri.EscapeDataString(firstCallId)}", pages));
            }

            var results = new List<RouteResult>();
            foreach (var (name, path, client) in routes)
            {
                for (var w = 0; w < warmup; w++)
                {
                    await TimedGetAsync(client, path, ct);
                }

                var samples = new double[requests];
                long bytes = 0;
                for (var n = 0; n < requests; n++)
                {
                    (samples[n], bytes) = await TimedGetAsync(client, path, ct);
                }

                Array.Sort(samples);
                results.Add(new RouteResult(name, path, Percentile(samples, 0.50), Percentile(samples, 0.95), Percentile(samples, 0.99), samples[^1], bytes));
            }

            return results;
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"The app at {baseUrl} ({source}) stopped answering: {Cli.OneLine(ex.Message)}.");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"The app at {baseUrl} ({source}) did not answer within {HttpTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>Nearest rank: the smallest sample with at least <paramref name="q"/> of all samples at or below it.</summary>
    internal static double Percentile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>One GET, timed from sending to the last byte of the body; anything but 200 ends the run.</summary>
    private static async Task<(double Milliseconds, long Bytes)> TimedGetAsync(HttpClient client, string path, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var where = response.Headers.Location is { } location ? $" (to {location})" : string.Empty;
            throw new CliException($"GET {Shorten(path)} answered {(int)response.StatusCode}{where}, not 200.");
        }

        return (elapsed, body.LongLength);
    }

    private static string Shorten(string path) => path.Length <= 120 ? path : path[..120] + "…";

    /// <summary>The first page's newest call (for the call page) and its continuation token (for page 2).</summary>
    private static async Task<(string? CallId, string? Next)> FirstPageAsync(HttpClient api, string path, CancellationToken ct)
    {
        using var response = await api.GetAsync(new Uri(path, UriKind.Relative), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new CliException(response.StatusCode == HttpStatusCode.Unauthorized
                ? $"GET {path} answered 401 to the bench API key: does the app use the same storage (Storage:ConnectionString, Storage:TablePrefix) as this command?"
                : $"GET {path} answered {(int)response.StatusCode}, not 200.");
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var items = json.RootElement.GetProperty("items");
            var first = items.GetArrayLength() > 0 ? items[0].GetProperty("callId").GetString() : null;
            return (first, json.RootElement.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CliException($"GET {path} did not answer a page of calls ({Cli.OneLine(ex.Message)}).");
        }
    }

    /// <summary>Signs in as a browser does: GET the link's page, POST its form with the antiforgery token, keep the cookie.</summary>
    private static async Task SignInAsync(HttpClient pages, CookieContainer cookies, Uri baseUrl, string secret, CancellationToken ct)
    {
        var link = new Uri(AccessGrants.LinkPath(secret), UriKind.Relative);
        using var page = await pages.GetAsync(link, ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        var token = AntiforgeryField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups["value"].Value) : null;
        if (page.StatusCode != HttpStatusCode.OK || token is null)
        {
            throw new CliException($"The sign-in page at {baseUrl} answered {(int)page.StatusCode}{(token is null ? " without a form to sign in with" : string.Empty)}.");
        }

        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("__RequestVerificationToken", token)]);
        using var signedIn = await pages.PostAsync(link, form, ct);
        if ((int)signedIn.StatusCode is < 300 or >= 400
            || !cookies.GetCookies(baseUrl).Any(c => c.Name == ".receptionist.owner"))
        {
            throw new CliException($"Signing in at {baseUrl} answered {(int)signedIn.StatusCode} without the owner's cookie: does the app use the same storage "
                + "(Storage:ConnectionString, Storage:TablePrefix) as this command?");
        }
    }

    /// <summary>The hidden input ASP.NET Core renders into a form: its name and value, in either order.</summary>
    [GeneratedRegex("""<input(?=[^>]*\bname="__RequestVerificationToken")[^>]*\bvalue="(?<value>[^"]*)"[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex AntiforgeryField();
}
