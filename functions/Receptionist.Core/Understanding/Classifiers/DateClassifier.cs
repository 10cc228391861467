using System.Globalization;
using System.Text.RegularExpressions;

namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>
/// The day a caller names, against "today" in the business's time zone. Weekday rule: "Friday", "on Friday", "this
/// Friday" and "coming Friday" mean the first Friday strictly after today (today itself is "today"); "next Friday",
/// "Friday next week", "next week Friday" and "the following Friday" mean the Friday of next week (weeks run Monday to
/// Sunday). A day of the month with a weekday ("Thursday the 24th") is the next such date that falls on that weekday,
/// looking at the next two; if neither does, the nearest date wins. Holidays by name are the next one.
/// </summary>
public static partial class DateClassifier
{
    private static string Weekdays(Lexicon lex) => string.Join('|', lex.Weekdays.Keys);

    private static string Months(Lexicon lex) => string.Join('|', lex.Months.Keys.OrderByDescending(m => m.Length));

    private static Regex WeekdayPattern(Lexicon lex) => lex.Pattern(@"\b(" + Weekdays(lex) + @")s?\b");

    private static Regex FromPattern(Lexicon lex) => lex.Pattern(
        @"\b(a|an|\d{1,2}|a couple of|couple of) (day|days|week|weeks|fortnight) (?:from|after) (now|today|tomorrow|" + Weekdays(lex) + @")\b");

    private static Regex InPattern(Lexicon lex) => lex.Pattern(
        @"\bin (a|an|\d{1,2}|a couple of|couple of|a few|few) (day|days|week|weeks|fortnight|month|months|year|years)\b");

    private static Regex MonthDayPattern(Lexicon lex) => lex.Pattern(
        @"\b(" + Months(lex) + @")(?:\s|/)?(?:the\s)?(\d{1,2})(?:st|nd|rd|th)?\b(?:\s(20\d{2})\b)?");

    private static Regex DayMonthPattern(Lexicon lex) => lex.Pattern(
        @"\b(?:the\s)?(\d{1,2})(?:st|nd|rd|th)?\s(?:day\s)?(?:of\s)?(" + Months(lex) + @")\b(?:\s(?:in\s)?(20\d{2})\b)?");

    private static Regex DayNextMonthPattern(Lexicon lex) => lex.Pattern(@"\b(?:the\s)?(\d{1,2})(?:st|nd|rd|th)\s(?:day\s)?(?:of\s)?next month\b");

    private static Regex SlashPattern(Lexicon lex) => lex.Pattern(@"\b(\d{1,2})/(\d{1,2})(/(\d{2,4}))?\b|\b(\d{1,2})-(\d{1,2})-(\d{4})\b");

    private static Regex IsoPattern(Lexicon lex) => lex.Pattern(@"\b(\d{4})-(\d{1,2})-(\d{1,2})\b");

    private static Regex WeekdayBefore(Lexicon lex) => lex.Pattern(@"\b(?:" + Weekdays(lex) + "|" + string.Join('|', lex.WeekdayAbbreviations) + @")s? (?:the )?$");

    /// <summary>Whether the words just before <paramref name="at"/> make the day a deadline ("before the 10th").</summary>
    private static bool Deadline(string t, int at, Lexicon lex) =>
        lex.DeadlineWords.Any(d => t[..at].TrimEnd().EndsWith(" " + d, StringComparison.Ordinal) || t[..at].TrimEnd() == d);

    private static Regex OrdinalPattern(Lexicon lex) => lex.Pattern(
        @"\b(?:the|on|at|" + Weekdays(lex) + "|" + string.Join('|', lex.WeekdayAbbreviations) + @") (\d{1,2})(st|nd|rd|th)\b");

    private static Regex Greeting(Lexicon lex) => lex.Pattern(
        @"\b(?:happy|merry) (?:christmas eve|christmas|xmas|thanksgiving|new year's eve|new years eve|new year's day|new years day|new year's|new year|4th of july|independence day|memorial day|labor day|valentine's day|valentines day|holidays)\b");

