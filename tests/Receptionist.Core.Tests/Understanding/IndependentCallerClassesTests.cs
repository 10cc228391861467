using Receptionist.Core.Conversation;
using Receptionist.Core.Tests.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Meaning;

namespace Receptionist.Core.Tests.Understanding;

/// <summary>
/// The classes of misses the sixth independent set of callers found (docs/understanding.md), each with sentences of
/// our own — not the testers' — read with the real demo tenants, rules and sentence meaning as the app reads them.
/// </summary>
public sealed class IndependentCallerClassesTests
{
    private static Understood U(string profession, string said, Expecting expecting = Expecting.Anything) =>
        DemoReading.Understand(profession, said, expecting);

    [Theory]
    [InlineData("Hi, this is Priya Nair. Do you take Delta Dental?", Intent.Question, "Priya Nair")]
    [InlineData("Hello, it's Sofia Rossi. Can I leave a message for the manager?", Intent.Message, "Sofia Rossi")]
    [InlineData("Hi, this is Tomas Novak, I'd like to leave a message for the dentist, please.", Intent.Message, "Tomas Novak")]
    public void Understand_IntroducedBeforeAskingSomethingElse_KeepsWhoIsCalling(string said, Intent intent, string name)
    {
        var u = U("dentist", said);

        Assert.Equal((intent, name), (u.Intent, u.Name));
    }

    [Fact]
    public void Understand_MessageRequestThatSaysWhatAbout_IsTheMessage()
    {
        Assert.True(U("plumber", "Could someone call me back about the estimate for my new shower?").SaysTheMessage);
        Assert.False(U("plumber", "Can I leave a message for the plumber?").SaysTheMessage);
    }

    [Theory]
    [InlineData("It's Niamh, N-I-A-M-H, Gallagher.", "Niamh Gallagher")]
    [InlineData("Put it under my name, Grace Okafor.", "Grace Okafor")]
    [InlineData("Tell them the dog is doing much better since the surgery", null)]
    public void Understand_NameAsked_TheWholeNameOrNone(string said, string? name)
    {
        Assert.Equal(name, U("veterinarian", said, Expecting.Name).Name);
    }

    [Fact]
    public void Understand_ThisIsAnArticle_IsNoName()
    {
        Assert.Null(U("dentist", "This is a real mess, can I get a cleaning Friday at 10?").Name);
    }

    [Fact]
    public void Understand_DayMentionedThenDayAskedFor_TheDayAskedFor()
    {
        var u = U("massage_therapist", "Our anniversary is on Saturday. Could I book a massage on Friday at 3?");

        Assert.Equal(new DateOnly(2026, 11, 27), u.Date);
    }

    [Theory]
    [InlineData("It's about eight miles from here, do you come out that far?")]
    [InlineData("The water heater is 12 years old.")]
    public void Understand_NumberThatCounts_IsNoTime(string said)
    {
        Assert.Null(U("plumber", said).Time);
    }

    [Fact]
    public void Understand_OwnAppointmentThenAnotherSlotInstead_IsAMoveThere()
    {
        var u = U("dentist", "I have a cleaning booked on Wednesday, could we do Thursday at 2 instead?");

        Assert.Equal(Intent.Reschedule, u.Intent);
        Assert.Equal(new DateOnly(2026, 11, 26), u.Move?.NewDate);
    }

    [Fact]
    public void Understand_CallsItOffAndSaysGoodbye_LeavesEvenAfterDescribingTrouble()
    {
        Assert.Equal(Intent.Goodbye, U("locksmith", "My key snapped in the lock, but never mind, my husband just got the door open. Thanks, bye!").Intent);
    }

    [Fact]
    public void Understand_NeverMindAtAReadBack_IsANo()
    {
        Assert.Equal(Answer.No, U("dentist", "Hmm, actually, forget it, leave it as it is.", Expecting.YesNo).Answer);
    }

    [Fact]
    public void Understand_CallOpeningWithAShortQuestionAboutAnAnimal_IsRoutine()
    {
        Assert.NotEqual(Intent.Emergency, U("veterinarian", "Hi, do you see guinea pigs? We just adopted two.").Intent);
    }

    [Fact]
    public void Understand_FigureOfSpeechWithApostropheS_IsNoEmergency()
    {
        Assert.NotEqual(Intent.Emergency, U("realtor", "Everyone says the market's on fire, so we're thinking of selling our condo.").Intent);
    }

    // The seventh independent set.

