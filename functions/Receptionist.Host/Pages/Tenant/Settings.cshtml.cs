using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Receptionist.Core.Tenants;
using Receptionist.Host.Owners;

namespace Receptionist.Host.Pages.Tenant;

/// <summary>The business's settings as a form: hours (split shifts as comma-separated ranges), closed dates, services,
/// facts, numbers, voice mode, reminders, digest, owner-alert batching and prompt overrides. Saved through <see cref="TenantSettings"/>: the
/// same validation as a tenant file, errors next to their fields, nothing half-saved.</summary>
public sealed class SettingsModel(OwnerViews views, TenantSettings settings) : TenantPageModel(views)
{
    public static readonly string[] Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>"mon" → "Monday".</summary>
    public static string DayName(string day) => ((DayOfWeek)((Array.IndexOf(Days, day) + 1) % 7)).ToString();

    [BindProperty]
    public SettingsForm Form { get; set; } = new();

    /// <summary>Errors by field path (<c>hours.mon</c>, <c>services[1].minutes</c>, …).</summary>
    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public IReadOnlyList<string> ErrorsFor(string field) =>
        Errors.Where(e => e.Field == field || e.Field.StartsWith(field + "[", StringComparison.Ordinal) || e.Field.StartsWith(field + ".", StringComparison.Ordinal))
            .Select(e => e.Message).ToList();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await settings.GetAsync(TenantId, ct) is not { } doc)
        {
            return NotFound();
        }

        Form = SettingsForm.From(doc);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await settings.GetAsync(TenantId, ct) is not { } current)
        {
            return NotFound();
        }

        var (doc, formErrors) = Form.ToDocument(current);
        var result = formErrors.Count > 0 ? new SettingsResult(null, formErrors) : await settings.SaveAsync(TenantId, doc, ct);
        if (!result.Ok)
        {
            Errors = result.Errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Notice = "Saved. The next call uses the new settings.";
        return RedirectToPage();
    }
}

/// <summary>The settings form's fields, as text the owner types.</summary>
public sealed class SettingsForm
{
    public string? Name { get; set; }
    public string? TimeZone { get; set; }
    public Dictionary<string, string?> Hours { get; set; } = [];
    public string? ClosedDates { get; set; }
    public List<ServiceRow> Services { get; set; } = [];
    public string? Facts { get; set; }
    public string? TransferNumber { get; set; }
    public string? NotifyNumber { get; set; }
    public string? VoiceMode { get; set; }
    public string? ReminderHoursBefore { get; set; }
    public string? DigestHour { get; set; }
    public string? OwnerAlertBatchMinutes { get; set; }
    public string? Prompts { get; set; }

    public sealed class ServiceRow
    {
        public string? Name { get; set; }
        public string? Minutes { get; set; }
        public string? PriceMin { get; set; }
        public string? PriceMax { get; set; }
    }

    public static SettingsForm From(TenantDocument d) => new()
    {
        Name = d.Name,
        TimeZone = d.TimeZone,
        Hours = SettingsModel.Days.ToDictionary(day => day, day => (string?)string.Join(", ", d.Hours?.GetValueOrDefault(day) ?? [])),
        ClosedDates = string.Join('\n', d.ClosedDates ?? []),
        Services = [.. (d.Services ?? []).Select(s => new ServiceRow
        {
            Name = s.Name, Minutes = s.Minutes.ToString(CultureInfo.InvariantCulture),
            PriceMin = s.PriceMin?.ToString(CultureInfo.InvariantCulture), PriceMax = s.PriceMax?.ToString(CultureInfo.InvariantCulture),
        })],
        Facts = Lines(d.Facts),
        TransferNumber = d.TransferNumber,
        NotifyNumber = d.NotifyNumber,
        VoiceMode = d.VoiceMode ?? "gather",
        ReminderHoursBefore = d.ReminderHoursBefore?.ToString(CultureInfo.InvariantCulture),
        DigestHour = d.DigestHour?.ToString(CultureInfo.InvariantCulture),
        OwnerAlertBatchMinutes = d.OwnerAlertBatchMinutes?.ToString(CultureInfo.InvariantCulture),
        Prompts = Lines(d.Prompts),
    };

