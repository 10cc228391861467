using System.Globalization;
using System.Text.RegularExpressions;

namespace Receptionist.Core.Understanding;

/// <summary>
/// Resolves spoken dates and times against "today" in the tenant's time zone. Input is <see cref="SpeechText.Normalize"/>d.
/// Weekday rule: "Friday" and "this Friday" mean the soonest Friday from today (today included);
/// "next Friday" means the Friday of next week (weeks start on Monday).
/// </summary>
public static partial class DateTimeResolver
{
    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.Ordinal)
    {
        ["monday"] = DayOfWeek.Monday, ["mon"] = DayOfWeek.Monday, ["tuesday"] = DayOfWeek.Tuesday, ["tue"] = DayOfWeek.Tuesday,
        ["tues"] = DayOfWeek.Tuesday, ["wednesday"] = DayOfWeek.Wednesday, ["wed"] = DayOfWeek.Wednesday,
        ["thursday"] = DayOfWeek.Thursday, ["thu"] = DayOfWeek.Thursday, ["thurs"] = DayOfWeek.Thursday,
        ["friday"] = DayOfWeek.Friday, ["fri"] = DayOfWeek.Friday, ["saturday"] = DayOfWeek.Saturday, ["sat"] = DayOfWeek.Saturday,
        ["sunday"] = DayOfWeek.Sunday, ["sun"] = DayOfWeek.Sunday,
    };

    [GeneratedRegex(@"\b(this|next|on|coming)?\s?(monday|tuesday|tues|wednesday|thursday|thurs|friday|saturday|sunday)s?\b")]
    private static partial Regex WeekdayPattern();

    [GeneratedRegex(@"\bin (a|1|2|3|4|5|6|7|8|9|10|couple of) (day|days|week|weeks)\b")]
    private static partial Regex InPattern();

    [GeneratedRegex(@"\ba week from (today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")]
    private static partial Regex WeekFromPattern();

    [GeneratedRegex(@"\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\s(the\s)?(\d{1,2})(st|nd|rd|th)?\b")]
    private static partial Regex MonthDayPattern();

    [GeneratedRegex(@"\b(the\s)?(\d{1,2})(st|nd|rd|th)\s(of\s)?(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b")]
    private static partial Regex DayMonthPattern();

    [GeneratedRegex(@"\b(\d{1,2})/(\d{1,2})(/(\d{2,4}))?\b")]
    private static partial Regex SlashPattern();

    [GeneratedRegex(@"\b(\d{4})-(\d{2})-(\d{2})\b")]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"\bthe (\d{1,2})(st|nd|rd|th)\b")]
    private static partial Regex OrdinalPattern();

    [GeneratedRegex(@"\b(\d{1,2})(?::(\d{2})|\s(\d{2}))?\s?(am|pm)\b")]
    private static partial Regex MeridiemPattern();

    [GeneratedRegex(@"\b(\d{1,2}):(\d{2})\b")]
    private static partial Regex ColonPattern();

    [GeneratedRegex(@"\b(half|quarter) (past|after|to|til|till|before) (\d{1,2})\b")]
    private static partial Regex RelativePattern();

    [GeneratedRegex(@"\b(\d{1,2})(?:\s(\d{2}))?\s?o'?clock\b")]
    private static partial Regex OclockPattern();

    [GeneratedRegex(@"\b(?:at|around|about|for|by)\s(\d{1,2})(?:\s(\d{2}))?\b(?!\s?(?:st|nd|rd|th|/|days?|weeks?|minutes?|hours?))")]
    private static partial Regex AtPattern();

    [GeneratedRegex(@"^(?:(?:um|uh|how about|what about|maybe|let's say|lets say|let's do|make it|say|at|around|about)\s)*(\d{1,2})(?:\s(\d{2}))?(?:\s(?:please|would be great|works|is fine|is good))?$")]
    private static partial Regex BareTimePattern();

    /// <summary>Business hours assumed by <see cref="Resolve"/> when none are given: 09:00-17:00 every day.</summary>
    public static IReadOnlyList<Scheduling.TimeRange> DefaultHours { get; } = [new(new TimeOnly(9, 0), new TimeOnly(17, 0))];

    /// <summary>
    /// Resolves the date, time and time-of-day preference in one utterance (raw caller text). A time without am/pm is
    /// read as the reading inside <paramref name="hoursOn"/> of the resolved date (today when no date is said; default
    /// 09:00-17:00); when neither or both readings fall inside, 7-11 mean am and 12, 1-6 mean pm. A bare number ("10")
    /// counts as a time only when <paramref name="expectingTime"/>.
    /// </summary>
    public static ResolvedWhen Resolve(string utterance, DateOnly today, bool expectingTime = false, Func<DateOnly, IReadOnlyList<Scheduling.TimeRange>>? hoursOn = null)
    {
        var text = SpeechText.Normalize(utterance);
        var date = ResolveDate(text, today);
        var spoken = ResolveTime(text, expectingTime);
        var preference = ResolvePreference(text);
        TimeOnly? time = spoken is { } s ? ChooseReading(s, (hoursOn ?? (_ => DefaultHours))(date ?? today), 15) : null;
        return new ResolvedWhen(date, time, spoken is null ? preference : TimePreference.None);
    }

    /// <summary>Picks the am or pm reading of a time: the one inside the opening hours (the whole service must fit),
    /// else 7-11 am and 12, 1-6 pm.</summary>
    public static TimeOnly ChooseReading(SpokenTime time, IReadOnlyList<Scheduling.TimeRange> hours, int minutes)
    {
        if (time.ExactTime is { } exact)
        {
            return exact;
        }

        var candidates = time.Candidates().ToList();
        var inHours = candidates.Where(c => hours.Any(r => r.Contains(c, minutes))).ToList();
        if (inHours.Count == 1)
        {
            return inHours[0];
        }

        return time.Hour is >= 7 and <= 11 ? candidates[0] : candidates[1];
    }

    /// <summary>"morning", "afternoon", "evening", "first thing", "after lunch" without a clock time.</summary>
    public static TimePreference ResolvePreference(string normalized)
    {
        var t = normalized;
        if (SpeechText.HasPhrase(t, "first thing") || SpeechText.HasPhrase(t, "earliest") || SpeechText.HasPhrase(t, "as early as"))
        {
            return TimePreference.Earliest;
        }

        if (SpeechText.HasPhrase(t, "after lunch"))
        {
            return TimePreference.AfterLunch;
        }

        if (SpeechText.HasPhrase(t, "morning"))
        {
            return TimePreference.Morning;
        }

        if (SpeechText.HasPhrase(t, "afternoon"))
        {
            return TimePreference.Afternoon;
        }

        return SpeechText.HasPhrase(t, "evening") || SpeechText.HasPhrase(t, "tonight") || SpeechText.HasPhrase(t, "after work")
            ? TimePreference.Evening
            : TimePreference.None;
    }

    public static DateOnly? ResolveDate(string normalized, DateOnly today)
    {
        var t = normalized;
        if (SpeechText.HasPhrase(t, "day after tomorrow"))
        {
            return today.AddDays(2);
        }

        if (SpeechText.HasPhrase(t, "tomorrow"))
        {
            var weekFrom = WeekFromPattern().Match(t);
            return weekFrom.Success && weekFrom.Groups[1].Value == "tomorrow" ? today.AddDays(8) : today.AddDays(1);
        }

        var wf = WeekFromPattern().Match(t);
        if (wf.Success)
        {
            var basis = wf.Groups[1].Value == "today" ? today : NextWeekday(today, DayNames[wf.Groups[1].Value], next: false);
            return basis.AddDays(7);
        }

        if (SpeechText.HasPhrase(t, "today") || SpeechText.HasPhrase(t, "tonight") || SpeechText.HasPhrase(t, "this morning")
            || SpeechText.HasPhrase(t, "this afternoon") || SpeechText.HasPhrase(t, "this evening"))
        {
            return today;
        }

        var inMatch = InPattern().Match(t);
        if (inMatch.Success)
        {
            var n = inMatch.Groups[1].Value switch { "a" => 1, "couple of" => 2, var v => int.Parse(v, CultureInfo.InvariantCulture) };
            return today.AddDays(inMatch.Groups[2].Value.StartsWith("week", StringComparison.Ordinal) ? 7 * n : n);
        }

        var iso = IsoPattern().Match(t);
        if (iso.Success && TryDate(int.Parse(iso.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(iso.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(iso.Groups[3].Value, CultureInfo.InvariantCulture), out var isoDate))
        {
            return isoDate;
        }

        var md = MonthDayPattern().Match(t);
        if (md.Success)
        {
            return InYear(today, Month(md.Groups[1].Value), int.Parse(md.Groups[3].Value, CultureInfo.InvariantCulture));
        }

        var dm = DayMonthPattern().Match(t);
        if (dm.Success)
        {
            return InYear(today, Month(dm.Groups[5].Value), int.Parse(dm.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        var slash = SlashPattern().Match(t);
        if (slash.Success)
        {
            var month = int.Parse(slash.Groups[1].Value, CultureInfo.InvariantCulture);
            var day = int.Parse(slash.Groups[2].Value, CultureInfo.InvariantCulture);
            if (slash.Groups[4].Success)
            {
                var year = int.Parse(slash.Groups[4].Value, CultureInfo.InvariantCulture);
                return TryDate(year < 100 ? 2000 + year : year, month, day, out var full) ? full : null;
            }

            return InYear(today, month, day);
        }

        var weekday = WeekdayPattern().Match(t);
        if (weekday.Success)
        {
            return NextWeekday(today, DayNames[weekday.Groups[2].Value], weekday.Groups[1].Value == "next");
        }

        var ordinal = OrdinalPattern().Match(t);
        if (ordinal.Success)
        {
            var day = int.Parse(ordinal.Groups[1].Value, CultureInfo.InvariantCulture);
            for (var m = 0; m < 3; m++)
            {
                var month = today.AddMonths(m);
                if (TryDate(month.Year, month.Month, day, out var d) && d >= today)
                {
                    return d;
                }
            }
        }

        return null;
    }

    /// <summary>The soonest such weekday from today (today included), or with <paramref name="next"/> that weekday in next week.</summary>
    public static DateOnly NextWeekday(DateOnly today, DayOfWeek day, bool next)
    {
        if (next)
        {
            var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
            return monday.AddDays(7 + (((int)day + 6) % 7));
        }

        return today.AddDays(((int)day - (int)today.DayOfWeek + 7) % 7);
    }

    public static SpokenTime? ResolveTime(string normalized, bool expectingTime)
    {
        var t = normalized;
        if (SpeechText.HasPhrase(t, "noon") || SpeechText.HasPhrase(t, "midday") || SpeechText.HasPhrase(t, "lunchtime"))
        {
            return SpokenTime.Exact(12, 0);
        }

        if (SpeechText.HasPhrase(t, "midnight"))
        {
            return SpokenTime.Exact(0, 0);
        }

        SpokenTime? found = null;
        var mer = MeridiemPattern().Match(t);
        if (mer.Success)
        {
            var hour = int.Parse(mer.Groups[1].Value, CultureInfo.InvariantCulture);
            var minuteText = mer.Groups[2].Success ? mer.Groups[2].Value : mer.Groups[3].Success ? mer.Groups[3].Value : "0";
            var minute = int.Parse(minuteText, CultureInfo.InvariantCulture);
            if (hour is >= 1 and <= 12 && minute < 60)
            {
                return SpokenTime.Exact((hour % 12) + (mer.Groups[4].Value == "pm" ? 12 : 0), minute);
            }
        }

        var rel = RelativePattern().Match(t);
        if (rel.Success)
        {
            var hour = int.Parse(rel.Groups[3].Value, CultureInfo.InvariantCulture);
            var delta = rel.Groups[1].Value == "half" ? 30 : 15;
            var before = rel.Groups[2].Value is "to" or "til" or "till" or "before";
            if (hour is >= 1 and <= 12)
            {
                found = before ? new SpokenTime(hour == 1 ? 12 : hour - 1, 60 - delta, false) : new SpokenTime(hour, delta, false);
            }
        }

        var colon = found is null ? ColonPattern().Match(t) : Match.Empty;
        if (colon.Success)
        {
            var hour = int.Parse(colon.Groups[1].Value, CultureInfo.InvariantCulture);
            var minute = int.Parse(colon.Groups[2].Value, CultureInfo.InvariantCulture);
            if (hour < 24 && minute < 60)
            {
                found = hour is 0 or > 12 ? SpokenTime.Exact(hour, minute) : new SpokenTime(hour, minute, false);
            }
        }

        if (found is null)
        {
            var m = OclockPattern().Match(t);
            if (!m.Success)
            {
                m = AtPattern().Match(t);
            }

            if (!m.Success && expectingTime)
            {
                m = BareTimePattern().Match(t);
            }

            if (m.Success)
            {
                var hour = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                var minute = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
                if (hour is >= 1 and <= 12 && minute < 60)
                {
                    found = new SpokenTime(hour, minute, false);
                }
                else if (hour is > 12 and < 24 && minute < 60)
                {
                    found = SpokenTime.Exact(hour, minute);
                }
            }
        }

        if (found is { MeridiemKnown: false } f)
        {
            if (SpeechText.HasPhrase(t, "in the morning") || SpeechText.HasPhrase(t, "this morning"))
            {
                return SpokenTime.Exact(f.Hour % 12, f.Minute);
            }

            if (SpeechText.HasPhrase(t, "in the afternoon") || SpeechText.HasPhrase(t, "in the evening") || SpeechText.HasPhrase(t, "tonight")
                || SpeechText.HasPhrase(t, "this afternoon") || SpeechText.HasPhrase(t, "this evening"))
            {
                return SpokenTime.Exact((f.Hour % 12) + 12, f.Minute);
            }
        }

        return found;
    }

    private static int Month(string name) =>
        Array.FindIndex(MonthNames, m => m.StartsWith(name[..3], StringComparison.Ordinal)) + 1;

    private static DateOnly? InYear(DateOnly today, int month, int day)
    {
        if (TryDate(today.Year, month, day, out var d) && d >= today)
        {
            return d;
        }

        return TryDate(today.Year + 1, month, day, out var next) ? next : null;
    }

    private static bool TryDate(int year, int month, int day, out DateOnly date)
    {
        date = default;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }
}

/// <summary>The outcome of <see cref="DateTimeResolver.Resolve"/>: a date, a time (am/pm decided), or a preference.</summary>
public readonly record struct ResolvedWhen(DateOnly? Date, TimeOnly? Time, TimePreference Preference);
