using System.Text.Json.Nodes;
using Receptionist.Core.Conversation;
using Receptionist.Core.Understanding;
using static Receptionist.Core.Tests.Conversation.EngineFixture;

namespace Receptionist.Core.Tests.Conversation;

/// <summary>Questions answered from the business's own data only, asked the way callers ask them.</summary>
public sealed class FrontDeskTests
{
    [Fact]
    public void Answer_HoursInGeneral_TheWholeWeekWithTheSplitShift()
    {
        var t = Call().Say("What are your hours?");

        Assert.Equal(
            "We're open Monday and Wednesday to Friday 9 am to 5 pm; Tuesday 9 am to noon and 1 pm to 5 pm; closed Saturday and Sunday. / anythingElse",
            t.Said);
        Assert.Equal(ConversationState.AnythingElse, t.State);
        Assert.Equal(CallOutcome.Answered, t.Session.Outcome);
    }

    [Theory]
    [InlineData("Are you open on Saturday?", "On Saturday, November 28 we're closed.")]
    [InlineData("What are your hours on Tuesday?", "Tomorrow we're open 9 am to noon and 1 pm to 5 pm.")]
    [InlineData("What time do you close today?", "Today we're open 9 am to 5 pm.")]
    [InlineData("Are you open on Thursday?", "On Thursday, November 26 we're closed for the day.")]
    [InlineData("What are your hours next Tuesday?", "On Tuesday, December 1 we're open 9 am to noon and 1 pm to 5 pm.")]
    public void Answer_HoursOnAGivenDay_ThatDaysHours(string question, string answer)
    {
        var t = Call().Say(question);

        Assert.Equal(answer, t.Lines[0]);
    }

    [Fact]
    public void Answer_OpenNowWhileOpen_YesUntilClosing()
    {
        var t = Call().Say("Are you open right now?");

        Assert.Equal("Yes, we're open now until 5 pm.", t.Lines[0]);
    }

    [Fact]
    public void Answer_OpenNowBeforeOpening_ClosedAndWhenItOpens()
    {
        var t = Call(Context(ClosedNow)).Say("Are you open right now?");

        Assert.Equal("We're closed right now. We open again today at 9 am.", t.Lines[0]);
    }

    [Fact]
    public void Answer_OpenNowOnAFridayEvening_NextOpeningIsMonday()
    {
        var fridayEvening = DateTimeOffset.Parse("2026-11-27T18:00:00-05:00", System.Globalization.CultureInfo.InvariantCulture);

        var t = Call(Context(fridayEvening)).Say("Are you still open?");

        Assert.Equal("We're closed right now. We open again Monday, November 30 at 9 am.", t.Lines[0]);
    }

    [Fact]
    public void Answer_OpenNowInTheLunchBreak_OpensAgainAt1()
    {
        var tuesdayLunch = DateTimeOffset.Parse("2026-11-24T12:30:00-05:00", System.Globalization.CultureInfo.InvariantCulture);

        var t = Call(Context(tuesdayLunch)).Say("Are you open now?");

        Assert.Equal("We're closed right now. We open again today at 1 pm.", t.Lines[0]);
    }

    [Theory]
    [InlineData("Where are you located?", "We're at 12 Main St.")]
    [InlineData("What's your address?", "We're at 12 Main St.")]
    [InlineData("Is there parking?", "Free lot behind the building.")]
    [InlineData("Where can I park?", "Free lot behind the building.")]
    [InlineData("What services do you offer?", "We offer cleaning, checkup, and whitening.")]
    [InlineData("Do you do teeth whitening?", "Yes, we do whitening; it's $250 to $450.")]
    [InlineData("How much is a cleaning?", "A cleaning is $90 to $150.")]
    [InlineData("How much does a checkup cost?", "A checkup is $60.")]
    [InlineData("What does a whitening run?", "A whitening is $250 to $450.")]
    [InlineData("How long does a whitening take?", "A whitening takes about 90 minutes.")]
    [InlineData("How long is a cleaning?", "A cleaning takes about an hour.")]
    [InlineData("What payment methods do you take?", "We take cash and all major cards.")]
    [InlineData("Do you take insurance?", "We work with most insurance plans.")]
    public void Answer_FromTheBusinessesData_ThatAnswerThenAnythingElse(string question, string answer)
    {
        var t = Call().Say(question);

        Assert.Equal([answer, "anythingElse"], t.Lines);
        Assert.Equal(ConversationState.AnythingElse, t.State);
        Assert.DoesNotContain(t.Actions, a => a is ReserveSlot or SaveMessage or TransferCall);
    }

