using Receptionist.Core.Scheduling;
using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>A date, a time (am/pm decided), or a preference: what the date and time classifiers make of one utterance.</summary>
public readonly record struct ResolvedWhen(DateOnly? Date, TimeOnly? Time, TimePreference Preference);

/// <summary>Runs the date and time classifiers on an utterance as the rule understanding does (a time without am/pm read
/// against the hours of the day said, 09:00-17:00 by default), for the table-driven tests.</summary>
public static class SpokenWhen
{
    public static ResolvedWhen Resolve(string utterance, DateOnly today, bool expectingTime = false, Func<DateOnly, IReadOnlyList<TimeRange>>? hoursOn = null)
    {
        var u = Utterance.Read(utterance, Lexicon.English);
        var date = DateClassifier.Classify(u, today);
        var spoken = TimeClassifier.Classify(u, expectingTime);
        TimeOnly? time = spoken is { } s ? TimeClassifier.ChooseReading(s, (hoursOn ?? (_ => TimeClassifier.DefaultHours))(date ?? today), 15) : null;
        return new ResolvedWhen(date, time, spoken is null ? TimeClassifier.Preference(u) : TimePreference.None);
    }
}
