using Receptionist.Core.Tenants;

namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>
/// Which of the business's services the caller asks for. First by its name or a spoken synonym as said (the longest
/// match wins); then by content words — every content word of a name or synonym said in any form ("I need a safe
/// opened" is Safe opening), close together; then, with a sentence encoder, by meaning ("take it for a spin" is a Test
/// drive); last by content words anywhere ("a house … we need to get it inspected"). When two services fit equally,
/// none is chosen: the caller is asked which.
/// </summary>
public static class ServiceClassifier
{
    /// <summary>By meaning, the nearest service must be at least this close …</summary>
    private const float MeaningFloor = 0.35f;

    /// <summary>… and this much closer than the next service.</summary>
    private const float MeaningMargin = 0.08f;

    public static string? Classify(Utterance said, IReadOnlyList<ServiceOffering> services, ISentenceEncoder? encoder = null)
    {
        var u = WithoutKept(said);
        return ForAChild(u, services, AsSaid(u, services) ?? ByContentWords(u, services, PhraseSpan) ?? (encoder is null ? null : ByMeaning(u, services, encoder))
            ?? ByContentWords(u, services, int.MaxValue));
    }

    /// <summary>"Cancel my color on Thursday, but keep the blowout": what the caller says to keep (a clause, or the rest of
    /// one, that starts with a keep word) is not what they ask for.</summary>
    private static Utterance WithoutKept(Utterance u)
    {
        var lex = u.Lexicon;
        var clauses = u.Clauses();
        var asked = clauses.Select(c => Kept(c.Text, lex)).ToList();
        var text = string.Join(' ', asked.Where(c => c.Length > 0));
        return asked.SequenceEqual(clauses.Select(c => c.Text)) || text.Length == 0 ? u : u.Part(text);
    }

    /// <summary>The clause up to where it says to keep something.</summary>
    private static string Kept(string clause, Lexicon lex)
    {
        var words = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            var rest = string.Join(' ', words.Skip(i));
            if ((i == 0 || lex.ClauseJoiners.Contains(words[i - 1])) && lex.Keep.Any(k => (rest + " ").StartsWith(k + " ", StringComparison.Ordinal)))
            {
                return string.Join(' ', words.Take(i > 0 && lex.ClauseJoiners.Contains(words[i - 1]) ? i - 1 : i));
            }
        }

