using System.Text.RegularExpressions;
using Receptionist.Core.Conversation;

namespace Receptionist.Core.Professions;

/// <summary>What a placeholder says, and whether it counts as many ("highlights", "10 am or 2 pm") for the prompt's
/// <c>{name:one|many}</c> choices. A plain string is one.</summary>
public readonly record struct Phrase(string Text, bool Plural = false)
{
    public static implicit operator Phrase(string text) => new(text);

    public override string ToString() => Text;
}

/// <summary>
/// Fills a prompt's placeholders, agreeing with singular and plural values, in one place:
/// <list type="bullet">
/// <item><c>{service}</c> is replaced by its value; "a {service}" becomes "an oil change" where it should, and just
/// "highlights" for a plural one ("A {service}" at the start of a sentence: "Highlights").</item>
/// <item><c>{service:is|are}</c>, <c>{options:that|one of those}</c>: the first words when the value is one thing, the
/// second when it is several (a plural service name, a list of more than one option).</item>
/// <item>A prompt that starts with a placeholder starts with a capital ("{day} we're open" → "Today we're open").</item>
/// </list>
/// </summary>
public static partial class PromptText
{
    /// <summary>{name:one|many}.</summary>
    [GeneratedRegex(@"\{([A-Za-z]+):([^{}|]*)\|([^{}|]*)\}")]
    public static partial Regex Choice();

    public static string Fill(string template, IReadOnlyDictionary<string, Phrase> values)
    {
        var text = Choice().Replace(template, m =>
            values.TryGetValue(m.Groups[1].Value, out var v) && v.Plural ? m.Groups[3].Value : m.Groups[2].Value);
        foreach (var (key, value) in values)
        {
            if (value.Plural)
            {
                // "a {service}" with "highlights": no article.
                text = Regex.Replace(text, @"(?<![A-Za-z])([Aa]) \{" + Regex.Escape(key) + @"\}",
                    m => m.Groups[1].Value == "A" ? Capitalize(value.Text) : value.Text);
            }
        }

        var filled = Spoken.Fill(text, values.ToDictionary(v => v.Key, v => v.Value.Text, StringComparer.Ordinal));
        return template.StartsWith('{') ? Capitalize(filled) : filled;
    }

    /// <summary>A service name as said in a prompt ("oil change"), plural when the name is ("highlights").</summary>
    public static Phrase Service(string name) => new(name.ToLowerInvariant(), IsPlural(name));

    /// <summary>"10 am, 11 am, or 2 pm" (several) or "10 am" (one).</summary>
    public static Phrase List(IEnumerable<string> items, string conjunction = "or")
    {
        var list = items.ToList();
        return new Phrase(Spoken.List(list, conjunction), list.Count > 1);
    }

    /// <summary>Whether a name is a plural noun, by its last word: "Highlights", "Headshots", "X-rays" are; "Cleaning",
    /// "Men's cut", "Glass", "Diagnosis", "Couples massage" are not.</summary>
    public static bool IsPlural(string name)
    {
        var last = name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.ToLowerInvariant() ?? string.Empty;
        return last.Length > 3 && last.EndsWith('s')
            && !last.EndsWith("ss", StringComparison.Ordinal) && !last.EndsWith("us", StringComparison.Ordinal)
            && !last.EndsWith("is", StringComparison.Ordinal) && !last.EndsWith("'s", StringComparison.Ordinal);
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
