using System.Text.Json.Nodes;
using Receptionist.Core.Conversation;
using Receptionist.Core.Scheduling;
using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using static Receptionist.Core.Tests.Conversation.EngineFixture;

namespace Receptionist.Core.Tests.Conversation;

/// <summary>Every transition a caller can cause, with side effects answered as the orchestrator answers them. The
/// caller's turns are what they meant (<see cref="HeardBuilders"/>), not their words, so these tests see the flow only
/// and no word list can break them; how phrasings are read through the flow is in <see cref="EngineWithRulesTests"/>.</summary>
public sealed class ConversationEngineTests
{
    // ---------------------------------------------------------------- start

    [Fact]
    public void Start_Open_GreetsWithTheBusinessName()
    {
        var call = Call();

        Assert.Equal(ConversationState.Greeting, call.Session.State);
        Assert.Equal("greeting Bright Smiles Dental", call.Last.Lines[0]);
        Assert.IsType<Listen>(call.Last.Actions[^1]);
    }

    [Fact]
    public void Start_AfterHours_SaysSoAndStillListens()
    {
        var call = Call(Context(ClosedNow));

        Assert.Equal("afterHours Bright Smiles Dental", call.Last.Lines[0]);
        Assert.Equal(ConversationState.Greeting, call.Session.State);
        Assert.IsType<Listen>(call.Last.Actions[^1]);
    }

    [Fact]
    public void Start_InactiveSubscriptionWithoutTransferNumber_PoliteMessageAndHangup()
    {
        var tenant = Business(t =>
        {
            t["subscription"] = "inactive";
            t.Remove("transferNumber");
        });

        var call = Call(Context(tenant: tenant));

        Assert.Equal([SystemPhrases.LineUnavailable], call.Last.Lines);
        Assert.IsType<Hangup>(call.Last.Actions[^1]);
        Assert.True(call.Session.Ended);
        Assert.Equal(CallOutcome.Rejected, call.Session.Outcome);
    }

    [Fact]
    public void Start_InactiveSubscriptionWithTransferNumber_PutsTheCallerThrough()
    {
        var call = Call(Context(tenant: Business(t => t["subscription"] = "inactive")));

        Assert.Equal(TransferNumber, call.Last.Single<TransferCall>().Number);
        Assert.Equal([SystemPhrases.LineUnavailableTransfer], call.Last.Lines);
        Assert.Equal(CallOutcome.Transferred, call.Session.Outcome);
        Assert.False(call.Last.Has<Hangup>());
    }

    // ---------------------------------------------------------------- booking, step by step

    [Fact]
    public void Heard_BookingStepByStep_EachSlotAskedThenReadBackThenBookedOnYes()
    {
        var call = Call();

        var t = call.Hear(Heard.Book());
        Assert.Equal(ConversationState.CollectService, t.State);
        Assert.Equal("askService cleaning, checkup, or whitening", t.Said);

        t = call.Hear(Heard.Service("Cleaning"));
        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Equal("askDate cleaning", t.Said);

        t = call.Hear(Heard.Date(Friday));
        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Equal(Friday, t.Session.Draft.Date);
        Assert.StartsWith("askTime Friday, November 27: ", t.Said, StringComparison.Ordinal);
        Assert.Contains("9 am", t.Said, StringComparison.Ordinal);

        t = call.Hear(Heard.Time(SpokenTime.Exact(10, 0)));
        Assert.Equal(ConversationState.CollectName, t.State);
        Assert.Equal(new TimeOnly(10, 0), t.Session.Draft.Time);
        Assert.Equal("askName", t.Said);

        t = call.Hear(Heard.Name("Sam Lee"));
        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal("confirm cleaning | Friday, November 27 | 10 am | Sam Lee", t.Said);
        Assert.Empty(call.SideEffects);

        t = call.Hear(Heard.Yes);
        var booking = Assert.IsType<ReserveSlot>(Assert.Single(call.SideEffects)).Booking;
        Assert.Equal(("Cleaning", 60, Friday, new TimeOnly(10, 0), "Sam Lee", CallerId), (booking.Service, booking.Minutes, booking.Date, booking.Time, booking.Name, booking.Phone));
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T10:00:00-05:00", System.Globalization.CultureInfo.InvariantCulture), booking.Start);
        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
        Assert.Equal("apt-1", t.Session.AppointmentId);
        Assert.Equal(ConversationState.AnythingElse, t.State);
        Assert.Equal("booked cleaning | Friday, November 27 | 10 am / anythingElse", t.Said);

        t = call.Hear(Heard.Of(Intent.Goodbye, answer: Answer.No, asksForChange: true));
        Assert.True(t.Session.Ended);
        Assert.Equal("goodbye", t.Said);
        Assert.IsType<Hangup>(t.Actions[^1]);
        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
    }

    [Fact]
    public void Heard_SeveralSlotsInOneUtterance_JumpsStraightToTheReadBack()
    {
        var call = Call();

        var t = call.Hear(Heard.Book(service: "Cleaning", date: NextTuesday, time: new SpokenTime(3, 0, MeridiemKnown: false), name: "Sam", wholeName: true));

        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal(new BookingDraft("Cleaning", 60, NextTuesday, new TimeOnly(15, 0), "Sam"), t.Session.Draft with { Offered = null, Preference = default });
        Assert.Equal("confirm cleaning | Tuesday, December 1 | 3 pm | Sam", t.Said);
        Assert.Empty(call.SideEffects);
    }

