using Receptionist.Core.Tenants;

namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>Which of the business's services the caller names: by its name or a spoken synonym, the longest match winning.</summary>
public static class ServiceClassifier
{
    public static string? Classify(Utterance u, IReadOnlyList<ServiceOffering> services)
    {
        string? best = null;
        var bestLength = 0;
        foreach (var s in services)
        {
            foreach (var phrase in Phrases(s, u.Lexicon))
            {
                if (phrase.Length > bestLength && (u.Has(phrase) || u.Has(phrase + "s") || u.Has(phrase + "es")))
                {
                    best = s.Name;
                    bestLength = phrase.Length;
                }
            }
        }

        return best;
    }

    /// <summary>Whether <paramref name="words"/> are exactly a service's name or synonym (or its plural).</summary>
    public static bool IsService(string words, IReadOnlyList<ServiceOffering> services, Lexicon lexicon) =>
        services.Any(s => Phrases(s, lexicon).Any(n => n == words || n + "s" == words));

    /// <summary>Whether <paramref name="word"/> is a word of a service's name or synonym ("cleaning", "tune").</summary>
    public static bool IsServiceWord(string word, IReadOnlyList<ServiceOffering> services, Lexicon lexicon) =>
        word.Length > 3 && services.Any(s => Phrases(s, lexicon).Any(p => p.Split(' ').Any(x => x == word || x + "s" == word || x == word + "s")));

    private static IEnumerable<string> Phrases(ServiceOffering s, Lexicon lexicon) =>
        s.Synonyms.Append(s.Name).Select(p => SpeechText.Normalize(p, lexicon));
}