    [Fact]
    public void Answer_AllPrices_EveryServiceWithItsPrice()
    {
        var t = Call().Say("What are your prices?");

        Assert.Equal("A cleaning is $90 to $150. A checkup is $60. A whitening is $250 to $450.", t.Lines[0]);
    }

    [Theory]
    [InlineData("Do you have wifi in the waiting room?")]
    [InlineData("Is the dentist a woman?")]
    [InlineData("What's the doctor's favourite colour?")]
    public void Answer_NothingInTheDataAnswersIt_SaysSoAndOffersAMessage(string question)
    {
        var t = Call().Say(question);

        Assert.Equal(["faqUnknown", Context().Prompts.OfferMessage], t.Lines);
        Assert.Equal(ConversationState.OfferMessage, t.State);
        Assert.NotEqual(CallOutcome.Answered, t.Session.Outcome);
    }

    [Fact]
    public void Answer_NoAddressGiven_NeverInventsOne()
    {
        var tenant = Business(t => t["facts"] = new JsonObject { ["parking"] = "Street parking only" });

        var t = Call(Context(tenant: tenant)).Say("Where are you located?");

        Assert.Equal(["faqUnknown", Context().Prompts.OfferMessage], t.Lines);
    }

    [Fact]
    public void Answer_UnknownQuestionThenYes_TakesAMessage()
    {
        var call = Call();
        call.Say("Do you have wifi in the waiting room?");

        var t = call.Say("yes please");

        Assert.Equal(ConversationState.MessageName, t.State);
        Assert.Equal(CallTask.Message, t.Session.Task);
    }

    [Fact]
    public void Answer_UnknownQuestionThenNo_AnythingElse()
    {
        var call = Call();
        call.Say("Do you have wifi in the waiting room?");

        var t = call.Say("no");

        Assert.Equal(ConversationState.AnythingElse, t.State);
    }

    [Fact]
    public void Answer_QuestionThenYesToAnythingElse_HowCanIHelpAgain()
    {
        var call = Call();
        call.Say("Where are you located?");

        var t = call.Say("yes");

        Assert.Equal(ConversationState.Greeting, t.State);
        Assert.Equal(Context().Prompts.HowCanIHelp, t.Said);
    }

    [Fact]
    public void Answer_QuestionThenABookingAtAnythingElse_BookingStarts()
    {
        var call = Call();
        call.Say("How much is a cleaning?");

        var t = call.Say("Can Sam get a cleaning on Friday at 10 am?");

        Assert.Equal(ConversationState.Confirm, t.State);
    }

    [Fact]
    public void Answer_CallerIntroducesThemselvesWithANameLikeATopic_NotAnsweredAsAQuestion()
    {
        var t = Call().Say("Hi, this is Jo Park");

        Assert.DoesNotContain("Free lot behind the building.", t.Lines);
        Assert.NotEqual(CallOutcome.Answered, t.Session.Outcome);
    }

    [Fact]
    public void Answer_OpenNowOnAClosedDate_ClosedAndOpensTheNextOpenDay()
    {
        var t = Call(Context(ThanksgivingMorning)).Say("Are you open right now?");

        Assert.Equal("We're closed right now. We open again tomorrow at 9 am.", t.Lines[0]);
    }

    [Fact]
    public void Answer_HoursTodayOnAClosedDate_ClosedForTheDay()
    {
        var t = Call(Context(ThanksgivingMorning)).Say("What are your hours today?");

        Assert.Equal("Today we're closed for the day.", t.Lines[0]);
    }

    [Fact]
    public void Answer_HoursTomorrow_TomorrowsHours()
    {
        var t = Call().Say("Are you open tomorrow?");

        Assert.Equal("Tomorrow we're open 9 am to noon and 1 pm to 5 pm.", t.Lines[0]);
    }

