using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>A pick among the options just offered ("I have 9, 11 or 2"): 1-based, or the last.</summary>
public sealed class ChoiceClassifierTests
{
    private static int? Classify(string said) => ChoiceClassifier.Classify(Utterance.Read(said, Lexicon.English));

    [Theory]
    [InlineData("the first", 1)]
    [InlineData("first one please", 1)]
    [InlineData("the second one", 2)]
    [InlineData("second", 2)]
    [InlineData("the 2nd option", 2)]
    [InlineData("third", 3)]
    [InlineData("the fourth one", 4)]
    [InlineData("I'll take the first appointment", 1)]
    [InlineData("can I do the second time", 2)]
    public void Classify_Ordinal_ThatOption(string said, int expected)
    {
        Assert.Equal(expected, Classify(said));
    }

    [Theory]
    [InlineData("option 2", 2)]
    [InlineData("number 3", 3)]
    [InlineData("number two", 2)]
    [InlineData("option one please", 1)]
    public void Classify_OptionNumber_ThatOption(string said, int expected)
    {
        Assert.Equal(expected, Classify(said));
    }

    [Theory]
    [InlineData("the earlier one", 1)]
    [InlineData("the earliest", 1)]
    [InlineData("the later one", Understood.LastChoice)]
    [InlineData("the last one", Understood.LastChoice)]
    [InlineData("latest", Understood.LastChoice)]
    public void Classify_EarlierOrLater_FirstOrLast(string said, int expected)
    {
        Assert.Equal(expected, Classify(said));
    }

    [Theory]
    [InlineData("neither")]
    [InlineData("the one at 3")]
    [InlineData("the 10 am one")]
    [InlineData("the one on Tuesday")]
    [InlineData("any of them")]
    [InlineData("option b")]
    [InlineData("at 2")]
    public void Classify_NoOrdinalSaid_Null(string said)
    {
        Assert.Null(Classify(said));
    }
}
