using System.Text;
using System.Text.RegularExpressions;

namespace Receptionist.Core.Understanding;

/// <summary>Normalises recognised speech for the rules: lower case, no punctuation, spoken numbers as digits
/// ("three thirty" → "3 30", "fourteenth" → "14th", "p.m." → "pm").</summary>
public static partial class SpeechText
{
    private static readonly Dictionary<string, int> Units = new(StringComparer.Ordinal)
    {
        ["zero"] = 0, ["oh"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
        ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13,
        ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19,
    };

    private static readonly Dictionary<string, int> Tens = new(StringComparer.Ordinal)
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    };

    private static readonly Dictionary<string, int> Ordinals = new(StringComparer.Ordinal)
    {
        ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4, ["fifth"] = 5, ["sixth"] = 6, ["seventh"] = 7,
        ["eighth"] = 8, ["ninth"] = 9, ["tenth"] = 10, ["eleventh"] = 11, ["twelfth"] = 12, ["thirteenth"] = 13,
        ["fourteenth"] = 14, ["fifteenth"] = 15, ["sixteenth"] = 16, ["seventeenth"] = 17, ["eighteenth"] = 18,
        ["nineteenth"] = 19, ["twentieth"] = 20, ["thirtieth"] = 30,
    };

    [GeneratedRegex(@"\b([ap])\.\s?m\.?")]
    private static partial Regex DottedMeridiem();

    [GeneratedRegex(@"[^a-z0-9:/'\s-]")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>A hyphen joins words ("check-up", "L-E-E") but stays inside numbers ("2026-12-22", "555-234-9876").</summary>
    [GeneratedRegex(@"(?<!\d)-|-(?!\d)")]
    private static partial Regex HyphenOutsideNumbers();

    /// <summary>"noonish", "11ish" mean noon and 11.</summary>
    [GeneratedRegex(@"\b(noon|\d{1,2}) ?ish\b")]
    private static partial Regex Ish();

    public static string Normalize(string text)
    {
        var t = text.ToLowerInvariant().Replace('’', '\'');
        t = DottedMeridiem().Replace(t, "$1m");
        t = Punctuation().Replace(t, " ");
        t = HyphenOutsideNumbers().Replace(t, " ");
        t = Ish().Replace(t, "$1");
        var words = Spaces().Split(t.Trim()).Where(w => w.Length > 0).ToList();
        var output = new List<string>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            var next = i + 1 < words.Count ? words[i + 1] : null;
            if (w is "double" or "triple" && next is not null && (Units.TryGetValue(next, out var repeated) && repeated < 10 || next is "oh" or "zero"))
            {
                // "double four" in a phone number: 44
                var digit = next is "oh" or "zero" ? "0" : repeated.ToString(System.Globalization.CultureInfo.InvariantCulture);
                output.Add(w == "double" ? digit + digit : digit + digit + digit);
                i++;
                continue;
            }
            if (Tens.TryGetValue(w, out var tens))
            {
                if (next is not null && Units.TryGetValue(next, out var u) && u is > 0 and < 10)
                {
                    output.Add((tens + u).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    i++;
                }
                else if (next is not null && Ordinals.TryGetValue(next, out var o) && o < 10)
                {
                    output.Add(OrdinalText(tens + o));
                    i++;
                }
                else
                {
                    output.Add(tens.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else if (w == "oh" && next is not null && Units.TryGetValue(next, out var minute) && minute is > 0 and < 10 && output.Count > 0 && IsNumber(output[^1]))
            {
                output.Add("0" + minute.ToString(System.Globalization.CultureInfo.InvariantCulture));
                i++;
            }
            else if (w != "oh" && Units.TryGetValue(w, out var unit))
            {
                output.Add(unit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (Ordinals.TryGetValue(w, out var ord) && !(w == "first" && next is "thing" or "time" or "timer" or "timers" or "visit" or "appointment") && !(w == "second" && next is "one" or "opinion"))
            {
                output.Add(OrdinalText(ord));
            }
            else
            {
                output.Add(w);
            }
        }

        return string.Join(' ', output);
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static string OrdinalText(int n)
    {
        var suffix = (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return new StringBuilder().Append(n).Append(suffix).ToString();
    }

    /// <summary>Whether <paramref name="phrase"/> occurs in <paramref name="text"/> as whole words.</summary>
    public static bool HasPhrase(string text, string phrase) =>
        (" " + text + " ").Contains(" " + phrase + " ", StringComparison.Ordinal);
}
