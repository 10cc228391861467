using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>What the caller wants, from their words and what the other classifiers found in them (the signals are given
/// here as those classifiers would find them). Today is Monday 23 November 2026.</summary>
public sealed class IntentClassifierTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly DateOnly Friday = new(2026, 11, 27);
    private static readonly SpokenTime Ten = new(10, 0, false);

    private static Intent Classify(
        string said, Expecting expecting = Expecting.Anything, string? service = null, DateOnly? date = null, SpokenTime? time = null,
        string? topic = null, Answer answer = Answer.None)
    {
        var u = Utterance.Read(said, Lexicon.English);
        var signals = new IntentClassifier.Signals(
            service, date, time, Name: null, ExplicitName: false, topic, TopicClassifier.IsQuestion(u), u.HasAny(u.Lexicon.Book), answer,
            TimePreference.None, RequestForm: u.HasAny(u.Lexicon.RequestForms));
        return IntentClassifier.Classify(u, signals, new UnderstandingContext(expecting, [], Today));
    }

    private static Utterance Read(string said) => Utterance.Read(said, Lexicon.English);

    [Theory]
    [InlineData("I need to reschedule my appointment")]
    [InlineData("postpone my visit")]
    public void Classify_MovingAnAppointment_Reschedule(string said)
    {
        Assert.Equal(Intent.Reschedule, Classify(said));
    }

    [Fact]
    public void Classify_OwnAppointmentThenTheSameTimeOnAnotherDayInstead_Reschedule()
    {
        Assert.Equal(Intent.Reschedule, Classify("I'm booked in for a cleaning on Monday, could I have the same time on Friday instead?", service: "Cleaning", date: Friday));
    }

    [Fact]
    public void Classify_MoveMyServiceToADay_RescheduleNotBook()
    {
        Assert.Equal(Intent.Reschedule, Classify("can I move my cleaning to Friday", service: "Cleaning", date: Friday));
    }

    [Theory]
    [InlineData("Hey, it's Omar Farouk. I've got a deep tissue massage on Saturday, any chance I could do Sunday at one instead?")]
    [InlineData("we have a session on Friday, we could do Saturday at ten instead")]
    public void Classify_OwnAppointmentThenICouldDoAnotherSlot_Reschedule(string said)
    {
        Assert.Equal(Intent.Reschedule, Classify(said, service: "Deep tissue massage", date: Friday));
    }

    [Fact]
    public void Classify_MovingHouse_NotReschedule()
    {
        Assert.NotEqual(Intent.Reschedule, Classify("I'm looking to move to the area, are you taking new patients?"));
    }

    [Theory]
    [InlineData("I need to cancel my appointment")]
    [InlineData("cancel")]
    public void Classify_CancellingAnAppointment_Cancel(string said)
    {
        Assert.Equal(Intent.Cancel, Classify(said));
    }

    [Fact]
    public void Classify_CancelMyServiceOnADay_CancelNotBook()
    {
        Assert.Equal(Intent.Cancel, Classify("cancel my cleaning on Friday please", service: "Cleaning", date: Friday));
    }

    [Theory]
    [InlineData("I've got a crown fitting on Friday and I have to call it off", "Crown")]
    [InlineData("we need to call our son's checkup off", "Checkup")]
    [InlineData("I can't come on Friday, could you take me off the schedule?", null)]
    [InlineData("please take us off the books for Friday's cleaning", "Cleaning")]
    [InlineData("we won't be needing it, you can scratch it", null)]
    [InlineData("I won't need the checkup on Friday after all", "Checkup")]
    [InlineData("we don't need the appointment anymore", null)]
    public void Classify_CallingItOffInOtherWords_Cancel(string said, string? service)
    {
        Assert.Equal(Intent.Cancel, Classify(said, service: service, date: said.Contains("Friday", StringComparison.Ordinal) ? Friday : null));
    }

    [Theory]
    [InlineData("I don't need a filling, just a cleaning on Friday", "Cleaning")]
    [InlineData("my dog keeps scratching his ear, can I bring him in Friday?", null)]
    [InlineData("can I take the day off work and come in on Friday at 10?", null)]
    public void Classify_OffOrNeedSaidOfSomethingElse_NotCancel(string said, string? service)
    {
        Assert.NotEqual(Intent.Cancel, Classify(said, service: service, date: Friday));
    }

    [Theory]
    [InlineData("cancel that")]
    [InlineData("cancel")]
    public void Classify_CancelThatAtAReadBack_NotACancellation(string said)
    {
        Assert.NotEqual(Intent.Cancel, Classify(said, Expecting.YesNo));
    }

    [Fact]
    public void Classify_CancelMyAppointmentAtAReadBack_Cancel()
    {
        Assert.Equal(Intent.Cancel, Classify("actually cancel my appointment", Expecting.YesNo));
    }

    [Theory]
    [InlineData("could you get the manager to give me a ring? I want a quote for a new fence")]
    [InlineData("can the owner call me back, I need an estimate for the roof")]
    public void Classify_APersonOfTheBusinessAskedToCallBack_MessageWhateverItIsAbout(string said)
    {
        Assert.Equal(Intent.Message, Classify(said));
    }

    [Fact]
    public void Classify_BookingAndACallToConfirm_Book()
    {
        Assert.Equal(Intent.Book, Classify("book me a cleaning on Friday and call me to confirm", service: "Cleaning", date: Friday));
    }

    [Theory]
    [InlineData("I'd like to leave a message")]
    [InlineData("have the manager call me back")]
    [InlineData("tell them I'll be late")]
    public void Classify_AMessageOrCallbackWanted_Message(string said)
    {
        Assert.Equal(Intent.Message, Classify(said));
    }

    [Fact]
    public void Classify_LeaveAMessageEvenAboutABooking_Message()
    {
        Assert.Equal(Intent.Message, Classify("I want to leave a message to book a cleaning Friday", service: "Cleaning", date: Friday));
    }

    [Fact]
    public void Classify_BookAndCallMeToConfirm_Book()
    {
        Assert.Equal(Intent.Book, Classify("book a checkup and call me to confirm", service: "Checkup"));
    }

    [Theory]
    [InlineData("what are your hours", Topics.Hours)]
    [InlineData("do you take insurance", "faq:0")]
    public void Classify_QuestionAboutAKnownTopic_Question(string said, string topic)
    {
        Assert.Equal(Intent.Question, Classify(said, topic: topic));
    }

    [Fact]
    public void Classify_PriceOfAServiceOnADay_StillAQuestion()
    {
        Assert.Equal(Intent.Question, Classify("how much does a cleaning cost on Friday", service: "Cleaning", date: Friday, topic: Topics.Prices));
    }

    [Fact]
    public void Classify_ServiceWithADayAndATime_BookEvenWhenItSoundsLikeAQuestion()
    {
        Assert.Equal(Intent.Book,
            Classify("Can you service my water heater Friday at 10?", service: "Water Heater Repair", date: Friday, time: Ten, topic: Topics.Services));
    }

    [Fact]
    public void Classify_VisitForAServiceThatBrushesAnFaq_Book()
    {
        Assert.Equal(Intent.Book,
            Classify("Could someone come out to look at my water heater?", service: "Water Heater Repair", topic: "faq:0"));
    }

    [Fact]
    public void Classify_QuestionThenABookingInItsOwnSentence_Book()
    {
        Assert.Equal(Intent.Book,
            Classify("How much is a cleaning? And can I get one Friday at 10?", service: "Cleaning", date: Friday, time: Ten, topic: Topics.Prices));
    }

    [Fact]
    public void Classify_QuestionNothingKnownAnswers_StillAQuestion()
    {
        Assert.Equal(Intent.Question, Classify("what's the weather like"));
    }

    [Fact]
    public void Classify_GreetingShapedAsAQuestion_None()
    {
        Assert.Equal(Intent.None, Classify("hello?"));
    }

    [Fact]
    public void Classify_SomeoneWanted_Person()
    {
        Assert.Equal(Intent.Person, Classify("can I get someone"));
    }

    [Fact]
    public void Classify_SomeoneToComeOut_BookNotPerson()
    {
        Assert.Equal(Intent.Book, Classify("can someone come out Friday", date: Friday));
    }

    [Fact]
    public void Classify_SomebodyToDoAJob_NotPerson()
    {
        Assert.NotEqual(Intent.Person, Classify("I need somebody to come fix my sink"));
    }

    [Theory]
    [InlineData("I'd like to book a cleaning", "Cleaning")]
    [InlineData("a cleaning please", "Cleaning")]
    public void Classify_BookingWordsOrAService_Book(string said, string? service)
    {
        Assert.Equal(Intent.Book, Classify(said, service: service));
    }

    [Fact]
    public void Classify_ADayWithBookingWords_Book()
    {
        Assert.Equal(Intent.Book, Classify("do you have anything available on Friday", date: Friday));
    }

    [Theory]
    [InlineData("bye", Expecting.Anything)]
    [InlineData("thanks", Expecting.YesNo)]
    public void Classify_TakingLeave_Goodbye(string said, Expecting expecting)
    {
        Assert.Equal(Intent.Goodbye, Classify(said, expecting));
    }

    [Fact]
    public void Classify_ThanksWhenNothingWasAsked_NotGoodbye()
    {
        Assert.NotEqual(Intent.Goodbye, Classify("thanks"));
    }

    [Theory]
    [InlineData("can I speak to a person")]
    [InlineData("put me through to the manager")]
    public void WantsPerson_AskedToBePutThrough_True(string said)
    {
        Assert.True(IntentClassifier.WantsPerson(Read(said)));
    }

    [Theory]
    [InlineData("can you have the manager call me back")]
    [InlineData("can I get someone booked in? It's for someone else")]
    public void WantsPerson_CallbackOrBookingForSomeone_False(string said)
    {
        Assert.False(IntentClassifier.WantsPerson(Read(said)));
    }

    [Theory]
    [InlineData("give me a call when it's ready", true)]
    [InlineData("you can text me", true)]
    public void WantsCallback_AskedToBeCalled_ThatAnswer(string said, bool expected)
    {
        Assert.Equal(expected, IntentClassifier.WantsCallback(Read(said)));
    }

    [Fact]
    public void Classify_SwitchSomethingOfMineToADay_Reschedule()
    {
        Assert.Equal(Intent.Reschedule, Classify("my plans changed, could I switch my facial to Friday?", date: Friday));
    }

    [Fact]
    public void Classify_PriceQuestionThenBookingBetweenCommas_Book()
    {
        Assert.Equal(Intent.Book, Classify("how much is a facial, and could I come in Friday at 10?", service: "Facial", date: Friday, time: Ten, topic: Topics.Prices));
    }
}
