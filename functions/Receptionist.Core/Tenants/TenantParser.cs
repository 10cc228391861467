using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Receptionist.Core.Phone;
using Receptionist.Core.Scheduling;

namespace Receptionist.Core.Tenants;

/// <summary>A tenant that passed validation, with its document normalised (E.164 numbers, sorted hours).</summary>
public sealed record ValidTenant(Tenant Tenant, TenantDocument Document);

/// <summary>The outcome of reading a tenant file: every tenant valid, or every error (file and field named).</summary>
public sealed record TenantParseResult(IReadOnlyList<ValidTenant> Tenants, IReadOnlyList<string> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>Parses and validates tenant files (a single object or an array). Pure: no I/O.</summary>
public static partial class TenantParser
{
    private static readonly string[] DayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>A reminder at most a week ahead of its appointment.</summary>
    public const int MaxReminderHoursBefore = 168;

    /// <summary>Non-urgent owner alerts wait at most four hours for their batch.</summary>
    public const int MaxOwnerAlertBatchMinutes = 240;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex IdPattern();

    public static TenantParseResult Parse(string source, string json, Func<string, bool> professionExists)
    {
        List<TenantDocument> docs;
        bool isArray;
        try
        {
            using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            isArray = parsed.RootElement.ValueKind == JsonValueKind.Array;
            if (!isArray && parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Fail($"{source}: $: expected a tenant object or an array of tenants");
            }

            docs = isArray
                ? JsonSerializer.Deserialize<List<TenantDocument>>(json, TenantDocument.JsonOptions) ?? []
                : [JsonSerializer.Deserialize<TenantDocument>(json, TenantDocument.JsonOptions)!];
        }
        catch (JsonException ex)
        {
            return Fail($"{source}: {ex.Path ?? "$"}: {FirstSentence(ex.Message)}");
        }

        var errors = new List<string>();
        var valid = new List<ValidTenant>();
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var seenNumbers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < docs.Count; i++)
        {
            var prefix = isArray ? $"{source}: $[{i}]" : $"{source}: $";
            if (docs[i] is null)
            {
                errors.Add($"{prefix}: expected a tenant object");
                continue;
            }

            var before = errors.Count;
            var result = Validate(docs[i], prefix, professionExists, errors);
            if (result is null || errors.Count > before)
            {
                continue;
            }

            if (!seenIds.Add(result.Tenant.Id))
            {
                errors.Add($"{prefix}.id: '{result.Tenant.Id}' appears twice in the file");
            }

            foreach (var number in result.Tenant.PhoneNumbers)
            {
                if (seenNumbers.TryGetValue(number, out var other) && other != result.Tenant.Id)
                {
                    errors.Add($"{prefix}.phoneNumbers: {number} already belongs to tenant '{other}' in this file");
                }

                seenNumbers[number] = result.Tenant.Id;
            }

            valid.Add(result);
        }

        if (docs.Count == 0)
        {
            errors.Add($"{source}: $: the file holds no tenants");
        }

        return errors.Count > 0 ? new TenantParseResult([], errors) : new TenantParseResult(valid, []);
    }

    /// <summary>Rebuilds a tenant from its stored (already normalised) document; throws if it no longer validates.</summary>
    public static Tenant FromStored(TenantDocument doc, Func<string, bool> professionExists)
    {
        var errors = new List<string>();
        var result = Validate(doc, $"tenant '{doc.Id}'", professionExists, errors);
        return result is not null && errors.Count == 0
            ? result.Tenant
            : throw new InvalidDataException(string.Join("; ", errors));
    }

    private static ValidTenant? Validate(TenantDocument d, string at, Func<string, bool> professionExists, List<string> errors)
    {
        void Err(string field, string message) => errors.Add($"{at}.{field}: {message}");

        if (string.IsNullOrWhiteSpace(d.Id) || !IdPattern().IsMatch(d.Id))
        {
            Err("id", "required; lowercase letters, digits and '-', 2-63 characters");
        }

        if (string.IsNullOrWhiteSpace(d.Name))
        {
            Err("name", "required");
        }

        if (string.IsNullOrWhiteSpace(d.Profession))
        {
            Err("profession", "required");
        }
        else if (!professionExists(d.Profession))
        {
            Err("profession", $"unknown profession '{d.Profession}' (no prompts/professions/{d.Profession}.json)");
        }

        var numbers = new List<string>();
        if (d.PhoneNumbers is null || d.PhoneNumbers.Count == 0)
        {
            Err("phoneNumbers", "at least one number is required");
        }
        else
        {
            for (var i = 0; i < d.PhoneNumbers.Count; i++)
            {
                if (PhoneNumber.TryNormalize(d.PhoneNumbers[i], out var e164))
                {
                    if (!numbers.Contains(e164))
                    {
                        numbers.Add(e164);
                    }
                }
                else
                {
                    Err($"phoneNumbers[{i}]", $"'{d.PhoneNumbers[i]}' is not a phone number");
                }
            }
        }

        TimeZoneInfo? zone = null;
        // Fixed-offset ids ("EST", "Etc/GMT+5") would put a US business an hour off all summer: require a region/city zone.
        if (string.IsNullOrWhiteSpace(d.TimeZone) || !d.TimeZone.Contains('/', StringComparison.Ordinal) || d.TimeZone.StartsWith("Etc/", StringComparison.Ordinal)
            || !TimeZoneInfo.TryFindSystemTimeZoneById(d.TimeZone, out zone))
        {
            zone = null;
            Err("timeZone", $"'{d.TimeZone}' is not an IANA region/city time zone (e.g. America/New_York)");
        }

        var hours = new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>();
        var normalisedHours = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (d.Hours is null)
        {
            Err("hours", "required (mon..sun, each a list of \"HH:mm-HH:mm\")");
        }
        else
        {
            foreach (var key in d.Hours.Keys.Where(k => !DayKeys.Contains(k)))
            {
                Err($"hours.{key}", "unknown day; use mon, tue, wed, thu, fri, sat, sun");
            }

            for (var day = 0; day < DayKeys.Length; day++)
            {
                var key = DayKeys[day];
                var ranges = new List<TimeRange>();
                var list = d.Hours.GetValueOrDefault(key) ?? [];
                for (var i = 0; i < list.Count; i++)
                {
                    if (TimeRange.TryParse(list[i], out var range))
                    {
                        ranges.Add(range);
                    }
                    else
                    {
                        Err($"hours.{key}[{i}]", $"'{list[i]}' is not a range \"HH:mm-HH:mm\" with start before end");
                    }
                }

                ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
                for (var i = 1; i < ranges.Count; i++)
                {
                    if (ranges[i].Start < ranges[i - 1].End)
                    {
                        Err($"hours.{key}", $"ranges {ranges[i - 1]} and {ranges[i]} overlap");
                    }
                }

                hours[(DayOfWeek)((day + 1) % 7)] = ranges;
                normalisedHours[key] = ranges.Select(r => r.ToString()).ToList();
            }
        }

        var closed = new HashSet<DateOnly>();
        for (var i = 0; i < (d.ClosedDates?.Count ?? 0); i++)
        {
            if (DateOnly.TryParseExact(d.ClosedDates![i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                closed.Add(date);
            }
            else
            {
                Err($"closedDates[{i}]", $"'{d.ClosedDates[i]}' is not a date yyyy-MM-dd");
            }
        }

        List<ServiceOffering>? services = null;
        if (d.Services is not null)
        {
            services = [];
            for (var i = 0; i < d.Services.Count; i++)
            {
                var s = d.Services[i];
                if (s is null)
                {
                    Err($"services[{i}]", "expected a service object with name and minutes");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(s.Name))
                {
                    Err($"services[{i}].name", "required");
                }

                if (s.Minutes < 15 || s.Minutes > 480 || s.Minutes % 15 != 0)
                {
                    Err($"services[{i}].minutes", $"{s.Minutes} is not a duration of 15 to 480 minutes in steps of 15");
                }

                if (s.PriceMin is < 0 || s.PriceMax is < 0 || (s.PriceMin is { } lo && s.PriceMax is { } hi && lo > hi))
                {
                    Err($"services[{i}].priceMin", "prices must be non-negative and priceMin <= priceMax");
                }

                if (services.Any(o => string.Equals(o.Name, s.Name?.Trim(), StringComparison.OrdinalIgnoreCase)))
                {
                    Err($"services[{i}].name", $"'{s.Name}' appears twice");
                }

                services.Add(new ServiceOffering(s.Name?.Trim() ?? "", s.Minutes, s.PriceMin, s.PriceMax, s.Synonyms ?? []));
            }

            if (services.Count == 0)
            {
                Err("services", "when given, list at least one service (or leave it out for the profession's defaults)");
            }
        }

        string? Number(string field, string? raw)
        {
            if (raw is null)
            {
                return null;
            }

            if (PhoneNumber.TryNormalize(raw, out var e164))
            {
                return e164;
            }

            Err(field, $"'{raw}' is not a phone number");
            return null;
        }

        var transfer = Number("transferNumber", d.TransferNumber);
        var notify = Number("notifyNumber", d.NotifyNumber);
        if (transfer is not null && numbers.Contains(transfer))
        {
            Err("transferNumber", "must not be one of the tenant's own numbers (the call would loop)");
        }

        var subscription = SubscriptionStatus.Active;
        if (d.Subscription is not null && !Enum.TryParse(d.Subscription, ignoreCase: true, out subscription))
        {
            Err("subscription", $"'{d.Subscription}' is not 'active' or 'inactive'");
        }

        var language = string.IsNullOrWhiteSpace(d.Language) ? "en-US" : d.Language;
        if (!Regex.IsMatch(language, "^[a-z]{2}-[A-Z]{2}$"))
        {
            Err("language", $"'{language}' is not a language tag like en-US");
        }

        var voiceMode = VoiceMode.Gather;
        if (!string.IsNullOrWhiteSpace(d.VoiceMode) && !VoiceModes.TryParse(d.VoiceMode, out voiceMode))
        {
            Err("voiceMode", $"'{d.VoiceMode}' is not one of {string.Join(", ", VoiceModes.Names)}");
        }

        if (d.ReminderHoursBefore is < 0 or > MaxReminderHoursBefore)
        {
            Err("reminderHoursBefore", $"{d.ReminderHoursBefore} is not a number of hours from 0 (no reminders) to {MaxReminderHoursBefore}");
        }

        if (d.DigestHour is < 0 or > 23)
        {
            Err("digestHour", $"{d.DigestHour} is not an hour from 0 to 23");
        }

        if (d.OwnerAlertBatchMinutes is < 0 or > MaxOwnerAlertBatchMinutes)
        {
            Err("ownerAlertBatchMinutes", $"{d.OwnerAlertBatchMinutes} is not a number of minutes from 0 (each message at once) to {MaxOwnerAlertBatchMinutes}");
        }

        if (errors.Count > 0 || zone is null)
        {
            return null;
        }

        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, text) in d.Prompts ?? [])
        {
            if (!Professions.ProfessionPrompts.Names.Contains(key))
            {
                Err($"prompts.{key}", $"unknown prompt; use one of {string.Join(", ", Professions.ProfessionPrompts.Names)}");
            }
            else if (string.IsNullOrWhiteSpace(text) || text.Length is < 5 or > 400)
            {
                Err($"prompts.{key}", "must be 5 to 400 characters");
            }
            else
            {
                prompts[key] = text.Trim();
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var facts = d.Facts ?? new Dictionary<string, string>();
        // A tenant without a voice of its own keeps it empty: its profession's voice applies (Profession.VoiceFor).
        var tenant = new Tenant(d.Id!, d.Name!.Trim(), d.Profession!, numbers, zone, hours, closed, services, facts, transfer, notify,
            subscription, language, d.Voice?.Trim() ?? string.Empty) {
            PromptOverrides = prompts,
            VoiceMode = voiceMode,
            ReminderLead = d.ReminderHoursBefore is { } lead ? TimeSpan.FromHours(lead) : Tenant.DefaultReminderLead,
            DigestHour = d.DigestHour,
            OwnerAlertBatch = TimeSpan.FromMinutes(d.OwnerAlertBatchMinutes ?? 0),
        };
        var doc = new TenantDocument
        {
            Id = tenant.Id, Name = tenant.Name, Profession = tenant.ProfessionId, PhoneNumbers = numbers, TimeZone = d.TimeZone,
            Hours = normalisedHours, ClosedDates = closed.Order().Select(c => c.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
            Services = d.Services, Facts = facts, TransferNumber = transfer, NotifyNumber = notify,
            Subscription = subscription.ToString().ToLowerInvariant(), Language = language, Voice = tenant.Voice.Length > 0 ? tenant.Voice : null,
            VoiceMode = voiceMode == VoiceMode.Gather ? null : VoiceModes.Name(voiceMode),
            Prompts = prompts.Count > 0 ? prompts : null,
            ReminderHoursBefore = d.ReminderHoursBefore,
            DigestHour = d.DigestHour,
            OwnerAlertBatchMinutes = d.OwnerAlertBatchMinutes,
        };
        return new ValidTenant(tenant, doc);
    }

    private static TenantParseResult Fail(string error) => new([], [error]);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
