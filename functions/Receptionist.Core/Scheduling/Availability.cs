using Receptionist.Core.Tenants;

namespace Receptionist.Core.Scheduling;

/// <summary>Free appointment start times from weekly hours, closed dates, service duration and existing bookings.</summary>
public static class Availability
{
    /// <summary>Appointments start on this grid; slot locks are taken per granule of this size.</summary>
    public const int GranuleMinutes = 15;

    /// <summary>How far ahead callers can book.</summary>
    public const int HorizonDays = 60;

    /// <summary>Every start on the 15-minute grid on <paramref name="date"/> where the whole service fits inside one
    /// opening range, overlaps no booking and begins after <paramref name="now"/>.</summary>
    public static IReadOnlyList<TimeOnly> FreeStarts(Tenant tenant, DateOnly date, int minutes, IEnumerable<BusyInterval> busy, DateTimeOffset now)
    {
        var localNow = tenant.ToLocal(now).DateTime;
        var dayBusy = busy.Where(b => DateOnly.FromDateTime(b.LocalStart) <= date && DateOnly.FromDateTime(b.LocalEnd) >= date).ToList();
        var result = new List<TimeOnly>();
        foreach (var range in tenant.HoursOn(date))
        {
            for (var start = range.Start; range.Contains(start, minutes); start = start.AddMinutes(GranuleMinutes))
            {
                var begin = date.ToDateTime(start);
                var end = begin.AddMinutes(minutes);
                if (begin > localNow && !dayBusy.Any(b => b.LocalStart < end && begin < b.LocalEnd))
                {
                    result.Add(start);
                }

                if (start.AddMinutes(GranuleMinutes) < start)
                {
                    break; // wrapped past midnight
                }
            }
        }

        return result;
    }

    public static bool IsFree(Tenant tenant, DateOnly date, TimeOnly start, int minutes, IEnumerable<BusyInterval> busy, DateTimeOffset now) =>
        FreeStarts(tenant, date, minutes, busy, now).Contains(start);

    /// <summary>The bookings an appointment being moved competes with: all but itself (one interval of its exact local
    /// start and length is dropped — its own slot is free to move within).</summary>
    public static IReadOnlyList<BusyInterval> WithoutOwn(IEnumerable<BusyInterval> busy, DateOnly date, TimeOnly time, int minutes)
    {
        var start = date.ToDateTime(time);
        var own = new BusyInterval(start, start.AddMinutes(minutes));
        var skipped = false;
        return busy.Where(b =>
        {
            if (!skipped && b == own)
            {
                skipped = true;
                return false;
            }

            return true;
        }).ToList();
    }

    /// <summary>Up to <paramref name="count"/> options spread over the day (earliest, middle, latest), preferring whole
    /// and half hours, for "what do you have on Thursday?".</summary>
    public static IReadOnlyList<TimeOnly> Spread(IReadOnlyList<TimeOnly> free, int count = 3)
    {
        var preferred = free.Where(t => t.Minute is 0 or 30).ToList();
        var pool = preferred.Count >= count ? preferred : free.ToList();
        if (pool.Count <= count)
        {
            return pool;
        }

        var picks = new List<TimeOnly>();
        for (var i = 0; i < count; i++)
        {
            var t = pool[(int)Math.Round(i * (pool.Count - 1) / (double)(count - 1))];
            if (!picks.Contains(t))
            {
                picks.Add(t);
            }
        }

        return picks;
    }

    /// <summary>The free starts nearest to a requested time, in time order: the closest one before and the closest one
    /// after it when both exist (so a caller asking for noon hears 11:30 and 1 pm, not only morning times), then the
    /// next closest.</summary>
    public static IReadOnlyList<TimeOnly> Nearest(IReadOnlyList<TimeOnly> free, TimeOnly requested, int count = 3)
    {
        double Distance(TimeOnly t) => Math.Abs((t.ToTimeSpan() - requested.ToTimeSpan()).TotalMinutes);
        var picks = new List<TimeOnly>();
        if (count >= 2)
        {
            if (free.Where(t => t < requested).OrderBy(Distance).Cast<TimeOnly?>().FirstOrDefault() is { } before)
            {
                picks.Add(before);
            }

            if (free.Where(t => t > requested).OrderBy(Distance).Cast<TimeOnly?>().FirstOrDefault() is { } after)
            {
                picks.Add(after);
            }
        }

        picks.AddRange(free.Except(picks).OrderBy(Distance).ThenBy(t => t).Take(count - picks.Count));
        return picks.Order().ToList();
    }

    /// <summary>The next days (from <paramref name="from"/>, inclusive) with at least one free start.</summary>
    public static IReadOnlyList<DateOnly> NextOpenDays(Tenant tenant, DateOnly from, int minutes, IEnumerable<BusyInterval> busy, DateTimeOffset now, int count = 3)
    {
        var busyList = busy as IReadOnlyCollection<BusyInterval> ?? busy.ToList();
        var today = DateOnly.FromDateTime(tenant.ToLocal(now).DateTime);
        var days = new List<DateOnly>();
        for (var d = from < today ? today : from; days.Count < count && d <= today.AddDays(HorizonDays); d = d.AddDays(1))
        {
            if (FreeStarts(tenant, d, minutes, busyList, now).Count > 0)
            {
                days.Add(d);
            }
        }

        return days;
    }

    /// <summary>Up to <paramref name="count"/> bookable days nearest to <paramref name="around"/> (before or after it,
    /// never before today or past the horizon), in date order: what to offer when the day asked for is closed or full.</summary>
    public static IReadOnlyList<DateOnly> NearestOpenDays(Tenant tenant, DateOnly around, int minutes, IEnumerable<BusyInterval> busy, DateTimeOffset now, int count = 3)
    {
        var busyList = busy as IReadOnlyCollection<BusyInterval> ?? busy.ToList();
        var today = DateOnly.FromDateTime(tenant.ToLocal(now).DateTime);
        var last = today.AddDays(HorizonDays);
        var days = new List<DateOnly>();
        for (var distance = 0; days.Count < count && distance <= HorizonDays * 2; distance++)
        {
            foreach (var d in distance == 0 ? [around] : new[] { around.AddDays(-distance), around.AddDays(distance) })
            {
                if (days.Count < count && d >= today && d <= last && d != around && FreeStarts(tenant, d, minutes, busyList, now).Count > 0)
                {
                    days.Add(d);
                }
            }
        }

        return days.Order().ToList();
    }

    /// <summary>Whether the business is open at this instant.</summary>
    public static bool IsOpen(Tenant tenant, DateTimeOffset now)
    {
        var local = tenant.ToLocal(now).DateTime;
        var time = TimeOnly.FromDateTime(local);
        return tenant.HoursOn(DateOnly.FromDateTime(local)).Any(r => time >= r.Start && time < r.End);
    }

    /// <summary>The granule start times an appointment covers (what a reservation locks).</summary>
    public static IReadOnlyList<TimeOnly> Granules(TimeOnly start, int minutes) =>
        Enumerable.Range(0, (minutes + GranuleMinutes - 1) / GranuleMinutes).Select(i => start.AddMinutes(i * GranuleMinutes)).ToList();
}
