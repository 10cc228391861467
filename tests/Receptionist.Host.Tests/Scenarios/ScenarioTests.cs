using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Receptionist.Core.Conversation;
using Receptionist.Core.Phone;
using Receptionist.Core.Storage;
using Receptionist.Core.Tenants;
using Receptionist.Telephony.Twilio;
using Receptionist.Testing;

namespace Receptionist.Host.Tests.Scenarios;

/// <summary>
/// The scenario suite: scripted calls across every profession, each through the real app over the Twilio webhook
/// protocol on Azurite with a fixed Clock:Now, asserting the exact outcome — the business's appointments and messages
/// after the call, the transfer and the call's outcome. The rules alone must pass it (no LLM is configured).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScenarioTests(AzuriteFixture azurite)
{
    private static readonly string[] Professions =
        ["dentist", "plumber", "mechanic", "locksmith", "massage_therapist", "photographer", "realtor", "tattoo_artist", "home_inspector",
         "car_dealership", "hair_salon", "veterinarian"];

    /// <summary>Twilio voice modes every scenario runs in; ACS runs them too (<see cref="AcsScenarioTests"/>, its own
    /// collection so it runs beside these), and a sample runs in stream mode (<see cref="StreamScenarioTests"/>). The
    /// same call core must reach the same outcome in each.</summary>
    private static readonly string[] Modes = ["gather", "relay"];

    public static TheoryData<string> Files()
    {
        // RECEPTIONIST_SCENARIOS=pending runs the pending calls instead (to see which a change fixed); CI runs the suite.
        var sub = Environment.GetEnvironmentVariable("RECEPTIONIST_SCENARIOS");
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(sub is null ? Scenario.Folder : Path.Combine(Scenario.Folder, sub), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (file != "tenants.json")
            {
                data.Add(sub is null ? file! : sub + "/" + file);
            }
        }

        return data;
    }

    public static TheoryData<string, string> FilesInEveryMode()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Files())
        {
            foreach (var mode in Modes)
            {
                data.Add(file, mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FilesInEveryMode))]
    public Task Call_Scenario_ExactOutcome(string file, string mode) => RunAsync(azurite, file, mode);

    /// <summary>One scenario call through the real app in one channel or voice mode ("gather", "relay", "stream", "acs"): the
    /// mode's <see cref="ScenarioApp"/>, emptied of earlier calls and set to the scenario's "now".</summary>
    internal static async Task RunAsync(AzuriteFixture azurite, string file, string mode)
    {
        var scenario = Scenario.Load(file);
        var shared = await ScenarioApp.ReadyAsync(azurite, mode, scenario.Now);
        var app = shared.Host;
        var tenant = shared.Tenants.Single(t => t.PhoneNumbers.Contains(Normalize(scenario.To)));
        var appointments = app.Services.GetRequiredService<IAppointmentStore>();
        var seed = 0;
        foreach (var e in scenario.Existing ?? [])
        {
            var local = tenant.ToLocal(e.Start);
            var minutes = e.Minutes ?? app.Services.GetRequiredService<Core.Professions.ProfessionCatalog>().Get(tenant.ProfessionId).ServicesFor(tenant).Single(s => s.Name == e.Service).Minutes;
            var booked = await appointments.ReserveAsync(new BookingRequest(tenant.Id, $"seed-{++seed}", e.Service, minutes,
                DateOnly.FromDateTime(local.DateTime), TimeOnly.FromDateTime(local.DateTime), e.Start, e.Name, e.Phone), scenario.Now, CancellationToken.None);
            Assert.True(booked is not null, $"{file}: existing appointment {e.Start:O} could not be seeded");
        }

        var simulator = shared.Simulator(mode);
        simulator.DialStatus = scenario.DialStatus ?? "completed";
        var heard = new List<SimulatedTurn>();
        simulator.TurnAdded += heard.Add;
        SimulatedCall call;
        try
        {
            call = await simulator.RunAsync(scenario.To, scenario.From, new ScriptedCaller(scenario.Say), CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException)
        {
            // The app failed mid-call: show how far the call got.
            Assert.Fail($"the call failed: {ex.Message}\n\n{Transcript(file, scenario, new SimulatedCall("-", heard, false, [], null), "  (the call broke off here)")}");
            throw;
        }

        var transcript = Transcript(file, scenario, call);
        var problems = new List<string>();
        var expect = scenario.Expect;

        var actualAppointments = (await appointments.ListAsync(tenant.Id, null, CancellationToken.None))
            .Select(a => Describe(a.Service, a.Start, a.Minutes, a.CallerName, a.CallerPhone, a.Status)).Order(StringComparer.Ordinal).ToList();
        var expectedAppointments = (expect.Appointments ?? [])
            .Select(a => Describe(a.Service, a.Start, a.Minutes, a.Name, a.Phone, a.Status)).Order(StringComparer.Ordinal).ToList();
        if (!actualAppointments.SequenceEqual(expectedAppointments))
        {
            problems.Add($"appointments:\n  expected: {string.Join("\n            ", expectedAppointments)}\n  actual:   {string.Join("\n            ", actualAppointments)}");
        }

        var messages = await app.Services.GetRequiredService<IMessageStore>().ListAsync(tenant.Id, CancellationToken.None);
        var expectedMessages = expect.Messages ?? [];
        if (messages.Count != expectedMessages.Length
            || !expectedMessages.All(m => messages.Any(a => a.CallerName == m.Name && a.CallerPhone == m.Phone && a.Urgent == m.Urgent
                && a.Text.Contains(m.TextContains ?? string.Empty, StringComparison.OrdinalIgnoreCase))))
        {
            problems.Add($"messages:\n  expected: {string.Join("; ", expectedMessages.Select(m => $"{m.Name} {m.Phone} urgent={m.Urgent} ~'{m.TextContains}'"))}\n  actual:   {string.Join("; ", messages.Select(m => $"{m.CallerName} {m.CallerPhone} urgent={m.Urgent} '{m.Text}'"))}");
        }

        if (call.TransferredTo != expect.TransferredTo)
        {
            problems.Add($"transferredTo: expected {expect.TransferredTo ?? "none"}, actual {call.TransferredTo ?? "none"}");
        }

        var stored = await app.Services.GetRequiredService<ICallStore>().GetAsync(call.CallSid, CancellationToken.None);
        var outcome = stored?.Record.Session.Outcome.ToString();
        if (!string.Equals(outcome, expect.Outcome, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"outcome: expected {expect.Outcome}, actual {outcome ?? "(no call stored)"}");
        }

        var agent = call.Turns.Where(t => t.Speaker == "agent").Select(t => t.Text).ToList();
        foreach (var said in expect.AgentSays ?? [])
        {
            if (!agent.Any(a => a.Contains(said, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"the caller never heard \"{said}\"");
            }
        }

        foreach (var said in expect.AgentNeverSays ?? [])
        {
            if (agent.Any(a => a.Contains(said, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"the caller heard \"{said}\"");
            }
        }

        Assert.True(problems.Count == 0, $"{string.Join("\n", problems)}\n\n{transcript}");
    }

    [Fact]
    public void Suite_AtLeastSixtyScenarios_CoveringEveryProfession()
    {
        var tenants = TenantParser.Parse("tenants.json", File.ReadAllText(Path.Combine(Scenario.Folder, "tenants.json")), _ => true).Tenants;
        var scenarios = ((IEnumerable<object[]>)Files()).Select(row => Scenario.Load((string)row[0])).ToList();
        var covered = scenarios.Select(s => tenants.Single(t => t.Tenant.PhoneNumbers.Contains(Normalize(s.To))).Tenant.ProfessionId).ToHashSet();

        Assert.True(scenarios.Count >= 60, $"only {scenarios.Count} scenarios");
        Assert.All(Professions, p => Assert.Contains(p, covered));
    }

    private static string Normalize(string number) => PhoneNumber.TryNormalize(number, out var e164) ? e164 : number;

    private static string Describe(string service, DateTimeOffset start, int minutes, string name, string? phone, string status) =>
        $"{service} {start.ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture)} {minutes}min {name} {phone ?? "-"} {status}";

    private static string Transcript(string file, Scenario scenario, SimulatedCall call, string? ending = null)
    {
        var text = new StringBuilder().Append(file).Append(": ").AppendLine(scenario.Name);
        foreach (var t in call.Turns)
        {
            text.Append("  ").Append(t.Speaker.PadRight(6)).Append(' ').AppendLine(t.Text);
        }

        return text.Append(ending ?? (call.Ended ? "  (ended by the receptionist)" : "  (caller hung up)")).ToString();
    }
}
