using System.Text.Json.Nodes;
using Receptionist.Core.Scheduling;

namespace Receptionist.Core.Tests.Tenants;

public class TenantTests
{
    private static readonly TimeRange Morning = new(new TimeOnly(9, 0), new TimeOnly(12, 0));
    private static readonly TimeRange Afternoon = new(new TimeOnly(13, 0), new TimeOnly(17, 0));
    private static readonly TimeRange AllDay = new(new TimeOnly(9, 0), new TimeOnly(17, 0));

    [Fact]
    public void HoursOn_Tuesday_ReturnsTheSplitShift()
    {
        var tenant = TenantJson.Tenant();

        Assert.Equal([Morning, Afternoon], tenant.HoursOn(new DateOnly(2026, 11, 24))); // a Tuesday
    }

    [Theory]
    [InlineData("mon", 2026, 11, 23)]
    [InlineData("tue", 2026, 11, 24)]
    [InlineData("wed", 2026, 11, 25)]
    [InlineData("thu", 2026, 11, 26)]
    [InlineData("fri", 2026, 11, 27)]
    [InlineData("sat", 2026, 11, 28)]
    [InlineData("sun", 2026, 11, 29)]
    public void HoursOn_Date_UsesTheHoursOfItsWeekday(string dayKey, int year, int month, int day)
    {
        // Only the given day is open (10:00-11:00): that date, and no other date of the week, has hours.
        var tenant = TenantJson.Tenant(j =>
        {
            var hours = new JsonObject();
            foreach (var key in new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" })
            {
                hours[key] = key == dayKey ? new JsonArray("10:00-11:00") : new JsonArray();
            }

            j["hours"] = hours;
        });
        var date = new DateOnly(year, month, day);

        Assert.Equal([new TimeRange(new TimeOnly(10, 0), new TimeOnly(11, 0))], tenant.HoursOn(date));
        for (var other = 1; other < 7; other++)
        {
            Assert.Empty(tenant.HoursOn(date.AddDays(other)));
        }
    }

    [Fact]
    public void HoursOn_ClosedDateOnAnOpeningDay_ReturnsNoHours()
    {
        var tenant = TenantJson.Tenant();
        var christmas = new DateOnly(2026, 12, 25); // a Friday, normally open

        Assert.Empty(tenant.HoursOn(christmas));
        Assert.Equal([AllDay], tenant.HoursOn(christmas.AddDays(-7)));
    }

    [Fact]
    public void HoursOn_DayWithEmptyHours_ReturnsNoHours()
    {
        var tenant = TenantJson.Tenant();

        Assert.Empty(tenant.HoursOn(new DateOnly(2026, 11, 25))); // Wednesday: []
    }

    [Fact]
    public void ToLocal_UtcInstantInWinter_IsFiveHoursBehind()
    {
        var tenant = TenantJson.Tenant();

        var local = tenant.ToLocal(new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTime(2026, 11, 24, 10, 0, 0), local.DateTime);
        Assert.Equal(TimeSpan.FromHours(-5), local.Offset);
    }

    [Fact]
    public void ToLocal_InstantInSummer_IsFourHoursBehindUtc()
    {
        var tenant = TenantJson.Tenant();

        var local = tenant.ToLocal(new DateTimeOffset(2026, 7, 7, 1, 30, 0, TimeSpan.FromHours(2))); // 23:30 UTC on the 6th

        Assert.Equal(new DateTime(2026, 7, 6, 19, 30, 0), local.DateTime);
        Assert.Equal(TimeSpan.FromHours(-4), local.Offset);
    }

    [Fact]
    public void AtLocal_WinterDate_HasEasternStandardOffset()
    {
        var tenant = TenantJson.Tenant();

        var instant = tenant.AtLocal(new DateOnly(2026, 11, 24), new TimeOnly(10, 0));

        Assert.Equal(TimeSpan.FromHours(-5), instant.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero), instant);
    }

    [Fact]
    public void AtLocal_SummerDate_HasEasternDaylightOffset()
    {
        var tenant = TenantJson.Tenant();

        var instant = tenant.AtLocal(new DateOnly(2026, 7, 7), new TimeOnly(10, 0));

        Assert.Equal(TimeSpan.FromHours(-4), instant.Offset);
        Assert.Equal(new DateTimeOffset(2026, 7, 7, 14, 0, 0, TimeSpan.Zero), instant);
    }

    [Fact]
    public void AtLocal_RoundTripsThroughToLocal()
    {
        var tenant = TenantJson.Tenant();
        var date = new DateOnly(2026, 11, 24);
        var time = new TimeOnly(16, 45);

        var local = tenant.ToLocal(tenant.AtLocal(date, time));

        Assert.Equal(date.ToDateTime(time), local.DateTime);
    }

    [Fact]
    public void AtLocal_TimeInTheSpringForwardGap_MovesToTheSameTimeAnHourLater()
    {
        var tenant = TenantJson.Tenant();
        var springForward = new DateOnly(2027, 3, 14); // 02:00 EST jumps to 03:00 EDT: 02:30 does not exist

        var instant = tenant.AtLocal(springForward, new TimeOnly(2, 30));

        Assert.Equal(new DateTimeOffset(2027, 3, 14, 3, 30, 0, TimeSpan.FromHours(-4)), instant);
        Assert.Equal(TimeSpan.FromHours(-4), instant.Offset);
        Assert.Equal(new DateTime(2027, 3, 14, 3, 30, 0), tenant.ToLocal(instant).DateTime);
    }

    [Fact]
    public void AtLocal_JustBeforeTheSpringForwardGap_KeepsStandardTime()
    {
        var tenant = TenantJson.Tenant();

        var instant = tenant.AtLocal(new DateOnly(2027, 3, 14), new TimeOnly(1, 59));

        Assert.Equal(new DateTimeOffset(2027, 3, 14, 1, 59, 0, TimeSpan.FromHours(-5)), instant);
    }
}
