using System.Globalization;

namespace Receptionist.Core.Scheduling;

/// <summary>An opening period within one day, start inclusive, end exclusive.</summary>
public readonly record struct TimeRange(TimeOnly Start, TimeOnly End)
{
    public bool Contains(TimeOnly start, int minutes) =>
        start >= Start && start.ToTimeSpan() + TimeSpan.FromMinutes(minutes) <= End.ToTimeSpan();

    /// <summary>Parses "09:00-17:00"; returns false when malformed or not start &lt; end.</summary>
    public static bool TryParse(string? text, out TimeRange range)
    {
        range = default;
        if (text is null)
        {
            return false;
        }

        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || start >= end)
        {
            return false;
        }

        range = new TimeRange(start, end);
        return true;
    }

    public override string ToString() =>
        $"{Start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{End.ToString("HH:mm", CultureInfo.InvariantCulture)}";
}

/// <summary>A busy period in the tenant's local time (an existing booking).</summary>
public readonly record struct BusyInterval(DateTime LocalStart, DateTime LocalEnd);
