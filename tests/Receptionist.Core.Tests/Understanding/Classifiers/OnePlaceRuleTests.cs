using Receptionist.Core.Understanding;
using static Receptionist.Core.Tests.Conversation.EngineFixture;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>Rules that were stated in several places, saying different things, before the lexicon held each word once:
/// every correction marker works the same way, a part of the day narrows "the earliest" whichever word names it, and a
/// goodbye leaves the message step instead of becoming the message.</summary>
public sealed class OnePlaceRuleTests
{
    private static Understood U(string said, Expecting e = Expecting.Anything) => RuleUnderstanding.Understand(said, Reading(e));

    [Theory]
    [InlineData("Friday at 2, no wait, 3")]
    [InlineData("Friday at 2, wait no, 3")]
    [InlineData("Friday at 2, actually 3")]
    [InlineData("Friday at 2, I mean 3")]
    [InlineData("Friday at 2, make that 3")]
    [InlineData("Friday at 2, sorry, 3")]
    public void Understand_AnyCorrectionMarker_TimeAfterItWins(string said)
    {
        var u = U(said, Expecting.Date);

        Assert.Equal(Friday, u.Date);
        Assert.Equal(3, u.Time?.Hour);
        Assert.True(u.Corrects);
    }

    [Theory]
    [InlineData("the earliest you've got after work", TimePreference.Evening)]
    [InlineData("the earliest you have tonight", TimePreference.Evening)]
    [InlineData("the earliest in the evening", TimePreference.Evening)]
    [InlineData("the earliest after lunch", TimePreference.AfterLunch)]
    [InlineData("the earliest in the afternoon", TimePreference.Afternoon)]
    [InlineData("first thing in the morning", TimePreference.Earliest)]
    public void Understand_EarliestWithPartOfDay_PartOfDayNarrowsIt(string said, TimePreference expected)
    {
        Assert.Equal(expected, U(said, Expecting.Time).Preference);
    }

    [Theory]
    [InlineData("ok thanks bye")]
    [InlineData("no, bye")]
    [InlineData("never mind... goodbye")]
    [InlineData("stop")]
    [InlineData("no thanks")]
    [InlineData("forget it, thanks anyway")]
    public void Understand_GoodbyeWhileTakingAMessage_LeavesInsteadOfBeingTheMessage(string said)
    {
        Assert.Equal(Intent.Goodbye, U(said, Expecting.Message).Intent);
    }

    [Theory]
    [InlineData("Dolores Fitzgerald-Ruiz. Actually just put Dolores Ruiz.", "Dolores Ruiz")]
    [InlineData("Jon Smith, sorry, John Smyth", "John Smyth")]
    [InlineData("Ana Lima, no wait, Anna Lima", "Anna Lima")]
    public void Understand_WholeNameAfterACorrection_TheLaterNameWins(string said, string expected)
    {
        Assert.Equal(expected, U(said, Expecting.Name).Name, ignoreCase: true);
    }

    [Theory]
    [InlineData("Oh, that's too bad. Forget it then, thanks.", Expecting.Time, false)]
    [InlineData("never mind, thanks anyway", Expecting.Date, false)]
    [InlineData("Never mind, I'll sort something out another time. Bye.", Expecting.Time, true)]
    public void Understand_GivingUpWhileABookingAsks_LeavesInsteadOfAMiss(string said, Expecting e, bool putsOff)
    {
        var u = U(said, e);

        Assert.Equal(Intent.Goodbye, u.Intent);
        Assert.Equal(putsOff, u.PutsOff);
    }

    [Theory]
    [InlineData("tell her the order came in and she can pick it up, bye")]
    [InlineData("please call me back about the estimate")]
    [InlineData("stop by tomorrow if you can")]
    public void Understand_MessageThatEndsWithGoodbye_IsTheMessage(string said)
    {
        Assert.Equal(Intent.None, U(said, Expecting.Message).Intent);
    }

    [Theory]
    [InlineData("the last name is Patel")]
    [InlineData("my surname is Patel")]
    public void Understand_SurnameAlone_FillsOnlyTheSurname(string said)
    {
        var u = U(said, Expecting.Name);

        Assert.Equal("Patel", u.Name);
        Assert.True(u.SurnameOnly);
    }
}
