using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

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
}
