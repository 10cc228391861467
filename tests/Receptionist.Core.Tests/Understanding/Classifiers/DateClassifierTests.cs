using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>Relative-week wordings of a weekday: "next Thursday" is the Thursday of next week, "Thursday after next" the
/// Thursday of the week after (an independent caller's "the Thursday after next" was booked next Thursday).</summary>
public sealed class DateClassifierTests
{
    private static readonly DateOnly Friday27Nov = new(2026, 11, 27);

    private static DateOnly? Date(string said, DateOnly today) => DateClassifier.Classify(Utterance.Read(said, Lexicon.English), today);

    [Theory]
    [InlineData("The Thursday after next, if you have it")]
    [InlineData("thursday after next")]
    [InlineData("Thursday the week after next")]
    [InlineData("Thursday of the week after next")]
    [InlineData("the week after next on Thursday")]
    [InlineData("week after next, Thursday")]
    [InlineData("a week from next Thursday")]
    public void Classify_WeekdayAfterNext_WeekdayOfTheWeekAfterNextWeek(string said)
    {
        Assert.Equal(new DateOnly(2026, 12, 10), Date(said, Friday27Nov));
    }

    [Theory]
    [InlineData("next Thursday", 2026, 12, 3)]
    [InlineData("the following Thursday", 2026, 12, 3)]
    [InlineData("Thursday", 2026, 12, 3)]
    public void Classify_NextWeekday_WeekdayOfNextWeek(string said, int y, int m, int d)
    {
        Assert.Equal(new DateOnly(y, m, d), Date(said, Friday27Nov));
    }

    [Fact]
    public void Classify_AfterNextOnAMonday_SkipsTheComingWeek()
    {
        // Monday 23 Nov: next Wednesday is the 2nd of December, Wednesday after next the 9th.
        Assert.Equal(new DateOnly(2026, 12, 9), Date("Wednesday after next", new DateOnly(2026, 11, 23)));
    }

    private static DateOnly? Requested(string said, DateOnly today) => DateClassifier.Requested(Utterance.Read(said, Lexicon.English), today);

    [Theory]
    [InlineData("I know it's your day off today, but could I get a cleaning on Thursday?", 2026, 11, 26)]
    [InlineData("Sorry to call so late today, I wanted to book a checkup for Friday", 2026, 11, 27)]
    public void Requested_DayInPassingThenDayAskedForInOneSentence_TheDayAskedFor(string said, int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), Requested(said, new DateOnly(2026, 11, 23)));
    }

    [Fact]
    public void Requested_TwoSentencesNoneAsking_TheDaySaidWithATime()
    {
        Assert.Equal(new DateOnly(2026, 11, 27), Requested("Oh, Thanksgiving, of course. Friday at 11 then", new DateOnly(2026, 11, 23)));
    }

    [Theory]
    [InlineData("Can I come in Friday, the 4th of December?")]
    [InlineData("Could I book Friday, December 4th at 10?")]
    public void Requested_WeekdayAndItsDateBetweenCommas_OneDay(string said)
    {
        Assert.Equal(new DateOnly(2026, 12, 4), Requested(said, new DateOnly(2026, 11, 23)));
    }
}