    public static DateOnly? Classify(Utterance u, DateOnly today)
    {
        var lex = u.Lexicon;
        var t = lex.Pattern(@"\b(?:" + string.Join('|', lex.TomorrowSpellings) + @")\b").Replace(u.Text, "tomorrow");
        if (SpeechText.HasPhrase(t, "day after tomorrow"))
        {
            return today.AddDays(2);
        }

        var from = FromPattern(lex).Match(t);
        if (from.Success)
        {
            var basis = from.Groups[3].Value switch
            {
                "now" or "today" => today,
                "tomorrow" => today.AddDays(1),
                var day => NextWeekday(today, lex.Weekdays[day], next: false),
            };
            return basis.AddDays(Count(from.Groups[1].Value) * UnitDays(from.Groups[2].Value));
        }

        var inMatch = InPattern(lex).Match(t);
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

        var iso = IsoPattern(lex).Match(t);
        if (iso.Success && TryDate(Int(iso.Groups[1]), Int(iso.Groups[2]), Int(iso.Groups[3]), out var isoDate))
        {
            return isoDate;
        }

        var md = MonthDayPattern(lex).Match(t);
        if (md.Success)
        {
            return Dated(today, md.Groups[3], lex.Months[md.Groups[1].Value], Int(md.Groups[2]));
        }

        var dm = DayMonthPattern(lex).Match(t);
        if (dm.Success)
        {
            return Dated(today, dm.Groups[3], lex.Months[dm.Groups[2].Value], Int(dm.Groups[1]));
        }

        var nextMonth = DayNextMonthPattern(lex).Match(t);
        if (nextMonth.Success)
        {
            var month = today.AddMonths(1);
            return TryDate(month.Year, month.Month, Int(nextMonth.Groups[1]), out var d) ? d : null;
        }

        var slash = SlashPattern(lex).Match(t);
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
        // Of several days of the month, one said with its weekday ("before the 10th … Friday the 4th") is the one
        // asked for; one after "before"/"by" is a deadline, not a day.
        var ordinals = OrdinalPattern(lex).Matches(t).Where(o => !Deadline(t, o.Index, lex)).ToList();
        var ordinal = ordinals.FirstOrDefault(o => WeekdayBefore(lex).IsMatch(t[..o.Index])) ?? ordinals.FirstOrDefault() ?? Match.Empty;
        if (ordinal.Success && !WeekdayBefore(lex).IsMatch(t[..ordinal.Index]) && WeekdayPattern(lex).Match(t) is { Success: true } weekdaySaid
            && u.Parts() is { Count: > 1 } parts && !parts.Any(p => p.Has(weekdaySaid.Groups[1].Value) && p.Text.Contains(ordinal.Groups[1].Value + ordinal.Groups[2].Value, StringComparison.Ordinal)))
        {
            // "Closing is on the 18th, so … Is Tuesday at 9 open?": a day of the month said in another part than the
            // weekday asked for was said in passing; the weekday is the day.
            ordinal = Match.Empty;
        }
        if (ordinal.Success)
        {
            var day = Int(ordinal.Groups[1]);
            var named = WeekdayPattern(lex).Match(t);
            DateOnly? first = null;
            var seen = 0;
            for (var m = 0; m < 3 && seen < 2; m++)
            {
                var month = today.AddMonths(m);
                if (TryDate(month.Year, month.Month, day, out var d) && d >= today)
                {
                    seen++;
                    first ??= d;
                    if (!named.Success || d.DayOfWeek == lex.Weekdays[named.Groups[1].Value])
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

        if (Holiday(t, today, lex) is { } holiday)
        {
            return holiday;
        }

        if (InALaterWeek(t, today, lex) is { } later)
        {
            return later;
        }

        var weekday = WeekdayPattern(lex).Match(t);
        return weekday.Success ? NextWeekday(today, lex.Weekdays[weekday.Groups[1].Value], next: false) : null;
    }

    private static int Int(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);

    /// <summary>US public holidays callers name instead of a date: the next one on or after today.</summary>
    private static DateOnly? Holiday(string t, DateOnly today, Lexicon lex)
    {
        t = Greeting(lex).Replace(t, " "); // "Merry Christmas", "Happy Thanksgiving" are greetings, not dates
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
