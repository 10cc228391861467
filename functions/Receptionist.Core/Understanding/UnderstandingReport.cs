using System.Globalization;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Understanding;

/// <summary>What one utterance was understood as, with the time's am/pm decided against the business's hours — the
/// shape `receptionist understand --json` prints.</summary>
public sealed record UnderstandingReport(
    string Intent,
    string? Date,
    string? Time,
    string? Service,
    string? Name,
    string? Phone,
    string? Preference,
    string? Topic,
    string? Answer)
{
    public static UnderstandingReport From(Understood u, Tenant tenant, IReadOnlyList<ServiceOffering> services, DateOnly today)
    {
        var minutes = services.FirstOrDefault(s => s.Name == u.Service)?.Minutes ?? Availability.GranuleMinutes;
        var time = u.Time is { } t ? Classifiers.TimeClassifier.ChooseReading(t, tenant.HoursOn(u.Date ?? today), minutes) : (TimeOnly?)null;
        return new UnderstandingReport(
            Camel(u.Intent.ToString()),
            u.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            time?.ToString("HH:mm", CultureInfo.InvariantCulture),
            u.Service,
            u.Name,
            u.Phone,
            u.Preference == TimePreference.None ? null : Camel(u.Preference.ToString()),
            u.Topic,
            u.Answer == Understanding.Answer.None ? null : Camel(u.Answer.ToString()));
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
