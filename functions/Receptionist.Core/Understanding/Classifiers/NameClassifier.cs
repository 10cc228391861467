namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>
/// The caller's name, from the first of the places a name is said that holds one: "my name is …", "can Sam get …",
/// "… for Jamie", "…, it's Sam Lee", "make it Sam Lee", or the whole answer when a name was asked. A name is 1–4 words
/// of letters, apostrophes and hyphens that are not clearly something else (a yes/no, a day, a service); the read-back
/// is the safety net. A spelling confirms or replaces the word(s) before it ("Lee, L-E-E"); a surname said alone ("the
/// last name is Patel") fills only the surname.
/// </summary>
public static partial class NameClassifier
{
    private const int MaxWords = 4;

    /// <param name="requestMade">A service, day or time was asked for in the same breath ("a cleaning Friday, it's Sam Lee").</param>
    public static NameSaid? Classify(Utterance u, Expecting expecting, bool correcting, bool requestMade, IReadOnlyList<Tenants.ServiceOffering> services)
    {
        if (Surname(u, services) is var (surname, before))
        {
            // "It's Bo, B-O, last name Jensen": the first name said before the surname makes the whole name; so does one
            // said as such, before or after it ("Last name's Okafor. First name Chidi.").
            // "Minh Tran. M-I-N-H, and the last name's Tran": a whole name said first, ending in that surname, stands.
            if (u.Parts() is [var opening, _, ..] && !opening.HasAny(u.Lexicon.SurnamePrefixes)
                && Classify(opening, Expecting.Name, correcting, requestMade: false, services) is { SurnameOnly: false } said
                && said.Name.EndsWith(" " + surname, StringComparison.OrdinalIgnoreCase))
            {
                return new NameSaid(said.Name, Whole: true, SurnameOnly: false);
            }

            var first = GivenName(u, services) ?? (before.Length == 0 ? null : Classify(u.Part(before), Expecting.Name, correcting, requestMade: false, services));
            return first is { SurnameOnly: false } && !first.Name.Contains(' ', StringComparison.Ordinal)
                ? new NameSaid(first.Name + " " + surname, Whole: true, SurnameOnly: false)
                : new NameSaid(surname, Whole: false, SurnameOnly: true);
        }

        NameSaid? found = null;
        foreach (var (candidate, whole, answer) in Candidates(u, expecting, correcting, requestMade))
        {
            if (Clean(candidate, u, services, asked: expecting == Expecting.Name) is not { } name || answer && ReadsOn(name, candidate, u))
            {
                continue;
            }

            if (found is null)
            {
                found = new NameSaid(name, whole, SurnameOnly: false);
                continue;
            }

            // "It's Aoife, A-O-I-F-E, Brennan": the whole answer goes on where the first name found stopped.
            if (answer && name.StartsWith(found.Name + " ", StringComparison.Ordinal))
            {
                return new NameSaid(name, found.Whole, SurnameOnly: false);
            }
        }

        return found;
    }

    /// <summary>More words than a name and its politeness run on after a one-word "name" in the same breath, without a
    /// pause ("Tell her my lower back is doing much better, …"): a sentence, not a name given.</summary>
    private static bool ReadsOn(string name, string candidate, Utterance u) =>
        !name.Contains(' ', StringComparison.Ordinal)
        && u.Parts() is [var first, ..] && first.Words.Length > MaxWords + 2
        && candidate.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > MaxWords + 2;

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

    /// <summary>"First name Chidi": the one word after a first-name prefix.</summary>
    private static NameSaid? GivenName(Utterance u, IReadOnlyList<Tenants.ServiceOffering> services)
    {
        // As the text reads them ("first" is "1st" there).
        foreach (var prefix in u.Lexicon.GivenNamePrefixes.Select(p => SpeechText.Normalize(p, u.Lexicon)).OrderByDescending(p => p.Length))
        {
            var at = (" " + u.Text + " ").IndexOf(" " + prefix + " ", StringComparison.Ordinal);
            if (at >= 0 && Clean(u.Text[(at + prefix.Length)..].Trim(), u, services, asked: true) is { } name)
            {
                return new NameSaid(name.Split(' ')[0], Whole: false, SurnameOnly: false);
            }
        }

        return null;
    }

    /// <returns>Each candidate; <c>Answer</c>: the whole answer to "what's your name?" (no prefix introduced it).</returns>
    private static IEnumerable<(string Candidate, bool Whole, bool Answer)> Candidates(Utterance u, Expecting expecting, bool correcting, bool requestMade)
    {
        var lex = u.Lexicon;
        var text = u.Text;
        foreach (var prefix in lex.ExplicitNamePrefixes.OrderByDescending(p => p.Length))
        {
            var at = (" " + text + " ").IndexOf(" " + prefix + " ", StringComparison.Ordinal);
            if (at >= 0)
            {
                // Within its sentence: "This is Jade Whitfield. I got tattooed there…" is Jade Whitfield — unless the
                // sentence ends on a title's full stop ("This is Mrs. Janet Ogden").
                var rest = text[(at + prefix.Length)..].Trim();
                var sentence = u.Sentences().Select(s => (Text: " " + s.Text + " ", At: (" " + s.Text + " ").IndexOf(" " + prefix + " ", StringComparison.Ordinal)))
                    .FirstOrDefault(s => s.At >= 0);
                if (sentence.Text is not null && sentence.Text[(sentence.At + prefix.Length + 1)..].Trim() is { Length: > 0 } own && !lex.Titles.Contains(own))
                {
                    rest = own;
                }

                // "This is a total hair emergency", "it's for my son": a name takes no article or possessive.
                if (!lex.FunctionWords.Contains(rest.Split(' ', 2)[0]))
                {
                    yield return (StripTitle(rest, lex), true, false);
                }

                break;
            }
        }

        foreach (var pattern in lex.WrittenNamePatterns)
        {
            foreach (System.Text.RegularExpressions.Match written in lex.Pattern(pattern).Matches(u.Raw))
            {
                var name = SpeechText.Normalize(written.Groups[1].Value, lex);
                yield return (name, name.Contains(' ', StringComparison.Ordinal), false); // one word may be a surname's correction ("it's Lee")
            }
        }

        if (expecting is not (Expecting.Name or Expecting.Phone))
        {
            foreach (var m in lex.Pattern(lex.CanNameGetPattern).Matches(text).Concat(lex.Pattern(lex.ForNamePattern).Matches(text)
                         .Where(f => !lex.NotNamesAfterFor.Contains(f.Groups[1].Value))))
            {
                yield return (m.Groups[2].Success ? $"{m.Groups[1].Value} {m.Groups[2].Value}" : m.Groups[1].Value, true, false);
            }

            if (requestMade && lex.Pattern(lex.TrailingItsNamePattern).Match(text) is { Success: true } its)
            {
                yield return (its.Groups[1].Value, false, false);
            }
        }

        if (correcting && lex.Pattern(lex.MakeItNamePattern).Match(text) is { Success: true } make)
        {
            yield return (make.Groups[1].Value, true, false);
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

            yield return (StripTitle(candidate, lex), false, true);
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
}

/// <summary>A name the caller said.</summary>
/// <param name="Whole">Said as a whole name ("my name is Alex") rather than possibly one word of a correction ("it's Lee").</param>
/// <param name="SurnameOnly">Only the surname was given ("the last name is Patel").</param>
public sealed record NameSaid(string Name, bool Whole, bool SurnameOnly);
