namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>
/// The caller's name, from the first of the places a name is said that holds one: "my name is …", "can Sam get …",
/// "… for Jamie", "…, it's Sam Lee", "make it Sam Lee", or the whole answer when a name was asked. A name is 1–4 words
/// of letters, apostrophes and hyphens that are not clearly something else (a yes/no, a day, a service); the read-back
/// is the safety net. A spelling confirms or replaces the word(s) before it ("Lee, L-E-E"); a surname said alone ("the
/// last name is Patel") fills only the surname.
/// </summary>
public static class NameClassifier
{
    private const int MaxWords = 4;

    /// <param name="requestMade">A service, day or time was asked for in the same breath ("a cleaning Friday, it's Sam Lee").</param>
    public static NameSaid? Classify(Utterance u, Expecting expecting, bool correcting, bool requestMade, IReadOnlyList<Tenants.ServiceOffering> services)
    {
        if (Surname(u, services) is var (surname, before))
        {
            // "It's Bo, B-O, last name Jensen": the first name said before the surname makes the whole name.
            var first = before.Length == 0 ? null : Classify(u.Part(before), Expecting.Name, correcting, requestMade: false, services);
            return first is { SurnameOnly: false } && !first.Name.Contains(' ', StringComparison.Ordinal)
                ? new NameSaid(first.Name + " " + surname, Whole: true, SurnameOnly: false)
                : new NameSaid(surname, Whole: false, SurnameOnly: true);
        }

        foreach (var (candidate, whole) in Candidates(u, expecting, correcting, requestMade))
        {
            if (Clean(candidate, u, services, asked: expecting == Expecting.Name) is { } name)
            {
                return new NameSaid(name, whole, SurnameOnly: false);
            }
        }

        return null;
    }

    /// <summary>"The last name is Patel", "my surname's Okafor": one word, the surname only.</summary>
    /// <returns>The surname and the words said before its prefix, or null.</returns>
    private static (string Surname, string Before)? Surname(Utterance u, IReadOnlyList<Tenants.ServiceOffering> services)
    {
        foreach (var prefix in u.Lexicon.SurnamePrefixes.OrderByDescending(p => p.Length))
        {
            var at = (" " + u.Text + " ").IndexOf(" " + prefix + " ", StringComparison.Ordinal);
            if (at >= 0 && Clean(u.Text[(at + prefix.Length)..].Trim(), u, services, asked: true) is { } name)
            {
                return (name, at == 0 ? string.Empty : u.Text[..(at - 1)].Trim());
            }
        }

        return null;
    }

    private static IEnumerable<(string Candidate, bool Whole)> Candidates(Utterance u, Expecting expecting, bool correcting, bool requestMade)
    {
        var lex = u.Lexicon;
        var text = u.Text;
        foreach (var prefix in lex.ExplicitNamePrefixes.OrderByDescending(p => p.Length))
        {
            var at = (" " + text + " ").IndexOf(" " + prefix + " ", StringComparison.Ordinal);
            if (at >= 0)
            {
                yield return (StripTitle(text[(at + prefix.Length)..].Trim(), lex), true);
                break;
            }
        }

        foreach (var pattern in lex.WrittenNamePatterns)
        {
            foreach (System.Text.RegularExpressions.Match written in lex.Pattern(pattern).Matches(u.Raw))
            {
                var name = SpeechText.Normalize(written.Groups[1].Value, lex);
                yield return (name, name.Contains(' ', StringComparison.Ordinal)); // one word may be a surname's correction ("it's Lee")
            }
        }

        if (expecting is not (Expecting.Name or Expecting.Phone))
        {
            foreach (var m in lex.Pattern(lex.CanNameGetPattern).Matches(text).Concat(lex.Pattern(lex.ForNamePattern).Matches(text)
                         .Where(f => !lex.NotNamesAfterFor.Contains(f.Groups[1].Value))))
            {
                yield return (m.Groups[2].Success ? $"{m.Groups[1].Value} {m.Groups[2].Value}" : m.Groups[1].Value, true);
            }

            if (requestMade && lex.Pattern(lex.TrailingItsNamePattern).Match(text) is { Success: true } its)
            {
                yield return (its.Groups[1].Value, false);
            }
        }

        if (correcting && lex.Pattern(lex.MakeItNamePattern).Match(text) is { Success: true } make)
        {
            yield return (make.Groups[1].Value, true);
        }

        if (expecting == Expecting.Name || correcting && (text.StartsWith("it's ", StringComparison.Ordinal) || text.Contains(" it's ", StringComparison.Ordinal)))
        {
            var candidate = text;
            var its = (" " + text).LastIndexOf(" it's ", StringComparison.Ordinal);
            if (its > 0 && expecting != Expecting.Name)
            {
                candidate = text[(its + 5)..]; // "and it's Joe, J-O-E"
            }

            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var prefix in lex.NamePrefixes.Concat(lex.NameAnswerLeads).OrderByDescending(p => p.Length))
                {
                    if (candidate.StartsWith(prefix + " ", StringComparison.Ordinal))
                    {
                        candidate = candidate[(prefix.Length + 1)..];
                        changed = true;
                    }
                }
            }

            yield return (StripTitle(candidate, lex), false);
        }
    }

    /// <summary>"Mrs. Janet Ogden" introduces Janet Ogden ("Can Dr. Smith see me" stays someone else: not stripped there).</summary>
    private static string StripTitle(string candidate, Lexicon lex)
    {
        foreach (var title in lex.Titles)
        {
            if (candidate.StartsWith(title + " ", StringComparison.Ordinal))
            {
                return candidate[(title.Length + 1)..];
            }
        }

        return candidate;
    }

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

            if (spelled.Count > 0 || lex.NotNameWords.Contains(w) || !asked && lex.RarelyNames.Contains(w) || lex.Yes.Contains(w) || lex.No.Contains(w) || w.Any(char.IsAsciiDigit))
            {
                break;
            }

            spoken.Add(w);
        }

        if (letters.Count >= 2)
        {
            spelled.Add(string.Concat(letters));
        }

        if (spoken.Count >= 3 && spoken[0] == spoken[^1])
        {
            spoken.RemoveAt(0); // "(Mr.) Vance, Christopher Vance"
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

/// <summary>A name the caller said.</summary>
/// <param name="Whole">Said as a whole name ("my name is Alex") rather than possibly one word of a correction ("it's Lee").</param>
/// <param name="SurnameOnly">Only the surname was given ("the last name is Patel").</param>
public sealed record NameSaid(string Name, bool Whole, bool SurnameOnly);
