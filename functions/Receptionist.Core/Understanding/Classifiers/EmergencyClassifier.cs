namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>
/// Whether the caller describes an emergency: one of the profession's emergency phrases, allowing a few filler words
/// between its words ("locked myself out", "knocked out her front tooth") and plurals. Not one when the caller plainly
/// says so ("it's not an emergency") or negates the phrase itself in the same clause ("I'm not locked out"); a panicked
/// "no, no" or a "not" in another clause never cancels one — a missed emergency costs more than a false alarm.
/// </summary>
public static class EmergencyClassifier
{
    /// <summary>Filler words allowed between two words of a phrase.</summary>
    private const int MaxGap = 3;

    /// <summary>Words before a phrase in which a negation cancels it.</summary>
    private const int NegationReach = 2;

    public static bool Classify(Utterance u, IReadOnlyList<string> phrases)
    {
        var lex = u.Lexicon;
        if (u.HasAny(lex.Calm))
        {
            return false;
        }

        var split = phrases.Select(k => SpeechText.Normalize(k, lex).Split(' ')).ToList();
        return u.Clauses().Any(clause => clause.Words is { Length: > 0 } words && split.Any(p => Spread(words, p, lex)));
    }

    /// <summary>Whether <paramref name="phrase"/>'s words occur in order with at most <see cref="MaxGap"/> filler words
    /// between, and no negation just before it.</summary>
    private static bool Spread(string[] words, string[] phrase, Lexicon lex)
    {
        for (var start = 0; start < words.Length; start++)
        {
            if (Enumerable.Range(Math.Max(0, start - NegationReach), Math.Min(NegationReach, start)).Any(i => lex.Negators.Contains(words[i])) && !lex.Negators.Contains(phrase[0]))
            {
                continue;
            }

            if (!SameWord(words[start], phrase[0]))
            {
                continue;
            }

            var at = start;
            var matched = 1;
            while (matched < phrase.Length)
            {
                var next = -1;
                for (var i = at + 1; i < words.Length && i <= at + 1 + MaxGap; i++)
                {
                    if (SameWord(words[i], phrase[matched]))
                    {
                        next = i;
                        break;
                    }

                    if (!lex.GapWords.Contains(words[i]))
                    {
                        break;
                    }
                }

                if (next < 0)
                {
                    break;
                }

                at = next;
                matched++;
            }

            if (matched == phrase.Length)
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameWord(string said, string keyword) =>
        said == keyword || said == keyword + "s" || said == keyword + "es" || keyword == said + "s";
}
