using Receptionist.Core.Conversation;
using Receptionist.Core.Understanding;
using static Receptionist.Core.Tests.Conversation.EngineFixture;

namespace Receptionist.Core.Tests.Conversation;

/// <summary>Moving or cancelling an appointment found by name, not by caller ID: nothing about it is said and nothing
/// changes until the caller gives the last four digits of the number it was booked with (two tries a call, two name
/// lookups a call); without that, a message for the business is offered instead. Turns are meanings
/// (<see cref="HeardBuilders"/>); the ways of saying the digits or declining them are in <see cref="EngineWithRulesTests"/>.</summary>
public sealed class ChangeVerificationTests
{
    private const string NorasPhone = "+15551114567";

    /// <summary>Nora's cleaning, booked from her home phone (not the caller ID the tests call from).</summary>
    internal static readonly AppointmentRef NorasCleaning = Appointment("apt-nora", "Cleaning", 60, Friday, 10, 0, "Nora Quinn", NorasPhone);

    private static readonly AppointmentRef NorasCheckup = Appointment("apt-nora-2", "Checkup", 30, NextTuesday, 14, 0, "Nora Quinn", NorasPhone);

    /// <summary>Another Nora Quinn, booked from another number.</summary>
    private static readonly AppointmentRef OtherNorasWhitening = Appointment("apt-nora-b", "Whitening", 90, Wednesday, 9, 0, "Nora Quinn", "+15552229999");

    /// <summary>The question, filled: the fixture's prompt shows its placeholders, which must stay empty here.</summary>
    internal const string VerifyQuestion = "verifyNumber appointment |  | ";

    /// <summary>What would tell a stranger about Nora's appointments or number.</summary>
    private static readonly string[] Secrets =
        ["cleaning", "checkup", "whitening", "Friday", "Tuesday", "Wednesday", "November", "December", "10 am", "2 pm", "9 am", "4567", "four five six seven", "1114567"];

    private static void AssertNothingDisclosed(EngineCall call, IEnumerable<Turn> turns)
    {
        foreach (var line in turns.SelectMany(t => t.Lines))
        {
            Assert.All(Secrets, secret => Assert.DoesNotContain(secret, line, StringComparison.OrdinalIgnoreCase));
        }

        Assert.DoesNotContain(call.SideEffects, a => a is CancelAppointment or MoveAppointment or ReserveSlot);
    }

