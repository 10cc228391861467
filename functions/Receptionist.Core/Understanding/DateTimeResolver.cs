using System.Globalization;
using System.Text.RegularExpressions;

namespace Receptionist.Core.Understanding;

/// <summary>
/// Resolves spoken dates and times against "today" in the tenant's time zone. Input is <see cref="SpeechText.Normalize"/>d.
/// Weekday rule: "Friday", "on Friday", "this Friday" and "coming Friday" mean the first Friday strictly after today
/// (today itself is "today"); "next Friday", "Friday next week", "next week Friday" and "the following Friday" mean the
/// Friday of next week (weeks run Monday to Sunday). A day of the month with a weekday ("Thursday the 24th") is the next
/// such date that falls on that weekday, looking at the next two; if neither does, the nearest date wins.
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

    private const string Weekdays = "monday|tuesday|tues|wednesday|thursday|thurs|friday|saturday|sunday";
    private const string Months = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";

    [GeneratedRegex(@"\b(?:(?:the )?(?:next|following) (?:week )?(?:on )?(" + Weekdays + @")s?|(" + Weekdays + @")s? (?:of )?next week|next week (?:on )?(" + Weekdays + @")s?)\b")]
    private static partial Regex NextWeekPattern();

    [GeneratedRegex(@"\b(" + Weekdays + @")s?\b")]
    private static partial Regex WeekdayPattern();

    [GeneratedRegex(@"\b(a|an|\d{1,2}|a couple of|couple of) (day|days|week|weeks|fortnight) (?:from|after) (now|today|tomorrow|" + Weekdays + @")\b")]
    private static partial Regex FromPattern();

    [GeneratedRegex(@"\bin (a|an|\d{1,2}|a couple of|couple of|a few|few) (day|days|week|weeks|fortnight|month|months|year|years)\b")]
    private static partial Regex InPattern();

    [GeneratedRegex(@"\b(" + Months + @")(?:\s|/)?(?:the\s)?(\d{1,2})(?:st|nd|rd|th)?\b(?:\s(20\d{2})\b)?")]
    private static partial Regex MonthDayPattern();

    [GeneratedRegex(@"\b(?:the\s)?(\d{1,2})(?:st|nd|rd|th)?\s(?:day\s)?(?:of\s)?(" + Months + @")\b(?:\s(?:in\s)?(20\d{2})\b)?")]
    private static partial Regex DayMonthPattern();

    [GeneratedRegex(@"\b(?:the\s)?(\d{1,2})(?:st|nd|rd|th)\s(?:day\s)?(?:of\s)?next month\b")]
    private static partial Regex DayNextMonthPattern();

    [GeneratedRegex(@"\b(\d{1,2})/(\d{1,2})(/(\d{2,4}))?\b|\b(\d{1,2})-(\d{1,2})-(\d{4})\b")]
    private static partial Regex SlashPattern();

    [GeneratedRegex(@"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"\b(?:the )?(\d{1,2})(st|nd|rd|th)\b")]
    private static partial Regex OrdinalPattern();

    [GeneratedRegex(@"\b(\d{1,2})(?::(\d{2})|\s(\d{2})|(\d{2}))?\s?(am|pm|a|p)\b(?!\s?\w*')")]
    private static partial Regex MeridiemPattern();

    [GeneratedRegex(@"\b(\d{1,2}):(\d{2})\b")]
    private static partial Regex ColonPattern();

    [GeneratedRegex(@"\b(half|quarter|\d{1,2}) (?:minutes |min |mins )?(past|after|to|til|till|before) (\d{1,2})\b(?!\s?(?:minutes|days|weeks|people))(?:\s?(am|pm)\b)?")]
    private static partial Regex RelativePattern();

    [GeneratedRegex(@"\b(?:happy|merry) (?:christmas eve|christmas|xmas|thanksgiving|new year's eve|new years eve|new year's day|new years day|new year's|new year|4th of july|independence day|memorial day|labor day|valentine's day|valentines day|holidays)\b")]
    private static partial Regex Greeting();

    [GeneratedRegex(@"\blike (\d{1,2}(?: \d{2})?(?: ?(?:am|pm))?)$")]
    private static partial Regex LikeAtTheEnd();

    [GeneratedRegex(@"\bhalf (\d{1,2})\b(?! (?:hours?|days?|weeks?|minutes?|people))")]
    private static partial Regex HalfHour();

    [GeneratedRegex(@"\b(\d{1,2})(?:\s(\d{2}))?\s?o'?clock\b")]
    private static partial Regex OclockPattern();

    [GeneratedRegex(@"\b(\d{1,2})(?:\s(\d{2}))? (?:in the (?:morning|afternoon|evening|night)|at night|tonight|this (?:morning|afternoon|evening))\b")]
    private static partial Regex PartOfDayPattern();

    [GeneratedRegex(@"(?<!\bhow )(?<!\bwhat )\b(?:at|around|about|for|by)\s(\d{1,2})(?:\s(\d{2}))?\b(?!\s?(?:st|nd|rd|th|/|days?|weeks?|months?|years?|minutes?|hours?|people|persons|kids|children|guests|of|dogs?|cats?|cars?|more)\b)")]
    private static partial Regex AtPattern();

    [GeneratedRegex(@"^(?:(?:um|uh|oh|well|no|sorry|actually|how about|what about|maybe|let's say|lets say|let's do|let's make it|make it|change it to|can we do|could we do|can you make it|say|at|around|about|ok|okay)\s)*(\d{1,2})(?:\s(\d{2}))?(?:\s(?:please|would be great|works|is fine|is good|is perfect|is great|is better|sounds good|sounds great|sounds perfect|would work|works for me|works best|then|instead|thanks|thank you))*$")]
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
        var t = Regex.Replace(normalized, @"\b(?:tmrw|tmw|tomorow|tommorow|tmr)\b", "tomorrow");
        if (SpeechText.HasPhrase(t, "day after tomorrow"))
        {
            return today.AddDays(2);
        }

        var from = FromPattern().Match(t);
        if (from.Success)
        {
            var basis = from.Groups[3].Value switch
            {
                "now" or "today" => today,
                "tomorrow" => today.AddDays(1),
                var day => NextWeekday(today, DayNames[day], next: false),
            };
            return basis.AddDays(Count(from.Groups[1].Value) * UnitDays(from.Groups[2].Value));
        }

        var inMatch = InPattern().Match(t);
        if (inMatch.Success)
        {
            var n = Count(inMatch.Groups[1].Value);
            return inMatch.Groups[2].Value switch
            {
                "month" or "months" => today.AddMonths(n),
                "year" or "years" => today.AddYears(n),
                var unit => today.AddDays(n * UnitDays(unit)),
            };
        }

        if (SpeechText.HasPhrase(t, "tomorrow"))
        {
            return today.AddDays(1);
        }

        if (SpeechText.HasPhrase(t, "today") || SpeechText.HasPhrase(t, "tonight") || SpeechText.HasPhrase(t, "this morning")
            || SpeechText.HasPhrase(t, "this afternoon") || SpeechText.HasPhrase(t, "this evening"))
        {
            return today;
        }

        var iso = IsoPattern().Match(t);
        if (iso.Success && TryDate(Int(iso.Groups[1]), Int(iso.Groups[2]), Int(iso.Groups[3]), out var isoDate))
        {
            return isoDate;
        }

        var md = MonthDayPattern().Match(t);
        if (md.Success)
        {
            return Dated(today, md.Groups[3], Month(md.Groups[1].Value), Int(md.Groups[2]));
        }

        var dm = DayMonthPattern().Match(t);
        if (dm.Success)
        {
            return Dated(today, dm.Groups[3], Month(dm.Groups[2].Value), Int(dm.Groups[1]));
        }

        var nextMonth = DayNextMonthPattern().Match(t);
        if (nextMonth.Success)
        {
            var month = today.AddMonths(1);
            return TryDate(month.Year, month.Month, Int(nextMonth.Groups[1]), out var d) ? d : null;
        }

        var slash = SlashPattern().Match(t);
        if (slash.Success)
        {
            var hyphen = slash.Groups[5].Success;
            var month = Int(slash.Groups[hyphen ? 5 : 1]);
            var day = Int(slash.Groups[hyphen ? 6 : 2]);
            if (month > 12 && day <= 12)
            {
                (month, day) = (day, month); // "22/04" can only be day/month
            }

            var yearGroup = slash.Groups[hyphen ? 7 : 4];
            if (yearGroup.Success)
            {
                var year = Int(yearGroup);
                return TryDate(year < 100 ? 2000 + year : year, month, day, out var full) ? full : null;
            }

            return InYear(today, month, day);
        }

        // "the 24th": the next such day of the month. "Thursday the 24th": of the next two 24ths, the one that is a
        // Thursday, so the weekday settles which month is meant; if neither is, the nearest date wins.
        var ordinal = OrdinalPattern().Match(t);
        if (ordinal.Success)
        {
            var day = Int(ordinal.Groups[1]);
            var named = WeekdayPattern().Match(t);
            DateOnly? first = null;
            var seen = 0;
            for (var m = 0; m < 3 && seen < 2; m++)
            {
                var month = today.AddMonths(m);
                if (TryDate(month.Year, month.Month, day, out var d) && d >= today)
                {
                    seen++;
                    first ??= d;
                    if (!named.Success || d.DayOfWeek == DayNames[named.Groups[1].Value])
                    {
                        return d;
                    }
                }
            }

            if (first is not null)
            {
                return first;
            }
        }

        if (Holiday(t, today) is { } holiday)
        {
            return holiday;
        }

        var nextWeek = NextWeekPattern().Match(t);
        if (nextWeek.Success)
        {
            var name = nextWeek.Groups[1].Success ? nextWeek.Groups[1].Value : nextWeek.Groups[2].Success ? nextWeek.Groups[2].Value : nextWeek.Groups[3].Value;
            return NextWeekday(today, DayNames[name], next: true);
        }

        var weekday = WeekdayPattern().Match(t);
        return weekday.Success ? NextWeekday(today, DayNames[weekday.Groups[1].Value], next: false) : null;
    }

    private static int Int(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);

    /// <summary>US public holidays callers name instead of a date: the next one on or after today.</summary>
    private static DateOnly? Holiday(string t, DateOnly today)
    {
        t = Greeting().Replace(t, " "); // "Merry Christmas", "Happy Thanksgiving" are greetings, not dates
        Func<int, DateOnly>? rule =
            SpeechText.HasPhrase(t, "christmas eve") ? y => new DateOnly(y, 12, 24)
            : SpeechText.HasPhrase(t, "christmas") || SpeechText.HasPhrase(t, "xmas") ? y => new DateOnly(y, 12, 25)
            : SpeechText.HasPhrase(t, "new year's eve") || SpeechText.HasPhrase(t, "new years eve") ? y => new DateOnly(y, 12, 31)
            : SpeechText.HasPhrase(t, "new year's day") || SpeechText.HasPhrase(t, "new years day") || SpeechText.HasPhrase(t, "new year's") ? y => new DateOnly(y, 1, 1)
            : SpeechText.HasPhrase(t, "thanksgiving") ? y => NthWeekday(y, 11, DayOfWeek.Thursday, 4)
            : SpeechText.HasPhrase(t, "black friday") ? y => NthWeekday(y, 11, DayOfWeek.Thursday, 4).AddDays(1)
            : SpeechText.HasPhrase(t, "independence day") || SpeechText.HasPhrase(t, "4th of july") ? y => new DateOnly(y, 7, 4)
            : SpeechText.HasPhrase(t, "memorial day") ? y => NthWeekday(y, 6, DayOfWeek.Monday, 1).AddDays(-7)
            : SpeechText.HasPhrase(t, "labor day") ? y => NthWeekday(y, 9, DayOfWeek.Monday, 1)
            : SpeechText.HasPhrase(t, "valentine's day") || SpeechText.HasPhrase(t, "valentines day") ? y => new DateOnly(y, 2, 14)
            : null;
        if (rule is null)
        {
            return null;
        }

        var shift = SpeechText.HasPhrase(t, "day after") ? 1 : SpeechText.HasPhrase(t, "day before") ? -1 : 0;
        var date = rule(today.Year).AddDays(shift);
        return date >= today ? date : rule(today.Year + 1).AddDays(shift);
    }

    /// <summary>The <paramref name="n"/>th given weekday of a month (1-based).</summary>
    private static DateOnly NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((int)day - (int)first.DayOfWeek + 7) % 7 + (7 * (n - 1)));
    }

    private static int Count(string n) => n switch
    {
        "a" or "an" => 1,
        "a couple of" or "couple of" => 2,
        "a few" or "few" => 3,
        _ => int.Parse(n, CultureInfo.InvariantCulture),
    };

    private static int UnitDays(string unit) => unit switch
    {
        "fortnight" => 14,
        "week" or "weeks" => 7,
        _ => 1,
    };

    private static DateOnly? Dated(DateOnly today, Group year, int month, int day) =>
        year.Success ? (TryDate(Int(year), month, day, out var d) ? d : null) : InYear(today, month, day);

    /// <summary>The first such weekday strictly after today, or with <paramref name="next"/> that weekday in next week.</summary>
    public static DateOnly NextWeekday(DateOnly today, DayOfWeek day, bool next)
    {
        if (next)
        {
            var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
            return monday.AddDays(7 + (((int)day + 6) % 7));
        }

        return today.AddDays((((int)day - (int)today.DayOfWeek + 6) % 7) + 1);
    }

    public static SpokenTime? ResolveTime(string normalized, bool expectingTime)
    {
        var t = HalfHour().Replace(normalized, "half past $1"); // "half two" (British): 2:30
        t = LikeAtTheEnd().Replace(t, "at $1"); // "Friday after work, like 6" (not "I'd like 2 haircuts")
        if (SpeechText.HasPhrase(t, "noon") || SpeechText.HasPhrase(t, "midday") || SpeechText.HasPhrase(t, "mid day"))
        {
            return SpokenTime.Exact(12, 0);
        }

        if (SpeechText.HasPhrase(t, "midnight") || SpeechText.HasPhrase(t, "mid night"))
        {
            return SpokenTime.Exact(0, 0);
        }

        SpokenTime? found = null;
        var mer = MeridiemPattern().Match(t);
        if (mer.Success)
        {
            var hour = int.Parse(mer.Groups[1].Value, CultureInfo.InvariantCulture);
            var minuteText = mer.Groups[2].Success ? mer.Groups[2].Value : mer.Groups[3].Success ? mer.Groups[3].Value : mer.Groups[4].Success ? mer.Groups[4].Value : "0";
            var minute = int.Parse(minuteText, CultureInfo.InvariantCulture);
            var relBeforeMeridiem = RelativePattern().Match(t);
            if (hour is >= 1 and <= 12 && minute < 60 && !(relBeforeMeridiem.Success && relBeforeMeridiem.Groups[4].Success))
            {
                return SpokenTime.Exact((hour % 12) + (mer.Groups[5].Value is "pm" or "p" ? 12 : 0), minute);
            }
        }

        var rel = RelativePattern().Match(t);
        if (rel.Success)
        {
            var hour = int.Parse(rel.Groups[3].Value, CultureInfo.InvariantCulture);
            var delta = rel.Groups[1].Value switch { "half" => 30, "quarter" => 15, var n => int.Parse(n, CultureInfo.InvariantCulture) };
            var before = rel.Groups[2].Value is "to" or "til" or "till" or "before";
            if (hour is >= 1 and <= 12 && delta is > 0 and < 60)
            {
                found = before ? new SpokenTime(hour == 1 ? 12 : hour - 1, 60 - delta, false) : new SpokenTime(hour, delta, false);
                if (rel.Groups[4].Success)
                {
                    var pm = rel.Groups[4].Value == "pm";
                    return SpokenTime.Exact((found.Value.Hour % 12) + (pm ? 12 : 0), found.Value.Minute);
                }
            }
        }

        if (found is null && PartOfDayPattern().Match(t) is { Success: true } part)
        {
            var hour = int.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            var minute = part.Groups[2].Success ? int.Parse(part.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            if (hour is >= 1 and <= 12 && minute < 60)
            {
                found = new SpokenTime(hour, minute, false);
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

        if (found is null && SpeechText.HasPhrase(t, "lunchtime"))
        {
            return SpokenTime.Exact(12, 0);
        }

        if (found is { MeridiemKnown: false } f)
        {
            if (SpeechText.HasPhrase(t, "in the morning") || SpeechText.HasPhrase(t, "this morning") || SpeechText.HasPhrase(t, "morning") && !SpeechText.HasPhrase(t, "afternoon"))
            {
                return SpokenTime.Exact(f.Hour % 12, f.Minute);
            }

            if (SpeechText.HasPhrase(t, "in the afternoon") || SpeechText.HasPhrase(t, "in the evening") || SpeechText.HasPhrase(t, "tonight")
                || SpeechText.HasPhrase(t, "this afternoon") || SpeechText.HasPhrase(t, "this evening") || SpeechText.HasPhrase(t, "at night") || SpeechText.HasPhrase(t, "in the night")
                || SpeechText.HasPhrase(t, "afternoon") && !SpeechText.HasPhrase(t, "morning") || SpeechText.HasPhrase(t, "evening") && !SpeechText.HasPhrase(t, "morning"))
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

        for (var year = today.Year + 1; year <= today.Year + 8; year++)
        {
            if (TryDate(year, month, day, out var next))
            {
                return next;
            }
        }

        return null;
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