        return clause;
    }

    /// <summary>"My son badly needs his hair cut": when the caller says the service is for a child and the business has
    /// a children's version of what was found (a service for children sharing a content word with it: Kids cut for
    /// Haircut), that one.</summary>
    private static string? ForAChild(Utterance u, IReadOnlyList<ServiceOffering> services, string? found)
    {
        var lex = u.Lexicon;
        if (found is null || !SaysAChild(u) || services.FirstOrDefault(s => s.Name == found) is not { } service || ForChildren(service, lex))
        {
            return found;
        }

        var stems = Phrases(service, lex).SelectMany(p => ContentStems(p, lex)).ToHashSet(StringComparer.Ordinal);
        var kids = services.Where(s => ForChildren(s, lex) && Phrases(s, lex).SelectMany(p => ContentStems(p, lex)).Any(c => stems.Any(x => x.Contains(c, StringComparison.Ordinal) || c.Contains(x, StringComparison.Ordinal)))).ToList();
        return kids.Count == 1 ? kids[0].Name : found;
    }

    /// <summary>A child word, also as a possessive ("my son's hair", "my daughter's bangs").</summary>
    private static bool SaysAChild(Utterance u) =>
        u.HasAny(u.Lexicon.Children) || u.Words.Any(w => w.EndsWith("'s", StringComparison.Ordinal) && u.Lexicon.Children.Contains(w[..^2]));

    private static bool ForChildren(ServiceOffering s, Lexicon lex) => Utterance.Contains(s.Name.ToLowerInvariant(), lex.Children);

    /// <summary>Whether <paramref name="words"/> are exactly a service's name or synonym (or its plural).</summary>
    public static bool IsService(string words, IReadOnlyList<ServiceOffering> services, Lexicon lexicon) =>
        services.Any(s => Phrases(s, lexicon).Any(n => n == words || n + "s" == words));

    /// <summary>Whether <paramref name="word"/> is a word of a service's name or synonym ("cleaning", "tune").</summary>
    public static bool IsServiceWord(string word, IReadOnlyList<ServiceOffering> services, Lexicon lexicon) =>
        word.Length > 3 && services.Any(s => Phrases(s, lexicon).Any(p => p.Split(' ').Any(x => x == word || x + "s" == word || x == word + "s")));

    /// <summary>The service whose names, as said, cover most of the utterance: its longest phrase said, and then the
    /// more of its phrases said ("a slow drip under the sink, to fix the leak" is Leak repair: "drip" and "leak" beat "sink").</summary>
    private static string? AsSaid(Utterance u, IReadOnlyList<ServiceOffering> services)
    {
        string? best = null;
        var bestScore = 0;
        foreach (var s in services)
        {
            var said = Phrases(s, u.Lexicon).Where(p => u.Has(p) || u.Has(p + "s") || u.Has(p + "es") || SaidWithOtherFunctionWords(u, p)).Distinct().ToList();
            // Phrases inside a longer one said ("drain" in "clogged drain") count once, as the longer.
            var score = said.Where(p => !said.Any(q => q != p && SpeechText.HasPhrase(q, p))).Sum(p => p.Length);
            if (score > bestScore)
            {
                best = s.Name;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>The phrase said word for word but for its function words: "what our house is worth" is "what my house
    /// is worth" (only a function word may stand for another).</summary>
    private static bool SaidWithOtherFunctionWords(Utterance u, string phrase)
    {
        var lex = u.Lexicon;
        var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || !words.Any(lex.FunctionWords.Contains))
        {
            return false;
        }

        for (var start = 0; start + words.Length <= u.Words.Length; start++)
        {
            if (words.Select((w, i) => (Phrase: w, Said: u.Words[start + i])).All(x => x.Phrase == x.Said || lex.FunctionWords.Contains(x.Phrase) && lex.FunctionWords.Contains(x.Said)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The service one of whose names has all its content words in the utterance, in any form; the most content
    /// words win; a tie between two services is no answer.</summary>
    private static string? ByContentWords(Utterance u, IReadOnlyList<ServiceOffering> services, int span)
    {
        // A compound of a service's name said in two words ("his hair cut") is also the one word ("haircut").
        var compounds = services.SelectMany(s => Phrases(s, u.Lexicon)).SelectMany(p => ContentStems(p, u.Lexicon)).ToHashSet(StringComparer.Ordinal);
        var said = new List<string>();
        for (var i = 0; i < u.Words.Length; i++)
        {
            said.Add(Stem(u.Words[i], u.Lexicon));
            if (i > 0 && Stem(u.Words[i - 1] + u.Words[i], u.Lexicon) is var compound && compounds.Contains(compound))
            {
                said.Add(compound);
            }
        }

        var scored = services
            .Select(s => (s.Name, Score: Phrases(s, u.Lexicon)
                .Select(p => ContentStems(p, u.Lexicon))
                .Where(c => c.Count > 0 && Near(said, c, span))
                .Select(c => c.Count)
                .DefaultIfEmpty(0)
                .Max()))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .ToList();
        return scored.Count == 1 || scored.Count > 1 && scored[0].Score > scored[1].Score ? scored[0].Name : null;
    }

    /// <summary>Words further apart than this do not make one phrase ("a new … key" in "the key to my car, I need a new one").</summary>
    private const int PhraseSpan = 5;

    /// <summary>Whether every stem of <paramref name="phrase"/> is said, all within <paramref name="span"/> words.</summary>
    private static bool Near(List<string> said, List<string> phrase, int span)
    {
        for (var start = 0; start < said.Count; start++)
        {
            if (phrase.Contains(said[start]) && phrase.All(p => said.Skip(start).Take(span).Contains(p)))
            {
                return true;
            }
        }

        return false;
    }

    private static string? ByMeaning(Utterance u, IReadOnlyList<ServiceOffering> services, ISentenceEncoder encoder)
    {
        if (services.Count == 0 || u.Words.Length < 2)
        {
            return null;
        }

        var examples = MeaningExamples.For(encoder, "services:" + string.Join('|', services.Select(s => s.Name + ":" + string.Join(',', s.Synonyms))), () =>
            services.SelectMany(s => s.Synonyms.Prepend(s.Name)
                .SelectMany(p => new[] { p, string.Format(System.Globalization.CultureInfo.InvariantCulture, u.Lexicon.ServiceRequestExample, p.ToLowerInvariant()) })
                .Select(p => (s.Name, p))));
        var parts = u.Parts().Select(p => p.Raw).Prepend(u.Raw).Distinct(StringComparer.Ordinal).ToList();
        var nearest = examples.Nearest(parts).OrderByDescending(kv => kv.Value).ToList();
        return nearest[0].Value >= MeaningFloor && (nearest.Count == 1 || nearest[0].Value - nearest[1].Value >= MeaningMargin) ? nearest[0].Key : null;
    }

    private static List<string> ContentStems(string phrase, Lexicon lexicon) =>
        phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !lexicon.FunctionWords.Contains(w)).Select(w => Stem(w, lexicon)).Distinct().ToList();

    /// <summary>A word without possessive and the language's common endings ("heater's" → "heater", "opened" → "open",
    /// "inspection"/"inspected" → "inspect").</summary>
    internal static string Stem(string word, Lexicon lexicon)
    {
        var w = word.EndsWith("'s", StringComparison.Ordinal) ? word[..^2] : word;
        foreach (var suffix in lexicon.Suffixes)
        {
            if (w.Length > suffix.Length + 2 && w.EndsWith(suffix, StringComparison.Ordinal))
            {
                return w[..^suffix.Length];
            }
        }

        return w;
    }

    private static IEnumerable<string> Phrases(ServiceOffering s, Lexicon lexicon) =>
        s.Synonyms.Append(s.Name).Select(p => SpeechText.Normalize(p, lexicon));
}
