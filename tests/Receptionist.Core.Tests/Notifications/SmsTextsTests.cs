using Receptionist.Core.Notifications;
using Receptionist.Core.Storage;
using Receptionist.Core.Tests.Tenants;

namespace Receptionist.Core.Tests.Notifications;

public sealed class SmsTextsTests
{
    /// <summary>The example tenant: Bright Smiles Dental, New York, 12 Main St, +15550100001.</summary>
    private static readonly Core.Tenants.Tenant Dentist = TenantJson.Tenant();

    private static DateTimeOffset NewYork(string local) => DateTimeOffset.Parse(local + "-05:00");

    private static Appointment Cleaning(DateTimeOffset start, string? phone = "+15557654321") =>
        new("bright-smiles", "apt-1", "Cleaning", start, 60, "Sam Lee", phone, "booked", "CA1", start.AddDays(-3));

    [Fact]
    public void ReminderAt_BookedDaysAhead_IsTheLeadTimeBefore()
    {
        var start = NewYork("2026-12-03T10:00:00");

        var at = SmsTexts.ReminderAt(Dentist, start, bookedAt: NewYork("2026-11-30T09:00:00"), now: NewYork("2026-11-30T09:00:00"));

        Assert.Equal(NewYork("2026-12-02T10:00:00"), at);
    }

    [Theory]
    [InlineData("2026-12-03T21:30:00", "2026-12-03T08:00:00")] // 21:30 the evening before → 08:00 on the day
    [InlineData("2026-12-03T07:30:00", "2026-12-02T08:00:00")] // 07:30 the morning before → 08:00 that morning
    [InlineData("2026-12-03T21:00:00", "2026-12-03T08:00:00")] // 21:00 itself is quiet
    [InlineData("2026-12-03T08:00:00", "2026-12-02T08:00:00")] // 08:00 is not
    public void ReminderAt_InQuietHours_MovesTo8InTheMorning(string startLocal, string expectedLocal)
    {
        var at = SmsTexts.ReminderAt(Dentist, NewYork(startLocal), bookedAt: NewYork("2026-11-28T12:00:00"), now: NewYork("2026-11-28T12:00:00"));

        Assert.Equal(NewYork(expectedLocal), at);
    }

    [Fact]
    public void ReminderAt_EarlyAppointmentShortLead_TheEveningBeforeRatherThanNone()
    {
        var twoHours = TenantJson.Tenant(j => j["reminderHoursBefore"] = 2);

        // 07:30 − 2 h = 05:30 (quiet); 08:00 would be past the start: 20:00 the evening before.
        Assert.Equal(NewYork("2026-12-02T20:00:00"),
            SmsTexts.ReminderAt(twoHours, NewYork("2026-12-03T07:30:00"), NewYork("2026-11-28T10:00:00"), NewYork("2026-11-28T10:00:00")));
    }

    [Fact]
    public void ReminderAt_AcrossTheSpringDstChange_TwentyFourRealHoursBefore()
    {
        // New York springs forward at 02:00 on 2027-03-14: 24 hours before 10:00 EDT that day is 09:00 EST the day before.
        Assert.Equal(DateTimeOffset.Parse("2027-03-13T09:00:00-05:00"),
            SmsTexts.ReminderAt(Dentist, DateTimeOffset.Parse("2027-03-14T10:00:00-04:00"), NewYork("2027-03-01T10:00:00"), NewYork("2027-03-01T10:00:00")));
    }

    [Fact]
    public void ReminderAt_BookedLessThanTheLeadAhead_None()
    {
        var booked = NewYork("2026-12-02T15:00:00");

        Assert.Null(SmsTexts.ReminderAt(Dentist, NewYork("2026-12-03T10:00:00"), booked, booked));
    }

    [Fact]
    public void ReminderAt_TimePassedAlready_None()
    {
        Assert.Null(SmsTexts.ReminderAt(Dentist, NewYork("2026-12-03T10:00:00"), NewYork("2026-11-28T10:00:00"), now: NewYork("2026-12-02T10:00:01")));
    }

    [Fact]
    public void ReminderAt_TenantSendsNoReminders_None()
    {
        var noReminders = TenantJson.Tenant(j => j["reminderHoursBefore"] = 0);

        Assert.Null(SmsTexts.ReminderAt(noReminders, NewYork("2026-12-03T10:00:00"), NewYork("2026-11-28T10:00:00"), NewYork("2026-11-28T10:00:00")));
    }

    [Fact]
    public void ReminderAt_TwoHourLead_TwoHoursBefore()
    {
        var twoHours = TenantJson.Tenant(j => j["reminderHoursBefore"] = 2);

        Assert.Equal(NewYork("2026-12-03T08:00:00"),
            SmsTexts.ReminderAt(twoHours, NewYork("2026-12-03T10:00:00"), NewYork("2026-11-28T10:00:00"), NewYork("2026-11-28T10:00:00")));
    }

    [Fact]
    public void Booked_SaysBusinessServiceLocalDayAndTimeAddressAndHowToChange()
    {
        var text = SmsTexts.Booked(Dentist, Cleaning(DateTimeOffset.Parse("2026-12-03T15:30:00Z")));

        Assert.Equal("Bright Smiles Dental: your Cleaning is booked for Thursday, December 3 at 10:30 am. 12 Main St. To change it, call us at (555) 010-0001.", text);
    }

    [Fact]
    public void Cancelled_SaysWhatWasCancelledAndHowToBookAgain()
    {
        var text = SmsTexts.Cancelled(Dentist, Cleaning(NewYork("2026-12-03T10:00:00")));

        Assert.Equal("Bright Smiles Dental: your Cleaning on Thursday, December 3 at 10 am is cancelled. To book again, call us at (555) 010-0001.", text);
    }

