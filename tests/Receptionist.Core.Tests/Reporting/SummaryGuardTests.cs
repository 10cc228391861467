using Receptionist.Core.Reporting;
using Receptionist.Core.Tests.Tenants;

namespace Receptionist.Core.Tests.Reporting;

/// <summary>An LLM's summary replaces the rules' only when it states no time, day or change the call did not make.</summary>
public sealed class SummaryGuardTests
{
    private static readonly Core.Tenants.Tenant Dentist = TenantJson.Tenant();
    private static readonly DateTimeOffset CallStarted = DateTimeOffset.Parse("2026-11-23T08:00:00-05:00"); // a Monday

    private static readonly CallSummary Booked = new("Booked", "Booked a Cleaning for Tuesday, November 24 at 10 am.",
        [new SummaryAppointment(CallNotes.BookedKind, "apt-1", "Cleaning", DateTimeOffset.Parse("2026-11-24T10:00:00-05:00"))], null, [], false);

    private static readonly CallSummary Message = new("MessageTaken", "Sam Lee left a message: \"call me back\"", [], "m1", [], false);

    [Theory]
    [InlineData("Sam Lee booked a cleaning for Tuesday at 10 am.")]
    [InlineData("Sam Lee booked a cleaning for Tuesday at 10:00 AM and asked about parking.")]
    [InlineData("Sam Lee called on Monday and booked a cleaning for 10.")]
    public void MayReplace_TextTrueToTheBooking_Accepted(string text) =>
        Assert.True(SummaryGuard.MayReplace(text, Booked, Dentist, CallStarted));

    [Theory]
    [InlineData("Sam Lee booked a cleaning for Tuesday at 11 am.")] // another time
    [InlineData("Sam Lee booked a cleaning for Tuesday at 10:30 am.")]
    [InlineData("Sam Lee booked a cleaning for Wednesday at 10 am.")] // another day
    [InlineData("Sam Lee booked a cleaning at 10 am and cancelled the old one.")] // a change the call did not make
    [InlineData("")]
    public void MayReplace_TextThatStatesWhatDidNotHappen_Refused(string text) =>
        Assert.False(SummaryGuard.MayReplace(text, Booked, Dentist, CallStarted));

    [Theory]
    [InlineData("Sam Lee left a message asking to be called back; nothing was booked.", true)]
    [InlineData("Sam Lee booked nothing and left a message.", true)]
    [InlineData("Sam Lee left a message; no appointment was booked.", true)]
    [InlineData("Sam Lee left a message and booked a cleaning.", false)]
    [InlineData("Sam Lee left a message. He booked a cleaning too.", false)]
    [InlineData("Sam Lee wants a call back at 3 pm.", false)] // a time no appointment has: the rules' quote stands
    public void MayReplace_MessageOnlyCall_NoBookingMayBeClaimed(string text, bool accepted) =>
        Assert.Equal(accepted, SummaryGuard.MayReplace(text, Message, Dentist, CallStarted));

    [Fact]
    public void MayReplace_LongerThanASummary_Refused() =>
        Assert.False(SummaryGuard.MayReplace(new string('x', SummaryGuard.MaxLength + 1), Message, Dentist, CallStarted));
}
