using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>What may be said over a read-back without cutting it: only listening noises, never an answer or a change.</summary>
public sealed class BackchannelClassifierTests
{
    [Theory]
    [InlineData("Uh-huh.")]
    [InlineData("mm-hmm")]
    [InlineData("Okay.")]
    [InlineData("Right, got it.")]
    [InlineData("yeah okay")]
    [InlineData("Mhm, I see.")]
    public void Is_ListeningNoise_True(string said) => Assert.True(BackchannelClassifier.Is(said));

    [Theory]
    [InlineData("No.")]
    [InlineData("Wait.")]
    [InlineData("Yes.")]
    [InlineData("No, that's wrong.")]
    [InlineData("okay but make it Tuesday")]
    [InlineData("Sam Lee")]
    [InlineData("")]
    public void Is_AnswerOrChange_False(string said) => Assert.False(BackchannelClassifier.Is(said));
}
