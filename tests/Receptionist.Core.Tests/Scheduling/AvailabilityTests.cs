using Receptionist.Core.Scheduling;
using Receptionist.Core.Tenants;
using Receptionist.Core.Tests.Tenants;

namespace Receptionist.Core.Tests.Scheduling;

/// <summary>The README example tenant in America/New_York: Mon/Thu/Fri 09:00-17:00, Tue 09:00-12:00 + 13:00-17:00,
/// Wed/Sat/Sun closed, closed on Friday 2026-12-25.</summary>
public class AvailabilityTests
{
    private static readonly Tenant Dentist = TenantJson.Tenant();
    private static readonly DateOnly Monday = new(2026, 11, 23);
    private static readonly DateOnly Tuesday = new(2026, 11, 24);
    private static readonly DateOnly Wednesday = new(2026, 11, 25);
    private static readonly DateOnly Thursday = new(2026, 11, 26);
    private static readonly DateOnly Friday = new(2026, 11, 27);

    /// <summary>Sunday 22 November 2026, noon in New York: before every day these tests book.</summary>
    private static readonly DateTimeOffset SundayNoon = new(2026, 11, 22, 12, 0, 0, TimeSpan.FromHours(-5));

    private static readonly BusyInterval[] NoBookings = [];

    [Fact]
    public void FreeStarts_OpenDay_EveryQuarterHourFromOpeningToLastStartThatEndsByClosing()
    {
        var free = Availability.FreeStarts(Dentist, Monday, 60, NoBookings, SundayNoon);

        Assert.Equal(T(9, 0), free[0]);
        Assert.Equal(T(16, 0), free[^1]);
        Assert.Equal(29, free.Count); // 09:00 … 16:00 in 15-minute steps
        Assert.All(free, t => Assert.Equal(0, t.Minute % Availability.GranuleMinutes));
        Assert.Equal(free.Order(), free);
    }

    [Fact]
    public void FreeStarts_ServiceDuration_MustEndByClosing()
    {
        var halfHour = Availability.FreeStarts(Dentist, Monday, 30, NoBookings, SundayNoon);
        var twoHours = Availability.FreeStarts(Dentist, Monday, 120, NoBookings, SundayNoon);
        var wholeDay = Availability.FreeStarts(Dentist, Monday, 480, NoBookings, SundayNoon);

        Assert.Equal(T(16, 30), halfHour[^1]);
        Assert.Equal(T(15, 0), twoHours[^1]);
        Assert.Equal([T(9, 0)], wholeDay);
        Assert.Empty(Availability.FreeStarts(Dentist, Monday, 495, NoBookings, SundayNoon));
    }

    [Fact]
    public void FreeStarts_SplitShift_HourLongServiceCannotRunIntoOrAcrossLunch()
    {
        var free = Availability.FreeStarts(Dentist, Tuesday, 60, NoBookings, SundayNoon);

        Assert.Contains(T(11, 0), free); // 11:00-12:00 fits the morning shift exactly
        Assert.DoesNotContain(T(11, 15), free);
        Assert.DoesNotContain(T(11, 30), free); // would end at 12:30, after the morning shift
        Assert.DoesNotContain(T(11, 45), free);
        Assert.All(free, t => Assert.False(t >= T(12, 0) && t < T(13, 0), $"{t} is during lunch"));
        Assert.Contains(T(13, 0), free);
        Assert.Equal(T(16, 0), free[^1]);
        Assert.Equal(9 + 13, free.Count); // 09:00-11:00 and 13:00-16:00
    }

    [Fact]
    public void FreeStarts_SplitShift_ShortServiceFitsTheLastMorningSlot()
    {
        var free = Availability.FreeStarts(Dentist, Tuesday, 30, NoBookings, SundayNoon);

        Assert.Contains(T(11, 30), free);
        Assert.DoesNotContain(T(11, 45), free);
    }

    [Fact]
    public void FreeStarts_DayWithoutHours_IsEmpty()
    {
        Assert.Empty(Availability.FreeStarts(Dentist, Wednesday, 30, NoBookings, SundayNoon));
        Assert.Empty(Availability.FreeStarts(Dentist, Wednesday.AddDays(3), 30, NoBookings, SundayNoon)); // Saturday
    }

