namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>The name's words: which of a candidate's words make a name, spellings merged, written as the caller wrote them.</summary>
public static partial class NameClassifier
{
    /// <summary>Keeps the name's words; a spelling after it ("Lee, L-E-E", "L E E") confirms or replaces the last word(s),
    /// a spelling alone ("S-A-M L-E-E") is the name. Never a service ("for cleaning") or a title ("Dr. Smith").</summary>
    /// <param name="asked">A name was asked for: ordinary words that can be names count ("Cat Power").</param>
    private static string? Clean(string candidate, Utterance u, IReadOnlyList<Tenants.ServiceOffering> services, bool asked)
    {
        var lex = u.Lexicon;
        var spoken = new List<string>();
        var spelled = new List<string>();
        var letters = new List<string>();
        var words = candidate.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var at = 0; at < words.Length; at++)
        {
            var w = words[at];
            if (w.Length == 1 && char.IsAsciiLetter(w[0]))
            {
                letters.Add(w);
                continue;
            }

            if (letters.Count > 0)
            {
                if (letters.Count >= 2)
                {
                    spelled.Add(string.Concat(letters));
                }

                letters.Clear();
            }

            // A spelled word said once is the spelling; said twice ("Ruairi, that's R-U-A-I-R-I") the first is the word spoken.
            if (spoken.Count > 0 && lex.LeadingFillers.Contains(w) && spelled.Count == 0)
            {
                continue; // "Rachel, uh, Green"
            }

            if (u.Spelled.Contains(w) && !(spelled.Count == 0 && words.Skip(at + 1).Contains(w)))
            {
                spelled.Add(w);
                continue;
            }

            // Never a function word: "for our anniversary", "the name's the same" hold no name.
            if (lex.NotNameWords.Contains(w) || lex.FunctionWords.Contains(w) || !asked && lex.RarelyNames.Contains(w) || lex.Yes.Contains(w) || lex.No.Contains(w) || w.Any(char.IsAsciiDigit))
            {
                break;
            }

            if (spelled.Count > 0)
            {
                // "It's Aoife, A-O-I-F-E, Brennan": a surname after the spelling goes on the name (a service does not).
                if (ServiceClassifier.IsServiceWord(w, services, lex) || Merge(spoken, spelled).Count >= MaxWords)
                {
                    break;
                }

                spoken = Merge(spoken, spelled);
                spelled.Clear();
            }

            spoken.Add(w);
        }

        if (letters.Count >= 2)
        {
            spelled.Add(string.Concat(letters));
        }

        // A name said again: "(Mr.) Vance, Christopher Vance" is the surname first, then the whole name; "Marcus, uh,
        // Marcus Bell" and "Mary Anne … Mary Anne Smith" start over, and the whole name said last is the name.
        var again = spoken.LastIndexOf(spoken.FirstOrDefault() ?? string.Empty);
        if (spoken.Count >= 3 && again == spoken.Count - 1)
        {
            spoken.RemoveAt(0);
        }
        else if (again > 0 && again < spoken.Count - 1)
        {
            spoken.RemoveRange(0, again);
        }

        var name = Merge(spoken, spelled);
        var joined = string.Join(' ', name);
        var said = Rehyphenate(name, u);
        if (name.Count == 0 || !IsNameShaped(said) || ServiceClassifier.IsServiceWord(name[0], services, lex) || ServiceClassifier.IsService(joined, services, lex))
        {
            return null;
        }

        return string.Join(' ', said.Select(w => AsWritten(w, u) ?? Capitalize(w)));
    }

    /// <summary>The word as the caller's text wrote it when its capitals were deliberate ("DeLuca", "Eun-ji").</summary>
    private static string? AsWritten(string word, Utterance u) =>
        u.Raw.Split([' ', ',', '.', '!', '?', ';', ':', '"'], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(r => string.Equals(r, word, StringComparison.OrdinalIgnoreCase) && r.Any(char.IsUpper) && r.Skip(1).Any(char.IsLower)
                && !string.Equals(r, Capitalize(word), StringComparison.Ordinal) && char.IsUpper(r[0]));

    /// <summary>Joins again the words the caller said with a hyphen ("Ana-Lucia", "Osei-Bonsu").</summary>
    private static List<string> Rehyphenate(List<string> name, Utterance u)
    {
        var joined = new List<string>();
        foreach (var w in name)
        {
            if (joined.Count > 0 && u.Hyphenated.Contains(joined[^1].Split('-')[^1] + " " + w))
            {
                joined[^1] += "-" + w;
            }
            else
            {
                joined.Add(w);
            }
        }

        return joined;
    }

    /// <summary>Up to four words of letters, apostrophes and hyphens, each starting with a letter.</summary>
    private static bool IsNameShaped(List<string> words) =>
        words.Count <= MaxWords && words.All(w => w.Length > 0 && char.IsAsciiLetter(w[0]) && w.All(c => char.IsAsciiLetter(c) || c is '\'' or '-'));

    private static List<string> Merge(List<string> spoken, List<string> spelled)
    {
        spelled = spelled.Where((w, i) => i == 0 || spelled[i - 1] != w).ToList();
        if (spelled.Count % 2 == 0 && spelled.Count > 0 && spelled.Take(spelled.Count / 2).SequenceEqual(spelled.Skip(spelled.Count / 2)))
        {
            spelled = spelled.Take(spelled.Count / 2).ToList(); // "S-A-M L-E-E, S-A-M L-E-E"
        }

        if (spelled.Count == 0)
        {
            return spoken;
        }

        if (spoken.Count == 0)
        {
            return spelled;
        }

        if (spoken.TakeLast(spelled.Count).SequenceEqual(spelled))
        {
            return spoken; // "Lee, L-E-E": the spelling confirms the word
        }

        if (spelled.Count == 1 && spoken[^1][0] != spelled[0][0])
        {
            return [.. spoken, spelled[0]]; // "Sam, L-E-E": the surname spelled
        }

        if (spelled.Count >= spoken.Count)
        {
            return spelled;
        }

        return [.. spoken.SkipLast(spelled.Count), .. spelled]; // "Li, L-E-E": the spelling wins
    }

    /// <summary>"mcdonald" → "McDonald", "o'brien" → "O'Brien", "smith-jones" → "Smith-Jones".</summary>
    private static string Capitalize(string word)
    {
        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 0 || word[i - 1] is '-' || word[i - 1] == '\'' && i == 2 || i == 2 && word.StartsWith("mc", StringComparison.Ordinal) && word.Length > 3)
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
    }
}
