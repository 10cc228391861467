using Receptionist.Core.Phone;

namespace Receptionist.Core.Tests.Phone;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("5557654321", "+15557654321")]
    [InlineData("+15557654321", "+15557654321")]
    [InlineData("+1 555 765 4321", "+15557654321")]
    [InlineData("(555) 765-4321", "+15557654321")]
    [InlineData("555-765-4321", "+15557654321")]
    [InlineData("15557654321", "+15557654321")]
    [InlineData("1-555-765-4321", "+15557654321")]
    [InlineData("  +1 (555) 765-4321  ", "+15557654321")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    public void TryNormalize_NumberAsWritten_ReturnsE164(string raw, string expected)
    {
        Assert.True(PhoneNumber.TryNormalize(raw, out var e164));
        Assert.Equal(expected, e164);
    }

    [Fact]
    public void TryNormalize_NationalNumberWithOtherDefaultRegion_ReadsItInThatRegion()
    {
        Assert.True(PhoneNumber.TryNormalize("020 7946 0958", out var e164, "GB"));
        Assert.Equal("+442079460958", e164);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("hello")]
    [InlineData("12")]
    [InlineData("+1 555 765")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void TryNormalize_NotAPhoneNumber_ReturnsFalseAndEmpty(string? raw)
    {
        Assert.False(PhoneNumber.TryNormalize(raw, out var e164));
        Assert.Equal(string.Empty, e164);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("Anonymous")]
    [InlineData("unknown")]
    [InlineData("restricted")]
    [InlineData("")]
    [InlineData(null)]
    public void CallerIdOrNull_WithheldNumber_ReturnsNull(string? from)
    {
        Assert.Null(PhoneNumber.CallerIdOrNull(from));
    }

    [Theory]
    [InlineData("+15557654321", "+15557654321")]
    [InlineData("(555) 765-4321", "+15557654321")]
    [InlineData("+442079460958", "+442079460958")]
    public void CallerIdOrNull_RealNumber_ReturnsItInE164(string from, string expected)
    {
        Assert.Equal(expected, PhoneNumber.CallerIdOrNull(from));
    }

    [Fact]
    public void Mask_UsNumber_KeepsCountryAreaCodeAndLastFour()
    {
        Assert.Equal("+1555***4321", PhoneNumber.Mask("+15557654321"));
    }

    [Theory]
    [InlineData("+15557654321", "765")]
    [InlineData("+15551239876", "123")]
    [InlineData("+12125550199", "555")]
    public void Mask_UsNumber_NeverRevealsTheMiddleDigits(string number, string middle)
    {
        var masked = PhoneNumber.Mask(number);

        Assert.DoesNotContain(middle, masked, StringComparison.Ordinal);
        Assert.Contains("***", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("5551234")]
    [InlineData("+5551234")]
    public void Mask_ShortInput_IsFullyMasked(string number)
    {
        var masked = PhoneNumber.Mask(number);

        Assert.Equal(new string('*', number.Length), masked);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Mask_NoNumber_SaysNone(string? number)
    {
        Assert.Equal("(none)", PhoneNumber.Mask(number));
    }

    [Fact]
    public void SpeakDigits_UsNumber_ReadsTheTenDigitsInThreeGroups()
    {
        Assert.Equal("five five five, one two three, four five six seven", PhoneNumber.SpeakDigits("+15551234567"));
    }

    [Fact]
    public void SpeakDigits_ZerosAndNines_AreReadAsWords()
    {
        Assert.Equal("two zero two, nine zero zero, zero nine nine nine", PhoneNumber.SpeakDigits("+12029000999"));
    }

    [Fact]
    public void SpeakDigits_NonUsNumber_ReadsEveryDigitIncludingCountryCode()
    {
        Assert.Equal("four four two zero seven nine four six zero nine five eight", PhoneNumber.SpeakDigits("+442079460958"));
    }

    [Fact]
    public void MaskIn_EveryNumberInTheText_MaskedTheRestKept() =>
        Assert.Equal("message from Sam Lee (+1555***4321), call +1555***0001", PhoneNumber.MaskIn("message from Sam Lee (+15557654321), call +15550100001"));
}
