using System.Text.Json;
using System.Text.Json.Nodes;
using Receptionist.Core.Professions;

namespace Receptionist.Core.Tests.Professions;

/// <summary>A profession built in code: every prompt is "&lt;name&gt; for {business}" unless overridden, so a test can
/// see which prompt was said.</summary>
internal static class TestProfession
{
    public static Profession Dentist(IReadOnlyDictionary<string, string>? prompts = null, string[]? emergencyKeywords = null, string policy = "transfer",
        JsonNode? services = null, JsonNode? faq = null, string emergencyMessage = "Hold on.")
    {
        var all = new JsonObject();
        foreach (var n in ProfessionPrompts.Names)
        {
            all[n] = prompts?.GetValueOrDefault(n) ?? $"{n} for {{business}}";
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