    /// <summary>The document the form describes, on top of <paramref name="current"/> (what the form does not show, such
    /// as a service's synonyms, language and voice, is kept); errors for text that is not even a number or a line.</summary>
    public (TenantDocument Document, List<FieldError> Errors) ToDocument(TenantDocument current)
    {
        var errors = new List<FieldError>();
        var services = new List<ServiceDocument>();
        for (var i = 0; i < Services.Count; i++)
        {
            var row = Services[i];
            if (string.IsNullOrWhiteSpace(row.Name) && string.IsNullOrWhiteSpace(row.Minutes))
            {
                continue; // the blank row for a new service, left blank
            }

            var at = $"services[{services.Count}]";
            var minutes = Int(row.Minutes, at + ".minutes", errors) ?? 0;
            services.Add(new ServiceDocument
            {
                Name = row.Name?.Trim(),
                Minutes = minutes,
                PriceMin = Money(row.PriceMin, at + ".priceMin", errors),
                PriceMax = Money(row.PriceMax, at + ".priceMax", errors),
                Synonyms = current.Services?.FirstOrDefault(s => string.Equals(s.Name, row.Name?.Trim(), StringComparison.OrdinalIgnoreCase))?.Synonyms,
            });
        }

        var doc = new TenantDocument
        {
            Id = current.Id,
            Name = Name?.Trim(),
            Profession = current.Profession,
            PhoneNumbers = current.PhoneNumbers,
            TimeZone = TimeZone?.Trim(),
            Hours = SettingsModel.Days.ToDictionary(day => day, day => Split(Hours.GetValueOrDefault(day), ',')),
            ClosedDates = Split(ClosedDates, '\n'),
            Services = services.Count > 0 ? services : null,
            Facts = Pairs(Facts, "facts", errors),
            TransferNumber = Blank(TransferNumber),
            NotifyNumber = Blank(NotifyNumber),
            Subscription = current.Subscription,
            Language = current.Language,
            Voice = current.Voice,
            VoiceMode = Blank(VoiceMode) is "gather" ? null : Blank(VoiceMode),
            ReminderHoursBefore = Int(ReminderHoursBefore, "reminderHoursBefore", errors),
            DigestHour = Int(DigestHour, "digestHour", errors),
            OwnerAlertBatchMinutes = Int(OwnerAlertBatchMinutes, "ownerAlertBatchMinutes", errors),
            Prompts = Pairs(Prompts, "prompts", errors),
        };
        return (doc, errors);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static List<string> Split(string? text, char by) =>
        (text ?? string.Empty).Split(by, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int? Int(string? text, string field, List<FieldError> errors)
    {
        if (Blank(text) is not { } t)
        {
            return null;
        }

        if (int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add(new FieldError(field, $"'{t}' is not a whole number"));
        return null;
    }

    private static decimal? Money(string? text, string field, List<FieldError> errors)
    {
        if (Blank(text) is not { } t)
        {
            return null;
        }

        if (decimal.TryParse(t.TrimStart('$'), NumberStyles.Number, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add(new FieldError(field, $"'{t}' is not an amount"));
        return null;
    }

    /// <summary>"key: value" lines (facts, prompt overrides).</summary>
    private static Dictionary<string, string>? Pairs(string? text, string field, List<FieldError> errors)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Split(text, '\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == line.Length - 1)
            {
                errors.Add(new FieldError(field, $"'{line}' is not a line \"name: text\""));
                continue;
            }

            pairs[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return pairs.Count > 0 ? pairs : null;
    }

    private static string Lines(Dictionary<string, string>? pairs) => string.Join('\n', (pairs ?? []).Select(p => $"{p.Key}: {p.Value}"));
}
