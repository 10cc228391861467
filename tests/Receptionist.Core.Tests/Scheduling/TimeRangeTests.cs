using Receptionist.Core.Scheduling;

namespace Receptionist.Core.Tests.Scheduling;

public class TimeRangeTests
{
    private static readonly TimeRange Morning = new(new TimeOnly(9, 0), new TimeOnly(12, 0));

    [Theory]
    [InlineData("09:00-17:00", 9, 0, 17, 0)]
    [InlineData("13:30-17:45", 13, 30, 17, 45)]
    [InlineData("00:00-23:59", 0, 0, 23, 59)]
    [InlineData(" 09:00 - 12:00 ", 9, 0, 12, 0)]
    public void TryParse_WellFormedRange_ReturnsStartAndEnd(string text, int startHour, int startMinute, int endHour, int endMinute)
    {
        Assert.True(TimeRange.TryParse(text, out var range));
        Assert.Equal(new TimeOnly(startHour, startMinute), range.Start);
        Assert.Equal(new TimeOnly(endHour, endMinute), range.End);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("09:00")]
    [InlineData("09:00-")]
    [InlineData("-17:00")]
    [InlineData("9am-5pm")]
    [InlineData("09.00-17.00")]
    [InlineData("09:00–17:00")] // en dash
    [InlineData("09:00-17:00-18:00")]
    [InlineData("25:00-26:00")]
    [InlineData("09:60-10:00")]
    [InlineData("17:00-09:00")]
    [InlineData("09:00-09:00")]
    public void TryParse_MalformedOrBackwardsRange_ReturnsFalse(string? text)
    {
        Assert.False(TimeRange.TryParse(text, out var range));
        Assert.Equal(default, range);
    }

    [Theory]
    [InlineData(9, 0, 60, true)]    // starts at opening
    [InlineData(11, 0, 60, true)]   // ends exactly at closing
    [InlineData(11, 45, 15, true)]  // last granule
    [InlineData(11, 15, 60, false)] // runs past closing
    [InlineData(12, 0, 15, false)]  // starts at closing: end is exclusive
    [InlineData(8, 45, 15, false)]  // before opening
    [InlineData(8, 45, 30, false)]  // starts before opening even though it ends inside
    [InlineData(9, 0, 180, true)]   // fills the whole range
    [InlineData(9, 0, 195, false)]
    public void Contains_AppointmentOfMinutes_FitsOnlyInsideTheRange(int hour, int minute, int minutes, bool expected)
    {
        Assert.Equal(expected, Morning.Contains(new TimeOnly(hour, minute), minutes));
    }

    [Fact]
    public void Contains_LateAppointmentThatWouldWrapPastMidnight_DoesNotFit()
    {
        var evening = new TimeRange(new TimeOnly(22, 0), new TimeOnly(23, 59));

        Assert.False(evening.Contains(new TimeOnly(23, 30), 60));
    }

    [Theory]
    [InlineData("09:00-17:00")]
    [InlineData("00:05-23:55")]
    public void ToString_ParsedRange_RoundTrips(string text)
    {
        Assert.True(TimeRange.TryParse(text, out var range));

        Assert.Equal(text, range.ToString());
        Assert.True(TimeRange.TryParse(range.ToString(), out var again));
        Assert.Equal(range, again);
    }

    [Fact]
    public void ToString_RangeParsedWithSpaces_IsNormalised()
    {
        Assert.True(TimeRange.TryParse(" 09:00 - 12:00 ", out var range));

        Assert.Equal("09:00-12:00", range.ToString());
    }
}
