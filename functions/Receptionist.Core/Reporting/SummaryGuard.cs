using System.Globalization;
using System.Text.RegularExpressions;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Reporting;

/// <summary>
/// Whether a summary someone else wrote (the LLM) may stand in for the rules' one: it must not state a time, a day or
/// a change the call did not make. Every clock time it names must be the time of an appointment the call booked, moved
/// or cancelled; every weekday it names must be one of theirs or the day of the call; it may say "booked", "moved" or
/// "cancelled" only if the call did that (or in a denial: "nothing was booked", "didn't book"). Anything else and the
/// rules' summary is kept — a refusal costs the owner a plainer text, an acceptance of a wrong one would cost a booking. Pure.
/// </summary>
public static partial class SummaryGuard
{
    public static bool MayReplace(string written, CallSummary rules, Tenant tenant, DateTimeOffset callStarted)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(tenant);
        if (string.IsNullOrWhiteSpace(written) || written.Length > MaxLength)
        {
            return false;
        }

        var starts = rules.Appointments.Where(a => a.Start is not null).Select(a => tenant.ToLocal(a.Start!.Value)).ToList();
        foreach (Match m in ClockTime().Matches(written))
        {
            var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minute = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            if (m.Groups["ampm"].Success)
            {
                var pm = m.Groups["ampm"].Value.StartsWith('p') || m.Groups["ampm"].Value.StartsWith('P');
                hour = hour % 12 + (pm ? 12 : 0);
            }

            if (!starts.Any(s => s.Minute == minute && (s.Hour == hour || (!m.Groups["ampm"].Success && s.Hour % 12 == hour % 12))))
            {
                return false;
            }
        }

        var days = starts.Select(s => s.DayOfWeek).Append(tenant.ToLocal(callStarted).DayOfWeek).ToHashSet();
        foreach (Match m in Weekday().Matches(written))
        {
            if (!Enum.TryParse<DayOfWeek>(m.Value, ignoreCase: true, out var day) || !days.Contains(day))
            {
                return false;
            }
        }

        var changes = rules.Appointments.Select(a => a.Change).ToHashSet(StringComparer.Ordinal);
        foreach (var (word, change) in ChangeWords)
        {
            if (!changes.Contains(change) && Regex.IsMatch(written, $@"(?<!(?:\bnot|\bno|\bnothing|\bnever|n't)(?:\s+\w+){{0,3}}\s+)\b{word}\b(?!\s+nothing)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Longer than a text message or two is not a summary.</summary>
    public const int MaxLength = 400;

    private static readonly (string Word, string Change)[] ChangeWords =
    [
        ("booked", CallNotes.BookedKind), ("scheduled", CallNotes.BookedKind),
        ("moved", CallNotes.MovedKind), ("rescheduled", CallNotes.MovedKind),
        ("cancelled", CallNotes.CancelledKind), ("canceled", CallNotes.CancelledKind),
    ];

    [GeneratedRegex(@"\b(?<h>[01]?\d|2[0-3])(?::(?<m>[0-5]\d))?\s*(?<ampm>[ap]\.?m\.?)|\b(?<h>[01]?\d|2[0-3]):(?<m>[0-5]\d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ClockTime();

    [GeneratedRegex(@"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Weekday();
}
