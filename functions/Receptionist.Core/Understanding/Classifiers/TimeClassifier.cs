using System.Globalization;
using System.Text.RegularExpressions;
using Receptionist.Core.Scheduling;

namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>The clock time a caller names ("3", "half past two", "ten thirty", "quarter to 4 in the afternoon"), with
/// am/pm when said, and the part of the day they prefer when they name none. A number is a time only with time context
/// (am/pm, o'clock, "at"/"around", minutes, a part of the day) or when a time is what was asked.</summary>
public static class TimeClassifier
{
    /// <summary>Business hours assumed when none are given: 09:00-17:00.</summary>
    public static IReadOnlyList<TimeRange> DefaultHours { get; } = [new(new TimeOnly(9, 0), new TimeOnly(17, 0))];

    private static Regex MeridiemPattern(Lexicon lex) => lex.Pattern(@"\b(\d{1,2})(?::(\d{2})|\s(\d{2})|(\d{2}))?\s?(am|pm|a|p)\b(?!\s?\w*')");

    private static Regex ColonPattern(Lexicon lex) => lex.Pattern(@"\b(\d{1,2}):(\d{2})\b");

    private static Regex RelativePattern(Lexicon lex) => lex.Pattern(@"\b(half|quarter|\d{1,2}) (?:minutes |min |mins )?(past|after|to|til|till|before) (\d{1,2})\b(?!\s?(?:minutes|days|weeks|people))(?:\s?(am|pm)\b)?");

    private static Regex LikeAtTheEnd(Lexicon lex) => lex.Pattern(@"\blike (\d{1,2}(?: \d{2})?(?: ?(?:am|pm))?)$");

    private static Regex HalfHour(Lexicon lex) => lex.Pattern(@"\bhalf (\d{1,2})\b(?! (?:hours?|days?|weeks?|minutes?|people))");

    private static Regex OclockPattern(Lexicon lex) => lex.Pattern(@"\b(\d{1,2})(?:\s(\d{2}))?\s?o'?clock\b");

    private static Regex PartOfDayPattern(Lexicon lex) => lex.Pattern(@"\b(\d{1,2})(?:\s(\d{2}))? (?:in the (?:morning|afternoon|evening|night)|at night|tonight|(?:this|that) (?:morning|afternoon|evening))\b");

    private static Regex LooseNumber(Lexicon lex) => lex.Pattern(@"\b(?:say|like|maybe|around)\s(\d{1,2})(?:\s(\d{2}))?\b(?:\s([a-z]+))?");

    private static Regex AtPattern(Lexicon lex) => lex.Pattern(@"(?<!\bhow )(?<!\bwhat )\b(?:at|around|about|for|by)\s(\d{1,2})(?:\s(\d{2}))?\b(?!\s?(?:st|nd|rd|th|/|days?|weeks?|months?|years?|minutes?|hours?|people|persons|kids|children|guests|of|dogs?|cats?|cars?|more)\b)");

    private static Regex BareTimePattern(Lexicon lex) => lex.Pattern(@"^(?:(?:um|uh|oh|well|no|sorry|actually|alright|all right|yeah|yes|hmm|so|then|and|like|how about|what about|maybe|let's say|lets say|let's do|let's make it|make it|change it to|can we do|could we do|can you make it|say|at|around|about|ok|okay)\s)*(\d{1,2})(?:\s(\d{2}))?(?:\s(?:please|would be great|works|is fine|is good|is perfect|is great|is better|sounds good|sounds great|sounds perfect|would work|works for me|works best|then|instead|thanks|thank you))*$");

    /// <summary>The part of the day the caller prefers when they give no clock time: the first part-of-day phrase said,
    /// or the earliest opening ("first thing", "the earliest you've got") — unless a part of the day narrows it ("the
    /// earliest after work" is the earliest evening) or a week is asked about ("the earliest you've got next week" asks
    /// for a day, not a time).</summary>
    public static TimePreference Preference(Utterance u, bool dateSaid = true)
    {
        var lex = u.Lexicon;
        var part = PartOfDaySaid(u);
        if (u.HasAny(lex.Earliest))
        {
            return part != TimePreference.None && part != TimePreference.Morning ? part
                : !dateSaid && u.HasAny(lex.WeekWords) ? TimePreference.None
                : TimePreference.Earliest;
        }

        return part;
    }

