using Receptionist.Core.Conversation;
using Receptionist.Core.Understanding;
using Receptionist.Core.Tests.Conversation;
using static Receptionist.Core.Tests.Conversation.EngineFixture;

namespace Receptionist.Core.Tests.Understanding;

/// <summary>Regressions found by review: real emergencies said with "no"/"not"/fear/past words nearby stay emergencies;
/// moving house is not a reschedule; "I'd like 2 haircuts" has no time; "the earliest" respects the week and part of day.</summary>
public sealed class EmergencyRegressionTests
{
    private static TurnContext DemoProfession(string profession) => DemoTenants.ForProfession(profession);

    private static Understood U(string profession, string said, Expecting e = Expecting.Anything) =>
        RuleUnderstanding.Understand(said, Reading(e, DemoProfession(profession)));

    [Theory]
    // negator within 3 words before the keyword
    [InlineData("veterinarian", "He's not moving, he collapsed")]
    [InlineData("veterinarian", "I don't know, he ate chocolate, a whole bar")]
    [InlineData("veterinarian", "No, she's having a seizure right now")]
    [InlineData("veterinarian", "my dog collapsed and he's not moving")]
    [InlineData("veterinarian", "No no no, he got hit by a car")]
    [InlineData("plumber", "No no no, the pipe burst!")]
    [InlineData("plumber", "no no no, the pipe burst and water is everywhere")]
    [InlineData("plumber", "Nothing's working, the basement is flooding")]
    [InlineData("plumber", "I can't find the shutoff, no idea, water pouring out everywhere")]
    [InlineData("locksmith", "No, I'm locked out and my baby is inside the car")]
    [InlineData("locksmith", "I can't get in, I'm locked out and my baby is inside")]
    [InlineData("locksmith", "no no, my kid is locked in the car")]
    [InlineData("hair_salon", "No, I can't breathe, my scalp is burning")]
    [InlineData("tattoo_artist", "No, I can't breathe")]
    [InlineData("tattoo_artist", "She's not responding, she passed out")]
    [InlineData("massage_therapist", "She's not waking up, she fainted on the table")]
    [InlineData("massage_therapist", "I don't feel right, chest pain")]
    [InlineData("dentist", "No, it's severe pain, I haven't slept")]
    [InlineData("dentist", "I haven't slept, severe pain and my face is swelling")]
    [InlineData("car_dealership", "No, I'm not okay, I've been in an accident")]
    [InlineData("car_dealership", "No, someone is hurt")]
    [InlineData("home_inspector", "I don't know, I smell gas")]
    [InlineData("home_inspector", "No, the carbon monoxide alarm is going off")]
    [InlineData("realtor", "We're not home, someone broke in")]
    [InlineData("realtor", "I don't know, there's a fire")]
    [InlineData("photographer", "No, someone got hurt at the shoot")]
    [InlineData("mechanic", "No, I'm stranded on the highway")]
    [InlineData("mechanic", "No, it won't start and I'm stranded")]
    // calm phrases anywhere in the utterance
    [InlineData("dentist", "the swelling went down but now it's bleeding and won't stop")]
    [InlineData("dentist", "the swelling went down but now I'm in severe pain")]
    [InlineData("dentist", "I'm afraid of dentists but I'm in severe pain")]
    [InlineData("dentist", "I'm nervous about the dentist but my tooth got knocked out")]
    [InlineData("dentist", "I'm scared of the dentist, my tooth got knocked out")]
    [InlineData("veterinarian", "He was fine, now he's having a seizure")]
    [InlineData("veterinarian", "I'm worried about my dog, he ate rat poison")]
    [InlineData("veterinarian", "last time he ate chocolate you saved him, he ate chocolate again")]
    [InlineData("veterinarian", "This happened last time, she's having a seizure again")]
    [InlineData("plumber", "It's the same pipe that burst last time, the basement is flooding")]
    [InlineData("plumber", "It was fixed last week and now it's flooding again")]
    [InlineData("plumber", "I thought it got fixed but the pipe burst again")]
    [InlineData("plumber", "Water went down through the ceiling, the kitchen is flooded")]
    [InlineData("home_inspector", "I'm worried about carbon monoxide, the CO alarm is going off")]
    [InlineData("home_inspector", "I'm afraid of a gas leak, it smells like gas in here")]
    [InlineData("home_inspector", "the power went down and now the outlet is sparking")]
    [InlineData("home_inspector", "We had a gas leak last year and now I smell gas again")]
    [InlineData("realtor", "I smell gas, I called 911 just in case, what do I do")]
    [InlineData("car_dealership", "I swerved to avoid a deer and I just crashed")]
    [InlineData("car_dealership", "I bought the car 2 years ago and I've just been in an accident")]
    [InlineData("tattoo_artist", "I'm worried about an allergic reaction, my throat is swelling")]
    [InlineData("tattoo_artist", "It looked fine now she passed out")]
    [InlineData("massage_therapist", "I'm scared of what's happening, I have chest pain")]
    [InlineData("locksmith", "My car went down the hill a bit, I'm locked out and my baby is inside")]
    [InlineData("mechanic", "My car broke down, the battery went down and it won't start, I'm stranded")]
    public void Understand_RealEmergencyWithNegativeWordsNearby_StillAnEmergency(string profession, string said)
    {
        Assert.Equal(Intent.Emergency, U(profession, said).Intent);
    }

    // "move" + a service is now a reschedule even when the caller is moving house / cannot move
    [Theory]
    [InlineData("realtor", "We're looking to move, I'd like to sell my house")]
    [InlineData("realtor", "We want to move next month, can I book a showing")]
    [InlineData("home_inspector", "We're about to move, I need a home inspection on Friday")]
    [InlineData("locksmith", "We just got the keys and move in Friday, I need to rekey the locks")]
    public void Understand_MovingHouse_NotAReschedule(string profession, string said)
    {
        Assert.NotEqual(Intent.Reschedule, U(profession, said).Intent);
    }

    // "like N" as a time
    [Theory]
    [InlineData("hair_salon", "I'd like 2 haircuts on Friday, for me and my son")]
    [InlineData("massage_therapist", "I'd like 2 massages on Friday")]
    [InlineData("dentist", "I'd like 1 cleaning on Friday")]
    public void Understand_LikeACount_NotATime(string profession, string said)
    {
        Assert.Null(U(profession, said).Time);
    }

    [Fact]
    public void Heard_EarliestNextWeek_NotToday()
    {
        var call = Call();
        call.Say("I need a cleaning, the earliest you've got next week");
        Assert.True(call.Session.Draft.Date is null || call.Session.Draft.Date >= NextMonday, $"{call.Session.Draft}");
    }

    [Fact]
    public void Heard_EarliestInTheAfternoon_AnAfternoonTimeOrTheDayAsked()
    {
        var call = Call();
        call.Say("I need a cleaning, the earliest you've got in the afternoon");
        Assert.True(call.Session.Draft.Time is null || call.Session.Draft.Time.Value.Hour >= 12, $"{call.Session.Draft}");
    }

}
