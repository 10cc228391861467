using System.Text.Json;
using System.Text.Json.Serialization;

namespace Receptionist.Core.Tenants;

/// <summary>The tenant import / storage format (README "Tenant file"). Property names are the JSON names.</summary>
public sealed class TenantDocument
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Profession { get; set; }
    public List<string>? PhoneNumbers { get; set; }
    public string? TimeZone { get; set; }
    public Dictionary<string, List<string>>? Hours { get; set; }
    public List<string>? ClosedDates { get; set; }
    public List<ServiceDocument>? Services { get; set; }
    public Dictionary<string, string>? Facts { get; set; }
    public string? TransferNumber { get; set; }
    public string? NotifyNumber { get; set; }
    public string? Subscription { get; set; }
    public string? Language { get; set; }
    public string? Voice { get; set; }

    /// <summary>How Twilio calls are handled: "gather" (default, turn-based &lt;Gather&gt;) or "relay" (ConversationRelay).</summary>
    public string? VoiceMode { get; set; }

    /// <summary>How many hours before an appointment the caller gets a reminder SMS (default 24; 0: no reminders).</summary>
    public int? ReminderHoursBefore { get; set; }

    /// <summary>The hour (0–23, the business's zone) the owner gets a text summing up the last 24 hours; none when absent.</summary>
    public int? DigestHour { get; set; }

    /// <summary>How many minutes non-urgent messages are gathered into one owner text (0 or absent: each at once; at
    /// most 240). Urgent messages always go at once.</summary>
    public int? OwnerAlertBatchMinutes { get; set; }

    /// <summary>The owner's own wording for some conversation states, by prompt name ("greeting", "goodbye", …);
    /// the profession's phrasing applies to the rest.</summary>
    public Dictionary<string, string>? Prompts { get; set; }

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

public sealed class ServiceDocument
{
    public string? Name { get; set; }
    public int Minutes { get; set; }
    public decimal? PriceMin { get; set; }
    public decimal? PriceMax { get; set; }
    public List<string>? Synonyms { get; set; }
}
