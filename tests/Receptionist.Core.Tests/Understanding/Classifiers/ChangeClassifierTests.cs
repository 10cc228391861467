using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;
using static Receptionist.Core.Tests.Conversation.EngineFixture;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>Asking for a change: which part of a read-back, and in a move where to. Today is Monday 23 November 2026.</summary>
public sealed class ChangeClassifierTests
{
    private static readonly DateOnly Sunday = new(2026, 11, 29);

    private static Utterance Read(string said) => Utterance.Read(said, Lexicon.English);

    private static MoveSaid? Move(string said) => ChangeClassifier.Move(Read(said), Today);

    [Theory]
    [InlineData("change the time please", BookingSlot.Time)]
    [InlineData("the date is wrong", BookingSlot.Date)]
    [InlineData("can we do a different day", BookingSlot.Date)]
    [InlineData("wrong name", BookingSlot.Name)]
    [InlineData("the number is wrong", BookingSlot.Callback)]
    [InlineData("I want a different service", BookingSlot.Service)]
    public void SlotNamed_PartOfTheBookingNamed_ThatPart(string said, BookingSlot expected)
    {
        Assert.Equal(expected, ChangeClassifier.SlotNamed(Read(said)));
    }

    [Theory]
    [InlineData("yes that's perfect")]
    [InlineData("that's right")]
    public void SlotNamed_NoPartNamed_Null(string said)
    {
        Assert.Null(ChangeClassifier.SlotNamed(Read(said)));
    }

    [Theory]
    [InlineData("change the time please")]
    [InlineData("can we do a different day")]
    [InlineData("wrong name")]
    [InlineData("can you update my number")]
    public void AsksForChange_ChangeWordSaid_True(string said)
    {
        Assert.True(ChangeClassifier.AsksForChange(Read(said)));
    }

    [Theory]
    [InlineData("yes that's perfect")]
    [InlineData("the day and time are fine")]
    public void AsksForChange_Approval_False(string said)
    {
        Assert.False(ChangeClassifier.AsksForChange(Read(said)));
    }

    [Fact]
    public void Move_FromOneDayToAnotherWithATime_OldDayAndNewDayAndTime()
    {
        var move = Move("move my Saturday deep tissue to Sunday at 1");

        Assert.Equal(Saturday, move?.Date);
        Assert.Equal(Sunday, move?.NewDate);
        Assert.Equal(new SpokenTime(1, 0, false), move?.NewTime);
    }

    [Fact]
    public void Move_OwnAppointmentThenICouldDo_OldDayAndNewDayAndTime()
    {
        var move = Move("I've got a deep tissue massage on Saturday, any chance I could do Sunday at one instead?");

        Assert.Equal(Saturday, move?.Date);
        Assert.Equal(Sunday, move?.NewDate);
        Assert.Equal(1, move?.NewTime?.Hour);
    }

    [Theory]
    [InlineData("I'm down for a checkup on Wednesday, is there any way I could have the same time on Friday instead?")]
    [InlineData("We've got a cleaning Wednesday. Would Friday work instead?")]
    public void Move_OwnAppointmentThenAnotherDayInstead_OldDayAndNewDay(string said)
    {
        var move = Move(said);

        Assert.Equal(Wednesday, move?.Date);
        Assert.Equal(Friday, move?.NewDate);
    }

    [Theory]
    [InlineData("I have a checkup on Wednesday, and could I get a cleaning on Friday too?")]
    [InlineData("Can I come on Friday instead of Wednesday?")]
    public void Instead_NoOwnAppointmentBeforeTheOtherDayInstead_Null(string said)
    {
        Assert.Null(ChangeClassifier.Instead(Read(said), Today));
    }

    [Fact]
    public void Move_FromFridayToMonday_BothDays()
    {
        var move = Move("can I move my cleaning from Friday to Monday");

        Assert.Equal(new MoveSaid(Friday, null, NextMonday, null, TimePreference.None), move);
    }

    [Fact]
    public void Move_ForANewDay_ForMarksTheNewOne()
    {
        var move = Move("I need to reschedule my Tuesday appointment for next Thursday at 10");

        Assert.Equal(Tuesday, move?.Date);
        Assert.Equal(NextThursday, move?.NewDate);
        Assert.Equal(new SpokenTime(10, 0, false), move?.NewTime);
    }

    [Fact]
    public void Move_BareNumberAfterTo_IsTheNewTime()
    {
        var move = Move("move my 3 o'clock to 4");

        Assert.Equal(new SpokenTime(3, 0, false), move?.Time);
        Assert.Equal(new SpokenTime(4, 0, false), move?.NewTime);
    }

    [Fact]
    public void Move_OldDayAndTimeBeforeTheVerb_IdentifyTheAppointment()
    {
        var move = Move("my cleaning on Friday at 2, can you move it to Monday at 3");

        Assert.Equal(new MoveSaid(Friday, new SpokenTime(2, 0, false), NextMonday, new SpokenTime(3, 0, false), TimePreference.None), move);
    }

    [Theory]
    [InlineData("push my appointment to the afternoon", TimePreference.Afternoon)]
    [InlineData("can you move it to the morning", TimePreference.Morning)]
    public void Move_ToAPartOfTheDay_NewPreference(string said, TimePreference expected)
    {
        var move = Move(said);

        Assert.Null(move?.NewTime);
        Assert.Equal(expected, move?.NewPreference);
    }

    [Fact]
    public void Move_ToADayAndAPartOfTheDay_NewDayAndPreference()
    {
        var move = Move("I want to change my appointment to Friday morning");

        Assert.Equal(Friday, move?.NewDate);
        Assert.Equal(TimePreference.Morning, move?.NewPreference);
    }

    [Theory]
    [InlineData("move my checkup on Thursday")]
    [InlineData("reschedule my appointment")]
    [InlineData("I'd like to book a cleaning for Friday")]
    public void Move_NoMoveVerbFollowedByToOrFor_Null(string said)
    {
        Assert.Null(Move(said));
    }

    [Theory]
    [InlineData("Could we push it to Thursday? Same time if you have it.", true)]
    [InlineData("Friday, the same time works", true)]
    [InlineData("Thursday at 10", false)]
    [InlineData("can we do Thursday instead", false)]
    public void KeepsTime_SameTimeSaid(string said, bool keeps) => Assert.Equal(keeps, ChangeClassifier.KeepsTime(Read(said)));

    [Fact]
    public void Move_NewSlotInALaterSentence_SplitsThere()
    {
        var move = Move("I have to bump my Tuesday facial. Is Friday at 4 free?");

        Assert.Equal((Tuesday, Friday, 4), (move?.Date, move?.NewDate, move?.NewTime?.Hour));
    }

    [Fact]
    public void Move_LaterSentenceWithoutADay_NoSplit()
    {
        Assert.Null(Move("I need to move my appointment. Is that possible?"));
    }

    [Theory]
    [InlineData("could I shift my lesson to Wednesday", true)]
    [InlineData("can I switch my piercing to 3 tomorrow", true)]
    [InlineData("can I switch my tires to winter ones", false)]
    [InlineData("I'd like to move to the area", false)]
    public void MovesToASlot_MoveVerbThenToADayOrTime_Whether(string said, bool expected)
    {
        Assert.Equal(expected, ChangeClassifier.MovesToASlot(Read(said), Today));
    }
}
