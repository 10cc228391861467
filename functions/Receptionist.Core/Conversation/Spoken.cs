using System.Globalization;

namespace Receptionist.Core.Conversation;

/// <summary>How dates, times and lists are said aloud.</summary>
public static class Spoken
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    /// <summary>"Tuesday, November 24": always the weekday and the date, so a read-back is never ambiguous.</summary>
    public static string Date(DateOnly date, DateOnly today)
    {
        _ = today;
        return date.ToString("dddd, MMMM d", En);
    }

    public static string Time(TimeOnly time) => time switch
    {
        { Hour: 12, Minute: 0 } => "noon",
        { Minute: 0 } => time.ToString("h tt", En).ToLowerInvariant(),
        _ => time.ToString("h:mm tt", En).ToLowerInvariant(),
    };

    public static string List(IEnumerable<string> items, string conjunction = "or")
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => string.Empty,
            1 => list[0],
            2 => $"{list[0]} {conjunction} {list[1]}",
            _ => string.Join(", ", list.Take(list.Count - 1)) + $", {conjunction} " + list[^1],
        };
    }

    /// <summary>Fills {placeholders} in a prompt template.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        var result = template;
        foreach (var (key, value) in values)
        {
            result = result.Replace("{" + key + "}", value, StringComparison.Ordinal);
        }

        return result;
    }
}
