using Receptionist.Core.Tests.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Meaning;

namespace Receptionist.Core.Tests.Understanding;

/// <summary>
/// Changes, messages and names as the ninth independent set of callers said them (docs/understanding.md), each class
/// with sentences of our own, read with the real demo tenants, rules and sentence meaning as the app reads them. Today
/// is Monday 23 November 2026.
/// </summary>
public sealed class IndependentCallerChangesTests
{
    private static Understood U(string profession, string said, Expecting expecting = Expecting.Anything) =>
        DemoReading.Understand(profession, said, expecting);

    [Theory]
    [InlineData("dentist", "Hi, I have a cleaning this Friday and I'm sorry but I have to call it off.", "Cleaning")]
    [InlineData("massage_therapist", "This is Dana, I can't do my deep tissue on Friday anymore, could you take me off the schedule?", "Deep tissue massage")]
    [InlineData("veterinarian", "Hey, we won't need the nail trim on Friday after all, you can scratch it.", "Nail trim")]
    public void Understand_CallingOffAnAppointmentInOtherWords_CancelOfThatServiceAndDay(string profession, string said, string service)
    {
        var u = U(profession, said);

        Assert.Equal((Intent.Cancel, service, new DateOnly(2026, 11, 27)), (u.Intent, u.Service, u.Date));
    }

    [Fact]
    public void Understand_OwnAppointmentThenTheSameTimeAnotherDayInstead_MoveToThatDayKeepingTheTime()
    {
        var u = U("dentist", "Hi there, I'm down for a checkup on Wednesday, could I have the same time on Friday instead?");

        Assert.Equal(Intent.Reschedule, u.Intent);
        Assert.Equal(new DateOnly(2026, 11, 25), u.Move?.Date);
        Assert.Equal(new DateOnly(2026, 11, 27), u.Move?.NewDate);
        Assert.True(u.KeepsTime);
    }

    [Fact]
    public void Understand_WhoIsItFromAnsweredAfterAgreeingToLeaveAMessage_TheName()
    {
        Assert.Equal("Joanna Pryce", U("photographer", "Alright, I'll leave a message then. I'm Joanna Pryce.", Expecting.Name).Name);
    }

    [Theory]
    [InlineData("Yep, you can call me back at this number.", Expecting.Message)]
    [InlineData("This number's fine.", Expecting.YesNo)]
    public void Understand_OnlyThatTheNumberIsThisOne_ThisNumber(string said, Expecting expecting)
    {
        Assert.True(U("car_dealership", said, expecting).ThisNumber);
    }

    [Fact]
    public void Understand_LockoutWordsOnlyAsWhatTheJobIsFor_ABookingNotAnEmergency()
    {
        var u = U("locksmith", "We just moved in and need the locks changed so the previous tenants can't get in. Could you come the day after tomorrow at 9?");

        Assert.Equal(Intent.Book, u.Intent);
        Assert.Equal(new DateOnly(2026, 11, 25), u.Date);
    }

    [Fact]
    public void Understand_NameSaidAgainAfterAHesitation_TheWholeNameOnce()
    {
        Assert.Equal("Dana Whitlock", U("plumber", "It's Dana, um, Dana Whitlock.", Expecting.Name).Name);
    }
}
