using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>Which of the business's services the caller names, by name or synonym, the longest match winning.</summary>
public sealed class ServiceClassifierTests
{
    /// <summary>A day spa and garage in one list: names that contain each other ("Massage", "Deep Tissue Massage") and
    /// services known by other words ("brakes").</summary>
    private static readonly IReadOnlyList<ServiceOffering> Services =
    [
        new("Massage", 60, 80, 80, []),
        new("Deep Tissue Massage", 60, 110, 110, ["deep tissue"]),
        new("Hot Stone Massage", 90, 130, 130, ["hot stones"]),
        new("Haircut", 30, 25, 40, ["cut", "trim"]),
        new("Kids Haircut", 20, 15, 15, ["children's haircut"]),
        new("Oil Change", 30, 50, 90, []),
        new("Brake Inspection", 45, 0, 0, ["brakes", "brake check"]),
        new("Car Wash", 20, 15, 15, []),
        new("Check-Up", 30, 60, 60, ["exam"]),
    ];

    private static string? Classify(string said) => ServiceClassifier.Classify(Utterance.Read(said, Lexicon.English), Services);

    [Theory]
    [InlineData("I'd like a deep tissue massage", "Deep Tissue Massage")]
    [InlineData("just a regular massage please", "Massage")]
    [InlineData("can I book a hot stone massage", "Hot Stone Massage")]
    [InlineData("a kids haircut", "Kids Haircut")]
    [InlineData("my son needs a children's haircut", "Kids Haircut")]
    public void Classify_NamesWithinNames_LongestMatchWins(string said, string expected)
    {
        Assert.Equal(expected, Classify(said));
    }

    [Theory]
    [InlineData("I need an oil change", "Oil Change")]
    [InlineData("my brakes are squeaking", "Brake Inspection")]
    [InlineData("just a trim", "Haircut")]
    [InlineData("can I get an exam", "Check-Up")]
    [InlineData("a check-up please", "Check-Up")]
    public void Classify_NameOrSynonym_TheServicesName(string said, string expected)
    {
        Assert.Equal(expected, Classify(said));
    }

    [Theory]
    [InlineData("two oil changes", "Oil Change")]
    [InlineData("two car washes", "Car Wash")]
    public void Classify_Plural_TheService(string said, string expected)
    {
        Assert.Equal(expected, Classify(said));
    }

    [Theory]
    [InlineData("I'd like to talk to someone")]
    [InlineData("my car is making a noise")]
    [InlineData("do you sell massagers")]
    [InlineData("cutting")]
    public void Classify_WordsThatAreNotAServiceName_Null(string said)
    {
        Assert.Null(Classify(said));
    }

    [Fact]
    public void Classify_NoServices_Null()
    {
        Assert.Null(ServiceClassifier.Classify(Utterance.Read("I'd like a massage", Lexicon.English), []));
    }

    [Theory]
    [InlineData("massage", true)]
    [InlineData("massages", true)]
    [InlineData("check up", true)]
    [InlineData("a massage", false)]
    public void IsService_ExactlyAServiceOrItsPlural_ThatAnswer(string words, bool expected)
    {
        Assert.Equal(expected, ServiceClassifier.IsService(words, Services, Lexicon.English));
    }

    [Theory]
    [InlineData("tissue", true)]
    [InlineData("haircuts", true)]
    [InlineData("oil", false)]
    [InlineData("jordan", false)]
    public void IsServiceWord_WordOfAServiceLongerThanThree_ThatAnswer(string word, bool expected)
    {
        Assert.Equal(expected, ServiceClassifier.IsServiceWord(word, Services, Lexicon.English));
    }

    [Theory]
    [InlineData("my daughter's bangs need a trim", "Kids Haircut")]
    [InlineData("can you fit in my kid's cut on Friday", "Kids Haircut")]
    public void Classify_PossessiveChildWord_TheChildrensService(string said, string expected)
    {
        Assert.Equal(expected, Classify(said));
    }

    [Theory]
    [InlineData("We may be selling in the spring; for now I just want to know what our house is worth", "Home valuation")]
    [InlineData("Selling, I think, but can someone tell me what my home is worth first?", "Home valuation")]
    [InlineData("I'm done renting and want to list my home", "Listing consultation")]
    public void Classify_NeedSaidWithOtherFunctionWords_TheLongerPhraseWins(string said, string expected)
    {
        IReadOnlyList<ServiceOffering> realtor =
        [
            new("Listing consultation", 60, 0, 0, ["selling", "list my home"]),
            new("Home valuation", 45, 0, 0, ["what my house is worth", "what my home is worth"]),
        ];

        Assert.Equal(expected, ServiceClassifier.Classify(Utterance.Read(said, Lexicon.English), realtor));
    }

    [Theory]
    [InlineData("Please cancel my oil change, but keep the car wash.", "Oil Change")]
    [InlineData("I need to call off the hot stone massage and leave the haircut as it is", "Hot Stone Massage")]
    [InlineData("Keep my haircut. Cancel the brake check though.", "Brake Inspection")]
    public void Classify_OneKeptOneNot_TheOneNotKept(string said, string expected)
    {
        Assert.Equal(expected, Classify(said));
    }
}
