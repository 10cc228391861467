using System.Text.Json;
using System.Text.Json.Serialization;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Professions;

public sealed record FaqEntry(string Question, string Answer, IReadOnlyList<string> Keywords);

public enum EmergencyPolicy
{
    Transfer,
    UrgentMessage,
    AdviseEmergencyServices,
}

/// <param name="SafetyAdvice">Said when a transfer emergency cannot be put through and an urgent message is taken instead.</param>
public sealed record EmergencyRules(IReadOnlyList<string> Keywords, EmergencyPolicy Policy, string Message, string? SafetyAdvice = null);

/// <summary>The phrasing of every conversation state (prompts/profession.schema.json, "prompts").</summary>
public sealed partial record ProfessionPrompts(
    string Greeting,
    string AfterHours,
    string AskService,
    string AskDate,
    string AskTime,
    string AskName,
    string AskCallback,
    string Confirm,
    string Booked,
    string Declined,
    string SlotTaken,
    string DayUnavailable,
    string DayClosed,
    string Fallback,
    string FallbackKeypad,
    string NoInput,
    string Goodbye,
    string AnythingElse,
    string AskMessage,
    string MessageTaken,
    string Transferring,
    string FaqUnknown,
    string ConfirmCallback,
    string SlotLost,
    string AskMessageName,
    string ConfirmMessage,
    string UrgentMessage,
    string TransferFailed,
    string FindAppointment,
    string WhichAppointment,
    string NoAppointment,
    string ConfirmCancel,
    string Cancelled,
    string AskRescheduleDate,
    string ConfirmReschedule,
    string Rescheduled,
    string VerifyNumber,
    string VerifyFailed);

/// <summary>A profession's prompt file (prompts/professions/&lt;id&gt;.json), already validated against the schema.</summary>
public sealed record Profession(
    string Id,
    string DisplayName,
    string Persona,
    string Language,
    string Voice,
    IReadOnlyList<ServiceOffering> Services,
    IReadOnlyList<FaqEntry> Faq,
    EmergencyRules Emergency,
    ProfessionPrompts Prompts)
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The prompts a tenant's callers hear: the owner's overrides over this profession's phrasing.</summary>
    public ProfessionPrompts PromptsFor(Tenant tenant) => Prompts.With(tenant.PromptOverrides);

    /// <summary>The services a tenant offers: its own list, or this profession's defaults; synonyms come from the
    /// profession's service of the same name when the tenant gives none.</summary>
    public IReadOnlyList<ServiceOffering> ServicesFor(Tenant tenant)
    {
        if (tenant.Services is null)
        {
            return Services;
        }

        return tenant.Services
            .Select(s => s.Synonyms.Count > 0
                ? s
                : s with { Synonyms = Services.FirstOrDefault(p => string.Equals(p.Name, s.Name, StringComparison.OrdinalIgnoreCase))?.Synonyms ?? [] })
            .ToList();
    }
}

public sealed partial record ProfessionPrompts
{
    private static readonly System.Reflection.PropertyInfo[] Properties =
        typeof(ProfessionPrompts).GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanRead).ToArray();

    /// <summary>The prompt names as they appear in JSON ("greeting", "askDate", …).</summary>
    public static IReadOnlyList<string> Names { get; } = Properties.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList();

    /// <summary>These prompts with some replaced by name; unknown names are ignored (tenants are validated on import).</summary>
    public ProfessionPrompts With(IReadOnlyDictionary<string, string> overrides)
    {
        if (overrides.Count == 0)
        {
            return this;
        }

        var json = JsonSerializer.SerializeToNode(this, Profession.JsonOptions)!.AsObject();
        foreach (var (key, text) in overrides)
        {
            if (json.ContainsKey(key))
            {
                json[key] = text;
            }
        }

        return json.Deserialize<ProfessionPrompts>(Profession.JsonOptions)!;
    }
}