    [Fact]
    public void Answer_AllDurations_EveryServiceWithItsLength()
    {
        var t = Call().Say("How long do your appointments take?");

        Assert.Equal("A cleaning takes about an hour. A checkup takes about 30 minutes. A whitening takes about 90 minutes.", t.Lines[0]);
    }

    [Fact]
    public void Answer_AServiceNotOffered_ListsWhatIsOfferedNeverSaysYes()
    {
        var t = Call().Say("Do you do root canals?");

        Assert.Equal("We offer cleaning, checkup, and whitening.", t.Lines[0]);
        Assert.DoesNotContain("Yes", t.Said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "Consultation", "minutes": 30, "priceMin": 0, "priceMax": 0 }""", "How much is a consultation?", "A consultation is free.")]
    [InlineData("""{ "name": "Consultation", "minutes": 30, "priceMin": 40 }""", "How much is a consultation?", "A consultation starts at $40.")]
    [InlineData("""{ "name": "Consultation", "minutes": 30, "priceMin": 39.5, "priceMax": 39.5 }""", "How much is a consultation?", "A consultation is $39.50.")]
    [InlineData("""{ "name": "Consultation", "minutes": 30 }""", "How much is a consultation?", "The price of a consultation depends on the job; we'll confirm it with you.")]
    [InlineData("""{ "name": "Extraction", "minutes": 60, "priceMin": 200, "priceMax": 200 }""", "How much is an extraction?", "An extraction is $200.")]
    public void Answer_PriceOfAService_SaidTheWayItIsPriced(string service, string question, string answer)
    {
        var tenant = Business(t => t["services"] = JsonNode.Parse($"[ {service}, {{ \"name\": \"Cleaning\", \"minutes\": 60 }} ]"));

        var t = Call(Context(tenant: tenant)).Say(question);

        Assert.Equal(answer, t.Lines[0]);
    }

    [Theory]
    [InlineData("How much are highlights?", "Highlights are $80 to $120.")]
    [InlineData("How long do highlights take?", "Highlights take about 2 hours.")]
    [InlineData("Do you do highlights?", "Yes, we do highlights; they're $80 to $120.")]
    [InlineData("How much is a haircut?", "A haircut is $40.")]
    [InlineData("How long does a haircut take?", "A haircut takes about 45 minutes.")]
    public void Answer_PluralServiceName_SaidInThePlural(string question, string answer)
    {
        var tenant = Business(t => t["services"] = JsonNode.Parse("""
            [ { "name": "Highlights", "minutes": 120, "priceMin": 80, "priceMax": 120 }, { "name": "Haircut", "minutes": 45, "priceMin": 40, "priceMax": 40 } ]
            """));

        var t = Call(Context(tenant: tenant)).Say(question);

        Assert.Equal(answer, t.Lines[0]);
    }

    [Fact]
    public void Answer_PriceWithTheOwnersCurrency_TheMoneyAndPriceRangePromptsSayIt()
    {
        var tenant = Business(t => t["prompts"] = new JsonObject { ["money"] = "{amount} euros", ["priceRange"] = "between {min} and {max}" });

        var t = Call(Context(tenant: tenant)).Say("How much is a cleaning?");

        Assert.Equal("A cleaning is between 90 euros and 150 euros.", t.Lines[0]);
        Assert.DoesNotContain("$", t.Said, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_PriceOverAThousand_AmountGroupedByThousands()
    {
        var tenant = Business(t => t["services"] = JsonNode.Parse("""[ { "name": "Implant", "minutes": 120, "priceMin": 1500, "priceMax": 3250.5 } ]"""));

        var t = Call(Context(tenant: tenant)).Say("How much is an implant?");

        Assert.Equal("An implant is $1,500 to $3,250.50.", t.Lines[0]);
    }

    [Fact]
    public void Answer_OwnerRewordsTheHours_TheirWordsWithTheHoursFilledIn()
    {
        var tenant = Business(t => t["prompts"] = new JsonObject { ["answerHoursOn"] = "{day} the doors are open {hours}, see you at {business}." });

        var t = Call(Context(tenant: tenant)).Say("Are you open tomorrow?");

        Assert.Equal("Tomorrow the doors are open 9 am to noon and 1 pm to 5 pm, see you at Bright Smiles Dental.", t.Lines[0]);
    }

    [Fact]
    public void WeeklyHours_OpenEveryDay_NoClosedDays()
    {
        var tenant = Business(t => t["hours"] = JsonNode.Parse("""
            { "mon": ["07:00-23:00"], "tue": ["07:00-23:00"], "wed": ["07:00-23:00"], "thu": ["07:00-23:00"], "fri": ["07:00-23:00"], "sat": ["07:00-23:00"], "sun": ["07:00-23:00"] }
            """));

        Assert.Equal("We're open Monday to Sunday 7 am to 11 pm.", FrontDesk.WeeklyHours(tenant, Context().Prompts));
    }

    [Fact]
    public void Answer_ProfessionFaqMidBooking_AnsweredThenTheSameQuestionAgain()
    {
        var call = Call();
        call.Say("I'd like a cleaning on Friday");
        var before = call.Session;

        var t = call.Say("do you take insurance?");

        Assert.StartsWith("We work with most insurance plans. / askTime Friday, November 27: ", t.Said, StringComparison.Ordinal);
        Assert.Equal(before, t.Session);
    }

    [Fact]
    public void Answer_OwnerFactAskedInOtherWords_FoundByItsKeyWords()
    {
        var t = Call().Say("How can I pay?");

        Assert.Equal("We take cash and all major cards.", t.Lines[0]);
    }

    [Fact]
    public void Answer_HoursMidBookingAtTheReadBack_AnsweredThenReadBackAgain()
    {
        var call = Call();
        call.Say("Can Sam get a cleaning on Friday at 10 am?");
        var before = call.Session;

        var t = call.Say("what time do you close on Friday?");

        Assert.Equal("On Friday, November 27 we're open 9 am to 5 pm. / confirm cleaning | Friday, November 27 | 10 am | Sam", t.Said);
        Assert.Equal(before, t.Session);
        Assert.Empty(call.SideEffects);
    }

    [Fact]
    public void Answer_UnknownQuestionAfterAnAnswer_SaysSoAndOffersAMessage()
    {
        var call = Call();
        call.Say("What are your hours?");

        var t = call.Say("Do you have wifi in the waiting room?");

        Assert.Equal(["faqUnknown", Context().Prompts.OfferMessage], t.Lines);
        Assert.Equal(CallOutcome.Answered, t.Session.Outcome);
    }

    [Fact]
    public void Answer_QuestionWhileOfferedAMessage_AnsweredThenAnythingElse()
    {
        var call = Call();
        call.Say("Do you have wifi in the waiting room?");

        var t = call.Say("what are your hours on Monday?");

        Assert.Equal(["On Monday, November 30 we're open 9 am to 5 pm.", "anythingElse"], t.Lines);
        Assert.Equal(ConversationState.AnythingElse, t.State);
    }

    [Fact]
    public void TopicsFor_TenantWithoutAddressOrParking_NotOffered()
    {
        var tenant = Business(t => t["facts"] = new JsonObject());

        var ids = FrontDesk.TopicsFor(tenant, Dentist()).Select(x => x.Id).ToList();

        Assert.DoesNotContain(Topics.Address, ids);
        Assert.DoesNotContain(Topics.Parking, ids);
        Assert.Contains(Topics.Hours, ids);
        Assert.Contains("faq:0", ids);
    }

    [Fact]
    public void TopicsFor_OwnerFact_ItsKeyWordsFindIt()
    {
        var topic = Assert.Single(FrontDesk.TopicsFor(Business(), Dentist()), x => x.Id == "fact:paymentMethods");

        Assert.Contains("payment", topic.Keywords);
        Assert.Contains("pay", topic.Keywords);
    }

    [Fact]
    public void Answer_NullTopic_Null()
    {
        Assert.Null(FrontDesk.Answer(null, new Understood(Intent.Question), Context()));
        Assert.Null(FrontDesk.Answer("fact:nothing", new Understood(Intent.Question), Context()));
        Assert.Null(FrontDesk.Answer("faq:7", new Understood(Intent.Question), Context()));
    }
}
