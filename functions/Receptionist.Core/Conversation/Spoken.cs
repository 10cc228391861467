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

    /// <summary>"45 minutes", "an hour", "an hour and a half", "2 hours", "2 hours 30 minutes".</summary>
    public static string Duration(int minutes) => (minutes / 60, minutes % 60) switch
    {
        (0, var m) => $"{m} minutes",
        (1, 0) => "an hour",
        (1, 30) => "an hour and a half",
        (var h, 0) => $"{h} hours",
        (var h, var m) => $"{(h == 1 ? "an hour" : $"{h} hours")} {m} minutes",
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

    /// <summary>Fills {placeholders} in a prompt template; "a {service}" becomes "an oil change" where it should.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        var result = template;
        foreach (var (key, value) in values)
        {
            var placeholder = "{" + key + "}";
            if (NeedsAn(value))
            {
                result = result.Replace("a " + placeholder, "an " + value, StringComparison.Ordinal)
                    .Replace("A " + placeholder, "An " + value, StringComparison.Ordinal);
            }

            result = result.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>"a cleaning", "an oil change" (lower case), or "A cleaning" / "An oil change" to start a sentence.</summary>
    public static string A(string thing, bool capital = false)
    {
        var lower = thing.ToLowerInvariant();
        var article = NeedsAn(lower) ? "an" : "a";
        return (capital ? char.ToUpperInvariant(article[0]) + article[1..] : article) + " " + lower;
    }

    private static bool NeedsAn(string word) =>
        word.Length > 0 && "aeiouAEIOU".Contains(word[0], StringComparison.Ordinal)
        && !word.StartsWith("uni", StringComparison.OrdinalIgnoreCase) && !word.StartsWith("use", StringComparison.OrdinalIgnoreCase)
        && !word.StartsWith("one", StringComparison.OrdinalIgnoreCase) && !word.StartsWith("eu", StringComparison.OrdinalIgnoreCase);
}
