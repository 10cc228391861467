using Receptionist.Core.Notifications;

namespace Receptionist.Core.Tests.Reporting;

public sealed class SmsSegmentsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Count_Gsm7_160InOne153PerSegmentSplit(int length, int expected) => Assert.Equal(expected, SmsSegments.Count(new string('a', length)));

    [Fact]
    public void Count_ExtensionCharactersTakeTwo()
    {
        Assert.Equal(1, SmsSegments.Count(new string('a', 158) + "€"));
        Assert.Equal(2, SmsSegments.Count(new string('a', 159) + "€"));
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Count_AnEmDashMakesItUcs2_70InOne67PerSegment(int length, int expected) =>
        Assert.Equal(expected, SmsSegments.Count("—" + new string('a', length - 1)));

    [Fact]
    public void Count_TheBookingConfirmation_IsOneSegment() =>
        Assert.Equal(1, SmsSegments.Count("Bright Smiles Dental: your Cleaning is booked for Tuesday, November 24 at 10 am. 12 Main St. To change it, call us at (555) 010-0001."));
}