    [Fact]
    public void Heard_FoundByCallerId_NoDigitsAsked()
    {
        var call = Call().WithAppointment(NorasCleaning with { Phone = CallerId });

        var t = call.Hear(Heard.Cancel());

        Assert.Equal(ConversationState.ConfirmCancel, t.State);
        Assert.Equal("confirmCancel cleaning | Friday, November 27 | 10 am", t.Said);
        Assert.DoesNotContain("verifyNumber", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Heard_NameFromAnotherPhone_AsksTheLastFourAndSaysNothingAboutTheAppointment()
    {
        var call = Call().WithAppointment(NorasCleaning);

        var turns = new List<Turn> { call.Hear(Heard.Of(Intent.Cancel, name: "Nora Quinn", wholeName: true, slotNamed: BookingSlot.Name)) };

        Assert.Equal([new FindAppointments(CallerId, null), new FindAppointments(null, "Nora Quinn")], call.SideEffects);
        Assert.Equal(ConversationState.VerifyNumber, call.Session.State);
        Assert.Equal(VerifyQuestion, call.Last.Said);
        Assert.Equal(Expecting.Phone, call.Last.Listening);
        Assert.Equal(KeyEntry.Number, call.Last.Keys); // the last four digits may be keyed
        Assert.Null(call.Session.Target);
        AssertNothingDisclosed(call, turns);
    }

    [Theory]
    [InlineData("4567")]
    [InlineData("5551114567")]
    public void Keypad_RightDigits_ReadBackThenMoved(string keys)
    {
        var call = Call().WithAppointment(NorasCleaning);
        call.Hear(Heard.Reschedule(), Heard.Name("Nora Quinn"));
        Assert.Equal(ConversationState.VerifyNumber, call.Session.State);

        var t = call.Press(keys);
        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Equal("askRescheduleDate cleaning | Friday, November 27 | 10 am", t.Said);

        call.Hear(Heard.Slots(date: NextMonday, time: SpokenTime.Exact(14, 0)));
        Assert.Equal("confirmReschedule cleaning | Friday, November 27 | 10 am -> Monday, November 30 | 2 pm", call.Last.Said);
        t = call.Hear(Heard.Yes);

        var move = Assert.IsType<MoveAppointment>(call.SideEffects[^1]);
        Assert.Equal(NorasCleaning, move.From);
        Assert.Equal(CallOutcome.Rescheduled, t.Session.Outcome);
    }

    [Fact]
    public void Heard_WrongThenRight_SaysItDoesNotMatchThenGoesOn()
    {
        var call = Call().WithAppointment(NorasCleaning);
        call.Hear(Heard.Cancel(), Heard.Name("Nora Quinn"));

        var t = call.Hear(Heard.Of(Intent.None, digits: "1234"));
        Assert.Equal(ConversationState.VerifyNumber, t.State);
        Assert.Equal($"{SystemPhrases.DigitsDontMatch} / {VerifyQuestion}", t.Said);
        Assert.Equal(1, t.Session.VerifyTries);

        t = call.Hear(Heard.Of(Intent.None, digits: "4567"));
        Assert.Equal(ConversationState.ConfirmCancel, t.State);
        Assert.Equal(NorasCleaning, t.Session.Target);
    }

    [Fact]
    public void Heard_WrongTwice_MessageOfferedNothingReadOutNothingChanged()
    {
        var call = Call().WithAppointment(NorasCleaning);
        var turns = new List<Turn> { call.Hear(Heard.Cancel()), call.Hear(Heard.Name("Nora Quinn")), call.Hear(Heard.Of(Intent.None, digits: "1234")) };

        var t = call.Press("9999");
        turns.Add(t);
        Assert.Equal(ConversationState.OfferMessage, t.State);
        Assert.Equal("verifyFailed", t.Said);
        Assert.Equal(CallTask.None, t.Session.Task);
        Assert.Empty(t.Session.Pending);
        AssertNothingDisclosed(call, turns);

        t = call.Hear(Heard.Yes);
        turns.Add(t);
        Assert.Equal(CallTask.Message, t.Session.Task);
        Assert.Equal("Nora Quinn", t.Session.Message.Name); // the name the caller gave
        Assert.Equal(ConversationState.MessageBody, t.State);
        AssertNothingDisclosed(call, turns);
    }

    [Fact]
    public void Heard_TwoTriesUsed_NoMoreGuessingThisCallEvenUnderAnotherRequest()
    {
        var call = Call().WithAppointment(NorasCleaning);
        call.Hear(
            Heard.Cancel(),
            Heard.Name("Nora Quinn"),
            Heard.Of(Intent.None, digits: "1234"),
            Heard.Of(Intent.None, digits: "2345"));
        Assert.Equal(ConversationState.OfferMessage, call.Session.State);

        var t = call.Hear(Heard.Of(Intent.Reschedule, name: "Nora Quinn", wholeName: true, slotNamed: BookingSlot.Name, asksForChange: true));

        Assert.Equal(ConversationState.OfferMessage, t.State);
        Assert.Equal("verifyFailed", t.Said);
        Assert.Equal(2, call.SideEffects.OfType<FindAppointments>().Count(f => f.Name is not null));
        Assert.DoesNotContain(call.SideEffects, a => a is CancelAppointment or MoveAppointment);
    }

    [Fact]
    public void Heard_NoPhoneOnFile_MessageOfferedWithoutAskingForDigits()
    {
        var call = Call().WithAppointment(NorasCleaning with { Phone = null });
        var turns = new List<Turn> { call.Hear(Heard.Cancel()) };

        var t = call.Hear(Heard.Name("Nora Quinn"));
        turns.Add(t);

        Assert.Equal(ConversationState.OfferMessage, t.State);
        Assert.Equal("verifyFailed", t.Said);
        Assert.Equal(0, t.Session.VerifyTries);
        AssertNothingDisclosed(call, turns);
    }

    [Fact]
    public void Heard_WithheldCallerId_SameAsAnotherPhone()
    {
        var call = Call(callerId: null).WithAppointment(NorasCleaning);
        var turns = new List<Turn> { call.Hear(Heard.Cancel()) };

        turns.Add(call.Hear(Heard.Name("Nora Quinn")));
        Assert.Equal([new FindAppointments(null, "Nora Quinn")], call.SideEffects);
        Assert.Equal(ConversationState.VerifyNumber, call.Session.State);
        Assert.Equal(VerifyQuestion, call.Last.Said);
        AssertNothingDisclosed(call, turns);

        var t = call.Hear(Heard.Of(Intent.None, digits: "4567"));
        Assert.Equal("confirmCancel cleaning | Friday, November 27 | 10 am", t.Said);
        t = call.Hear(Heard.Yes);
        Assert.Equal(CallOutcome.Cancelled, t.Session.Outcome);
    }

    [Fact]
    public void Heard_WithheldCallerIdNoPhoneOnFile_MessageOffered()
    {
        var call = Call(callerId: null).WithAppointment(NorasCleaning with { Phone = null });
        var turns = new List<Turn> { call.Hear(Heard.Reschedule()), call.Hear(Heard.Name("Nora Quinn")) };

        Assert.Equal(ConversationState.OfferMessage, call.Session.State);
        Assert.Equal("verifyFailed", call.Last.Said);
        AssertNothingDisclosed(call, turns);
    }

    [Fact]
    public void Heard_NameSharedByTwoCallers_OnlyTheProvenOnesAppointmentsAreOffered()
    {
        var call = Call().WithAppointment(NorasCleaning).WithAppointment(NorasCheckup).WithAppointment(OtherNorasWhitening);
        call.Hear(Heard.Cancel(), Heard.Name("Nora Quinn"));
        Assert.Equal(ConversationState.VerifyNumber, call.Session.State);

        var t = call.Hear(Heard.Of(Intent.None, digits: "4567"));

        Assert.Equal(ConversationState.ChooseAppointment, t.State);
        Assert.Equal("whichAppointment your cleaning on Friday, November 27 at 10 am or your checkup on Tuesday, December 1 at 2 pm", t.Said);
        Assert.DoesNotContain(t.Session.Found, a => a.Id == OtherNorasWhitening.Id);
    }

    [Fact]
    public void Heard_DayNamedWithTheRequest_NoneThatDaySaidOnlyAfterTheDigits()
    {
        var call = Call().WithAppointment(NorasCleaning);
        var turns = new List<Turn> { call.Hear(Heard.Cancel(date: Wednesday)), call.Hear(Heard.Name("Nora Quinn")) };
        Assert.Equal(ConversationState.VerifyNumber, call.Session.State);
        Assert.All(turns.SelectMany(t => t.Lines), line => Assert.DoesNotContain("I don't see", line, StringComparison.Ordinal));

        var t = call.Hear(Heard.Of(Intent.None, digits: "4567"));

        Assert.StartsWith(SystemPhrases.NoneOn("Wednesday, November 25"), t.Said, StringComparison.Ordinal);
        Assert.Equal(NorasCleaning, t.Session.Target);
    }

    [Fact]
    public void Heard_QuestionWhileAskedForTheDigits_AnsweredThenAskedAgainNothingDisclosed()
    {
        var call = Call().WithAppointment(NorasCleaning);
        call.Hear(Heard.Cancel(), Heard.Name("Nora Quinn"));

        var t = call.Hear(Heard.Question("address"));

        Assert.Equal($"We're at 12 Main St. / {VerifyQuestion}", t.Said);
        Assert.Equal(ConversationState.VerifyNumber, t.State);
    }

    [Fact]
    public void Silence_WhileAskedForTheDigits_AsksAgain()
    {
        var call = Call().WithAppointment(NorasCleaning);
        call.Hear(Heard.Cancel(), Heard.Name("Nora Quinn"));

        var t = call.Silence();

        Assert.Equal($"noInput / {VerifyQuestion}", t.Said);
    }

    [Fact]
    public void Heard_ProvenOnce_TheSameNumbersOtherAppointmentNeedsNoSecondCheck()
    {
        var call = Call().WithAppointment(NorasCleaning).WithAppointment(NorasCheckup);
        call.Hear(
            Heard.Cancel(service: "Cleaning"),
            Heard.Name("Nora Quinn"),
            Heard.Of(Intent.None, digits: "4567"));
        Assert.Equal(NorasCleaning, call.Session.Target);
        call.Hear(Heard.Yes, Heard.Yes);
        Assert.Equal(ConversationState.Greeting, call.Session.State);

        var t = call.Hear(Heard.Cancel(service: "Checkup", name: "Nora Quinn"));

        Assert.Equal(ConversationState.ConfirmCancel, t.State);
        Assert.Equal(NorasCheckup, t.Session.Target);
        Assert.Single(call.SideEffects.OfType<CancelAppointment>());
    }

    [Fact]
    public void Heard_ThreeNamesWithheld_AtMostTwoNameLookups()
    {
        var call = Call(callerId: null);
        call.Hear(Heard.Cancel(), Heard.Name("Pat Doe"), Heard.Name("Sam Lee"));
        Assert.Equal(ConversationState.OfferMessage, call.Session.State);

        var t = call.Hear(Heard.Of(Intent.Cancel, name: "Kim Park", wholeName: true, slotNamed: BookingSlot.Name));

        Assert.Equal(2, call.SideEffects.OfType<FindAppointments>().Count());
        Assert.Equal(ConversationState.OfferMessage, t.State);
        Assert.Equal("verifyFailed", t.Said);
    }
}
