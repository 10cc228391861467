using System.Text.Json;
using System.Text.Json.Nodes;
using Receptionist.Core.Professions;
using Receptionist.Core.Tests.Conversation;

namespace Receptionist.Core.Tests.Professions;

/// <summary>A profession built in code: every prompt given is used as is (tests give the state prompts as markers that
/// show which one was said); every other prompt is the shipped dentist's wording (prompts/professions/dentist.json), so
/// answers, offers and examples read as callers hear them.</summary>
internal static class TestProfession
{
    /// <summary>The shipped dentist's prompts, by name.</summary>
    public static IReadOnlyDictionary<string, string> Shipped => ShippedPrompts.Value;

    private static readonly Lazy<IReadOnlyDictionary<string, string>> ShippedPrompts = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(DemoTenants.RepositoryRoot, "prompts", "professions", "dentist.json")));
        return json.RootElement.GetProperty("prompts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    });

    public static Profession Dentist(IReadOnlyDictionary<string, string>? prompts = null, string[]? emergencyKeywords = null, string policy = "transfer",
        JsonNode? services = null, JsonNode? faq = null, string emergencyMessage = "Hold on.")
    {
        var all = new JsonObject();
        foreach (var n in ProfessionPrompts.Names)
        {
            all[n] = prompts?.GetValueOrDefault(n) ?? Shipped[n];
        }

        var json = new JsonObject
        {
            ["id"] = "dentist", ["displayName"] = "Dental practice", ["persona"] = "A receptionist.", ["language"] = "en-US", ["voice"] = "en-US-JennyNeural",
            ["services"] = services ?? new JsonArray(new JsonObject { ["name"] = "Cleaning", ["minutes"] = 60 }),
            ["faq"] = faq ?? new JsonArray(),
            ["emergency"] = new JsonObject
            {
                ["keywords"] = new JsonArray((emergencyKeywords ?? []).Select(k => (JsonNode?)k).ToArray()), ["policy"] = policy, ["message"] = emergencyMessage,
            },
            ["prompts"] = all,
        };
        var p = JsonSerializer.Deserialize<Profession>(json.ToJsonString(), Profession.JsonOptions)!;
        return p with { Services = p.Services.Select(x => x with { Synonyms = x.Synonyms ?? [] }).ToList() };
    }
}
