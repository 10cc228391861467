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
