using System.Text.Json.Nodes;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Tests.Tenants;

/// <summary>The README's example tenant file, as an editable JSON tree, and helpers to parse it.</summary>
internal static class TenantJson
{
    public const string File = "t.json";
    public const string Number = "+15550100001";

    public const string Example = """
        { "id": "bright-smiles", "name": "Bright Smiles Dental", "profession": "dentist",
          "phoneNumbers": ["+15550100001"], "timeZone": "America/New_York",
          "hours": { "mon": ["09:00-17:00"], "tue": ["09:00-12:00", "13:00-17:00"], "wed": [], "thu": ["09:00-17:00"],
                     "fri": ["09:00-17:00"], "sat": [], "sun": [] },
          "closedDates": ["2026-12-25"],
          "services": [ { "name": "Cleaning", "minutes": 60, "priceMin": 90, "priceMax": 150 } ],
          "facts": { "address": "12 Main St", "parking": "Free lot behind the building" },
          "transferNumber": "+15550109999", "notifyNumber": "+15550109998",
          "subscription": "active", "language": "en-US", "voice": "en-US-JennyNeural" }
        """;

    /// <summary>A fresh, editable copy of the example.</summary>
    public static JsonObject Object() => JsonNode.Parse(Example)!.AsObject();

    /// <summary>A second valid tenant with its own id and number.</summary>
    public static JsonObject Other(string id = "quick-fix", string number = "+15550100002")
    {
        var other = Object();
        other["id"] = id;
        other["name"] = "Quick Fix Plumbing";
        other["phoneNumbers"] = new JsonArray(number);
        return other;
    }

    public static bool ProfessionExists(string id) => id is "dentist" or "plumber";

    public static TenantParseResult Parse(string json) => TenantParser.Parse(File, json, ProfessionExists);

    public static TenantParseResult Parse(JsonNode node) => Parse(node.ToJsonString());

    /// <summary>The example (optionally edited) as a validated tenant; fails the test if it does not validate.</summary>
    public static Tenant Tenant(Action<JsonObject>? edit = null)
    {
        var json = Object();
        edit?.Invoke(json);
        var result = Parse(json);
        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
        return Assert.Single(result.Tenants).Tenant;
    }
}
