using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Receptionist.Core.Phone;
using Receptionist.Core.Understanding;

namespace Receptionist.Cloud.Llm;

/// <summary>
/// Reads the model's JSON and keeps only what can be trusted: a service or topic the business really has, a date from
/// today up to <see cref="MaxDaysAhead"/> days ahead, a well-formed time, a phone number that normalises, a short
/// name. Everything else becomes null. Then merges it under the rules' own reading.
/// </summary>
public static partial class ModelAnswer
{
    public const int MaxDaysAhead = 60;

    private const int MaxChoice = 10;

    [GeneratedRegex(@"^\p{L}[\p{L}'\-]*(?: \p{L}[\p{L}'\-]*){0,3}$")]
    private static partial Regex NameShape();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>Reads the model's answer. False when it is not a JSON object (malformed output).</summary>
    public static bool TryRead(string? json, UnderstandingContext context, out Understood understood)
    {
        ArgumentNullException.ThrowIfNull(context);
        understood = Understood.Nothing;
        if (string.IsNullOrWhiteSpace(json))
        {
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            understood = new Understood(
                Intent: ParseEnum(String(root, "intent"), Intent.None),
                Answer: ParseAnswer(String(root, "answer")),
                Service: Service(String(root, "service"), context),
                Date: Date(String(root, "date"), context.Today),
                Time: Time(String(root, "time")),
                Name: Name(String(root, "name")),
                Phone: Phone(String(root, "phone")),
                Preference: ParseEnum(String(root, "preference"), TimePreference.None),
                Topic: Topic(String(root, "topic"), context),
                Corrects: root.TryGetProperty("corrects", out var c) && c.ValueKind == JsonValueKind.True,
                Choice: Choice(root));
            return true;
        }
    }

    /// <summary>The rules win: the model only fills what the rules left empty, and its intent counts only when the
    /// rules found none.</summary>
    public static Understood Merge(Understood rules, Understood model)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(model);
        return rules with
        {
            Intent = rules.Intent != Intent.None ? rules.Intent : model.Intent,
            Answer = rules.Answer != Answer.None ? rules.Answer : model.Answer,
            Service = rules.Service ?? model.Service,
            Date = rules.Date ?? model.Date,
            Time = rules.Time ?? model.Time,
            Name = rules.Name ?? model.Name,
            Phone = rules.Phone ?? model.Phone,
            Preference = rules.Preference != TimePreference.None ? rules.Preference : model.Preference,
            Topic = rules.Topic ?? model.Topic,
            Corrects = rules.Corrects || model.Corrects,
            Choice = rules.Choice ?? model.Choice,
        };
    }

    private static string? String(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static T ParseEnum<T>(string? value, T fallback)
        where T : struct, Enum =>
        value is not null && Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
        && !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            ? parsed
            : fallback;

    private static Answer ParseAnswer(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "yes" => Answer.Yes,
        "no" => Answer.No,
        _ => Answer.None,
    };

    private static string? Service(string? value, UnderstandingContext context) =>
        value is null ? null : context.Services.FirstOrDefault(s => string.Equals(s.Name, value.Trim(), StringComparison.OrdinalIgnoreCase))?.Name;

    private static string? Topic(string? value, UnderstandingContext context) =>
        value is null ? null : context.Topics.FirstOrDefault(t => string.Equals(t.Id, value.Trim(), StringComparison.Ordinal))?.Id;

    private static DateOnly? Date(string? value, DateOnly today) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
        && date >= today && date <= today.AddDays(MaxDaysAhead)
            ? date
            : null;

    private static SpokenTime? Time(string? value) =>
        TimeOnly.TryParseExact(value?.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? SpokenTime.Exact(time.Hour, time.Minute)
            : null;

    private static string? Name(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var name = Spaces().Replace(value.Trim(), " ");
        return name.Length is > 0 and <= 80 && NameShape().IsMatch(name) ? name : null;
    }

    private static string? Phone(string? value) => PhoneNumber.TryNormalize(value, out var e164) ? e164 : null;

    private static int? Choice(JsonElement root) =>
        root.TryGetProperty("choice", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n is >= 1 and <= MaxChoice
            ? n
            : null;
}