    [Fact]
    public void OwnerMessage_Urgent_MarkedFirstWithTheFullCallbackNumber()
    {
        var m = new StoredMessage("bright-smiles", "m1", "CA1", "Sam Lee", "+15557654321", "My crown fell out", true, NewYork("2026-12-01T10:00:00"));

        Assert.Equal("URGENT — Bright Smiles Dental: message from Sam Lee (+15557654321): \"My crown fell out\"", SmsTexts.OwnerMessage(Dentist, m));
    }

    private static StoredMessage Message(string name, string phone, string text, string at) =>
        new("bright-smiles", "m-" + name, "CA-" + name, name, phone, text, false, NewYork(at));

    [Fact]
    public void OwnerBatch_ThreeMessages_EachCallerWithTheFullNumberAndWordsInOneGsmText()
    {
        var messages = new[]
        {
            Message("Sam Lee", "+15557654321", "call me about my bill", "2026-12-01T10:01:00"),
            Message("Pat Quinn", "+15557654322", "can I bring my dog", "2026-12-01T10:05:00"),
            Message("Ann Ruiz", "+15557654323", "running late", "2026-12-01T10:09:00"),
        };

        var text = SmsTexts.OwnerBatch(Dentist, messages);

        Assert.Equal("Bright Smiles Dental, 3 new messages: Sam Lee (+15557654321): \"call me about my bill\"; "
            + "Pat Quinn (+15557654322): \"can I bring my dog\"; Ann Ruiz (+15557654323): \"running late\"", text);
        Assert.Equal(2, SmsSegments.Count(text)); // no em dash: GSM-7, two segments (UCS-2 would take three)
    }

    [Fact]
    public void OwnerBatch_TooManyForTheSegmentBudget_CountsTheRestAndPointsToTheDashboard()
    {
        var messages = Enumerable.Range(1, 12)
            .Select(i => Message($"Caller {i}", $"+155576543{i:00}", "please call me back about the appointment next week, thanks", "2026-12-01T10:01:00")).ToList();

        var text = SmsTexts.OwnerBatch(Dentist, messages);

        Assert.StartsWith("Bright Smiles Dental, 12 new messages: Caller 1 (+15557654301): ", text, StringComparison.Ordinal);
        Assert.InRange(SmsSegments.Count(text), 1, SmsTexts.MaxBatchSegments);
        var shown = messages.Count(m => text.Contains(m.CallerPhone!, StringComparison.Ordinal));
        Assert.InRange(shown, 1, 11);
        Assert.EndsWith($"; and {12 - shown} more, see the dashboard.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OwnerBatch_LongWords_CutWithDotsAndTheFirstMessageAlwaysShown()
    {
        var words = new string('x', 500);

        var text = SmsTexts.OwnerBatch(Dentist, [Message("Sam Lee", "+15557654321", words, "2026-12-01T10:01:00"), Message("Pat Quinn", "+15557654322", words, "2026-12-01T10:02:00")]);

        Assert.Contains("Sam Lee (+15557654321): \"" + new string('x', SmsTexts.MaxBatchWords - 3) + "...\"", text, StringComparison.Ordinal);
        Assert.InRange(SmsSegments.Count(text), 1, SmsTexts.MaxBatchSegments);
    }

    [Theory]
    [InlineData("2026-12-01T15:07:30Z", 15, "2026-12-01T15:00:00Z", "2026-12-01T15:15:00Z")]
    [InlineData("2026-12-01T15:15:00Z", 15, "2026-12-01T15:15:00Z", "2026-12-01T15:30:00Z")] // the end belongs to the next window
    [InlineData("2026-12-01T23:59:59Z", 45, "2026-12-01T23:15:00Z", "2026-12-02T00:00:00Z")]
    [InlineData("2026-12-01T23:59:59Z", 7, "2026-12-01T23:55:00Z", "2026-12-02T00:00:00Z")] // the day's last window is cut at midnight
    [InlineData("2026-12-01T10:07:30-05:00", 60, "2026-12-01T15:00:00Z", "2026-12-01T16:00:00Z")]
    public void BatchWindow_AnInstant_FallsInOneWindowLaidFromMidnightUtc(string at, int minutes, string start, string end)
    {
        var window = SmsTexts.BatchWindow(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMinutes(minutes));

        Assert.Equal((DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture)), window);
    }

    [Fact]
    public void Digest_NamesOnlyWhatHappened()
    {
        var at = NewYork("2026-12-01T09:00:00");

        Assert.Equal("Bright Smiles Dental, the 24 hours to Tuesday, December 1 at 9 am: 5 calls; 2 booked, 1 cancelled, 2 messages (1 urgent).",
            SmsTexts.Digest(Dentist, at, new DigestFigures(5, 2, 0, 1, 2, 1)));
        Assert.Equal("Bright Smiles Dental, the 24 hours to Tuesday, December 1 at 9 am: no calls.", SmsTexts.Digest(Dentist, at, new DigestFigures(0, 0, 0, 0, 0, 0)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(24)]
    public void Parse_DigestHourOutOfRange_NamesTheField(int hour)
    {
        var json = TenantJson.Object();
        json["digestHour"] = hour;

        Assert.Contains("digestHour", Assert.Single(TenantJson.Parse(json).Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+15557654321", true)] // North America: fixed line or mobile
    [InlineData("+447700900123", true)] // UK mobile
    [InlineData("+442079460000", false)] // UK landline
    [InlineData("+18005550100", false)] // toll-free
    [InlineData(null, false)] // withheld
    [InlineData("anonymous", false)]
    public void CanText_ByKindOfNumber(string? number, bool expected) => Assert.Equal(expected, SmsTexts.CanText(number));
}