    [Fact]
    public void FreeStarts_ClosedDate_IsEmptyWhileTheSameWeekdayIsOpen()
    {
        var christmas = new DateOnly(2026, 12, 25);

        Assert.Empty(Availability.FreeStarts(Dentist, christmas, 30, NoBookings, SundayNoon));
        Assert.NotEmpty(Availability.FreeStarts(Dentist, christmas.AddDays(-7), 30, NoBookings, SundayNoon));
    }

    [Fact]
    public void FreeStarts_ExistingBooking_BlocksOverlappingStartsButNotAdjacentOnes()
    {
        BusyInterval[] busy = [Busy(Monday, T(10, 0), 60)];

        var free = Availability.FreeStarts(Dentist, Monday, 30, busy, SundayNoon);

        Assert.Contains(T(9, 30), free);        // 09:30-10:00 ends as the booking starts
        Assert.DoesNotContain(T(9, 45), free);  // 09:45-10:15 runs into it
        Assert.DoesNotContain(T(10, 0), free);
        Assert.DoesNotContain(T(10, 30), free);
        Assert.DoesNotContain(T(10, 45), free);
        Assert.Contains(T(11, 0), free);        // starts as the booking ends
        Assert.Equal(31 - 5, free.Count);       // of 09:00 … 16:30, the five from 09:45 to 10:45 are gone
    }

    [Fact]
    public void FreeStarts_LongServiceAroundABooking_CannotStraddleIt()
    {
        BusyInterval[] busy = [Busy(Monday, T(12, 0), 15)];

        var free = Availability.FreeStarts(Dentist, Monday, 120, busy, SundayNoon);

        Assert.Contains(T(10, 0), free);
        Assert.DoesNotContain(T(10, 15), free);
        Assert.DoesNotContain(T(12, 0), free);
        Assert.Contains(T(12, 15), free);
    }

    [Fact]
    public void FreeStarts_BookingOnAnotherDay_DoesNotBlockThisDay()
    {
        BusyInterval[] busy = [Busy(Tuesday, T(10, 0), 60)];

        var free = Availability.FreeStarts(Dentist, Monday, 60, busy, SundayNoon);

        Assert.Contains(T(10, 0), free);
        Assert.Equal(29, free.Count);
    }

    [Fact]
    public void FreeStarts_Today_ExcludesStartsThatHavePassed()
    {
        var now = new DateTimeOffset(2026, 11, 23, 10, 7, 0, TimeSpan.FromHours(-5));

        var free = Availability.FreeStarts(Dentist, Monday, 60, NoBookings, now);

        Assert.Equal(T(10, 15), free[0]);
        Assert.Equal(T(16, 0), free[^1]);
    }

    [Fact]
    public void FreeStarts_NowGivenInUtc_IsComparedInTheTenantsTimeZone()
    {
        var now = new DateTimeOffset(2026, 11, 23, 15, 7, 0, TimeSpan.Zero); // 10:07 in New York

        var free = Availability.FreeStarts(Dentist, Monday, 60, NoBookings, now);

        Assert.Equal(T(10, 15), free[0]);
    }

    [Fact]
    public void FreeStarts_DayInThePast_IsEmpty()
    {
        var now = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.FromHours(-5));

