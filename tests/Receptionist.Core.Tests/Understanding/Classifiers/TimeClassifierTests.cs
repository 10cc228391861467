using Receptionist.Core.Scheduling;
using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>The part of the day a caller prefers when they name no time, and the am or pm reading of a time said without
/// one (clock times themselves are in <see cref="DateTimeClassifierTests"/>).</summary>
public sealed class TimeClassifierTests
{
    private static readonly IReadOnlyList<TimeRange> NineToFive = TimeClassifier.DefaultHours;

    private static TimePreference Preference(string said, bool dateSaid = true) =>
        TimeClassifier.Preference(Utterance.Read(said, Lexicon.English), dateSaid);

    private static TimeRange Hours(int fromHour, int toHour) => new(new TimeOnly(fromHour, 0), new TimeOnly(toHour, 0));

    [Theory]
    [InlineData("in the morning", TimePreference.Morning)]
    [InlineData("sometime in the afternoon", TimePreference.Afternoon)]
    [InlineData("after lunch", TimePreference.AfterLunch)]
    [InlineData("in the evening", TimePreference.Evening)]
    [InlineData("after work", TimePreference.Evening)]
    [InlineData("after school", TimePreference.Afternoon)]
    public void Preference_PartOfTheDay_ThatPart(string said, TimePreference expected)
    {
        Assert.Equal(expected, Preference(said));
    }

    [Theory]
    [InlineData("first thing")]
    [InlineData("first thing in the morning")]
    [InlineData("the earliest you've got")]
    public void Preference_EarliestOnADay_Earliest(string said)
    {
        Assert.Equal(TimePreference.Earliest, Preference(said));
    }

    [Theory]
    [InlineData("the earliest after work", TimePreference.Evening)]
    [InlineData("the earliest in the afternoon", TimePreference.Afternoon)]
    public void Preference_EarliestNarrowedByAPartOfTheDay_ThatPart(string said, TimePreference expected)
    {
        Assert.Equal(expected, Preference(said));
    }

    [Fact]
    public void Preference_EarliestNextWeekWithNoDay_AsksForADayNotATime()
    {
        Assert.Equal(TimePreference.None, Preference("the earliest you've got next week", dateSaid: false));
    }

    [Theory]
    [InlineData("whenever")]
    [InlineData("any time is fine")]
    public void Preference_NoPartOfTheDay_None(string said)
    {
        Assert.Equal(TimePreference.None, Preference(said));
    }

    [Theory]
    [InlineData(3, 15)]
    [InlineData(4, 16)]
    [InlineData(10, 10)]
    [InlineData(12, 12)]
    public void ChooseReading_HourWithoutAmPm_TheReadingInsideOpeningHours(int hour, int expected)
    {
        Assert.Equal(new TimeOnly(expected, 0), TimeClassifier.ChooseReading(new SpokenTime(hour, 0, false), NineToFive, 30));
    }

    [Fact]
    public void ChooseReading_ServiceWouldRunPastClosing_FallsBackToTheUsualReading()
    {
        // 4:30 for an hour ends after 5 in either reading: the afternoon is what a caller means by "half past four".
        Assert.Equal(new TimeOnly(16, 30), TimeClassifier.ChooseReading(new SpokenTime(4, 30, false), NineToFive, 60));
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(6, 18)]
    [InlineData(1, 13)]
    public void ChooseReading_BothOrNeitherInsideHours_SevenToElevenIsMorning(int hour, int expected)
    {
        var allDay = new[] { Hours(0, 23) };

        Assert.Equal(new TimeOnly(expected, 0), TimeClassifier.ChooseReading(new SpokenTime(hour, 0, false), allDay, 30));
    }

    [Fact]
    public void ChooseReading_EveningHours_EveningReading()
    {
        Assert.Equal(new TimeOnly(19, 0), TimeClassifier.ChooseReading(new SpokenTime(7, 0, false), [Hours(12, 21)], 30));
    }

    [Fact]
    public void ChooseReading_AmPmSaid_ThatTimeEvenOutsideHours()
    {
        Assert.Equal(new TimeOnly(7, 0), TimeClassifier.ChooseReading(SpokenTime.Exact(7, 0), NineToFive, 30));
    }

    [Theory]
    [InlineData("could we say four thirty that afternoon instead?", 16, 30)]
    [InlineData("what about nine that morning", 9, 0)]
    public void Classify_TimeWithThatPartOfTheDay_ThatReading(string said, int hour, int minute)
    {
        Assert.Equal(SpokenTime.Exact(hour, minute), TimeClassifier.Classify(Utterance.Read(said, Lexicon.English), expectingTime: false));
    }
}
