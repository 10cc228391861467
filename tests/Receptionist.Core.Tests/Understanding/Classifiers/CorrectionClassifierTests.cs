using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>Corrections: whether the caller corrects something, the words after the last correction marker, and the
/// utterance without a negated day or time ("not Tuesday, Thursday").</summary>
public sealed class CorrectionClassifierTests
{
    private static Utterance Read(string said) => Utterance.Read(said, Lexicon.English);

    [Theory]
    [InlineData("no, Wednesday")]
    [InlineData("Friday at 2, no wait, 3")]
    [InlineData("actually make it 4")]
    [InlineData("not Tuesday, Thursday")]
    [InlineData("I meant Friday")]
    [InlineData("change it to Friday")]
    public void Corrects_CorrectionSaid_True(string said)
    {
        Assert.True(CorrectionClassifier.Corrects(Read(said), Expecting.Date));
    }

    [Theory]
    [InlineData("Friday please")]
    [InlineData("nobody else is coming")]
    [InlineData("it's for tomorrow")]
    public void Corrects_PlainAnswer_False(string said)
    {
        Assert.False(CorrectionClassifier.Corrects(Read(said), Expecting.Date));
    }

    [Theory]
    [InlineData("it's Lee")]
    [InlineData("the name's wrong, it's Lee")]
    public void Corrects_ItsAtAReadBack_True(string said)
    {
        Assert.True(CorrectionClassifier.Corrects(Read(said), Expecting.YesNo));
    }

    [Theory]
    [InlineData("it's Lee", Expecting.Name)]
    [InlineData("yes that's right", Expecting.YesNo)]
    public void Corrects_ItsAnsweringTheQuestionOrAYes_False(string said, Expecting expecting)
    {
        Assert.False(CorrectionClassifier.Corrects(Read(said), expecting));
    }

    [Theory]
    [InlineData("Friday at 2, no wait, 3", "3")]
    [InlineData("Friday at 2, wait no, 3", "3")]
    [InlineData("Friday at 2, I mean 3", "3")]
    [InlineData("actually make it 4", "4")]
    [InlineData("Wednesday... no wait, Thursday, around four", "thursday around 4")]
    [InlineData("Monday, sorry, Tuesday, no, Wednesday at 10", "wednesday at 10")]
    public void AfterLast_MarkerMidUtterance_TheWordsAfterTheLastOne(string said, string expected)
    {
        Assert.Equal(expected, CorrectionClassifier.AfterLast(Read(said))?.Text);
    }

    [Theory]
    [InlineData("no, Wednesday")]
    [InlineData("change it to Friday")]
    [InlineData("Friday at 2, no wait")]
    public void AfterLast_MarkerLeadingOrLastOrMissing_Null(string said)
    {
        Assert.Null(CorrectionClassifier.AfterLast(Read(said)));
    }

    [Theory]
    [InlineData("not Tuesday, Thursday", "thursday")]
    [InlineData("not on Tuesday, on Thursday", "on thursday")]
    [InlineData("not at 3 pm, 4 pm", "4 pm")]
    [InlineData("not 3 30, 4", "4")]
    [InlineData("Thursday, not Tuesday", "thursday")]
    public void WithoutNegated_NegatedDayOrTime_Dropped(string said, string expected)
    {
        Assert.Equal(expected, CorrectionClassifier.WithoutNegated(Read(said)).Text);
    }
}
