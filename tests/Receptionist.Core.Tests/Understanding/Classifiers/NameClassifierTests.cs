using Receptionist.Core.Tenants;
using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>The caller's name: after "my name is …", in "can Sam get …", "… for Jamie", "…, it's Sam Lee", "make it …",
/// or the whole answer when a name was asked; spellings confirm or replace, a surname alone fills only the surname.</summary>
public sealed class NameClassifierTests
{
    private static readonly IReadOnlyList<ServiceOffering> Services =
    [
        new("Cleaning", 60, 90, 150, ["teeth cleaning", "hygiene", "clean"]),
        new("Checkup", 30, 60, 60, ["check up", "exam"]),
        new("Whitening", 90, 250, 450, ["teeth whitening", "bleaching"]),
    ];

    private static NameSaid? Classify(string said, Expecting expecting = Expecting.Anything, bool correcting = false, bool requestMade = false) =>
        NameClassifier.Classify(Utterance.Read(said, Lexicon.English), expecting, correcting, requestMade, Services);

    [Theory]
    [InlineData("my name is Alex Rivera", "Alex Rivera")]
    [InlineData("Hi, this is Maria Gonzalez, I'd like to book a cleaning", "Maria Gonzalez")]
    [InlineData("it's under Nguyen", "Nguyen")]
    [InlineData("my name is Mrs. Janet Ogden", "Janet Ogden")]
    [InlineData("It's booked under Rosalind Achterberg, but I'm calling from my work phone", "Rosalind Achterberg")]
    [InlineData("this is Dana Whitfield but you can call me Dee", "Dana Whitfield")]
    public void Classify_IntroducedName_WholeName(string said, string expected)
    {
        Assert.Equal(new NameSaid(expected, Whole: true, SurnameOnly: false), Classify(said));
    }

    [Theory]
    [InlineData("can Sam get a cleaning on Friday", "Sam")]
    [InlineData("a cleaning for Jamie on Friday", "Jamie")]
    [InlineData("book a checkup for Jamie Fox please", "Jamie Fox")]
    public void Classify_NameInARequest_WholeName(string said, string expected)
    {
        Assert.Equal(new NameSaid(expected, Whole: true, SurnameOnly: false), Classify(said));
    }

    [Theory]
    [InlineData("can my son get a checkup")]
    [InlineData("can Dr. Smith see me Friday")]
    [InlineData("a cleaning for Mom on Friday")]
    [InlineData("I'm looking for Dr. Patel")]
    public void Classify_RequestWithoutAName_Null(string said)
    {
        Assert.Null(Classify(said));
    }

    [Fact]
    public void Classify_ItsNameAfterARequest_PossiblyOneWordOfAName()
    {
        Assert.Equal(new NameSaid("Sam Lee", Whole: false, SurnameOnly: false),
            Classify("I need a cleaning Friday, it's Sam Lee", requestMade: true));
    }

    [Fact]
    public void Classify_ItsSomethingElseAfterARequest_Null()
    {
        Assert.Null(Classify("I need a cleaning Friday, it's getting worse", requestMade: true));
    }

    [Theory]
    [InlineData("Sam Lee", "Sam Lee")]
    [InlineData("uh, Jordan", "Jordan")]
    [InlineData("sure, it's Priya", "Priya")]
    [InlineData("Hi, I'm Rachel", "Rachel")]
    [InlineData("May Chen", "May Chen")]
    [InlineData("it's Sam, and my number is 555 234 9876", "Sam")]
    [InlineData("Cool. It's Jamal Haddad.", "Jamal Haddad")] // a wrong booking ("Cool") in the fifth independent set
    [InlineData("Sorry, she was chewing the cord. It's Siddharth Rao.", "Siddharth Rao")]
    public void Classify_AnswerToWhatsYourName_TheName(string said, string expected)
    {
        Assert.Equal(expected, Classify(said, Expecting.Name)?.Name);
    }

    [Theory]
    [InlineData("It's Dana, um, Dana Whitlock.", "Dana Whitlock")]
    [InlineData("Ana Maria... Ana Maria Souza", "Ana Maria Souza")]
    [InlineData("Priya, Priya Natarajan", "Priya Natarajan")]
    [InlineData("Dana Whitlock", "Dana Whitlock")]
    public void Classify_NameSaidAgain_TheWholeNameOnce(string said, string expected)
    {
        Assert.Equal(expected, Classify(said, Expecting.Name)?.Name);
    }

    [Theory]
    [InlineData("o'brien", "O'Brien")]
    [InlineData("mcdonald", "McDonald")]
    public void Classify_Name_CapitalisedAsWritten(string said, string expected)
    {
        Assert.Equal(expected, Classify(said, Expecting.Name)?.Name);
    }

    [Theory]
    [InlineData("Lee, L-E-E", "Lee")]
    [InlineData("S-A-M L-E-E", "Sam Lee")]
    [InlineData("Sam, L-E-E", "Sam Lee")]
    [InlineData("Nguyen, N G U Y E N", "Nguyen")]
    public void Classify_Spelled_SpellingConfirmsOrReplaces(string said, string expected)
    {
        Assert.Equal(expected, Classify(said, Expecting.Name)?.Name);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("tomorrow")]
    [InlineData("a cleaning")]
    [InlineData("I'd rather not say")]
    [InlineData("my number is 555 234 9876")]
    [InlineData("it's for my son")]
    [InlineData("John Paul George Ringo Starr")]
    public void Classify_AnswerThatIsNotAName_Null(string said)
    {
        Assert.Null(Classify(said, Expecting.Name));
    }

    [Theory]
    [InlineData("the last name is Patel", "Patel")]
    [InlineData("the last name is P-A-T-E-L", "Patel")]
    public void Classify_SurnameAlone_SurnameOnly(string said, string expected)
    {
        Assert.Equal(new NameSaid(expected, Whole: false, SurnameOnly: true), Classify(said, Expecting.YesNo, correcting: true));
    }

    [Theory]
    [InlineData("it's Lee", "Lee", false)]
    [InlineData("no, it's Lee, L-E-E", "Lee", false)]
    [InlineData("make it Sam Lee", "Sam Lee", true)]
    public void Classify_CorrectionAtAReadBack_TheNewName(string said, string expected, bool whole)
    {
        Assert.Equal(new NameSaid(expected, whole, SurnameOnly: false), Classify(said, Expecting.YesNo, correcting: true));
    }

    [Theory]
    [InlineData("Surname's Mbeki. First name Thandiwe.", "Thandiwe Mbeki")]
    [InlineData("The last name is Lindqvist, and my first name is Astrid", "Astrid Lindqvist")]
    [InlineData("First name Kofi, last name Mensah", "Kofi Mensah")]
    public void Classify_SurnameAndFirstNameEachNamed_BothKept(string said, string expected)
    {
        Assert.Equal(new NameSaid(expected, Whole: true, SurnameOnly: false), Classify(said, Expecting.Name));
    }

    [Theory]
    [InlineData("I'd like a whitening for our wedding")]
    [InlineData("can I get a cleaning for my birthday")]
    [InlineData("a checkup for their school")]
    public void Classify_ForAPossessive_NoName(string said)
    {
        Assert.Null(Classify(said, requestMade: true));
    }

    [Fact]
    public void Classify_WholeNameThenItsSurnameSpelledOut_TheWholeName()
    {
        var name = Classify("Aiko Sato. A-I-K-O, and the last name's Sato, S-A-T-O", Expecting.Name);

        Assert.Equal(("Aiko Sato", false), (name?.Name, name?.SurnameOnly));
    }
}
