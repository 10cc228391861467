using Receptionist.Core.Scheduling;

namespace Receptionist.Core.Tenants;

public enum SubscriptionStatus
{
    Active,
    Inactive,
}

/// <summary>A service the business offers (from the tenant, or the profession's defaults).</summary>
public sealed record ServiceOffering(string Name, int Minutes, decimal? PriceMin, decimal? PriceMax, IReadOnlyList<string> Synonyms)
{
    public static ServiceOffering Create(string name, int minutes, decimal? priceMin = null, decimal? priceMax = null) =>
        new(name, minutes, priceMin, priceMax, []);
}

/// <summary>A business (tenant), validated: numbers in E.164, a resolvable time zone, well-formed hours.</summary>
public sealed record Tenant(
    string Id,
    string Name,
    string ProfessionId,
    IReadOnlyList<string> PhoneNumbers,
    TimeZoneInfo TimeZone,
    IReadOnlyDictionary<DayOfWeek, IReadOnlyList<TimeRange>> Hours,
    IReadOnlySet<DateOnly> ClosedDates,
    IReadOnlyList<ServiceOffering>? Services,
    IReadOnlyDictionary<string, string> Facts,
    string? TransferNumber,
    string? NotifyNumber,
    SubscriptionStatus Subscription,
    string Language,
    string Voice)
{
    /// <summary>The owner's wording for some states, by prompt name (validated against <see cref="Professions.ProfessionPrompts"/>).</summary>
    public IReadOnlyDictionary<string, string> PromptOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>How the tenant's Twilio calls are handled (the tenant file's <c>voiceMode</c>).</summary>
    public VoiceMode VoiceMode { get; init; } = VoiceMode.Gather;

    /// <summary>How long before an appointment its reminder goes out (the tenant file's <c>reminderHoursBefore</c>);
    /// <see cref="TimeSpan.Zero"/>: no reminders.</summary>
    public TimeSpan ReminderLead { get; init; } = DefaultReminderLead;

    public static readonly TimeSpan DefaultReminderLead = TimeSpan.FromHours(24);

    /// <summary>The hour (0–23, local) of the owner's daily digest text (the tenant file's <c>digestHour</c>), or null: none.</summary>
    public int? DigestHour { get; init; }

    /// <summary>How long non-urgent message alerts are gathered into one owner text (the tenant file's
    /// <c>ownerAlertBatchMinutes</c>); <see cref="TimeSpan.Zero"/>: each at once. Urgent ones always go at once.</summary>
    public TimeSpan OwnerAlertBatch { get; init; } = TimeSpan.Zero;

    /// <summary>Where callers are told to find the business (the <c>address</c> fact), or null.</summary>
    public string? Address => Facts.TryGetValue("address", out var a) && !string.IsNullOrWhiteSpace(a) ? a.Trim() : null;

    public IReadOnlyList<TimeRange> HoursOn(DateOnly date) =>
        ClosedDates.Contains(date) || !Hours.TryGetValue(date.DayOfWeek, out var ranges) ? [] : ranges;

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    /// <summary>The instant of a local wall-clock time in the tenant's zone, with the zone's offset at that moment.</summary>
    public DateTimeOffset AtLocal(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (TimeZone.IsInvalidTime(local))
        {
            local = local.AddHours(1); // the spring-forward gap: the wall clock jumps over this hour
        }

        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }
}

/// <summary>Validated tenants by id, as the app reads them (cached briefly per process).</summary>
public interface ITenants
{
    Task<Tenant?> ByIdAsync(string tenantId, CancellationToken cancellationToken);
}
