using Receptionist.Core.Understanding;
using Receptionist.Core.Understanding.Classifiers;

namespace Receptionist.Core.Tests.Understanding.Classifiers;

/// <summary>A phone number as E.164, and where a number is asked for every digit said.</summary>
public sealed class PhoneClassifierTests
{
    private static Utterance Read(string said) => Utterance.Read(said, Lexicon.English);

    [Theory]
    [InlineData("Yes, this number.", true)]
    [InlineData("This number's fine.", true)]
    [InlineData("the one I'm calling from is fine", true)]
    [InlineData("call me back on this number about the invoice for the boiler", false)]
    [InlineData("no, my number is 555-234-9876", false)]
    [InlineData("Tell him I'm still waiting on the paperwork for the truck", false)]
    public void ThisNumber_OnlyThatTheCallerIdIsTheNumber_Whether(string said, bool expected)
    {
        Assert.Equal(expected, PhoneClassifier.ThisNumber(Read(said)));
    }

    [Theory]
    [InlineData("my number is 555-234-9876")]
    [InlineData("you can reach me at (555) 234-9876")]
    [InlineData("call me at 555.234.9876")]
    [InlineData("+1 555 234 9876")]
    [InlineData("five five five two three four nine eight seven six")]
    public void Number_PhoneNumberInAnySentence_E164(string said)
    {
        Assert.Equal("+15552349876", PhoneClassifier.Number(Read(said), Expecting.Anything));
    }

    [Theory]
    [InlineData("five five five, two three four, nine eight seven six", "+15552349876")]
    [InlineData("5552349876", "+15552349876")]
    [InlineData("two one two five five five oh one nine nine", "+12125550199")]
    [InlineData("five oh five, two three four, nine eight seven six", "+15052349876")]
    [InlineData("call me after 5 at 555 234 9876", "+15552349876")]
    [InlineData("area code 212, 555 0199", "+12125550199")]
    public void Number_DigitsSaidWhenANumberWasAsked_E164(string said, string expected)
    {
        Assert.Equal(expected, PhoneClassifier.Number(Read(said), Expecting.Phone));
    }

    [Fact]
    public void Number_FirstOfTwoNumbers_TheFirst()
    {
        Assert.Equal("+12125550199", PhoneClassifier.Number(Read("my cell is 212 555 0199 or my work is 212 555 0100"), Expecting.Phone));
    }

    [Theory]
    [InlineData("my number is 555 234 987")]
    [InlineData("same number I'm calling from")]
    [InlineData("I'd like 2 cleanings at 3 on the 14th")]
    public void Number_NotAWholeNumber_Null(string said)
    {
        Assert.Null(PhoneClassifier.Number(Read(said), Expecting.Phone));
    }

    [Theory]
    [InlineData("the last four are 4 5 6 7", "4567")]
    [InlineData("the last 4 digits are 4567", "4567")]
    [InlineData("forty-five sixty-seven", "4567")]
    [InlineData("4 5 6 7", "4567")]
    [InlineData("four four oh one", "4401")]
    [InlineData("555-111-0000", "5551110000")]
    public void Digits_DigitsSaid_InOrder(string said, string expected)
    {
        Assert.Equal(expected, PhoneClassifier.Digits(Read(said)));
    }

    [Theory]
    [InlineData("I don't know it")]
    [InlineData("the last four digits")]
    public void Digits_NoDigitsSaid_Null(string said)
    {
        Assert.Null(PhoneClassifier.Digits(Read(said)));
    }
}
