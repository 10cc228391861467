using System.Text.Json;
using System.Text.Json.Serialization;

namespace Receptionist.Host.Tests.Scenarios;

/// <summary>One scripted call (tests/scenarios/*.json; the format is in tests/scenarios/README.md).</summary>
public sealed record Scenario(
    string Name,
    DateTimeOffset Now,
    string To,
    string From,
    string[] Say,
    ScenarioExpectation Expect,
    string? DialStatus = null,
    ExistingAppointment[]? Existing = null)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Where the scenario files are copied next to the test binaries.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "scenarios");

    public static Scenario Load(string file) =>
        JsonSerializer.Deserialize<Scenario>(File.ReadAllText(Path.Combine(Folder, file)), Json)
        ?? throw new InvalidDataException($"{file}: empty scenario");
}

/// <summary>An appointment that exists before the call (booked through the store, as a call would).</summary>
public sealed record ExistingAppointment(string Service, DateTimeOffset Start, string Name, string? Phone, int? Minutes = null);

/// <summary>The exact outcome: every appointment and message of the dialled business after the call, the transfer, the call's outcome.</summary>
public sealed record ScenarioExpectation(
    string Outcome,
    ExpectedAppointment[]? Appointments = null,
    ExpectedMessage[]? Messages = null,
    string? TransferredTo = null,
    string[]? AgentSays = null,
    string[]? AgentNeverSays = null);

public sealed record ExpectedAppointment(string Service, DateTimeOffset Start, int Minutes, string Name, string? Phone, string Status = "booked");

public sealed record ExpectedMessage(string Name, string? Phone, string? TextContains = null, bool Urgent = false);