        Assert.Empty(Availability.FreeStarts(Dentist, Monday, 60, NoBookings, now));
    }

    [Fact]
    public void IsFree_AgreesWithFreeStarts()
    {
        BusyInterval[] busy = [Busy(Monday, T(10, 0), 60)];

        Assert.True(Availability.IsFree(Dentist, Monday, T(11, 0), 60, busy, SundayNoon));
        Assert.False(Availability.IsFree(Dentist, Monday, T(10, 30), 60, busy, SundayNoon));
        Assert.False(Availability.IsFree(Dentist, Monday, T(9, 10), 30, busy, SundayNoon)); // off the 15-minute grid
        Assert.False(Availability.IsFree(Dentist, Wednesday, T(11, 0), 60, busy, SundayNoon));
    }

    [Fact]
    public void Nearest_RequestedTimeDuringLunch_ReturnsClosestStartsInTimeOrder()
    {
        var free = Availability.FreeStarts(Dentist, Tuesday, 60, NoBookings, SundayNoon);

        var nearest = Availability.Nearest(free, T(12, 0));

        Assert.Equal([T(10, 45), T(11, 0), T(13, 0)], nearest);
    }

    [Fact]
    public void Nearest_MorningHasCloserTimesThanTheAfternoon_OffersOneOnEachSideOfTheRequest()
    {
        IReadOnlyList<TimeOnly> free = [T(11, 0), T(11, 15), T(11, 30), T(13, 0), T(13, 30)];

        Assert.Equal([T(11, 15), T(11, 30), T(13, 0)], Availability.Nearest(free, T(12, 0)));
    }

    [Fact]
    public void Nearest_RequestedTimeIsFree_IncludesItWithItsNeighbours()
    {
        var free = Availability.FreeStarts(Dentist, Monday, 60, NoBookings, SundayNoon);

        Assert.Equal([T(13, 45), T(14, 0), T(14, 15)], Availability.Nearest(free, T(14, 0)));
    }

    [Fact]
    public void Nearest_FewerFreeStartsThanAsked_ReturnsAll()
    {
        Assert.Equal([T(9, 0), T(16, 0)], Availability.Nearest([T(16, 0), T(9, 0)], T(12, 0)));
        Assert.Empty(Availability.Nearest([], T(12, 0)));
    }

    [Fact]
    public void Spread_FullDay_OffersEarliestMiddleAndLatestOnTheHalfHour()
    {
        var free = Availability.FreeStarts(Dentist, Monday, 60, NoBookings, SundayNoon);

        var options = Availability.Spread(free);

        Assert.Equal([T(9, 0), T(12, 30), T(16, 0)], options);
    }

    [Fact]
    public void Spread_OnlyQuarterHoursLeft_FallsBackToThem()
    {
        TimeOnly[] free = [T(9, 15), T(9, 30), T(9, 45), T(10, 15)];

        var options = Availability.Spread(free);

        Assert.Equal(3, options.Count);
        Assert.Equal(T(9, 15), options[0]);
        Assert.Equal(T(10, 15), options[^1]);
        Assert.Equal(options.Order(), options);
    }

    [Fact]
    public void Spread_FewerFreeThanAsked_ReturnsThemAll()
    {
        Assert.Equal([T(10, 15), T(10, 45)], Availability.Spread([T(10, 15), T(10, 45)]));
        Assert.Empty(Availability.Spread([]));
    }

    [Fact]
    public void NextOpenDays_FromMonday_SkipsTheDayWithoutHours()
    {
        var days = Availability.NextOpenDays(Dentist, Monday, 60, NoBookings, SundayNoon);

        Assert.Equal([Monday, Tuesday, Thursday], days);
    }

    [Fact]
    public void NextOpenDays_AroundAClosedDate_SkipsItAndTheWeekend()
    {
        var christmasEve = new DateOnly(2026, 12, 24); // Thursday; Friday 25th is closed

        var days = Availability.NextOpenDays(Dentist, christmasEve, 60, NoBookings, SundayNoon);

        Assert.Equal([christmasEve, new DateOnly(2026, 12, 28), new DateOnly(2026, 12, 29)], days);
    }

    [Fact]
    public void NextOpenDays_FullyBookedDay_IsSkipped()
    {
        BusyInterval[] busy = [Busy(Monday, T(9, 0), 8 * 60)];

        var days = Availability.NextOpenDays(Dentist, Monday, 30, busy, SundayNoon);

        Assert.Equal([Tuesday, Thursday, Friday], days);
    }

    [Fact]
    public void NextOpenDays_TodayAfterTheLastStart_StartsTomorrow()
    {
        var mondayEvening = new DateTimeOffset(2026, 11, 23, 16, 30, 0, TimeSpan.FromHours(-5));

        var days = Availability.NextOpenDays(Dentist, Monday, 60, NoBookings, mondayEvening, count: 1);

        Assert.Equal([Tuesday], days);
    }

    [Fact]
    public void NextOpenDays_FromADateInThePast_StartsToday()
    {
        var thursdayMorning = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.FromHours(-5));

        var days = Availability.NextOpenDays(Dentist, Monday, 60, NoBookings, thursdayMorning, count: 2);

        Assert.Equal([Thursday, Friday], days);
    }

    [Fact]
    public void NextOpenDays_NothingFreeWithinTheHorizon_ReturnsNone()
    {
        var neverOpen = TenantJson.Tenant(j =>
        {
            foreach (var day in new[] { "mon", "tue", "thu", "fri" })
            {
                j["hours"]![day] = new System.Text.Json.Nodes.JsonArray();
            }
        });

        Assert.Empty(Availability.NextOpenDays(neverOpen, Monday, 60, NoBookings, SundayNoon));
    }

    [Theory]
    [InlineData(2026, 11, 23, 9, 0, true)]    // Monday, at opening
    [InlineData(2026, 11, 23, 8, 59, false)]  // Monday, a minute before opening
    [InlineData(2026, 11, 23, 16, 59, true)]
    [InlineData(2026, 11, 23, 17, 0, false)]  // closing time: end is exclusive
    [InlineData(2026, 11, 24, 11, 59, true)]  // Tuesday morning shift
    [InlineData(2026, 11, 24, 12, 0, false)]  // Tuesday lunch gap
    [InlineData(2026, 11, 24, 12, 30, false)]
    [InlineData(2026, 11, 24, 13, 0, true)]   // Tuesday afternoon shift
    [InlineData(2026, 11, 25, 10, 0, false)]  // Wednesday: no hours
    [InlineData(2026, 12, 25, 10, 0, false)]  // Friday, closed date
    [InlineData(2026, 12, 18, 10, 0, true)]   // the Friday before is open
    public void IsOpen_LocalTime_FollowsHoursAndClosedDates(int year, int month, int day, int hour, int minute, bool expected)
    {
        var now = new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.FromHours(-5));

        Assert.Equal(expected, Availability.IsOpen(Dentist, now));
    }

    [Theory]
    [InlineData(14, 0, true)]   // 09:00 in New York
    [InlineData(13, 59, false)] // 08:59 in New York
    [InlineData(22, 0, false)]  // 17:00 in New York
    public void IsOpen_InstantInUtc_IsJudgedInTheTenantsTimeZone(int hour, int minute, bool expected)
    {
        var now = new DateTimeOffset(2026, 11, 23, hour, minute, 0, TimeSpan.Zero);

        Assert.Equal(expected, Availability.IsOpen(Dentist, now));
    }

    [Fact]
    public void IsOpen_SummerMorning_UsesDaylightSavingOffset()
    {
        var mondayJuly = new DateTimeOffset(2026, 7, 6, 13, 0, 0, TimeSpan.Zero); // 09:00 EDT, 08:00 EST

        Assert.True(Availability.IsOpen(Dentist, mondayJuly));
    }

    [Fact]
    public void Granules_HourFromTen_CoversFourQuarterHours()
    {
        Assert.Equal([T(10, 0), T(10, 15), T(10, 30), T(10, 45)], Availability.Granules(T(10, 0), 60));
    }

    [Fact]
    public void Granules_TwentyMinutes_CoversTwoGranules()
    {
        Assert.Equal([T(10, 0), T(10, 15)], Availability.Granules(T(10, 0), 20));
    }

    [Fact]
    public void Granules_SingleGranule_IsJustTheStart()
    {
        Assert.Equal([T(16, 45)], Availability.Granules(T(16, 45), 15));
    }

    private static TimeOnly T(int hour, int minute) => new(hour, minute);

    private static BusyInterval Busy(DateOnly date, TimeOnly start, int minutes)
    {
        var begin = date.ToDateTime(start);
        return new BusyInterval(begin, begin.AddMinutes(minutes));
    }
}
