using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>Whether the caller describes one of the profession's emergencies: filler words may stand between a phrase's
/// words; a plain "not an emergency" or a negation of the phrase itself cancels it, a "no, no" or a "not" in another
/// clause never does.</summary>
public sealed class EmergencyClassifierTests
{
    private static readonly string[] Dentist = ["knocked out tooth", "tooth knocked out", "severe pain", "bleeding won't stop"];
    private static readonly string[] Locksmith = ["locked out", "locked my keys", "keys locked in", "baby locked in"];
    private static readonly string[] Plumber = ["burst pipe", "pipe burst", "flooded", "water everywhere"];
    private static readonly string[] Vet = ["not breathing", "can't breathe", "hit by a car", "ate chocolate"];

    private static bool Classify(string said, string[] phrases) => EmergencyClassifier.Classify(Utterance.Read(said, Lexicon.English), phrases);

    [Theory]
    [InlineData("I'm in severe pain")]
    [InlineData("my son knocked out his tooth")]
    [InlineData("my daughter's tooth got knocked out")]
    [InlineData("the bleeding won't stop")]
    public void Classify_DentalEmergency_True(string said)
    {
        Assert.True(Classify(said, Dentist));
    }

    [Theory]
    [InlineData("I'm locked out")]
    [InlineData("I locked myself out of my house")]
    [InlineData("I locked my keys in the car")]
    [InlineData("the baby is locked in the car")]
    [InlineData("no, no, I'm locked out!")]
    public void Classify_LockedOut_True(string said)
    {
        Assert.True(Classify(said, Locksmith));
    }

    [Theory]
    [InlineData("we need the locks changed so our ex-tenant can't get in anymore")]
    [InlineData("I'd like a deadbolt installed so nobody gets locked out again")]
    public void Classify_PhraseOnlyAsWhatAJobWantedIsFor_False(string said)
    {
        Assert.False(Classify(said, [.. Locksmith, "can't get in"]));
    }

    [Theory]
    [InlineData("I need the door opened so I can get in, I'm locked out")]
    [InlineData("I'm locked out, I need the lock changed so I can get in")]
    public void Classify_LockedOutBesideAJobWanted_True(string said)
    {
        Assert.True(Classify(said, [.. Locksmith, "can't get in"]));
    }

    [Theory]
    [InlineData("we have a burst pipe")]
    [InlineData("there's water everywhere")]
    [InlineData("the basement is flooded")]
    public void Classify_PlumbingEmergency_True(string said)
    {
        Assert.True(Classify(said, Plumber));
    }

    [Theory]
    [InlineData("my dog is not breathing")]
    [InlineData("my cat got hit by a car")]
    [InlineData("she ate a chocolate bar")]
    public void Classify_VetEmergency_True(string said)
    {
        Assert.True(Classify(said, Vet));
    }

    [Theory]
    [InlineData("I'm not locked out")]
    [InlineData("I never got locked out")]
    [InlineData("it's not an emergency, but I'm locked out")]
    [InlineData("nothing urgent, I'm locked out of the shed")]
    public void Classify_SaysItIsNoEmergency_False(string said)
    {
        Assert.False(Classify(said, Locksmith));
    }

    [Theory]
    [InlineData("the kitchen isn't flooded")]
    [InlineData("it's not flooded, just a slow drip")]
    [InlineData("I need a quote for new pipes")]
    public void Classify_PlumbingWithoutAnEmergency_False(string said)
    {
        Assert.False(Classify(said, Plumber));
    }

    [Theory]
    [InlineData("I'd like a cleaning")]
    [InlineData("the tooth is out of place")]
    public void Classify_DentalWithoutAnEmergency_False(string said)
    {
        Assert.False(Classify(said, Dentist));
    }

    [Fact]
    public void Classify_NoPhrases_False()
    {
        Assert.False(Classify("I'm locked out", []));
    }
}
