using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>Danger described in the caller's own words, by the rules alone (no meaning, no profession phrases): each
/// sentence names the concept it should be recognised by; routine sentences that brush against the same words stay
/// routine. Sentences of our own, not from the corpus.</summary>
public sealed class DangerConceptTests
{
    private static string? Why(string said, params string[] concepts) =>
        EmergencyClassifier.Why(Utterance.Read(said, Lexicon.English), [], concepts: concepts);

    [Theory]
    [InlineData("I stepped out for the paper and the door blew shut behind me")]
    [InlineData("my keys are sitting on the table inside and the door is locked")]
    [InlineData("I left the keys in the ignition and the car locked itself")]
    [InlineData("we locked ourselves out, the kids and me")]
    [InlineData("it's late and we can't get back in the house")]
    [InlineData("my key won't turn in the front door and I'm standing outside")]
    public void Why_LockedOutInOtherWords_Lockout(string said)
    {
        Assert.Equal("concept:lockout", Why(said, "lockout"));
    }

    [Theory]
    [InlineData("I need a spare key cut for my mailbox")]
    [InlineData("I lost my only car key, can you make a new one on Saturday?")]
    [InlineData("I have an old safe I can't get into, could someone open it tomorrow?")]
    [InlineData("I couldn't get in touch with anyone yesterday, I'd like a rekey")]
    public void Why_KeyWorkWithoutALockout_Null(string said)
    {
        Assert.Null(Why(said, "lockout", "trapped", "intruder", "cold"));
    }

    [Theory]
    [InlineData("my dog fell over and can't stand up", "animal")]
    [InlineData("her gums look white and she's so weak", "animal")]
    [InlineData("he swallowed a sock and keeps throwing up", "poison")]
    [InlineData("the cat's been in labor for hours and no kittens yet", "animal")]
    [InlineData("our puppy was attacked by a bigger dog", "animal")]
    public void Why_AnimalInDistress_Concept(string said, string concept)
    {
        Assert.Equal("concept:" + concept, Why(said, "poison", "animal"));
    }

    [Theory]
    [InlineData("my dog won't walk on the leash, he just sits down")]
    [InlineData("she threw up once after eating grass, can I book a checkup?")]
    [InlineData("my cat limps a bit on her back leg")]
    public void Why_AnimalRoutine_Null(string said)
    {
        Assert.Null(Why(said, "poison", "animal"));
    }

    [Theory]
    [InlineData("my grandmother keeps passing out in the waiting room", "unresponsive")]
    [InlineData("the bride's father is collapsing, he's gray", "unresponsive")]
    [InlineData("my husband is hurt, he fell off the ladder", "injury")]
    [InlineData("I think she broke her ankle on the rocks", "injury")]
    [InlineData("my son is choking, please help", "breathing")]
    [InlineData("it's an emergency, please call me back", "declared")]
    public void Why_PersonInDanger_UniversalConcept(string said, string concept)
    {
        Assert.Equal("concept:" + concept, Why(said));
    }

    [Theory]
    [InlineData("my husband hurt his back lifting boxes, can he get a massage Saturday?")]
    [InlineData("I broke my wrist years ago and it aches in the cold")]
    [InlineData("it's kind of an emergency, I need passport photos by Friday")]
    [InlineData("I'm stuck in traffic, I'll be ten minutes late for my oil change")]
    public void Why_RoutineWithDangerWords_Null(string said)
    {
        Assert.Null(Why(said, "road", "gas", "cold", "trapped"));
    }

    [Theory]
    [InlineData("my brakes went out on the way home", "road")]
    [InlineData("I'm pulled over and the engine is overheating with steam everywhere", "fire")]
    [InlineData("the water heater burst in the garage", "water")]
    [InlineData("I can't shut the water off and it's coming through the ceiling", "water")]
    [InlineData("a tree came down through our roof", "structure")]
    [InlineData("the outlet by the sink is scorched and melted", "electric")]
    public void Why_HouseOrCarInDanger_Concept(string said, string concept)
    {
        Assert.Equal("concept:" + concept, Why(said, "road", "water", "structure", "electric"));
    }

    [Theory]
    [InlineData("the swelling has gone down, I just need the follow-up booked")]
    [InlineData("my daughter's baby tooth is loose, should we let it fall out?")]
    [InlineData("it doesn't hurt, but my filling has a chip")]
    public void Why_DentalSettledOrCalm_Null(string said)
    {
        Assert.Null(Why(said, "tooth", "infection", "pain"));
    }

    [Theory]
    [InlineData("the swelling hasn't gone down and my jaw is swollen")]
    [InlineData("my tattoo is hot to the touch and I have a fever")]
    public void Why_DangerNotReceding_Concept(string said)
    {
        Assert.NotNull(Why(said, "tooth", "infection", "pain"));
    }
}
