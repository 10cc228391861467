namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>
/// Whether the caller describes an emergency happening now. Two sources, either enough: the profession's own
/// emergency phrases (a few filler words allowed between their words: "locked myself out"), and the danger concepts of
/// the lexicon — a person or animal in danger, fire, gas, water out of control, breathing, bleeding, poisoning, a child
/// locked in — described in the caller's own words (<see cref="DangerCue"/>). A clause that puts the danger in a settled
/// past ("years ago, it was repaired"), a hypothetical ("what should I do if …") or a figure of speech ("the market's
/// on fire") does not count, nor a cue negated just before it ("nothing's flooding"), nor anything when the caller says
/// there is no emergency. A panicked "no, no" or a "not" in another clause never cancels one: a missed emergency costs
/// more than a false alarm.
/// </summary>
public static class EmergencyClassifier
{
    /// <summary>Filler words allowed between two words of a profession phrase.</summary>
    private const int MaxGap = 3;

    /// <summary>Words before a phrase in which a negation cancels it.</summary>
    private const int NegationReach = 2;

    /// <summary>Sentences shorter than this are not compared by meaning ("yes", "Friday at 3").</summary>
    private const int MinWordsForMeaning = 4;

    /// <summary>By meaning, a sentence is urgent when its nearest urgent example is this much closer than the nearest
    /// routine one, and at least <see cref="MeaningFloor"/> close.</summary>
    private const float MeaningMargin = 0.05f;

    private const float MeaningFloor = 0.35f;

    /// <param name="concepts">The profession's kinds of danger besides the universal ones; null: every kind.</param>
    public static bool Classify(Utterance u, IReadOnlyList<string> phrases, ISentenceEncoder? encoder = null, IReadOnlyList<Tenants.ServiceOffering>? services = null,
        IReadOnlyList<string>? concepts = null) =>
        Why(u, phrases, encoder, services, concepts) is not null;

    /// <summary>What made it an emergency: "phrase:…", "concept:…" or "meaning:…"; null when it is not one.</summary>
    public static string? Why(Utterance u, IReadOnlyList<string> phrases, ISentenceEncoder? encoder = null, IReadOnlyList<Tenants.ServiceOffering>? services = null,
        IReadOnlyList<string>? concepts = null)
    {
        bool Counts(DangerConcept c) => c.Universal || concepts is null || concepts.Contains(c.Name);

        var lex = u.Lexicon;
        if (u.HasAny(lex.Calm))
        {
            return null;
        }

        var split = phrases.Select(k => SpeechText.Normalize(k, lex).Split(' ')).ToList();
        foreach (var clause in u.Clauses())
        {
            if (Settled(clause, clause) || clause.HasAny(lex.Hypothetical) || Figurative(clause))
            {
                continue;
            }

            var words = clause.Words;
            // "… want the locks rekeyed so the old owners can't get in": the phrase is what the job is for.
            var beforePurpose = lex.Pattern(lex.PurposePattern).Match(clause.Text) is { Success: true } purpose
                ? clause.Text[..(purpose.Index + purpose.Length)].Split(' ', StringSplitOptions.RemoveEmptyEntries) : words;
            if (split.FirstOrDefault(p => Spread(beforePurpose, p, lex)) is { } phrase)
            {
                return "phrase:" + string.Join(' ', phrase);
            }

            foreach (var concept in lex.Dangers.Where(Counts))
            {
                if (concept.Cues.Any(c => DangerCue.Parse(c).Matches(words, lex.DangerNegators)))
                {
                    return "concept:" + concept.Name;
                }
            }
        }

        return encoder is not null && ByMeaning(u, encoder, services ?? [], Counts) is { } kind ? "meaning:" + kind : null;
    }

    /// <summary>Danger no cue describes, by similarity to the lexicon's urgent and routine examples (and the business's
    /// own services, asked for routinely). Never for a sentence that frames danger as past, hypothetical or figurative.</summary>
    /// <returns>The kind of danger of the nearest urgent example, or null when the sentence is not urgent by meaning
    /// (or only like a kind of danger that is not this profession's).</returns>
    private static string? ByMeaning(Utterance u, ISentenceEncoder encoder, IReadOnlyList<Tenants.ServiceOffering> services, Func<DangerConcept, bool> counts)
    {
        var lex = u.Lexicon;
        if (u.Words.Length < MinWordsForMeaning || Settled(u, u) || u.HasAny(lex.Hypothetical) || Figurative(u))
        {
            return null;
        }

        var routine = services.SelectMany(s => s.Synonyms.Prepend(s.Name)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var examples = MeaningExamples.For(encoder, $"danger:{lex.Name}:{string.Join('|', routine)}", () =>
            lex.UrgentExamples.Select(e => (KindOf(e, lex), e))
                .Concat(lex.RoutineExamples.Select(e => (Routine, e)))
                .Concat(routine.Select(r => (Routine, string.Format(System.Globalization.CultureInfo.InvariantCulture, lex.ServiceRequestExample, r.ToLowerInvariant())))));
        var nearest = examples.Nearest(u.Raw);
        var (kind, score) = nearest.Where(n => n.Key != Routine).MaxBy(n => n.Value);
        var allowed = kind == Universal || lex.Dangers.Any(d => d.Name == kind && counts(d));
        return allowed && score >= MeaningFloor && score > nearest.GetValueOrDefault(Routine) + MeaningMargin ? kind : null;
    }

    /// <summary>An urgent example's kind of danger: the first concept whose cue it matches; universal when none does.</summary>
    private static string KindOf(string example, Lexicon lex)
    {
        var words = Utterance.Read(example, lex).Words;
        return lex.Dangers.FirstOrDefault(d => d.Cues.Any(c => DangerCue.Parse(c).Matches(words, lex.DangerNegators)))?.Name ?? Universal;
    }

    /// <summary>A figure of speech ("the market's on fire"): a figurative word, also with "'s" ("market's" is "market is").</summary>
    private static bool Figurative(Utterance u) =>
        u.HasAny(u.Lexicon.Figurative) || u.HasAny(u.Lexicon.Figurative.Where(f => !f.Contains(' ', StringComparison.Ordinal)).Select(f => f + "'s"));

    private const string Universal = "universal";
    private const string Routine = "routine";

    /// <summary>The clause puts the danger in a settled past, and nothing in <paramref name="scope"/> brings it back to now.</summary>
    private static bool Settled(Utterance clause, Utterance scope) =>
        clause.HasAny(scope.Lexicon.SettledPast) && !scope.HasAny(scope.Lexicon.PresentMarkers);

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

    internal static bool SameWord(string said, string keyword) =>
        said == keyword || said == keyword + "s" || said == keyword + "es" || keyword == said + "s";
}
