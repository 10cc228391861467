using Receptionist.Core.Tenants;
using Receptionist.Core.Tests.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;
using Receptionist.Meaning;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>What a question is about: a built-in topic (hours, address, prices …), an owner's fact or an FAQ entry. Today
/// is Monday 23 November 2026.</summary>
public sealed class TopicClassifierTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static readonly IReadOnlyList<ServiceOffering> Services =
    [
        new("Cleaning", 60, 90, 150, ["teeth cleaning"]),
        new("Whitening", 90, 250, 450, ["teeth whitening"]),
    ];

    /// <summary>The built-in topics with the keywords a front desk answers from, an owner fact and two FAQ entries.</summary>
    private static readonly IReadOnlyList<QuestionTopic> Known =
    [
        new(Topics.OpenNow, "open right now", ["open now", "open right now", "are you open", "still open", "you open"]),
        new(Topics.Hours, "opening hours", ["hours", "open", "opening", "close", "closing", "closed", "what time do you"]),
        new(Topics.Address, "where the business is", ["address", "where are you", "located", "location", "directions"]),
        new(Topics.Parking, "where to park", ["parking", "park"]),
        new(Topics.Prices, "what services cost", ["how much", "price", "prices", "cost", "costs", "charge", "fee"]),
        new(Topics.Durations, "how long services take", ["how long", "duration", "take long"]),
        new(Topics.Services, "which services are offered", ["services", "what do you offer", "do you offer", "do you do"]),
        new("fact:paymentMethods", "how to pay", ["pay", "payment", "cash", "card", "cards"]),
        new("faq:0", "Do you take insurance?", ["insurance", "insured"]),
        new("faq:1", "Is there a deposit?", ["deposit"]),
    ];

    private static string? Classify(string said, bool dateSaid = false, bool serviceSaid = false) =>
        TopicClassifier.Classify(Utterance.Read(said, Lexicon.English), Known, dateSaid, serviceSaid);

    private static string? AskedAlongside(string said) =>
        TopicClassifier.AskedAlongside(Utterance.Read(said, Lexicon.English), new UnderstandingContext(Expecting.Anything, Services, Today, Known, []));

    [Theory]
    [InlineData("what are your hours?", Topics.Hours)]
    [InlineData("where are you located", Topics.Address)]
    [InlineData("is there parking", Topics.Parking)]
    [InlineData("how long will it take", Topics.Durations)]
    [InlineData("what services do you have", Topics.Services)]
    public void Classify_QuestionAboutTheBusiness_BuiltInTopic(string said, string expected)
    {
        Assert.Equal(expected, Classify(said));
    }

    [Theory]
    [InlineData("do you take insurance", "faq:0")]
    [InlineData("can I pay with a card", "fact:paymentMethods")]
    [InlineData("how much is the deposit", "faq:1")]
    public void Classify_OwnFactOrFaq_BeatsTheGenericTopic(string said, string expected)
    {
        Assert.Equal(expected, Classify(said));
    }

    [Theory]
    [InlineData("how much is a cleaning", Topics.Prices)]
    [InlineData("do you offer teeth whitening", Topics.Services)]
    public void Classify_ServiceNamed_GenericTopicAboutTheService(string said, string expected)
    {
        Assert.Equal(expected, Classify(said, serviceSaid: true));
    }

    [Theory]
    [InlineData("are you open now?")]
    [InlineData("are you still open")]
    public void Classify_OpenWithoutADay_OpenNow(string said)
    {
        Assert.Equal(Topics.OpenNow, Classify(said));
    }

    [Theory]
    [InlineData("are you open on Saturday")]
    [InlineData("are you still open on Saturday")]
    public void Classify_OpenOnADay_Hours(string said)
    {
        Assert.Equal(Topics.Hours, Classify(said, dateSaid: true));
    }

    [Theory]
    [InlineData("what's the weather like")]
    [InlineData("how far are you from downtown")]
    [InlineData("I'd like to book a cleaning")]
    public void Classify_NothingKnownAnswers_Null(string said)
    {
        Assert.Null(Classify(said));
    }

    [Theory]
    [InlineData("What are your hours?")]
    [InlineData("do you take insurance")]
    [InlineData("I was wondering if you're open Saturday")]
    [InlineData("you're open Saturday?")]
    public void IsQuestion_QuestionShaped_True(string said)
    {
        Assert.True(TopicClassifier.IsQuestion(Utterance.Read(said, Lexicon.English)));
    }

    [Theory]
    [InlineData("I'd like to book a cleaning")]
    [InlineData("Friday at 10")]
    public void IsQuestion_Statement_False(string said)
    {
        Assert.False(TopicClassifier.IsQuestion(Utterance.Read(said, Lexicon.English)));
    }

    [Theory]
    [InlineData("How much is a cleaning? And can I get one Friday at 10?", Topics.Prices)]
    [InlineData("Do you take insurance? I want to book a cleaning.", "faq:0")]
    [InlineData("Is there parking? And can I come in tomorrow?", Topics.Parking)]
    public void AskedAlongside_QuestionInASentenceOfItsOwn_ItsTopic(string said, string expected)
    {
        Assert.Equal(expected, AskedAlongside(said));
    }

    [Theory]
    [InlineData("How much is a cleaning")]
    [InlineData("Are you open now? And can I book?")]
    [InlineData("Are you open on Friday? I'd like to come in.")]
    public void AskedAlongside_NoSeparateAnswerableQuestion_Null(string said)
    {
        Assert.Null(AskedAlongside(said));
    }

    [Theory]
    [InlineData("Hey there, do you do house calls? We have three cats")]
    [InlineData("Hi, are you open on Sundays")]
    public void IsQuestion_GreetingBeforeTheQuestion_True(string said)
    {
        Assert.True(TopicClassifier.IsQuestion(Utterance.Read(said, Lexicon.English)));
    }

    [Fact]
    public void Classify_KeywordWithAnotherArticle_ThatTopic()
    {
        IReadOnlyList<QuestionTopic> topics = [new("faq:0", "Is there a deposit?", ["deposit", "hold the date"])];

        Assert.Equal("faq:0", TopicClassifier.Classify(Utterance.Read("what do I pay to hold a date", Lexicon.English), topics, dateSaid: false, serviceSaid: false));
    }

    [Fact]
    public void Classify_FaqWhoseKeywordTheOwnersFactHolds_TheOwnersFact()
    {
        IReadOnlyList<QuestionTopic> topics =
        [
            new("faq:0", "Is there a deposit?", ["deposit"]),
            new("fact:payment", "the business's payment", ["payment"]) { Subject = "payment", Says = "Deposits are paid by card" },
        ];

        Assert.Equal("fact:payment", TopicClassifier.Classify(Utterance.Read("do you need a deposit", Lexicon.English), topics, dateSaid: false, serviceSaid: false));
    }

    [Theory]
    [InlineData("what does a whitening run")]
    [InlineData("so what would teeth whitening usually run")]
    public void Classify_KeywordWithAGap_ThatTopic(string said)
    {
        IReadOnlyList<QuestionTopic> topics = [new(Topics.Prices, "what services cost", ["how much", "what does * run", "what would * run"])];

        Assert.Equal(Topics.Prices, TopicClassifier.Classify(Utterance.Read(said, Lexicon.English), topics, dateSaid: false, serviceSaid: true));
    }

    [Theory]
    [InlineData("I want to run a marathon")]
    [InlineData("what does it mean if the tap runs")]
    public void Classify_GapKeywordNotSaid_Null(string said)
    {
        IReadOnlyList<QuestionTopic> topics = [new(Topics.Prices, "what services cost", ["what does * run"])];

        Assert.Null(TopicClassifier.Classify(Utterance.Read(said, Lexicon.English), topics, dateSaid: false, serviceSaid: false));
    }

    /// <summary>The demo tenant of <paramref name="profession"/>'s topics, a question read by meaning as the app reads it.</summary>
    private static string? ByMeaning(string profession, string said, bool serviceSaid = false)
    {
        var u = Utterance.Read(said, Lexicon.English);
        var topics = DemoTenants.ForProfession(profession).Topics;
        return TopicClassifier.ByMeaning(u, topics, MiniLmSentenceEncoder.Shared, TopicClassifier.Classify(u, topics, dateSaid: false, serviceSaid), serviceSaid);
    }

    [Theory]
    [InlineData("mechanic", "The alternator you put in last month is acting up again. Will you fix it again for nothing?", "fact:warranty")]
    [InlineData("home_inspector", "After the inspection, when would the paperwork show up in my inbox?", "fact:report")]
    [InlineData("car_dealership", "While my truck is in for its service, could somebody give me a lift to my office?", "fact:shuttle")]
    [InlineData("massage_therapist", "My sister's graduating and I want to treat her to something at your place, what are my options?", "fact:gift cards")]
    [InlineData("photographer", "After the wedding, how many weeks until the pictures come?", "fact:delivery")]
    [InlineData("veterinarian", "Do you take care of guinea pigs there, or just dogs and cats?", "fact:animals")]
    [InlineData("dentist", "I'll be coming by car, where should I leave it?", Topics.Parking)]
    [InlineData("dentist", "What road are you on again?", Topics.Address)]
    [InlineData("photographer", "Is someone in the studio at the moment?", Topics.OpenNow)]
    public void ByMeaning_AskedInOtherWordsThanTheFacts_TheFact(string profession, string said, string expected)
    {
        Assert.Equal(expected, ByMeaning(profession, said));
    }

    [Fact]
    public void ByMeaning_ServiceNamedButTheQuestionIsBeyondDoubtAFact_TheFact()
    {
        // "photos" names a Portrait session, but when the photos arrive is the owner's delivery fact, not the session's length.
        Assert.Equal("fact:delivery", ByMeaning("photographer", "Once the portrait session is over, how long is it before we get to see the photos?", serviceSaid: true));
    }

    [Fact]
    public void ByMeaning_ServiceNamedAndItsPriceAsked_StaysThePrice()
    {
        Assert.Equal(Topics.Prices, ByMeaning("locksmith", "how much is a car key replacement usually?", serviceSaid: true));
    }

    [Fact]
    public void ByMeaning_NoFactOnIt_NoTopic()
    {
        // The dentist's data says nothing about a shuttle: no fact is near enough to be the answer.
        Assert.Null(ByMeaning("dentist", "could somebody give me a lift home after my appointment?"));
    }

    [Theory]
    [InlineData("Do you accept Apple Pay? And would you come all the way out to the county line?", "fact:payment", "fact:service area")]
    [InlineData("Hi, where's your office, and is there parking?", Topics.Address, Topics.Parking)]
    public void TwoAsked_SecondInOtherWords_BothByMeaning(string said, string first, string second)
    {
        var ctx = DemoTenants.ForProfession("plumber");
        var reading = new UnderstandingContext(Expecting.Anything, ctx.Services, Today, ctx.Topics, []);

        Assert.Equal((first, second), TopicClassifier.TwoAsked(Utterance.Read(said, Lexicon.English), reading, MiniLmSentenceEncoder.Shared));
    }
}
