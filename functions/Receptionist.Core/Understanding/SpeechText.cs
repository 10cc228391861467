using System.Text;
using System.Text.RegularExpressions;

namespace Receptionist.Core.Understanding;

/// <summary>Normalises recognised speech for the rules: lower case, no punctuation, spoken numbers as digits
/// ("three thirty" → "3 30", "fourteenth" → "14th", "p.m." → "pm").</summary>
public static partial class SpeechText
{
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

    public static string Normalize(string text) => Normalize(text, Lexicon.English);

    /// <summary>Normalises with the number words of <paramref name="lexicon"/>.</summary>
    public static string Normalize(string text, Lexicon lexicon)
    {
        var (units, tens, ordinals) = (lexicon.Units, lexicon.Tens, lexicon.Ordinals);
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
            if (lexicon.Repeats.TryGetValue(w, out var times) && next is not null && units.TryGetValue(next, out var repeated) && repeated < 10)
            {
                // "double four" in a phone number: 44
                output.Add(string.Concat(Enumerable.Repeat(repeated.ToString(System.Globalization.CultureInfo.InvariantCulture), times)));
                i++;
                continue;
            }
            if (tens.TryGetValue(w, out var ten))
            {
                if (next is not null && units.TryGetValue(next, out var u) && u is > 0 and < 10)
                {
                    output.Add((ten + u).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    i++;
                }
                else if (next is not null && ordinals.TryGetValue(next, out var o) && o < 10)
                {
                    output.Add(OrdinalText(ten + o));
                    i++;
                }
                else
                {
                    output.Add(ten.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else if (lexicon.ZeroWords.Contains(w) && next is not null && units.TryGetValue(next, out var minute) && minute is > 0 and < 10 && output.Count > 0 && IsNumber(output[^1]))
            {
                output.Add("0" + minute.ToString(System.Globalization.CultureInfo.InvariantCulture));
                i++;
            }
            else if (!lexicon.ZeroWords.Contains(w) && units.TryGetValue(w, out var unit))
            {
                output.Add(unit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (ordinals.TryGetValue(w, out var ord)
                     && !(next is not null && lexicon.OrdinalsNotNumbers.TryGetValue(w, out var notBefore) && notBefore.Contains(next)))
            {
                output.Add(OrdinalText(ord));
            }
            else
            {
                output.Add(w);
            }
        }

        return Ish().Replace(string.Join(' ', output), "$1"); // "seven-ish": the number word is a number only now
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
