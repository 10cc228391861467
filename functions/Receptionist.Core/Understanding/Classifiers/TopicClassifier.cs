namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>What a question is about: one of the business's facts or FAQ entries, or a built-in topic (hours, address,
/// prices …) — answerable only from the business's own data.</summary>
public static class TopicClassifier
{
    /// <summary>Whether the utterance is shaped as a question (ends with "?" or starts like one).</summary>
    public static bool IsQuestion(Utterance u) => u.EndsWithQuestionMark || u.Lexicon.QuestionStarts.Any(u.StartsWith);

    /// <summary>The topic whose keyword matches best. The business's own facts and FAQ beat the generic topics ("how much
    /// is the deposit?" is the deposit FAQ, not the price list) unless a service is named ("how much is a cleaning?").
    /// "Are you open" without a day is about now.</summary>
    public static string? Classify(Utterance u, IReadOnlyList<QuestionTopic> topics, bool dateSaid, bool serviceSaid)
    {
        (string? Id, int Length) generic = (null, 0), specific = (null, 0);
        foreach (var topic in topics)
        {
            if (topic.Id == Topics.OpenNow && dateSaid)
            {
                continue;
            }

            var own = topic.Id.StartsWith(Topics.FactPrefix, StringComparison.Ordinal) || topic.Id.StartsWith(Topics.FaqPrefix, StringComparison.Ordinal);
            foreach (var keyword in topic.Keywords)
            {
                var k = SpeechText.Normalize(keyword, u.Lexicon);
                var best = own ? specific : generic;
                if (k.Length > best.Length && (u.Has(k) || u.Has(k + "s")))
                {
                    if (own)
                    {
                        specific = (topic.Id, k.Length);
                    }
                    else
                    {
                        generic = (topic.Id, k.Length);
                    }
                }
            }
        }

        var chosen = specific.Id is not null && !(serviceSaid && generic.Id is Topics.Prices or Topics.Durations or Topics.Services)
            ? specific.Id
            : generic.Id;
        return chosen == Topics.Hours && !dateSaid && u.HasAny(u.Lexicon.NowWords) ? Topics.OpenNow : chosen;
    }

    /// <summary>A question's topic by meaning is taken only this close to it …</summary>
    private const float MeaningFloor = 0.40f;

    /// <summary>… over the words' topic only this close …</summary>
    private const float MeaningOverWords = 0.50f;

    /// <summary>… and when that one is this much farther from the question.</summary>
    private const float MeaningMargin = 0.15f;

    /// <summary>
    /// The topic of a question by meaning: the question compared with each topic's description and what the business's
    /// data says on it ("do you work in the other suburbs too?" is nearest "areas: Naperville, Aurora and the western
    /// suburbs"). Taken when the words found none, or when the words' topic is far from the question ("do you work"
    /// is no question about the hours there); otherwise the words' topic stands.
    /// </summary>
    /// <param name="serviceSaid">A service is named: its price, length or whether it is offered is the question, whatever
    /// its meaning is near ("how much is a car key replacement usually?").</param>
    public static string? ByMeaning(Utterance u, IReadOnlyList<QuestionTopic> topics, ISentenceEncoder encoder, string? byWords, bool serviceSaid)
    {
        if (topics.Count == 0 || serviceSaid && byWords is Topics.Prices or Topics.Durations or Topics.Services)
        {
            return byWords;
        }

        var key = "topics:" + string.Join('|', topics.Select(t => t.Id + "=" + t.MeaningText));
        var nearest = MeaningExamples.For(encoder, key, () => topics.Select(t => (t.Id, t.MeaningText))).Nearest(u.Raw);

        // Only the business's own facts are chosen by meaning: the profession's general answers and the built-in topics
        // are near too many questions ("do you sell boats?" is no question about rides) — by words only.
        var facts = nearest.Where(n => IsOwnFact(n.Key)).ToList();
        if (facts.Count == 0)
        {
            return byWords;
        }

        var (best, score) = facts.MaxBy(n => n.Value);
        var chosen = score < MeaningFloor || best == byWords ? byWords
            : byWords is null || score >= MeaningOverWords && nearest.GetValueOrDefault(byWords) + MeaningMargin < score ? best : byWords;
        return chosen is null ? null : OwnFactFirst(chosen, nearest);
    }

    /// <summary>A fact of the business's own beats the profession's general answer about as close ("can I pay the
    /// deposit in cash?": the owner's "deposits are paid by card" over "custom work usually needs a deposit").</summary>
    private const float FactOverFaq = 0.10f;

    /// <summary>A topic the business's own data answers: one of its facts, its address or its parking.</summary>
    private static bool IsOwnFact(string topic) =>
        topic.StartsWith(Topics.FactPrefix, StringComparison.Ordinal) || topic is Topics.Address or Topics.Parking;

    private static string OwnFactFirst(string topic, IReadOnlyDictionary<string, float> nearest)
    {
        if (!topic.StartsWith(Topics.FaqPrefix, StringComparison.Ordinal))
        {
            return topic;
        }

        var facts = nearest.Where(n => IsOwnFact(n.Key)).ToList();
        if (facts.Count == 0)
        {
            return topic;
        }

        var (fact, score) = facts.MaxBy(n => n.Value);
        return score >= MeaningFloor && score >= nearest.GetValueOrDefault(topic) - FactOverFaq ? fact : topic;
    }

    /// <summary>Two questions in one breath, each in a part of its own ("where's your studio, and is there parking?"):
    /// their topics in the order asked; null when fewer than two different ones are asked.</summary>
    public static (string First, string Second)? TwoAsked(Utterance u, UnderstandingContext context)
    {
        var parts = u.Parts();
        if (parts.Count < 2)
        {
            return null;
        }

        var asked = parts.Where(p => IsQuestion(p) || p.HasAny(u.Lexicon.QuestionStarts))
            .Select(p => Classify(p, context.Topics, dateSaid: DateClassifier.Classify(p, context.Today) is not null, serviceSaid: ServiceClassifier.Classify(p, context.Services) is not null))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return asked.Count >= 2 ? (asked[0], asked[1]) : null;
    }

    /// <summary>The topic of a question asked in a part of its own next to a booking request ("How much is an oil
    /// change? And can I get one Sunday?", "do you take insurance, and could I get a cleaning Tuesday"): the part (a
    /// sentence, or a stretch between commas) must be question-shaped, name a known topic, and ask for no booking or day.</summary>
    public static string? AskedAlongside(Utterance u, UnderstandingContext context)
    {
        var parts = u.Parts();
        if (parts.Count < 2)
        {
            return null;
        }

        foreach (var part in parts)
        {
            if (IsQuestion(part) && !part.HasAny(u.Lexicon.Book) && DateClassifier.Classify(part, context.Today) is null
                && Classify(part, context.Topics, dateSaid: false, serviceSaid: ServiceClassifier.Classify(part, context.Services) is not null) is { } topic
                && topic != Topics.OpenNow)
            {
                return topic;
            }
        }

        return null;
    }
}