    [Fact]
    public void Heard_NoWednesdayAtTheReadBack_ChangesTheDayKeepsTheTime()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Tuesday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Slots(answer: Answer.No, date: Wednesday, corrects: true, asksForChange: true));

        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal("confirm cleaning | Wednesday, November 25 | 10 am | Sam", t.Said);
        Assert.Empty(call.SideEffects);
    }

    [Fact]
    public void Heard_ActuallyMakeIt4AtTheReadBack_MovesTo4PmInsideHours()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Slots(time: new SpokenTime(4, 0, MeridiemKnown: false), corrects: true));

        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal(new TimeOnly(16, 0), t.Session.Draft.Time);
        Assert.Equal("confirm cleaning | Friday, November 27 | 4 pm | Sam", t.Said);
    }

    [Fact]
    public void Heard_TakenTime_NearestFreeTimesOfferedNeverADeadEnd()
    {
        var call = Call(Context(busy: [Busy(Friday, 10, 0, 60)]));

        var t = call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0)));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Equal("slotTaken 10 am: 9 am, 11 am, or 11:15 am", t.Said);
        Assert.Equal([new TimeOnly(9, 0), new TimeOnly(11, 0), new TimeOnly(11, 15)], t.Session.Draft.Offered);
        Assert.IsType<Listen>(t.Actions[^1]);
    }

    [Fact]
    public void Heard_TheSecondOneAfterOptions_TakesThatTime()
    {
        var call = Call(Context(busy: [Busy(Friday, 10, 0, 60)]));
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0)));

        var t = call.Hear(Heard.Choice(2));

        Assert.Equal(new TimeOnly(11, 0), t.Session.Draft.Time);
        Assert.Equal(ConversationState.CollectName, t.State);
    }

    [Fact]
    public void Heard_YesCancelItWhileOfferedTimes_LooksForTheAppointmentToCancelBooksNothing()
    {
        var call = Call(Context(busy: [Busy(Friday, 10, 0, 60)]));
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0)));

        var t = call.Hear(Heard.Of(Intent.Cancel, Answer.Yes));

        Assert.Equal(CallTask.Cancel, t.Session.Task);
        Assert.DoesNotContain("whichOffered", t.Said, StringComparison.Ordinal);
        Assert.DoesNotContain(call.SideEffects, a => a is ReserveSlot);
    }

    [Fact]
    public void Heard_PlainYesToSeveralOfferedTimes_AsksWhichAndBooksNothing()
    {
        var call = Call(Context(busy: [Busy(Friday, 10, 0, 60)]));
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0)));

        var t = call.Hear(Heard.Yes);

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Null(t.Session.Draft.Time);
        Assert.StartsWith("whichOffered / askTime", t.Said, StringComparison.Ordinal);
        Assert.Equal(0, t.Session.Misses);
    }

    [Fact]
    public void Heard_PlainYesToTheOneTimeOffered_TakesIt()
    {
        var call = Call(Context(busy: [Busy(Friday, 9, 0, 7 * 60)]));
        var offered = call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0))).Session.Draft.Offered;
        Assert.Equal([new TimeOnly(16, 0)], offered);

        var t = call.Hear(Heard.Yes);

        Assert.Equal(new TimeOnly(16, 0), t.Session.Draft.Time);
        Assert.Equal(ConversationState.CollectName, t.State);
    }

    [Fact]
    public void Keypad_NumberOfAnOfferedTime_TakesThatTime()
    {
        var call = Call(Context(busy: [Busy(Friday, 10, 0, 60)]));
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0)));

        var t = call.Press("3");

        Assert.Equal(new TimeOnly(11, 15), t.Session.Draft.Time);
        Assert.Equal(ConversationState.CollectName, t.State);
    }

    [Fact]
    public void Heard_ClosedWeekday_OtherDaysOffered()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Date(Saturday));

        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Null(t.Session.Draft.Date);
        Assert.Equal("dayClosed Saturday, November 28: Wednesday, November 25, Friday, November 27, or Monday, November 30", t.Said);
    }

    [Fact]
    public void Heard_ClosedDate_OtherDaysOffered()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Date(Thanksgiving));

        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Equal("dayClosed Thursday, November 26: Tuesday, November 24, Wednesday, November 25, or Friday, November 27", t.Said);
    }

    [Fact]
    public void Heard_FullyBookedDay_OtherDaysOffered()
    {
        var call = Call(Context(busy: [Busy(Friday, 9, 0, 8 * 60)]));
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Date(Friday));

        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Equal("dayUnavailable Friday, November 27: Tuesday, November 24, Wednesday, November 25, or Monday, November 30", t.Said);
    }

    [Fact]
    public void Heard_TimeWhoseServiceRunsPastClosing_RefusedWithTimesThatFit()
    {
        var call = Call();

        var t = call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(16, 30)));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Null(t.Session.Draft.Time);
        Assert.Equal(SystemPhrases.WontFit("A cleaning", "an hour", "4:30 pm", "3:30 pm, 3:45 pm, or 4 pm"), t.Said);
    }

    [Fact]
    public void Heard_TimeInTheLunchBreakOfASplitShift_Refused()
    {
        var call = Call();

        var t = call.Hear(Heard.Book(service: "Checkup", date: Tuesday, time: SpokenTime.Exact(12, 15), name: "Sam", wholeName: true));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.DoesNotContain("12:15", string.Join(' ', t.Session.Draft.Offered!.Select(x => x.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture))), StringComparison.Ordinal);
        Assert.StartsWith("slotTaken 12:15 pm: ", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Heard_WhatDoYouHaveOnFriday_UpToThreeConcreteTimes()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Book(date: Friday));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Equal("askTime Friday, November 27: 9 am, 12:30 pm, or 4 pm", t.Said);
        Assert.Equal(3, t.Session.Draft.Offered!.Count);
    }

    [Fact]
    public void Heard_Bare3InsideHours_Means3Pm()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday));

        var t = call.Hear(Heard.Time(new SpokenTime(3, 0, MeridiemKnown: false)));

        Assert.Equal(new TimeOnly(15, 0), t.Session.Draft.Time);
        Assert.Equal(ConversationState.CollectName, t.State);
    }

    [Fact]
    public void Heard_FirstThingInTheMorning_EarliestFreeStart()
    {
        var call = Call(Context(busy: [Busy(Friday, 9, 0, 30)]));
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Slots(date: Friday, preference: TimePreference.Earliest));

        Assert.Equal(new TimeOnly(9, 30), t.Session.Draft.Time);
        Assert.Equal(ConversationState.CollectName, t.State);
    }

    [Fact]
    public void Heard_ThursdayAfternoon_OffersOnlyAfternoonTimes()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Slots(date: NextThursday, preference: TimePreference.Afternoon));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Equal(NextThursday, t.Session.Draft.Date);
        var offered = t.Session.Draft.Offered!;
        Assert.NotEmpty(offered);
        Assert.All(offered, x => Assert.InRange(x.Hour, 12, 16));
        Assert.StartsWith("askTime Thursday, December 3: ", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Heard_AnythingButAnExplicitYesAtTheReadBack_BooksNothing()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Nothing);

        Assert.Empty(call.SideEffects);
        Assert.Equal(ConversationState.Confirm, t.State);
    }

    [Fact]
    public void Keypad_1AtTheReadBack_Books()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Press("1");

        Assert.IsType<ReserveSlot>(Assert.Single(call.SideEffects));
        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
    }

    [Fact]
    public void Heard_ReservationLosesTheRace_ApologisesAndOffersNearestTimes()
    {
        var call = Call().LoseNextReservation();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Yes);

        Assert.Equal(CallOutcome.InProgress, t.Session.Outcome);
        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Equal("slotLost 10 am: 9 am, 11 am, or 11:15 am", t.Said);

        t = call.Hear(Heard.Time(new SpokenTime(11, 0, MeridiemKnown: false)));
        Assert.Equal(ConversationState.Confirm, t.State);
        t = call.Hear(Heard.Yes);
        Assert.Equal(2, call.SideEffects.OfType<ReserveSlot>().Count());
        Assert.Equal(new TimeOnly(11, 0), call.SideEffects.OfType<ReserveSlot>().Last().Booking.Time);
        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
    }

    [Fact]
    public void Heard_NoTwiceAtTheReadBack_BooksNothingAndMovesOn()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Slots(answer: Answer.No, asksForChange: true));
        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal("declined", t.Said);

        t = call.Hear(Heard.Slots(answer: Answer.No, asksForChange: true));
        Assert.Equal(ConversationState.AnythingElse, t.State);
        Assert.Equal($"{SystemPhrases.NothingBooked} / anythingElse", t.Said);
        Assert.Empty(call.SideEffects);
        Assert.Equal(CallTask.None, t.Session.Task);
    }

    [Fact]
    public void Heard_QuestionMidBooking_AnsweredThenTheSameQuestionAgain()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));
        var before = call.Session;

        var t = call.Hear(Heard.Of(Intent.Question, service: "Cleaning", topic: "prices"));

        Assert.Equal("A cleaning is $90 to $150. / askDate cleaning", t.Said);
        Assert.Equal(before, t.Session);
    }

    [Fact]
    public void Heard_UnknownQuestionMidBooking_HonestAndTheSameQuestionAgain()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday));
        var before = call.Session;

        var t = call.Hear(Heard.Question(null));

        Assert.StartsWith("faqUnknown / askTime Friday, November 27", t.Said, StringComparison.Ordinal);
        Assert.Equal(before, t.Session);
    }

    [Fact]
    public void Start_ClosedDateDuringTheUsualHours_AfterHoursGreeting()
    {
        var call = Call(Context(ThanksgivingMorning));

        Assert.Equal("afterHours Bright Smiles Dental", call.Last.Lines[0]);
        Assert.Equal(Expecting.Anything, call.Last.Listening);
    }

    [Fact]
    public void Heard_TimeSaidBeforeTheDay_TimeKeptWhenTheDayFollows()
    {
        var call = Call();
        var t = call.Hear(Heard.Book(service: "Cleaning", time: SpokenTime.Exact(15, 0)));
        Assert.Equal(ConversationState.CollectDate, t.State);

        t = call.Hear(Heard.Date(Friday));

        Assert.Equal(new TimeOnly(15, 0), t.Session.Draft.Time);
        Assert.Equal(ConversationState.CollectName, t.State);
        Assert.Equal("askName", t.Said);
    }

    [Fact]
    public void Heard_ANewDayAfterTheTimeWasAsked_AsksTheTimeForThatDay()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"), Heard.Date(Friday));

        var t = call.Hear(Heard.Slots(date: NextMonday, corrects: true));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Equal(NextMonday, t.Session.Draft.Date);
        Assert.StartsWith("askTime Monday, November 30: ", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Heard_ADifferentTimeAndDayAtTheReadBack_BothChanged()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Slots(date: NextMonday, time: new SpokenTime(2, 0, MeridiemKnown: false), corrects: true, asksForChange: true));

        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal("confirm cleaning | Monday, November 30 | 2 pm | Sam", t.Said);
    }

    [Fact]
    public void Heard_ADifferentServiceAtTheReadBack_ServiceChanged()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Of(Intent.Book, service: "Checkup", asksForChange: true));

        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal("confirm checkup | Friday, November 27 | 10 am | Sam", t.Said);
        t = call.Hear(Heard.Yes);
        Assert.Equal(("Checkup", 30), (call.SideEffects.OfType<ReserveSlot>().Single().Booking.Service, call.SideEffects.OfType<ReserveSlot>().Single().Booking.Minutes));
        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
    }

    [Fact]
    public void Heard_AWholeNewNameAtTheReadBack_ReplacesTheWholeName()
    {
        var call = Call();
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0)),
            Heard.Name("Sam Lee"));

        var t = call.Hear(Heard.Slots(name: "Alex", corrects: true, wholeName: true));

        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal("Alex", t.Session.Draft.Name);
        Assert.Equal("confirm cleaning | Friday, November 27 | 10 am | Alex", t.Said);
    }

    [Fact]
    public void Heard_TheNameIsAtTheReadBack_ReplacesTheName()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Slots(name: "Alex Kim", wholeName: true, slotNamed: BookingSlot.Name));

        Assert.Equal("confirm cleaning | Friday, November 27 | 10 am | Alex Kim", t.Said);
    }

    [Fact]
    public void Heard_NoMakeItAFullNameAtTheReadBack_TakesTheName()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Slots(answer: Answer.No, name: "Sam Lee", corrects: true, wholeName: true, asksForChange: true));

        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal("confirm cleaning | Friday, November 27 | 10 am | Sam Lee", t.Said);
    }

    [Fact]
    public void Heard_TomorrowMorning_OnlyMorningTimesOffered()
    {
        var call = Call();

        var t = call.Hear(Heard.Book(service: "Cleaning", date: Tuesday, preference: TimePreference.Morning));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Equal(Tuesday, t.Session.Draft.Date);
        Assert.NotEmpty(t.Session.Draft.Offered!);
        Assert.All(t.Session.Draft.Offered!, x => Assert.True(x.Hour < 12, $"{x} is not in the morning"));
    }

    [Fact]
    public void Heard_AfterLunch_OnlyTimesFrom1PmOffered()
    {
        var call = Call();

        var t = call.Hear(Heard.Book(service: "Cleaning", date: Friday, preference: TimePreference.AfterLunch));

        Assert.NotEmpty(t.Session.Draft.Offered!);
        Assert.All(t.Session.Draft.Offered!, x => Assert.InRange(x.Hour, 13, 16));
    }

    [Fact]
    public void Heard_NoonOnTheSplitShiftDay_RefusedWithTimesAroundTheBreak()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Tuesday));

        var t = call.Hear(Heard.Time(new SpokenTime(12, 0, MeridiemKnown: false)));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Equal("slotTaken noon: 10:45 am, 11 am, or 1 pm", t.Said);
    }

    [Fact]
    public void Heard_ATimeAlreadyPastToday_NearestLaterTimesOffered()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Slots(date: Today, time: new SpokenTime(9, 0, MeridiemKnown: false)));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.StartsWith("slotTaken 9 am: ", t.Said, StringComparison.Ordinal);
        Assert.All(t.Session.Draft.Offered!, x => Assert.True(x > new TimeOnly(10, 0), $"{x} is already past"));
    }

    [Fact]
    public void Heard_ClosedDayWithAPreference_PreferenceKeptForTheNextDay()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));
        var t = call.Hear(Heard.Slots(date: Thanksgiving, preference: TimePreference.Afternoon));
        Assert.StartsWith("dayClosed Thursday, November 26: ", t.Said, StringComparison.Ordinal);

        t = call.Hear(Heard.Date(Friday));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.All(t.Session.Draft.Offered!, x => Assert.InRange(x.Hour, 12, 16));
    }

    [Fact]
    public void Heard_ChangeTheTimePleaseAfterSayingNo_BooksNothing()
    {
        var call = Call();
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true),
            Heard.Slots(answer: Answer.No, asksForChange: true));

        var t = call.Hear(Heard.Slots(slotNamed: BookingSlot.Time, asksForChange: true));

        Assert.DoesNotContain(call.SideEffects, a => a is ReserveSlot);
        Assert.NotEqual(CallOutcome.Booked, t.Session.Outcome);
    }

    [Fact]
    public void Heard_CorrectionAfterNo_ReadBackAgainThenYesBooksTheCorrectedSlot()
    {
        var call = Call();
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true),
            Heard.Slots(answer: Answer.No, asksForChange: true));

        var t = call.Hear(Heard.Slots(time: new SpokenTime(11, 0, MeridiemKnown: false), corrects: true));
        Assert.Equal("confirm cleaning | Friday, November 27 | 11 am | Sam", t.Said);

        call.Hear(Heard.Yes);
        Assert.Equal(new TimeOnly(11, 0), call.SideEffects.OfType<ReserveSlot>().Single().Booking.Time);
    }

    [Fact]
    public void Heard_SilenceAtTheReadBack_RepeatsItAndBooksNothing()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Silence();

        Assert.Equal("noInput / confirm cleaning | Friday, November 27 | 10 am | Sam", t.Said);
        Assert.Empty(call.SideEffects);
    }

    [Fact]
    public void Heard_ASecondBookingInTheSameCall_BothReservedAndTheCallStaysBooked()
    {
        var call = Call();
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true),
            Heard.Yes,
            Heard.Yes);

        var t = call.Hear(
            Heard.Book(service: "Checkup", date: NextMonday, time: SpokenTime.Exact(9, 0), name: "Sam", wholeName: true),
            Heard.Yes);

        var bookings = call.SideEffects.OfType<ReserveSlot>().Select(r => (r.Booking.Service, r.Booking.Date, r.Booking.Time)).ToList();
        Assert.Equal([("Cleaning", Friday, new TimeOnly(10, 0)), ("Checkup", NextMonday, new TimeOnly(9, 0))], bookings);
        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
        Assert.Equal("apt-2", t.Session.AppointmentId);
    }

    [Fact]
    public void Heard_TheSlotJustBookedAskedAgain_NowTaken()
    {
        var call = Call();
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true),
            Heard.Yes,
            Heard.Yes);

        var t = call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Kim", wholeName: true));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.StartsWith("slotTaken 10 am: ", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void ReservationResult_WhenNotBooking_Ignored()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));
        var before = call.Session;

        var t = call.Run(new ReservationResult(true, "apt-x"));

        Assert.Equal(before, t.Session);
        Assert.Empty(t.Actions);
    }

    [Fact]
    public void CallEnded_MidBooking_AbandonedAndNothingBooked()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Run(new CallEnded());

        Assert.True(t.Session.Ended);
        Assert.Equal(CallOutcome.Abandoned, t.Session.Outcome);
        Assert.Empty(call.SideEffects);
        Assert.Empty(t.Actions);
    }

    [Fact]
    public void CallEnded_AfterBooking_StaysBooked()
    {
        var call = Call();
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true),
            Heard.Yes);

        var t = call.Run(new CallEnded());

        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
    }

    // ---------------------------------------------------------------- withheld caller ID

    [Fact]
    public void Heard_WithheldCallerId_AsksForANumberAndReadsItBackDigitByDigit()
    {
        var call = Call(callerId: null);
        var t = call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));
        Assert.Equal(ConversationState.CollectCallback, t.State);
        Assert.Equal("askCallback", t.Said);
        Assert.Equal(KeyEntry.Number, t.Keys);

        t = call.Hear(Heard.Phone("+15552349876", "5552349876"));
        Assert.Equal(ConversationState.ConfirmCallback, t.State);
        Assert.Equal("confirmCallback five five five, two three four, nine eight seven six", t.Said);
        Assert.Equal(KeyEntry.Number, t.Keys); // 1 confirms, or a corrected number is keyed in full

        t = call.Hear(Heard.Yes);
        Assert.Equal(ConversationState.Confirm, t.State);
        t = call.Hear(Heard.Yes);
        Assert.Equal("+15552349876", call.SideEffects.OfType<ReserveSlot>().Single().Booking.Phone);
    }

    [Fact]
    public void Heard_NoToTheReadBackNumber_AsksAgain()
    {
        var call = Call(callerId: null);
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true),
            Heard.Phone("+15552349876", "5552349876"));

        var t = call.Hear(Heard.Slots(answer: Answer.No, asksForChange: true));

        Assert.Equal(ConversationState.CollectCallback, t.State);
        Assert.Null(t.Session.Callback);
        Assert.Equal("askCallback", t.Said);
    }

    [Fact]
    public void Keypad_NumberTyped_ReadBackDigitByDigit()
    {
        var call = Call(callerId: null);
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Press("5552349876");

        Assert.Equal(ConversationState.ConfirmCallback, t.State);
        Assert.Equal("+15552349876", t.Session.Callback);
        Assert.Equal("confirmCallback five five five, two three four, nine eight seven six", t.Said);
    }

    [Fact]
    public void Keypad_2AtTheNumberReadBack_AsksForTheNumberAgain()
    {
        var call = Call(callerId: null);
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true),
            Heard.Phone("+15552349876", "5552349876"));

        var t = call.Press("2");

        Assert.Equal(ConversationState.CollectCallback, t.State);
        Assert.Null(t.Session.Callback);
    }

    [Fact]
    public void Heard_ANewNumberAtTheNumberReadBack_ReadsTheNewOneBack()
    {
        var call = Call(callerId: null);
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true),
            Heard.Phone("+15552349876", "5552349876"));

        var t = call.Hear(Heard.Of(Intent.None, answer: Answer.No, phone: "+15552341111", asksForChange: true));

        Assert.Equal(ConversationState.ConfirmCallback, t.State);
        Assert.Equal("confirmCallback five five five, two three four, one one one one", t.Said);
    }

    [Fact]
    public void Keypad_TooFewDigitsForANumber_AskedAgainNeverBooked()
    {
        var call = Call(callerId: null);
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Press("55512");

        Assert.Equal(ConversationState.CollectCallback, t.State);
        Assert.Null(t.Session.Callback);
        Assert.StartsWith("fallback", t.Said, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- cancel and reschedule

    [Fact]
    public void Heard_CancelOneFoundByCallerId_ConfirmedThenCancelled()
    {
        var call = Call().WithAppointment(SamsCleaning);

        var t = call.Hear(Heard.Cancel());
        Assert.Equal(new FindAppointments(CallerId, null), call.SideEffects[0]);
        Assert.Equal(ConversationState.ConfirmCancel, t.State);
        Assert.Equal("confirmCancel cleaning | Friday, November 27 | 10 am", t.Said);

        t = call.Hear(Heard.Yes);
        Assert.Equal(new CancelAppointment(SamsCleaning, "CA1"), call.SideEffects[^1]);
        Assert.Equal(CallOutcome.Cancelled, t.Session.Outcome);
        Assert.Equal(ConversationState.AnythingElse, t.State);
        Assert.Equal("cancelled cleaning | Friday, November 27 | 10 am / anythingElse", t.Said);
    }

    [Fact]
    public void Heard_NoToTheCancelReadBack_LeavesItAsItIs()
    {
        var call = Call().WithAppointment(SamsCleaning);
        call.Hear(Heard.Cancel());

        var t = call.Hear(Heard.Slots(answer: Answer.No, asksForChange: true));

        Assert.DoesNotContain(call.SideEffects, a => a is CancelAppointment);
        Assert.Equal($"{SystemPhrases.LeftAsIs} / anythingElse", t.Said);
    }

    [Fact]
    public void Heard_SeveralFound_ReadsOnlyServiceDateAndTimeNeverNames()
    {
        var call = Call().WithAppointment(SamsCleaning).WithAppointment(KimsCheckup);

        var t = call.Hear(Heard.Cancel());

        Assert.Equal(ConversationState.ChooseAppointment, t.State);
        Assert.Equal("whichAppointment your checkup on Tuesday, November 24 at 2 pm or your cleaning on Friday, November 27 at 10 am", t.Said);
        Assert.DoesNotContain("Sam", t.Said, StringComparison.Ordinal);
        Assert.DoesNotContain("Kim", t.Said, StringComparison.Ordinal);
        Assert.DoesNotContain("five", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Keypad_ChoosingOneOfSeveral_ThatOneIsCancelled()
    {
        var call = Call().WithAppointment(SamsCleaning).WithAppointment(KimsCheckup);
        call.Hear(Heard.Cancel());

        var t = call.Press("1");

        Assert.Equal(KimsCheckup, t.Session.Target);
        Assert.Equal(ConversationState.ConfirmCancel, t.State);
    }

    [Fact]
    public void Heard_NoneByCallerId_AsksTheNameAndLooksItUp()
    {
        var fromHome = SamsCleaning with { Phone = "+15550001111" };
        var call = Call().WithAppointment(fromHome);

        var t = call.Hear(Heard.Cancel());
        Assert.Equal(ConversationState.FindAppointment, t.State);
        Assert.Equal("findAppointment", t.Said);

        t = call.Hear(Heard.Name("Sam Lee"));
        Assert.Equal(new FindAppointments(null, "Sam Lee"), call.SideEffects[^1]);
        Assert.Equal(ConversationState.VerifyNumber, t.State); // booked with another number: proven first

        t = call.Hear(Heard.Of(Intent.None, digits: "1111"));
        Assert.Equal(ConversationState.ConfirmCancel, t.State);
        Assert.Equal(fromHome, t.Session.Target);
    }

    [Fact]
    public void Heard_NoneByNameEither_OffersAMessage()
    {
        var call = Call();
        call.Hear(Heard.Cancel());

        var t = call.Hear(Heard.Name("Pat Doe"));

        Assert.Equal(ConversationState.OfferMessage, t.State);
        Assert.Equal("noAppointment Pat Doe", t.Said);
        Assert.IsType<Listen>(t.Actions[^1]);

        t = call.Hear(Heard.Yes);
        Assert.Equal(CallTask.Message, t.Session.Task);
        Assert.DoesNotContain(call.SideEffects, a => a is CancelAppointment);
    }

    [Fact]
    public void Heard_Reschedule_NewSlotCollectedReadBackNamesOldAndNewThenMoved()
    {
        var call = Call().WithAppointment(SamsCleaning);

        var t = call.Hear(Heard.Reschedule());
        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Equal("askRescheduleDate cleaning | Friday, November 27 | 10 am", t.Said);

        t = call.Hear(Heard.Date(NextMonday));
        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Equal(NextMonday, t.Session.Draft.Date);

        t = call.Hear(Heard.Time(SpokenTime.Exact(14, 0)));
        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal("confirmReschedule cleaning | Friday, November 27 | 10 am -> Monday, November 30 | 2 pm", t.Said);

        t = call.Hear(Heard.Yes);
        var move = Assert.IsType<MoveAppointment>(call.SideEffects[^1]);
        Assert.Equal(SamsCleaning, move.From);
        Assert.Equal((NextMonday, new TimeOnly(14, 0), "Cleaning", 60, "Sam Lee"), (move.To.Date, move.To.Time, move.To.Service, move.To.Minutes, move.To.Name));
        Assert.Equal(CallOutcome.Rescheduled, t.Session.Outcome);
        Assert.Equal("rescheduled cleaning | Monday, November 30 | 2 pm / anythingElse", t.Said);
    }

    [Fact]
    public void Heard_RescheduleToAnOverlappingTime_OwnAppointmentDoesNotBlockIt()
    {
        var call = Call().WithAppointment(SamsCleaning);
        call.Hear(Heard.Reschedule());

        var t = call.Hear(Heard.Slots(date: Friday, time: SpokenTime.Exact(10, 30)));

        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal(new TimeOnly(10, 30), t.Session.Draft.Time);
    }

    [Fact]
    public void Heard_RescheduleOntoSomeoneElsesTime_Refused()
    {
        var call = Call(Context(busy: [Busy(NextMonday, 14, 0, 60)])).WithAppointment(SamsCleaning);
        call.Hear(Heard.Reschedule());

        var t = call.Hear(Heard.Slots(date: NextMonday, time: SpokenTime.Exact(14, 0)));

        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.StartsWith("slotTaken 2 pm: ", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Heard_ADifferentDayAtTheCancelReadBack_NeverStartsABooking()
    {
        var call = Call().WithAppointment(KimsCheckup);
        call.Hear(Heard.Cancel());
        Assert.Equal(ConversationState.ConfirmCancel, call.Session.State);

        var t = call.Hear(Heard.Slots(date: Friday, corrects: true));

        Assert.NotEqual(CallTask.Book, t.Session.Task);
        Assert.DoesNotContain("askService", t.Said, StringComparison.Ordinal);
        Assert.DoesNotContain(call.SideEffects, a => a is CancelAppointment);
    }

    [Fact]
    public void Heard_CancelNamingWhichAppointment_PicksItWithoutAskingWhich()
    {
        var call = Call().WithAppointment(SamsCleaning).WithAppointment(KimsCheckup);

        var t = call.Hear(Heard.Cancel(service: "Cleaning", date: Friday));

        Assert.Equal(ConversationState.ConfirmCancel, t.State);
        Assert.Equal(SamsCleaning, t.Session.Target);
        Assert.Equal("confirmCancel cleaning | Friday, November 27 | 10 am", t.Said);
    }

    [Fact]
    public void Heard_MoveNamingTheNewTime_StraightToTheReadBack()
    {
        var call = Call().WithAppointment(SamsCleaning);

        var t = call.Hear(Heard.Of(Intent.Reschedule, service: "Cleaning", date: NextMonday, time: SpokenTime.Exact(14, 0), move: new MoveSaid(null, null, NextMonday, SpokenTime.Exact(14, 0), TimePreference.None), asksForChange: true));

        Assert.Equal(ConversationState.Confirm, t.State);
        Assert.Equal("confirmReschedule cleaning | Friday, November 27 | 10 am -> Monday, November 30 | 2 pm", t.Said);
    }

    [Fact]
    public void Heard_NameAndDayWhenAskedWhichAppointment_LooksUpTheName()
    {
        var fromHome = SamsCleaning with { Phone = "+15550001111" };
        var call = Call().WithAppointment(fromHome);
        call.Hear(Heard.Cancel());
        Assert.Equal(ConversationState.FindAppointment, call.Session.State);

        var t = call.Hear(Heard.Name("Sam Lee"));
        Assert.Equal(new FindAppointments(null, "Sam Lee"), call.SideEffects[^1]);
        Assert.Equal(ConversationState.VerifyNumber, t.State);

        t = call.Hear(Heard.Of(Intent.None, digits: "1111"));
        Assert.Equal(fromHome, t.Session.Target);
    }

    [Fact]
    public void Heard_WithheldCallerIdCancel_AsksTheNameFirstThenTwoTriesThenOffersAMessage()
    {
        var call = Call(callerId: null);

        var t = call.Hear(Heard.Cancel());
        Assert.Equal(ConversationState.FindAppointment, t.State);
        Assert.DoesNotContain(call.SideEffects, a => a is FindAppointments);

        t = call.Hear(Heard.Name("Pat Doe"));
        Assert.Equal(new FindAppointments(null, "Pat Doe"), call.SideEffects[^1]);
        Assert.Equal(ConversationState.FindAppointment, t.State);

        t = call.Hear(Heard.Name("Pat Doe"));
        Assert.Equal(ConversationState.OfferMessage, t.State);
        Assert.Equal("noAppointment Pat Doe", t.Said);
        Assert.Equal(2, call.SideEffects.OfType<FindAppointments>().Count());
    }

    [Fact]
    public void Heard_WithheldCallerIdReschedule_FoundByNameThenMoved()
    {
        var fromHome = SamsCleaning with { Phone = "+15550001111" };
        var call = Call(callerId: null).WithAppointment(fromHome);
        call.Hear(
            Heard.Reschedule(),
            Heard.Name("Sam Lee"),
            Heard.Of(Intent.None, digits: "1111"),
            Heard.Slots(date: NextMonday, time: SpokenTime.Exact(14, 0)));
        if (call.Session.State == ConversationState.CollectCallback)
        {
            call.Hear(Heard.Phone("+15550001111", "5550001111"), Heard.Yes);
        }

        Assert.Equal(ConversationState.Confirm, call.Session.State);
        var t = call.Hear(Heard.Yes);

        var move = Assert.IsType<MoveAppointment>(call.SideEffects[^1]);
        Assert.Equal(fromHome, move.From);
        Assert.Equal(CallOutcome.Rescheduled, t.Session.Outcome);
    }

    [Fact]
    public void Keypad_SecondOfSeveral_ThatOneChosen()
    {
        var call = Call().WithAppointment(SamsCleaning).WithAppointment(KimsCheckup);
        call.Hear(Heard.Reschedule());

        var t = call.Press("2");

        Assert.Equal(SamsCleaning, t.Session.Target);
        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Equal("askRescheduleDate cleaning | Friday, November 27 | 10 am", t.Said);
    }

    [Fact]
    public void Heard_ChoosingByWeekdayForAReschedule_AsksTheNewDay()
    {
        var call = Call().WithAppointment(SamsCleaning).WithAppointment(KimsCheckup);
        call.Hear(Heard.Reschedule());

        var t = call.Hear(Heard.Date(Tuesday));

        Assert.Equal(KimsCheckup, t.Session.Target);
        Assert.Equal("askRescheduleDate checkup | Tuesday, November 24 | 2 pm", t.Said);
    }

    [Fact]
    public void Heard_RescheduleThenCancelInstead_ConfirmsCancellingTheSameAppointment()
    {
        var call = Call().WithAppointment(SamsCleaning);
        call.Hear(Heard.Reschedule());

        var t = call.Hear(Heard.Cancel());
        Assert.Equal(ConversationState.ConfirmCancel, t.State);
        Assert.Equal(SamsCleaning, t.Session.Target);

        t = call.Hear(Heard.Yes);
        Assert.Equal(new CancelAppointment(SamsCleaning, "CA1"), call.SideEffects[^1]);
        Assert.DoesNotContain(call.SideEffects, a => a is MoveAppointment);
        Assert.Equal(CallOutcome.Cancelled, t.Session.Outcome);
    }

    [Fact]
    public void Heard_RescheduleLosesTheRace_ApologisesOffersTimesAndMovesNothingYet()
    {
        var call = Call().WithAppointment(SamsCleaning).LoseNextReservation();
        call.Hear(Heard.Reschedule(), Heard.Slots(date: NextMonday, time: SpokenTime.Exact(14, 0)));

        var t = call.Hear(Heard.Yes);

        Assert.Equal(CallOutcome.InProgress, t.Session.Outcome);
        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.StartsWith("slotLost 2 pm: ", t.Said, StringComparison.Ordinal);
        Assert.Equal(SamsCleaning, t.Session.Target);

        call.Hear(Heard.Choice(1), Heard.Yes);
        Assert.Equal(2, call.SideEffects.OfType<MoveAppointment>().Count());
        Assert.Equal(CallOutcome.Rescheduled, call.Session.Outcome);
    }

    [Fact]
    public void Heard_RescheduleDeclinedTwice_SaysTheAppointmentIsLeftAsItIs()
    {
        var call = Call().WithAppointment(SamsCleaning);
        call.Hear(
            Heard.Reschedule(),
            Heard.Slots(date: NextMonday, time: SpokenTime.Exact(14, 0)),
            Heard.Slots(answer: Answer.No, asksForChange: true));

        var t = call.Hear(Heard.Slots(answer: Answer.No, asksForChange: true));

        Assert.DoesNotContain(call.SideEffects, a => a is MoveAppointment or CancelAppointment);
        Assert.Equal($"{SystemPhrases.LeftAsIs} / anythingElse", t.Said);
    }

    [Fact]
    public void Heard_RescheduleCannotChangeTheService_TheReadBackKeepsIt()
    {
        var call = Call().WithAppointment(SamsCleaning);
        call.Hear(Heard.Reschedule());

        var t = call.Hear(Heard.Slots(service: "Whitening", date: NextMonday, time: SpokenTime.Exact(14, 0)));

        Assert.Equal("confirmReschedule cleaning | Friday, November 27 | 10 am -> Monday, November 30 | 2 pm", t.Said);
    }

    [Fact]
    public void Heard_QuestionWhileChoosingAnAppointment_AnsweredThenAskedWhichAgain()
    {
        var call = Call().WithAppointment(SamsCleaning).WithAppointment(KimsCheckup);
        call.Hear(Heard.Cancel());
        var before = call.Session;

        var t = call.Hear(Heard.Question("address"));

        Assert.Equal("We're at 12 Main St. / whichAppointment your checkup on Tuesday, November 24 at 2 pm or your cleaning on Friday, November 27 at 10 am", t.Said);
        Assert.Equal(before, t.Session);
    }

    [Fact]
    public void AppointmentsFound_WhenNotLookingUp_Ignored()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));
        var before = call.Session;

        var t = call.Run(new AppointmentsFound([SamsCleaning]));

        Assert.Equal(before, t.Session);
        Assert.Empty(t.Actions);
    }

    // ---------------------------------------------------------------- messages

    [Fact]
    public void Heard_Message_NameBodyReadBackYesSaved()
    {
        var call = Call();

        var t = call.Hear(Heard.Message());
        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.Equal("askMessageName", t.Said);

        t = call.Hear(Heard.Name("Jo Park"));
        Assert.Equal(ConversationState.MessageBody, t.State);
        Assert.Equal("askMessage", t.Said);

        t = call.Hear(Heard.Words("Please call me about my bill"));
        Assert.Equal(ConversationState.ConfirmMessage, t.State);
        Assert.Equal("confirmMessage Jo Park | five five five, seven six five, four three two one | Please call me about my bill", t.Said);
        Assert.Empty(call.SideEffects);

        t = call.Hear(Heard.Yes);
        var saved = t.Single<SaveMessage>().Message;
        Assert.Equal(new MessageRequest("bright-smiles", "CA1", "CA1-m1", "Jo Park", CallerId, "Please call me about my bill", false), saved);
        Assert.Equal(CallOutcome.MessageTaken, t.Session.Outcome);
        Assert.Equal("messageTaken / anythingElse", t.Said);
    }

    [Fact]
    public void Heard_MessageWithWithheldCallerId_AsksAndReadsBackTheNumber()
    {
        var call = Call(callerId: null);
        call.Hear(Heard.Message(), Heard.Name("Jo Park"));
        Assert.Equal(ConversationState.CollectCallback, call.Session.State);

        var t = call.Hear(Heard.Phone("+15552349876", "5552349876"));
        Assert.Equal(ConversationState.ConfirmCallback, t.State);
        t = call.Hear(Heard.Yes);
        Assert.Equal(ConversationState.MessageBody, t.State);
        call.Hear(Heard.Words("Call me back please"), Heard.Yes);

        Assert.Equal("+15552349876", call.SideEffects.OfType<SaveMessage>().Single().Message.Phone);
    }

    [Fact]
    public void Heard_NoAtTheMessageReadBack_AsksTheMessageAgain()
    {
        var call = Call();
        call.Hear(Heard.Message(), Heard.Name("Jo Park"), Heard.Words("Please call me about my bill"));

        var t = call.Hear(Heard.Slots(answer: Answer.No, asksForChange: true));

        Assert.Equal(ConversationState.MessageBody, t.State);
        Assert.Null(t.Session.Message.Text);
        Assert.Equal($"{SystemPhrases.MessageAgain} / askMessage", t.Said);
        Assert.Empty(call.SideEffects);

        call.Hear(Heard.Words("Please call me about my invoice"), Heard.Yes);
        Assert.Equal("Please call me about my invoice", call.SideEffects.OfType<SaveMessage>().Single().Message.Text);
    }

    [Fact]
    public void Heard_NameGivenWithTheRequest_NotAskedAgain()
    {
        var call = Call();

        var t = call.Hear(Heard.Of(Intent.Message, name: "Jo Park", wholeName: true));

        Assert.Equal(ConversationState.MessageBody, t.State);
        Assert.Equal("Jo Park", t.Session.Message.Name);
        Assert.Equal("askMessage", t.Said);
    }

    [Fact]
    public void Heard_MessageAfterABooking_NameCarriedOverAndTheOutcomeStaysBooked()
    {
        var call = Call();
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam Lee", wholeName: true),
            Heard.Yes);

        var t = call.Hear(Heard.Message());
        Assert.Equal(ConversationState.MessageBody, t.State);

        t = call.Hear(Heard.Words("please tell Dr. Smith I'll be a bit late"), Heard.Yes);
        Assert.Equal("Sam Lee", call.SideEffects.OfType<SaveMessage>().Single().Message.Name);
        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
    }

    [Fact]
    public void Heard_TwoMessagesInOneCall_EachStoredOnceWithItsOwnId()
    {
        var call = Call();
        call.Hear(
            Heard.Message(),
            Heard.Name("Jo Park"),
            Heard.Words("Please call me about my bill"),
            Heard.Yes,
            Heard.Yes);

        call.Hear(Heard.Message(), Heard.Words("My address has changed"), Heard.Yes);

        var ids = call.SideEffects.OfType<SaveMessage>().Select(m => m.Message.Id).ToList();
        Assert.Equal(["CA1-m1", "CA1-m2"], ids);
    }

    [Fact]
    public void Keypad_2AtTheMessageReadBack_AsksTheMessageAgain()
    {
        var call = Call();
        call.Hear(Heard.Message(), Heard.Name("Jo Park"), Heard.Words("Please call me about my bill"));

        var t = call.Press("2");

        Assert.Equal(ConversationState.MessageBody, t.State);
        Assert.Empty(call.SideEffects);
    }

    [Fact]
    public void Heard_GoodbyeAfterAMessage_EndsWithMessageTaken()
    {
        var call = Call();
        call.Hear(
            Heard.Message(),
            Heard.Name("Jo Park"),
            Heard.Words("Please call me about my bill"),
            Heard.Yes);

        var t = call.Hear(Heard.Of(Intent.Goodbye, answer: Answer.No, asksForChange: true));

        Assert.True(t.Session.Ended);
        Assert.Equal(CallOutcome.MessageTaken, t.Session.Outcome);
    }

    [Fact]
    public void Heard_SilenceWhileTakingTheMessage_AsksForItAgain()
    {
        var call = Call();
        call.Hear(Heard.Message(), Heard.Name("Jo Park"));

        var t = call.Silence();

        Assert.Equal("noInput / askMessage", t.Said);
        Assert.Equal(ConversationState.MessageBody, t.State);
    }

    // ---------------------------------------------------------------- transfers and emergencies

    [Fact]
    public void Heard_SpeakToAPersonWhileOpen_Transferred()
    {
        var call = Call();

        var t = call.Hear(Heard.Person);

        Assert.Equal(ConversationState.Transferring, t.State);
        Assert.Equal(TransferNumber, t.Single<TransferCall>().Number);
        Assert.Equal("transferring", t.Said);
    }

    [Fact]
    public void Heard_SpeakToAPersonWhileClosed_TakesAMessage()
    {
        var call = Call(Context(ClosedNow));

        var t = call.Hear(Heard.Person);

        Assert.False(t.Has<TransferCall>());
        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.Equal($"{SystemPhrases.NoOneToTransferTo} / askMessageName", t.Said);
    }

    [Fact]
    public void TransferResult_Failed_ApologisesAndTakesAMessage()
    {
        var call = Call();
        call.Hear(Heard.Person);

        var t = call.TransferOutcome(false);

        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.Equal(CallTask.Message, t.Session.Task);
        Assert.Equal("transferFailed / askMessageName", t.Said);
    }

    [Fact]
    public void TransferResult_Connected_TransferredAndHungUp()
    {
        var call = Call();
        call.Hear(Heard.Person);

        var t = call.TransferOutcome(true);

        Assert.True(t.Session.Ended);
        Assert.Equal(CallOutcome.Transferred, t.Session.Outcome);
        Assert.IsType<Hangup>(Assert.Single(t.Actions));
    }

    [Fact]
    public void Heard_EmergencyWhileOpen_TransferPolicyPutsThrough()
    {
        var call = Call();

        var t = call.Hear(Heard.Emergency);

        Assert.Equal(ConversationState.Transferring, t.State);
        Assert.Equal(TransferNumber, t.Single<TransferCall>().Number);
        Assert.Equal("emergencyMessage", t.Said);
        Assert.True(t.Session.Message.Urgent);
    }

    [Fact]
    public void Heard_EmergencyTransferFails_MessageIsUrgent()
    {
        var call = Call();
        call.Hear(Heard.Emergency);
        call.TransferOutcome(false);

        call.Hear(Heard.Name("Jo Park"), Heard.Words("please call me right away"), Heard.Yes);

        Assert.True(call.SideEffects.OfType<SaveMessage>().Single().Message.Urgent);
    }

    [Fact]
    public void Heard_EmergencyWhileClosed_UrgentMessage()
    {
        var call = Call(Context(ClosedNow));

        var t = call.Hear(Heard.Emergency);
        Assert.False(t.Has<TransferCall>());
        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.Equal("urgentMessage", t.Said);

        call.Hear(Heard.Name("Jo Park"), Heard.Words("please call me right away"), Heard.Yes);
        var saved = call.SideEffects.OfType<SaveMessage>().Single().Message;
        Assert.True(saved.Urgent);
        Assert.Equal("Jo Park", saved.Name);
    }

    [Fact]
    public void Heard_EmergencyWithoutTransferNumber_UrgentMessage()
    {
        var call = Call(Context(tenant: Business(t => t.Remove("transferNumber"))));

        var t = call.Hear(Heard.Emergency);

        Assert.False(t.Has<TransferCall>());
        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.True(t.Session.Message.Urgent);
    }

    [Fact]
    public void Heard_EmergencyUrgentMessagePolicy_UrgentMessageEvenWhenOpen()
    {
        var call = Call(Context(profession: Dentist("urgentMessage")));

        var t = call.Hear(Heard.Emergency);

        Assert.False(t.Has<TransferCall>());
        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.True(t.Session.Message.Urgent);
    }

    [Fact]
    public void Heard_EmergencyAdvisePolicy_AdvisesAndOffersAnUrgentMessage()
    {
        var call = Call(Context(profession: Dentist("adviseEmergencyServices")));

        var t = call.Hear(Heard.Emergency);

        Assert.False(t.Has<TransferCall>());
        Assert.Equal(ConversationState.OfferMessage, t.State);
        Assert.Equal($"emergencyMessage / {SystemPhrases.OfferUrgentMessage}", t.Said);
    }

    [Fact]
    public void Heard_EmergencyAdvisePolicyThenYes_TheMessageIsFlaggedUrgent()
    {
        var call = Call(Context(profession: Dentist("adviseEmergencyServices")));
        call.Hear(Heard.Emergency);

        call.Hear(Heard.Yes, Heard.Name("Jo Park"), Heard.Words("please call me right away"), Heard.Yes);

        Assert.True(call.SideEffects.OfType<SaveMessage>().Single().Message.Urgent);
    }

    [Fact]
    public void Heard_SpeakToAPersonWhileOpenWithoutATransferNumber_TakesAMessage()
    {
        var call = Call(Context(tenant: Business(t => t.Remove("transferNumber"))));

        var t = call.Hear(Heard.Person);

        Assert.False(t.Has<TransferCall>());
        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.Equal($"{SystemPhrases.NoOneToTransferTo} / askMessageName", t.Said);
    }

    [Fact]
    public void Heard_SpeakToAPersonMidBooking_PutThroughAndNothingBooked()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Person);

        Assert.Equal(TransferNumber, t.Single<TransferCall>().Number);
        Assert.Empty(call.SideEffects);
    }

    [Fact]
    public void TransferResult_FailedWhenTheNameIsKnown_AYesIsNotTakenAsTheMessage()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam Lee", wholeName: true));
        call.Hear(Heard.Person);
        call.TransferOutcome(false);

        var t = call.Hear(Heard.Yes.Saying("yes"));

        Assert.NotEqual("yes", t.Session.Message.Text);
        Assert.Equal(ConversationState.MessageBody, t.State);
    }

    [Fact]
    public void TransferResult_FailedThenMessage_StoredWithTheCallersNumber()
    {
        var call = Call();
        call.Hear(Heard.Person);
        call.TransferOutcome(false);

        call.Hear(Heard.Name("Jo Park"), Heard.Words("please call me about my bill"), Heard.Yes);

        var saved = call.SideEffects.OfType<SaveMessage>().Single().Message;
        Assert.Equal(("Jo Park", CallerId, "please call me about my bill", false), (saved.Name, saved.Phone, saved.Text, saved.Urgent));
    }

    [Fact]
    public void TransferResult_WhenNotTransferring_Ignored()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));
        var before = call.Session;

        var t = call.TransferOutcome(false);

        Assert.Equal(before, t.Session);
        Assert.Empty(t.Actions);
    }

    [Fact]
    public void Heard_SpeechWhileBeingPutThrough_Ignored()
    {
        var call = Call();
        call.Hear(Heard.Person);

        var t = call.Hear(Heard.Person);

        Assert.Equal(ConversationState.Transferring, t.State);
        Assert.Empty(t.Actions);
    }

    [Fact]
    public void Heard_EmergencyMidBooking_PutThroughAndNothingBooked()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Emergency);

        Assert.Equal(TransferNumber, t.Single<TransferCall>().Number);
        Assert.Equal("emergencyMessage", t.Said);
        Assert.Empty(call.SideEffects);
    }

    [Fact]
    public void Heard_EmergencyWhileClosedWithTheNameKnown_MarkedUrgentAndAsksTheMessage()
    {
        var call = Call(Context(ClosedNow));
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam Lee", wholeName: true));

        var t = call.Hear(Heard.Emergency);

        Assert.Equal(ConversationState.MessageBody, t.State);
        Assert.Equal($"{SystemPhrases.MarkedUrgent} / askMessage", t.Said);
        call.Hear(Heard.Words("please call me"), Heard.Yes);
        var saved = call.SideEffects.OfType<SaveMessage>().Single().Message;
        Assert.Equal(("Sam Lee", true), (saved.Name, saved.Urgent));
        Assert.DoesNotContain(call.SideEffects, a => a is ReserveSlot);
    }

    [Fact]
    public void Heard_EmergencyAdvisePolicyThenNo_NoMessageAndAnythingElse()
    {
        var call = Call(Context(profession: Dentist("adviseEmergencyServices")));
        call.Hear(Heard.Emergency);

        var t = call.Hear(Heard.Slots(answer: Answer.No, asksForChange: true));

        Assert.Equal(ConversationState.AnythingElse, t.State);
        Assert.Empty(call.SideEffects);
    }

    [Fact]
    public void Heard_EmergencyTransferPolicyWhileClosed_NoTransferAttempted()
    {
        var call = Call(Context(ClosedNow));

        var t = call.Hear(Heard.Emergency);

        Assert.False(t.Has<TransferCall>());
        Assert.True(t.Session.Message.Urgent);
        Assert.Equal("urgentMessage", t.Said);
    }

    // ---------------------------------------------------------------- fallback and silence

    [Fact]
    public void Heard_FirstMiss_RephrasesWithAnExample()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Nothing);

        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Equal($"fallback / {SystemPhrases.ExampleFor(Expecting.Date)} / askDate cleaning", t.Said);
    }

    [Fact]
    public void Heard_SecondMiss_OffersTheKeypad()
    {
        var call = Call();
        call.Hear(Heard.Nothing);

        var t = call.Hear(Heard.Nothing);

        Assert.Equal(ConversationState.Greeting, t.State);
        Assert.StartsWith("fallbackKeypad", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Heard_ThirdMissWhileOpen_HandsOverToAPerson()
    {
        var call = Call();

        call.Hear(Heard.Nothing, Heard.Nothing);
        var t = call.Hear(Heard.Nothing);

        Assert.Equal(ConversationState.Transferring, t.State);
        Assert.Equal(TransferNumber, t.Single<TransferCall>().Number);
    }

    [Fact]
    public void Heard_ThirdMissWhileClosed_TakesAMessage()
    {
        var call = Call(Context(ClosedNow));

        call.Hear(Heard.Nothing, Heard.Nothing);
        var t = call.Hear(Heard.Nothing);

        Assert.Equal(CallTask.Message, t.Session.Task);
        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.StartsWith(SystemPhrases.LetMeTakeAMessage, t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Keypad_1_StartsABooking()
    {
        var t = Call().Press("1");

        Assert.Equal(CallTask.Book, t.Session.Task);
        Assert.Equal(ConversationState.CollectService, t.State);
    }

    [Fact]
    public void Keypad_2_TakesAMessage()
    {
        var t = Call().Press("2");

        Assert.Equal(CallTask.Message, t.Session.Task);
        Assert.Equal(ConversationState.MessageName, t.State);
    }

    [Fact]
    public void Keypad_0_PutsThroughToAPerson()
    {
        var t = Call().Press("0");

        Assert.Equal(ConversationState.Transferring, t.State);
        Assert.Equal(TransferNumber, t.Single<TransferCall>().Number);
    }

    [Fact]
    public void NoInput_Once_AsksAreYouStillThereAndRepeatsTheQuestion()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Silence();

        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Equal("noInput / askDate cleaning", t.Said);
    }

    [Fact]
    public void NoInput_Twice_PoliteGoodbye()
    {
        var call = Call();
        call.Silence();

        var t = call.Silence();

        Assert.True(t.Session.Ended);
        Assert.Equal("goodbye", t.Said);
        Assert.IsType<Hangup>(t.Actions[^1]);
        Assert.Equal(CallOutcome.Abandoned, t.Session.Outcome);
    }

    [Fact]
    public void Heard_Goodbye_EndsTheCall()
    {
        var t = Call().Hear(Heard.Goodbye);

        Assert.True(t.Session.Ended);
        Assert.Equal(CallOutcome.Completed, t.Session.Outcome);
    }

    [Fact]
    public void Heard_DayAndTimeAfterAskingAServicesPrice_BooksThatService()
    {
        var call = Call();
        call.Hear(Heard.Of(Intent.Question, service: "Cleaning", topic: Topics.Prices));

        var t = call.Hear(Heard.Of(Intent.None, date: Friday, time: SpokenTime.Exact(10, 0)));

        Assert.Equal("Cleaning", t.Session.Draft.Service);
        Assert.Equal(ConversationState.CollectName, t.State);
    }

    [Fact]
    public void Heard_GoodbyeMidBooking_Abandoned()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Goodbye);

        Assert.Equal(CallOutcome.Abandoned, t.Session.Outcome);
    }

    [Fact]
    public void Heard_GoodbyeMidBookingPuttingItOff_Completed()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Of(new Understood(Intent.Goodbye) { PutsOff = true }));

        Assert.True(t.Session.Ended);
        Assert.Equal(CallOutcome.Completed, t.Session.Outcome);
    }

    [Fact]
    public void Decide_AfterTheCallEnded_OnlyHangsUp()
    {
        var call = Call();
        call.Hear(Heard.Goodbye);

        var t = call.Hear(Heard.Book(service: "Cleaning"));

        Assert.True(t.Session.Ended);
        Assert.IsType<Hangup>(Assert.Single(t.Actions));
    }

    [Fact]
    public void Heard_FirstMissAtAReadBack_ExplainsYesNoAndTheKeys()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true));

        var t = call.Hear(Heard.Nothing);

        Assert.Equal($"fallback / {SystemPhrases.ExampleFor(Expecting.YesNo)} / confirm cleaning | Friday, November 27 | 10 am | Sam", t.Said);
    }

    [Fact]
    public void Heard_ThirdMissWhileOpenWithoutATransferNumber_TakesAMessage()
    {
        var call = Call(Context(tenant: Business(t => t.Remove("transferNumber"))));

        call.Hear(Heard.Nothing, Heard.Nothing);
        var t = call.Hear(Heard.Nothing);

        Assert.False(t.Has<TransferCall>());
        Assert.Equal(CallTask.Message, t.Session.Task);
        Assert.Equal(ConversationState.MessageName, t.State);
    }

    [Fact]
    public void Heard_MissesInDifferentStates_CountedPerState()
    {
        var call = Call();
        call.Hear(Heard.Nothing);

        var t = call.Hear(Heard.Book(service: "Cleaning"));
        Assert.Equal(0, t.Session.Misses);

        t = call.Hear(Heard.Nothing);
        Assert.Equal(1, t.Session.Misses);
        Assert.StartsWith("fallback / ", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Keypad_0WhileClosed_TakesAMessage()
    {
        var t = Call(Context(ClosedNow)).Press("0");

        Assert.False(t.Has<TransferCall>());
        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.Equal($"{SystemPhrases.NoOneToTransferTo} / askMessageName", t.Said);
    }

    [Fact]
    public void Keypad_UnknownKey_CountsAsAMiss()
    {
        var t = Call().Press("9");

        Assert.Equal(1, t.Session.Misses);
        Assert.Equal(ConversationState.Greeting, t.State);
        Assert.StartsWith("fallback", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void NoInput_ThenAnAnswer_SilenceCountStartsAgain()
    {
        var call = Call();
        call.Silence();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Silence();

        Assert.False(t.Session.Ended);
        Assert.Equal("noInput / askDate cleaning", t.Said);
    }

    [Fact]
    public void NoInput_TwiceAfterBooking_GoodbyeAndStillBooked()
    {
        var call = Call();
        call.Hear(
            Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), name: "Sam", wholeName: true),
            Heard.Yes);

        call.Silence();
        var t = call.Silence();

        Assert.True(t.Session.Ended);
        Assert.Equal(CallOutcome.Booked, t.Session.Outcome);
    }

    // ---------------------------------------------------------------- prompt injection

    [Fact]
    public void Heard_RepliesAfterALookupByCallerId_NeverReadTheNamesOnTheAppointments()
    {
        var call = Call().WithAppointment(SamsCleaning).WithAppointment(KimsCheckup);

        var said = string.Join(" / ", new[] { call.Hear(Heard.Reschedule()), call.Hear(Heard.Choice(1)), call.Hear(Heard.Slots(date: NextMonday, time: SpokenTime.Exact(14, 0))) }.Select(t => t.Said));

        Assert.DoesNotContain("Kim", said, StringComparison.Ordinal);
        Assert.DoesNotContain("Sam", said, StringComparison.Ordinal);
        Assert.DoesNotContain("Lee", said, StringComparison.Ordinal);
    }

    [Fact]
    public void Heard_LongMessage_KeptToTheLimit()
    {
        var call = Call();
        call.Hear(Heard.Message(), Heard.Name("Jo Park"));

        var t = call.Hear(Heard.Words(string.Concat(Enumerable.Repeat("please call me back ", 40))));

        Assert.Equal(ConversationEngine.MaxMessageLength, t.Session.Message.Text!.Length);
    }

    [Fact]
    public void Heard_BookingWhenTheTenantOffersOneService_ServiceNotAsked()
    {
        var tenant = Business(t => t["services"] = JsonNode.Parse("""[ { "name": "Cleaning", "minutes": 60 } ]"""));
        var call = Call(Context(tenant: tenant));

        var t = call.Hear(Heard.Book());

        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.Equal("Cleaning", t.Session.Draft.Service);
    }

    [Fact]
    public void Heard_BookingBeyondTheHorizon_OtherDaysNotAnEmptyOffer()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Date(new DateOnly(2027, 3, 3)));

        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.IsType<Listen>(t.Actions[^1]);
        Assert.DoesNotMatch(@"dayUnavailable [^:]+: $", t.Said);
    }

    [Fact]
    public void CancelResult_AppointmentAlreadyGone_SaysSoAndMovesOn()
    {
        var call = Call().WithAppointment(SamsCleaning);
        call.Hear(Heard.Cancel());

        call.CancelledElsewhere(SamsCleaning);

        var t = call.Hear(Heard.Yes);

        Assert.Equal(ConversationState.AnythingElse, t.State);
        Assert.Equal($"{SystemPhrases.AlreadyGone} / anythingElse", t.Said);
        Assert.NotEqual(CallOutcome.Cancelled, t.Session.Outcome);
    }

    [Fact]
    public void CancelResult_OutsideACancel_Ignored()
    {
        var call = Call().WithAppointment(SamsCleaning);
        call.Hear(Heard.Cancel());
        var before = call.Session;

        var t = call.Run(new CancelResult(true));

        Assert.Equal(before, t.Session);
        Assert.Empty(t.Actions);
    }

    [Fact]
    public void Heard_DayPastTheBookingHorizon_ToldHowFarAheadNotOtherDays()
    {
        var call = Call();
        call.Hear(Heard.Book(service: "Cleaning"));

        var t = call.Hear(Heard.Date(new DateOnly(2027, 3, 4)));

        Assert.Equal(SystemPhrases.BeyondHorizon(Availability.HorizonDays, "Friday, January 22"), t.Said);
        Assert.Equal(ConversationState.CollectDate, t.State);
        Assert.DoesNotContain("dayClosed", t.Said, StringComparison.Ordinal);
        Assert.DoesNotContain("dayUnavailable", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Heard_WhatDoYouHaveOnADayWithoutAService_ConcreteTimesThenWhichService()
    {
        var t = Call().Hear(Heard.Book(date: Wednesday, preference: TimePreference.Afternoon));

        // 3:30 pm is the last start at which the longest service (whitening, 90 minutes) ends by 5 pm closing.
        Assert.Equal(ConversationState.CollectService, t.State);
        Assert.Equal(new DateOnly(2026, 11, 25), t.Session.Draft.Date);
        Assert.Equal($"{SystemPhrases.OpeningsOn("Wednesday, November 25", "noon, 2 pm, or 3:30 pm")} / askService cleaning, checkup, or whitening", t.Said);
    }

    [Fact]
    public void Heard_ADayWithNoAppointmentAtTheCancelReadBack_ToldThereIsNoneThatDay()
    {
        var call = Call().WithAppointment(KimsCheckup);
        call.Hear(Heard.Cancel());

        var t = call.Hear(Heard.Slots(date: Friday, corrects: true));

        Assert.StartsWith(SystemPhrases.NoneOn("Friday, November 27"), t.Said, StringComparison.Ordinal);
        Assert.Equal(ConversationState.ConfirmCancel, t.State);
        Assert.DoesNotContain(call.SideEffects, a => a is CancelAppointment);
    }

    [Fact]
    public void Heard_TimeAlreadyBooked_SaidToBeTaken()
    {
        var call = Call().WithAppointment(SamsCleaning);

        var t = call.Hear(Heard.Book(service: "Checkup", date: Friday, time: SpokenTime.Exact(10, 0)));

        Assert.StartsWith("slotTaken 10 am: ", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Heard_BareTimeAfterOptions_TheReadingThatWasOffered()
    {
        var call = Call(Context(tenant: Business(t => t["hours"] = JsonNode.Parse("""
            { "mon": ["07:00-23:00"], "tue": ["07:00-23:00"], "wed": ["07:00-23:00"], "thu": ["07:00-23:00"], "fri": ["07:00-23:00"], "sat": [], "sun": [] }
            """))));
        var t = call.Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(22, 30)));
        Assert.Equal(ConversationState.CollectTime, t.State);
        Assert.Contains(new TimeOnly(21, 30), t.Session.Draft.Offered!);

        t = call.Hear(Heard.Time(new SpokenTime(9, 30, MeridiemKnown: false)));

        Assert.Equal(new TimeOnly(21, 30), t.Session.Draft.Time);
    }

    [Fact]
    public void Heard_TheEarliestYouHaveWithNoDay_TheFirstFreeTime()
    {
        var t = Call(Context(now: new DateTimeOffset(2026, 11, 23, 16, 40, 0, TimeSpan.FromHours(-5)))).Hear(Heard.Book(service: "Cleaning", preference: TimePreference.Earliest));

        // 4:40 pm Monday: an hour's cleaning no longer fits before 5, so Tuesday at 9.
        Assert.Equal(new DateOnly(2026, 11, 24), t.Session.Draft.Date);
        Assert.Equal(new TimeOnly(9, 0), t.Session.Draft.Time);
    }

    [Fact]
    public void Heard_PriceQuestionThenABookingInOneBreath_AnswersThenBooks()
    {
        var t = Call().Hear(Heard.Book(service: "Cleaning", date: Friday, time: SpokenTime.Exact(10, 0), topic: "prices"));

        Assert.Equal("A cleaning is $90 to $150.", t.Lines[0]);
        Assert.Equal(ConversationState.CollectName, t.State);
        Assert.Equal(new TimeOnly(10, 0), t.Session.Draft.Time);
    }

}
