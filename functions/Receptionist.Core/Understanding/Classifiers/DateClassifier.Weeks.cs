using System.Text.RegularExpressions;

namespace Receptionist.Core.Understanding.Classifiers;

public static partial class DateClassifier
{
    private static Regex NextWeekPattern(Lexicon lex) => lex.Pattern(
        @"\b(?:(?:the )?(?:next|following) (?:week )?(?:on )?(" + Weekdays(lex) + @")s?|(" + Weekdays(lex) + @")s? (?:of )?next week|next week (?:on )?(" + Weekdays(lex) + @")s?)\b");

    /// <summary>"Thursday after next", "the Thursday after next", "Thursday (of) the week after next", "the week after
    /// next on Thursday", "a week from next Thursday": the weekday of the week after next week.</summary>
    private static Regex WeekAfterNextPattern(Lexicon lex) => lex.Pattern(
        @"\b(?:(" + Weekdays(lex) + @")s? (?:(?:of|in) )?(?:the )?(?:week )?after next|(?:the )?week after next (?:on )?(" + Weekdays(lex)
        + @")s?|(?:a|one) week (?:from|after) next (" + Weekdays(lex) + @")s?)\b");

    /// <summary>
    /// A weekday in a later week than the coming one: "next Friday" (and its other wordings) is the Friday of next week;
    /// "Friday after next" is the Friday of the week after that. Weeks run Monday to Sunday. Null when no such words.
    /// </summary>
    private static DateOnly? InALaterWeek(string t, DateOnly today, Lexicon lex)
    {
        var afterNext = WeekAfterNextPattern(lex).Match(t);
        if (afterNext.Success)
        {
            return NextWeekday(today, lex.Weekdays[First(afterNext)], next: true).AddDays(7);
        }

        var nextWeek = NextWeekPattern(lex).Match(t);
        return nextWeek.Success ? NextWeekday(today, lex.Weekdays[First(nextWeek)], next: true) : null;
    }

    private static string First(Match m) => m.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value;
}
