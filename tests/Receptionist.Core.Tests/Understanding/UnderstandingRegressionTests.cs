using Receptionist.Core.Conversation;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using static Receptionist.Core.Tests.Conversation.EngineFixture;

namespace Receptionist.Core.Tests.Understanding;

/// <summary>Regressions found by review of the understanding and read-back changes: each states what a caller expects.</summary>
public sealed class UnderstandingRegressionTests
{
    private static UnderstandingContext With(Expecting e, string[] keywords, IReadOnlyList<ServiceOffering>? services = null)
    {
        var r = Reading(e);
        return new UnderstandingContext(e, services ?? r.Services, r.Today, r.Topics, keywords);
    }

    // ---- gap-tolerant emergency matching on harmless sentences (real profession keywords)
    [Theory]
    [InlineData("Can you check the gas line for a leak?", new[] { "gas leak", "smell gas" })] // home inspector / realtor
    [InlineData("I need my brakes checked, my car failed inspection", new[] { "brakes failed", "broke down" })] // mechanic
    [InlineData("I won't be able to start work until ten, can I come at nine?", new[] { "won't start", "will not start" })] // mechanic
    [InlineData("I need a new lock, can you come out today?", new[] { "locked out", "lock out" })] // locksmith
    [InlineData("It's not an emergency, she's breathing fine, just a checkup", new[] { "not breathing", "seizure" })] // vet
    [InlineData("It's not severe, there's no pain, I just want a cleaning", new[] { "knocked out tooth", "severe pain" })] // dentist
    [InlineData("I'd like a massage for my chest and shoulder pain", new[] { "chest pain", "passed out" })] // massage
    [InlineData("I'll take a break and come in Friday to sign", new[] { "break in", "gas leak" })] // realtor
    [InlineData("Will the chemical straightener burn my scalp?", new[] { "chemical burn", "allergic reaction" })] // salon
    public void Understand_HarmlessSentenceWithEmergencyWords_NotAnEmergency(string said, string[] keywords)
    {
        Assert.NotEqual(Intent.Emergency, RuleUnderstanding.Understand(said, With(Expecting.Anything, keywords)).Intent);
    }

    // ---- names
    [Theory]
    [InlineData("Bill Smith", "Bill Smith")]
    [InlineData("my name is Bill", "Bill")]
    [InlineData("Susan Still", "Susan Still")]
    public void Understand_NameThatIsAlsoAWord_Kept(string said, string expected)
    {
        Assert.Equal(expected, RuleUnderstanding.Understand(said, Reading(Expecting.Name)).Name);
    }

    [Theory]
    [InlineData("Emma Stone", "Hot stone massage", "hot stone")]
    [InlineData("Sarah Woods", "Termite inspection", "wood destroying insect inspection")]
    [InlineData("Jim Gray", "Color", "gray coverage")]
    [InlineData("Joe Smart", "Lock installation", "smart lock")]
    [InlineData("Tom Miles", "Maintenance service", "mile service")]
    public void Understand_SurnameThatIsAServiceWord_Kept(string said, string service, string synonym)
    {
        var services = new[] { new ServiceOffering(service, 60, null, null, [synonym]) };
        Assert.Equal(said, RuleUnderstanding.Understand(said, With(Expecting.Name, [], services)).Name);
    }

    [Theory]
    [InlineData("I need a checkup tomorrow, it's hurting")]
    [InlineData("Can I get a cleaning on Friday, it's overdue")]
    [InlineData("I'd like a cleaning, it's been ages")]
    public void Understand_TrailingItsClause_NoName(string said)
    {
        Assert.Null(RuleUnderstanding.Understand(said, Reading(Expecting.Anything)).Name);
    }

    // ---- yes/no
    [Theory]
    [InlineData("yes why not")]
    [InlineData("sure, no worries")]
    [InlineData("yes I can't wait")]
    [InlineData("yes, I don't mind")]
    [InlineData("that time is fine")]
    [InlineData("that number is fine")]
    public void Understand_YesWithANegativeWordOrNamingASlot_Yes(string said)
    {
        Assert.Equal(Answer.Yes, RuleUnderstanding.Understand(said, Reading(Expecting.YesNo)).Answer);
    }

    // ---- booking request that mentions being called/texted
    [Theory]
    [InlineData("I'd like to book a cleaning on Friday, please text me the details")]
    [InlineData("Can you book me a checkup tomorrow and call me to confirm?")]
    public void Understand_BookingThatAsksToBeCalledOrTexted_Book(string said)
    {
        Assert.Equal(Intent.Book, RuleUnderstanding.Understand(said, Reading(Expecting.Anything)).Intent);
    }

    // ---- engine
    private static Receptionist.Core.Tests.Conversation.EngineCall AtReadBack()
    {
        var call = Call();
        var t = call.Script("I'd like a cleaning on Friday at 10", "Sam Lee");
        if (t.State == ConversationState.ConfirmCallback)
        {
            t = call.Say("yes");
        }

        Assert.Equal(ConversationState.Confirm, t.State);
        return call;
    }

    [Theory]
    [InlineData("that time is fine")]
    [InlineData("that day is perfect")]
    [InlineData("the date and time are fine")]
    public void Heard_ApprovalNamingASlotAtTheReadBack_SlotKept(string said)
    {
        var call = AtReadBack();
        var t = call.Say(said);
        Assert.NotEqual(ConversationState.CollectTime, t.State);
        Assert.NotEqual(ConversationState.CollectDate, t.State);
    }

    [Fact]
    public void Heard_YesCantWaitAtTheReadBack_Books()
    {
        var call = AtReadBack();
        var t = call.Say("yes, can't wait");
        Assert.True(t.ChangesCalendar, t.Said);
    }

    [Fact]
    public void Heard_RefusingTheNameForAMessage_MessageStillTaken()
    {
        var call = Call();
        var t = call.Say("I'd like to leave a message");
        Assert.Equal(ConversationState.MessageName, t.State);
        t = call.Say("I'd rather not say");
        Assert.NotEqual(ConversationState.AnythingElse, t.State);
    }

    [Fact]
    public void Heard_OkayThanksToTheUrgentMessageOffer_MessageTaken()
    {
        var call = Call(Context(profession: Dentist("adviseEmergencyServices")));
        var t = call.Say("I'm in severe pain");
        Assert.Equal(ConversationState.OfferMessage, t.State);
        t = call.Say("okay thanks");
        Assert.False(t.Has<Hangup>(), t.Said);
    }

    [Fact]
    public void Heard_ChangeTheServiceAtTheRescheduleReadBack_NotTheSameReadBackAgain()
    {
        var appt = Appointment("a1", "Cleaning", 60, Tuesday, 10, 0, "Sam Lee");
        var call = Call().WithAppointment(appt);
        var t = call.Script("I need to move my appointment", "Friday at 10");
        Assert.Equal(ConversationState.Confirm, t.State);
        var before = t.Said;
        t = call.Say("can I change the service");
        Assert.NotEqual(before, t.Said);
    }

    [Fact]
    public void Heard_ThatNumberIsFineAtTheNumberReadBack_MovesOn()
    {
        var call = Call(callerId: null);
        var t = call.Script("I'd like a cleaning on Friday at 10", "Sam Lee", "555 201 3344");
        Assert.Equal(ConversationState.ConfirmCallback, t.State);
        t = call.Say("that number is fine");
        Assert.Equal(ConversationState.Confirm, t.State);
    }
}
