using System.Text.Json;
using System.Text.Json.Serialization;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;

namespace Receptionist.Core.Professions;

public sealed record FaqEntry(string Question, string Answer, IReadOnlyList<string> Keywords);

public enum EmergencyPolicy
{
    Transfer,
    UrgentMessage,
    AdviseEmergencyServices,
}

/// <param name="SafetyAdvice">Said when a transfer emergency cannot be put through and an urgent message is taken instead.</param>
/// <param name="Concepts">Kinds of danger (the lexicon's danger concepts) that are this profession's emergencies besides
/// the ones every business treats as emergencies (a person who can't breathe, collapses, bleeds badly, swells up; fire);
/// null: every kind.</param>
public sealed record EmergencyRules(IReadOnlyList<string> Keywords, EmergencyPolicy Policy, string Message, string? SafetyAdvice = null, IReadOnlyList<string>? Concepts = null);

/// <summary>Every sentence the conversation engine says, by prompt name (prompts/profession.schema.json, "prompts"): the
/// profession's phrasing, overridable per tenant (filled by <see cref="PromptText"/>). Code only joins values with
/// small words ("9 am to noon", "cleaning, checkup, and whitening", "today").</summary>
public sealed partial record ProfessionPrompts
{
    // The conversation states.
    public required string Greeting { get; init; }

    public required string AfterHours { get; init; }

    public required string AskService { get; init; }

    public required string AskDate { get; init; }

    public required string AskTime { get; init; }

    public required string AskName { get; init; }

    public required string AskCallback { get; init; }

    public required string Confirm { get; init; }

    public required string Booked { get; init; }

    public required string Declined { get; init; }

    public required string SlotTaken { get; init; }

    public required string DayUnavailable { get; init; }

    public required string DayClosed { get; init; }

    public required string Fallback { get; init; }

    public required string FallbackKeypad { get; init; }

    public required string NoInput { get; init; }

    public required string Goodbye { get; init; }

    public required string AnythingElse { get; init; }

    public required string AskMessage { get; init; }

    public required string MessageTaken { get; init; }

    public required string Transferring { get; init; }

    public required string FaqUnknown { get; init; }

    public required string ConfirmCallback { get; init; }

    public required string SlotLost { get; init; }

    public required string AskMessageName { get; init; }

    public required string ConfirmMessage { get; init; }

    public required string UrgentMessage { get; init; }

    public required string TransferFailed { get; init; }

    public required string FindAppointment { get; init; }

    public required string WhichAppointment { get; init; }

    public required string NoAppointment { get; init; }

    public required string ConfirmCancel { get; init; }

    public required string Cancelled { get; init; }

    public required string AskRescheduleDate { get; init; }

    public required string ConfirmReschedule { get; init; }

    public required string Rescheduled { get; init; }

    public required string VerifyNumber { get; init; }

    public required string VerifyFailed { get; init; }

    // Glue between states: acknowledgements, offers, examples of what to say.
    public required string HowCanIHelp { get; init; }

    public required string LineUnavailable { get; init; }

    public required string LineUnavailableTransfer { get; init; }

    public required string NothingBooked { get; init; }

    public required string LeftAsIs { get; init; }

    public required string AlreadyGone { get; init; }

    public required string MessageAgain { get; init; }

    public required string OfferMessage { get; init; }

    public required string OfferUrgentMessage { get; init; }

    public required string NoOneToTransferTo { get; init; }

    public required string MarkedUrgent { get; init; }

    public required string UnnamedCaller { get; init; }

    public required string GoOnWithoutName { get; init; }

    public required string LetMeTakeAMessage { get; init; }

    public required string DigitsDontMatch { get; init; }

    public required string NoneOn { get; init; }

    public required string BeyondHorizon { get; init; }

    public required string WontFit { get; init; }

    public required string OpeningsOn { get; init; }

    public required string AppointmentOption { get; init; }

    public required string PickOfferedTime { get; init; }

    public required string WhichOffered { get; init; }

    public required string ExampleDate { get; init; }

    public required string ExampleTime { get; init; }

    public required string ExampleName { get; init; }

    public required string ExamplePhone { get; init; }

    public required string ExampleYesNo { get; init; }

    public required string ExampleChoice { get; init; }

    // Answers to callers' questions from the business's own data (FrontDesk), and how amounts are said.
    public required string AnswerAddress { get; init; }

    public required string AnswerServices { get; init; }

    public required string AnswerServiceOffered { get; init; }

    public required string AnswerServiceOfferedFree { get; init; }

    public required string AnswerServiceOfferedPrice { get; init; }

    public required string AnswerPrice { get; init; }

    public required string AnswerPriceFree { get; init; }

    public required string AnswerPriceFrom { get; init; }

    public required string AnswerPriceUpTo { get; init; }

    public required string AnswerPriceOnRequest { get; init; }

    public required string AnswerDuration { get; init; }

    public required string Money { get; init; }

    public required string PriceRange { get; init; }

    public required string AnswerOpenNow { get; init; }

    public required string AnswerClosedNow { get; init; }

    public required string AnswerClosedNowOpensAgain { get; init; }

    public required string AnswerHoursOn { get; init; }

    public required string AnswerClosedOn { get; init; }

    public required string AnswerClosedForTheDay { get; init; }

    public required string AnswerWeeklyHours { get; init; }

    public required string AnswerWeeklyHoursEveryDay { get; init; }
}

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

    /// <summary>The text-to-speech voice for a tenant's calls: its own <c>voice</c>, else this profession's.</summary>
    public string VoiceFor(Tenant tenant) => string.IsNullOrWhiteSpace(tenant.Voice) ? Voice : tenant.Voice;

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

    /// <summary>An example of what to say when <paramref name="expecting"/> is asked for and the caller was not
    /// understood; null where the question carries its own (the open question, a service: the services are listed).</summary>
    public string? ExampleFor(Expecting expecting) => expecting switch
    {
        Expecting.Date => ExampleDate,
        Expecting.Time => ExampleTime,
        Expecting.Name => ExampleName,
        Expecting.Phone => ExamplePhone,
        Expecting.YesNo => ExampleYesNo,
        Expecting.Choice => ExampleChoice,
        _ => null,
    };

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