    [Theory]
    [InlineData("car_dealership", "Could my wife take the new crossover for a spin on Saturday?", "Test drive")]
    [InlineData("realtor", "We might sell next year, but right now I'm curious what my home is worth.", "Home valuation")]
    [InlineData("hair_salon", "My daughter's bangs are way too long, could she get a trim on Thursday?", "Kids cut")]
    [InlineData("tattoo_artist", "There's an old tribal band on my calf that I want inked over with something nicer.", "Cover-up")]
    [InlineData("tattoo_artist", "Can I set up a consultation to talk about covering up my old tattoo on Friday?", "Consultation")]
    [InlineData("mechanic", "My car pulls to the left and the wheels seem out of line. Do you have Tuesday at 2?", "Wheel alignment")]
    public void Understand_NeedTiedToAServiceByMeaning_ThatService(string profession, string said, string service)
    {
        Assert.Equal(service, U(profession, said).Service);
    }

    [Fact]
    public void Understand_ForAPossessiveOccasion_IsNoName()
    {
        Assert.Null(U("massage_therapist", "Could my partner and I book massages for our honeymoon?").Name);
    }

    [Fact]
    public void Understand_SurnameThenFirstName_BothKept()
    {
        Assert.Equal("Ifeoma Eze", U("realtor", "Last name Eze. First name's Ifeoma.", Expecting.Name).Name);
    }

    [Fact]
    public void Understand_PriceAndBookingInOneSentence_BooksAndAnswersThePrice()
    {
        var u = U("hair_salon", "How much is a blowout, and could you fit me in Thursday at two?");

        Assert.Equal((Intent.Book, "Blowout", Topics.Prices), (u.Intent, u.Service, u.Topic));
        Assert.Equal(2, u.Time?.Hour);
    }

    // The eighth independent set.

    [Fact]
    public void Understand_OwnAppointmentThenLetThemKnow_IsTheMessage()
    {
        var u = U("massage_therapist", "My session with Ana is at noon and my bus is running late, maybe fifteen minutes. Can you let her know?");

        Assert.Equal((Intent.Message, true), (u.Intent, u.SaysTheMessage));
    }

    [Theory]
    [InlineData("Let me talk it over with my husband and I'll call you back. Bye!", true)]
    [InlineData("Hmm, never mind, I'll think it over first. Thanks, bye.", true)]
    [InlineData("Oh wait, I have to check my schedule first. Thanks, bye!", true)]
    [InlineData("Never mind, goodbye", false)]
    public void Understand_GoodbyePuttingItOff_SaysSo(string said, bool putsOff)
    {
        var u = U("hair_salon", said, Expecting.Date);

        Assert.Equal((Intent.Goodbye, putsOff), (u.Intent, u.PutsOff));
    }

    [Theory]
    [InlineData("veterinarian", "Hello, do you treat hamsters? My son has two", "fact:animals")]
    [InlineData("mechanic", "Is there any financing if the repair turns out expensive?", "fact:payment")]
    [InlineData("car_dealership", "Hi, does anyone there speak Spanish? My dad wants to come in", "fact:languages")]
    public void Understand_QuestionNamingAKindOfAFactsSubject_ThatFact(string profession, string said, string topic)
    {
        var u = U(profession, said);

        Assert.Equal((Intent.Question, topic), (u.Intent, u.Topic));
    }

    [Theory]
    [InlineData("photographer", "When can I expect the gallery from our shoot?", "fact:delivery")]
    [InlineData("photographer", "What do I need to pay to hold a date?", "fact:payment")]
    [InlineData("tattoo_artist", "Do you guys do walk ins?", "fact:walk-ins")]
    public void Understand_FaqWhoseSubjectTheOwnersFactCovers_TheOwnersFact(string profession, string said, string topic)
    {
        Assert.Equal(topic, U(profession, said).Topic);
    }

    [Fact]
    public void Understand_ServiceWithAQuestionAfterACommaAndAnArticleAn_BooksAndAnswers()
    {
        var u = U("car_dealership", "Hi, I need an oil change, and is there a shuttle?");

        Assert.Equal((Intent.Book, "Oil change", "fact:shuttle"), (u.Intent, u.Service, u.Topic));
    }

    [Fact]
    public void Understand_KeywordOfTwoFacts_TheFactHoldingMoreOfTheQuestionsWords()
    {
        Assert.Equal("fact:payment", U("massage_therapist", "Can I pay with my FSA card?").Topic);
    }

    [Fact]
    public void Understand_BookingWithAQuestionOnlyMeaningNames_BooksAndAnswersIt()
    {
        var u = U("veterinarian", "Hello, I would like to book vaccinations for my bunny. Do you see rabbits there?");

        Assert.Equal((Intent.Book, "Vaccinations", "fact:animals"), (u.Intent, u.Service, u.Topic));
    }
}
