using Receptionist.Core.Tests.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Meaning;

namespace Receptionist.Core.Tests.Understanding;

/// <summary>
/// Questions asked indirectly (the ninth independent set, docs/understanding.md), each class with sentences of our own:
/// read with the demo tenants, rules and sentence meaning as the app reads them, a question about the business's own
/// facts is a question — not a booking of a service it mentions, not an emergency, not a visit on the day it names.
/// </summary>
public sealed class IndirectQuestionsTests
{
    private static Understood U(string profession, string said, Expecting expecting = Expecting.Anything) =>
        DemoReading.Understand(profession, said, expecting);

    [Theory]
    [InlineData("mechanic", "You replaced my brake pads in March and they're grinding again. Will you cover that?", "fact:warranty")]
    [InlineData("car_dealership", "If I leave my car for its maintenance service, is there a way to get back home?", "fact:shuttle")]
    [InlineData("massage_therapist", "I'd like to give my mom a massage as a present for her birthday. How does that work?", "fact:gift cards")]
    public void Understand_QuestionAboutAFactThatNamesAService_AQuestionAboutTheFact(string profession, string said, string topic)
    {
        var u = U(profession, said);

        Assert.Equal((Intent.Question, topic), (u.Intent, u.Topic));
    }

    [Fact]
    public void Understand_QuestionAboutTheAnimalsSeenInManyWords_NoEmergency()
    {
        var u = U("veterinarian", "Do you take care of guinea pigs there, or just dogs and cats?");

        Assert.Equal((Intent.Question, "fact:animals"), (u.Intent, u.Topic));
    }

    [Fact]
    public void Understand_DangerAskedAsAQuestion_StillAnEmergency()
    {
        Assert.Equal(Intent.Emergency, U("veterinarian", "My dog ate a bunch of grapes, do you see dogs?").Intent);
    }

    [Theory]
    [InlineData("massage_therapist", "I'd like to buy my husband a gift card for his birthday on Friday. How does that work?", "fact:gift cards")]
    [InlineData("tattoo_artist", "Do you take walk-ins on Saturday? I'd like a small tattoo.", "fact:walk-ins")]
    public void Understand_DaySaidWithAFact_AQuestionNotAVisit(string profession, string said, string topic)
    {
        var u = U(profession, said);

        Assert.Equal((Intent.Question, topic), (u.Intent, u.Topic));
    }

    [Theory]
    [InlineData("dentist", "Can I come in Friday and pay by card?")]
    [InlineData("tattoo_artist", "Can I book a small tattoo for Saturday at 2? Do you take cards?")]
    public void Understand_VisitAskedForBesideAFact_StillABooking(string profession, string said)
    {
        Assert.Equal(Intent.Book, U(profession, said).Intent);
    }

    [Fact]
    public void Understand_SomeoneInRightNow_OpenNow()
    {
        var u = U("photographer", "Is someone in the studio at the moment? I'd like to drop by.");

        Assert.Equal((Intent.Question, Topics.OpenNow), (u.Intent, u.Topic));
    }

    [Fact]
    public void Understand_PriceAskedWithRunAndABooking_BookingWithThePriceAlongside()
    {
        var u = U("dentist", "What does a checkup run, and could I come Wednesday at 10?");

        Assert.Equal((Intent.Book, "Checkup", Topics.Prices), (u.Intent, u.Service, u.Topic));
    }

    [Fact]
    public void Understand_TalkItOverAndCallBack_Goodbye()
    {
        var u = U("plumber", "Alright. I'll check with my wife and call you back. Bye.", Expecting.YesNo);

        Assert.Equal(Intent.Goodbye, u.Intent);
        Assert.True(u.PutsOff);
    }
}
