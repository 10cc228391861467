using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>Goodbyes, thanks that close the call, giving up on a step, and greetings that ask nothing.</summary>
public sealed class LeaveClassifierTests
{
    private static Utterance Read(string said) => Utterance.Read(said, Lexicon.English);

    [Theory]
    [InlineData("bye")]
    [InlineData("Okay, bye!")]
    [InlineData("nothing else, thanks")]
    [InlineData("have a good day")]
    public void SaysGoodbye_Goodbye_True(string said)
    {
        Assert.True(LeaveClassifier.SaysGoodbye(Read(said)));
    }

    [Theory]
    [InlineData("thank you")]
    [InlineData("can you have it done by Friday")]
    [InlineData("I'd like to book a cleaning")]
    public void SaysGoodbye_NoGoodbyeSaid_False(string said)
    {
        Assert.False(LeaveClassifier.SaysGoodbye(Read(said)));
    }

    [Theory]
    [InlineData("thank you")]
    [InlineData("I'm all set, thanks")]
    [InlineData("okay great thanks")]
    [InlineData("cheers")]
    [InlineData("no, that's it")]
    public void IsThanks_ThanksThatWantNothingMore_True(string said)
    {
        Assert.True(LeaveClassifier.IsThanks(Read(said)));
    }

    [Theory]
    [InlineData("thank you for calling me back about my order")]
    [InlineData("thanks, and can I book a cleaning")]
    [InlineData("I'd like to thank the doctor for the great cleaning")]
    public void IsThanks_ThanksWithARequest_False(string said)
    {
        Assert.False(LeaveClassifier.IsThanks(Read(said)));
    }

    [Theory]
    [InlineData("hello?")]
    [InlineData("Hello, is anyone there?")]
    [InlineData("can you hear me")]
    public void IsGreeting_GreetingAlone_True(string said)
    {
        Assert.True(LeaveClassifier.IsGreeting(Read(said)));
    }

    [Theory]
    [InlineData("hi, I'd like to book a cleaning")]
    [InlineData("hello, this is Sam Lee")]
    public void IsGreeting_GreetingWithMore_False(string said)
    {
        Assert.False(LeaveClassifier.IsGreeting(Read(said)));
    }

    [Theory]
    [InlineData("ok thanks bye")]
    [InlineData("never mind... goodbye")]
    [InlineData("stop")]
    [InlineData("forget it, thanks anyway")]
    public void OnlyLeaves_NothingButLeaving_True(string said)
    {
        Assert.True(LeaveClassifier.OnlyLeaves(Read(said)));
    }

    [Theory]
    [InlineData("tell her the order came in, bye")]
    [InlineData("stop by tomorrow if you can")]
    [InlineData("never mind, I'll call back tomorrow")]
    public void OnlyLeaves_WordsThatSaySomething_False(string said)
    {
        Assert.False(LeaveClassifier.OnlyLeaves(Read(said)));
    }

    [Theory]
    [InlineData("Oh, that's a shame. Forget it then, thanks.")]
    [InlineData("never mind, thanks anyway")]
    [InlineData("Okay. Never mind. Bye.")]
    public void GivesUp_GivingUpWithThanksOrGoodbye_True(string said)
    {
        Assert.True(LeaveClassifier.GivesUp(Read(said)));
    }

    [Theory]
    [InlineData("can someone stop by Friday? Thanks.")]
    [InlineData("never mind the time, make it Saturday")]
    [InlineData("forget it")]
    public void GivesUp_StopAsAVerbOrNoThanks_False(string said)
    {
        Assert.False(LeaveClassifier.GivesUp(Read(said)));
    }

    [Theory]
    [InlineData("Never mind, I'll sort something out another time. Bye.")]
    [InlineData("Okay, maybe another time then, thanks.")]
    public void PutsItOff_LaterWithAGoodbye_True(string said)
    {
        Assert.True(LeaveClassifier.PutsItOff(Read(said)));
    }
}