    /// <summary>The part of the day said first and not negated ("not in the morning, the afternoon" → afternoon;
    /// "mornings work best" → morning).</summary>
    private static TimePreference PartOfDaySaid(Utterance u)
    {
        var lex = u.Lexicon;
        var padded = " " + u.Text + " ";
        var best = (At: int.MaxValue, Preference: TimePreference.None);
        foreach (var (phrase, preference) in lex.PartsOfDay)
        {
            foreach (var form in new[] { phrase, phrase + "s" })
            {
                for (var at = padded.IndexOf(" " + form + " ", StringComparison.Ordinal); at >= 0; at = padded.IndexOf(" " + form + " ", at + 1, StringComparison.Ordinal))
                {
                    var before = padded[..at].Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(3);
                    if (!before.Any(w => lex.Negators.Contains(w) || w == "no") && at < best.At)
                    {
                        best = (at, preference);
                    }
                }
            }
        }

        return best.Preference;
    }

    /// <summary>Picks the am or pm reading of a time: the one inside the opening hours (the whole service must fit),
    /// else 7-11 am and 12, 1-6 pm.</summary>
    public static TimeOnly ChooseReading(SpokenTime time, IReadOnlyList<TimeRange> hours, int minutes)
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

    public static SpokenTime? Classify(Utterance u, bool expectingTime)
    {
        var lex = u.Lexicon;
        var t = HalfHour(lex).Replace(WithoutAddresses(u.Text, lex), "half past $1"); // "half two" (British): 2:30
        t = LikeAtTheEnd(lex).Replace(t, "at $1"); // "Friday after work, like 6" (not "I'd like 2 haircuts")
        foreach (var (phrase, time) in lex.NamedTimes)
        {
            if (SpeechText.HasPhrase(t, phrase) || SpeechText.HasPhrase(t, phrase + "'s"))
            {
                return SpokenTime.Exact(time.Hour, time.Minute);
            }
        }

        SpokenTime? found = null;
        var mer = MeridiemPattern(lex).Match(t);
        if (mer.Success)
        {
            var hour = int.Parse(mer.Groups[1].Value, CultureInfo.InvariantCulture);
            var minuteText = mer.Groups[2].Success ? mer.Groups[2].Value : mer.Groups[3].Success ? mer.Groups[3].Value : mer.Groups[4].Success ? mer.Groups[4].Value : "0";
            var minute = int.Parse(minuteText, CultureInfo.InvariantCulture);
            var relBeforeMeridiem = RelativePattern(lex).Match(t);
            if (hour is >= 1 and <= 12 && minute < 60 && !(relBeforeMeridiem.Success && relBeforeMeridiem.Groups[4].Success))
            {
                return SpokenTime.Exact((hour % 12) + (mer.Groups[5].Value is "pm" or "p" ? 12 : 0), minute);
            }
        }

        var rel = RelativePattern(lex).Match(t);
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

        if (found is null && PartOfDayPattern(lex).Match(t) is { Success: true } part)
        {
            var hour = int.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            var minute = part.Groups[2].Success ? int.Parse(part.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            if (hour is >= 1 and <= 12 && minute < 60)
            {
                found = new SpokenTime(hour, minute, false);
            }
        }

        var colon = found is null ? ColonPattern(lex).Match(t) : Match.Empty;
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
            var m = OclockPattern(lex).Match(t);
            if (!m.Success)
            {
                m = AtPattern(lex).Match(t);
            }

            if (!m.Success && expectingTime)
            {
                m = BareTimePattern(lex).Match(t);
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

        if (found is null && !expectingTime && (Utterance.Contains(t, lex.Weekdays.Keys) || Utterance.Contains(t, lex.PartsOfDay.Select(p => p.Phrase)))
            && LooseNumber(lex).Match(t) is { Success: true } said && (!said.Groups[3].Success || lex.TimeFollowers.Contains(said.Groups[3].Value)))
        {
            // "Thursday after work, say six?": with a day or a part of the day, "say"/"like"/"maybe" before a number make it a time.
            var hour = int.Parse(said.Groups[1].Value, CultureInfo.InvariantCulture);
            var minute = said.Groups[2].Success ? int.Parse(said.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
            found = hour is >= 1 and <= 12 && minute < 60 ? new SpokenTime(hour, minute, false) : null;
        }

        if (found is null && expectingTime && OnlyNumber(t, lex) is { } only)
        {
            found = only; // a time was asked for and one number was said: "alright, how about 2 then?"
        }

        if (found is null && lex.LooseTimes.FirstOrDefault(l => SpeechText.HasPhrase(t, l.Phrase)) is { Phrase: not null } loose)
        {
            return SpokenTime.Exact(loose.Time.Hour, loose.Time.Minute);
        }

        if (found is { MeridiemKnown: false } f)
        {
            // "4 in the afternoon", "9 this morning"; with both words ("morning or afternoon") neither decides.
            var morning = Utterance.Contains(t, lex.MorningWords);
            var afternoon = Utterance.Contains(t, lex.AfternoonWords);
            if (morning != afternoon)
            {
                return SpokenTime.Exact((f.Hour % 12) + (afternoon ? 12 : 0), f.Minute);
            }
        }

        return found;
    }

    /// <summary>Numbers that belong to an address, a unit or a label ("12 Oak Street", "unit 4", "stock number 4471"), or
    /// that count something ("about six miles away", "15 years old") blanked out: never a time.</summary>
    private static string WithoutAddresses(string text, Lexicon lex)
    {
        var streets = string.Join('|', lex.StreetWords);
        var labels = string.Join('|', lex.NumberLabels);
        var t = lex.Pattern(@"\b\d{1,5}(?= (?:[a-z']+ ){0,2}(?:" + streets + @")\b)").Replace(text, "#");
        t = lex.Pattern(@"\b(?:\d+|" + string.Join('|', lex.Units.Keys.Where(k => k != "oh")) + @")(?= (?:" + string.Join('|', lex.CountWords.Where(w => w is not ("of" or "more" or "minute" or "minutes"))) + @")\b)").Replace(t, "#");
        return lex.Pattern(@"\b(" + labels + @") \d+\b").Replace(t, "$1 #");
    }

    /// <summary>The one hour-like number of a short answer (1–12, or 13–23, with optional minutes), when nothing
    /// says it counts something else.</summary>
    private static SpokenTime? OnlyNumber(string t, Lexicon lex)
    {
        var words = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var numbers = words.Select((w, i) => (w, i)).Where(x => x.w.All(char.IsAsciiDigit)).ToList();
        if (words.Length > ShortAnswerWords || numbers.Count is 0 or > 2)
        {
            return null;
        }

        var hour = int.Parse(numbers[0].w, CultureInfo.InvariantCulture);
        var minute = 0;
        if (numbers.Count == 2)
        {
            if (numbers[1].i != numbers[0].i + 1 || numbers[1].w.Length != 2)
            {
                return null;
            }

            minute = int.Parse(numbers[1].w, CultureInfo.InvariantCulture);
        }

        var after = numbers[^1].i + 1 < words.Length ? words[numbers[^1].i + 1] : null;
        if (after is not null && lex.CountWords.Contains(after) || minute >= 60)
        {
            return null;
        }

        return hour is >= 1 and <= 12 ? new SpokenTime(hour, minute, false) : hour is > 12 and < 24 ? SpokenTime.Exact(hour, minute) : null;
    }

    /// <summary>Answers longer than this are not read for a lone number.</summary>
    private const int ShortAnswerWords = 8;
}
