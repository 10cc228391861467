namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>What a question is about: one of the business's facts or FAQ entries, or a built-in topic (hours, address,
/// prices …) — answerable only from the business's own data.</summary>
public static class TopicClassifier
{
    /// <summary>Whether the utterance is shaped as a question (ends with "?" or starts like one).</summary>
    /// A greeting before it does not make it less of one ("Hi, do you see birds? I've got a parakeet").
    public static bool IsQuestion(Utterance u) =>
        u.EndsWithQuestionMark || u.Lexicon.QuestionStarts.Any(u.StartsWith) || AfterAGreeting(u) is { } rest && u.Lexicon.QuestionStarts.Any(q => (rest + " ").StartsWith(q + " ", StringComparison.Ordinal));

    /// <summary>The text after a greeting it starts with ("hi", "hey there"), or null when it starts with none.</summary>
    private static string? AfterAGreeting(Utterance u)
    {
        var words = u.Words;
        for (var n = Math.Min(3, words.Length - 1); n >= 1; n--)
        {
            if (u.Lexicon.Greetings.Contains(string.Join(' ', words.Take(n))))
            {
                return string.Join(' ', words.Skip(n));
            }
        }

        return null;
    }

    /// <summary>The topic whose keyword matches best. The business's own facts and FAQ beat the generic topics ("how much
    /// is the deposit?" is the deposit FAQ, not the price list) unless a service is named ("how much is a cleaning?").
    /// "Are you open" without a day is about now.</summary>
    public static string? Classify(Utterance u, IReadOnlyList<QuestionTopic> topics, bool dateSaid, bool serviceSaid)
    {
        (string? Id, int Length) generic = (null, 0), specific = (null, 0);
        var tied = new List<QuestionTopic>();
        foreach (var topic in topics)
        {
            if (topic.Id == Topics.OpenNow && dateSaid)
            {
                continue;
            }

            var own = topic.Id.StartsWith(Topics.FactPrefix, StringComparison.Ordinal) || topic.Id.StartsWith(Topics.FaqPrefix, StringComparison.Ordinal);
            foreach (var keyword in topic.Keywords)
            {
                var gapped = keyword.Contains(Gap, StringComparison.Ordinal);
                var k = gapped ? string.Join(Gap, keyword.Split(Gap).Select(w => SpeechText.Normalize(w, u.Lexicon))) : SpeechText.Normalize(keyword, u.Lexicon);
                var best = own ? specific : generic;
                var said = k.Length >= best.Length && (gapped ? SaidWithAGap(u, k) : u.Has(k) || u.Has(k + "s") || ArticlesAlike(u, k));
                if (said && own && k.Length == best.Length && best.Id != topic.Id)
                {
                    tied.Add(topic); // the same keyword for two facts ("card" of gift cards and of payment)
                }
                else if (said && k.Length > best.Length)
                {
                    if (own)
                    {
                        specific = (topic.Id, k.Length);
                        tied = [topic];
                    }
                    else
                    {
                        generic = (topic.Id, k.Length);
                    }
                }
            }
        }

        var chosen = specific.Id is not null && !(serviceSaid && generic.Id is Topics.Prices or Topics.Durations or Topics.Services)
            ? SameSubjectFact(tied.Count > 1 ? MostWordsSaid(u, tied) : specific.Id, topics, u.Lexicon)
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
    /// <param name="dateSaid">A day is named: the question is not whether the business is open right now.</param>
    public static string? ByMeaning(Utterance u, IReadOnlyList<QuestionTopic> topics, ISentenceEncoder encoder, string? byWords, bool serviceSaid, bool dateSaid = false)
    {
        if (topics.Count == 0)
        {
            return byWords;
        }

        if (serviceSaid && byWords is Topics.Prices or Topics.Durations or Topics.Services)
        {
            // Unless the question is beyond doubt about one of the business's facts ("how long before we get to see the
            // photos?" is when the gallery is ready, whatever session the photos were of).
            var near = Nearness(u, topics, encoder);
            return Choosable(near).Where(n => IsOwnFact(n.Key)).DefaultIfEmpty().MaxBy(n => n.Value) is { Key: { } fact, Value: var score }
                && score >= MeaningBeyondDoubt && score >= near.GetValueOrDefault(byWords) + MeaningBeyondDoubtMargin ? fact : byWords;
        }

        var chosen = ByMeaningOfTheQuestion(u, topics, encoder, byWords, dateSaid);
        return chosen is null or Topics.Services ? KindOfASubject(u, topics, encoder) ?? chosen : chosen;
    }

    /// <summary>A fact this close to a question, and this much closer than the service's price or length, is what a
    /// question naming a service asks about.</summary>
    private const float MeaningBeyondDoubt = 0.70f;

    private const float MeaningBeyondDoubtMargin = 0.30f;

    /// <summary>Whether a question is close in meaning to one of the business's own facts (its address, parking, or a
    /// fact of the owner's): a question, not a description of trouble ("do you see bunnies there, or only cats and dogs?").</summary>
    public static bool AsksAboutOwnFact(Utterance u, IReadOnlyList<QuestionTopic> topics, ISentenceEncoder encoder) =>
        topics.Count > 0 && IsQuestion(u) && Choosable(Nearness(u, topics, encoder)).Any(n => IsOwnFact(n.Key) && n.Value >= MeaningOverWords);

    /// <summary>
    /// For each topic, how close in meaning the question is to it: to what the business's data says on it, or to how
    /// callers ask about it (<see cref="Lexicon.QuestionConcepts"/>: "is that something you'd stand behind?" is how a
    /// warranty is asked about). The whole utterance and each of its question sentences are compared; the nearest counts.
    /// </summary>
    public static IReadOnlyDictionary<string, float> Nearness(Utterance u, IReadOnlyList<QuestionTopic> topics, ISentenceEncoder encoder)
    {
        var concepts = u.Lexicon.QuestionConcepts;
        var key = "topics:" + u.Lexicon.Name + ":" + string.Join('|', topics.Select(t => t.Id + "=" + t.MeaningText));
        // One utterance is asked about more than once (is it a question? which fact?): its sentences are encoded once.
        if (NearnessOf.TryGetValue(u, out var known) && ReferenceEquals(known.Encoder, encoder) && known.Key == key)
        {
            return known.Nearest;
        }

        var examples = MeaningExamples.For(encoder, key, () => topics.SelectMany(t =>
            concepts.Where(c => c.IsAbout(t)).SelectMany(c => c.Examples).Prepend(t.MeaningText).Select(e => (t.Id, e)))
            .Concat(u.Lexicon.OffTopicQuestions.Select(e => (OffTopic, e))));
        var sentences = u.Sentences();
        var nearest = examples.Nearest(sentences.Count < 2 ? [u.Raw] : [u.Raw, .. sentences.Where(IsQuestion).Select(s => s.Raw)]);
        NearnessOf.AddOrUpdate(u, new KnownNearness(encoder, key, nearest));
        return nearest;
    }

    private sealed record KnownNearness(ISentenceEncoder Encoder, string Key, IReadOnlyDictionary<string, float> Nearest);

    /// <summary><see cref="Nearness"/> of an utterance still in use, kept with it (and gone with it).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Utterance, KnownNearness> NearnessOf = [];

    /// <summary>The label of <see cref="Lexicon.OffTopicQuestions"/> in <see cref="Nearness"/>: a topic no nearer than a
    /// question about nothing a business has is not chosen by meaning.</summary>
    public const string OffTopic = "(off topic)";

    /// <summary>The topics that may be chosen by meaning, nearer than any off-topic question.</summary>
    private static IEnumerable<KeyValuePair<string, float>> Choosable(IReadOnlyDictionary<string, float> nearest)
    {
        var floor = nearest.GetValueOrDefault(OffTopic, -1f);
        return nearest.Where(n => n.Key != OffTopic && n.Value > floor);
    }

    private static string? ByMeaningOfTheQuestion(Utterance u, IReadOnlyList<QuestionTopic> topics, ISentenceEncoder encoder, string? byWords, bool dateSaid)
    {
        var nearest = Nearness(u, topics, encoder);

        // Only the business's own facts are chosen by meaning (and whether it is open right now, by how that is asked):
        // the profession's general answers and the other built-in topics are near too many questions ("do you sell
        // boats?" is no question about rides) — by words only.
        var facts = Choosable(nearest).Where(n => IsOwnFact(n.Key) || n.Key == Topics.OpenNow && !dateSaid).ToList();
        if (facts.Count == 0)
        {
            return byWords;
        }

        var (best, score) = facts.MaxBy(n => n.Value);
        var chosen = score < MeaningFloor || best == byWords ? byWords
            : byWords is null || score >= MeaningOverWords && nearest.GetValueOrDefault(byWords) + MeaningMargin < score ? best : byWords;
        return chosen is null ? null : SameSubjectFact(OwnFactFirst(chosen, nearest), topics, u.Lexicon);
    }

    /// <summary>A word of a question this close in meaning to what a fact is about names a kind of it ("birds" of
    /// "animals", "financing" of "payment", "Spanish" of "languages").</summary>
    private const float KindOfFloor = 0.55f;

    /// <summary>
    /// The fact a question asks about when it names a kind of what the fact is about: "do you see birds?" is about the
    /// business's animals, "do you offer any kind of financing?" about its payment — each content word of the question
    /// compared by meaning with each fact's subject. Null when none is that close.
    /// </summary>
    private static string? KindOfASubject(Utterance u, IReadOnlyList<QuestionTopic> topics, ISentenceEncoder encoder)
    {
        var lex = u.Lexicon;
        var facts = topics.Where(t => t.Subject is not null).ToList();
        var words = u.Words.Where(w => w.Length >= 4 && !lex.FunctionWords.Contains(w) && !lex.QuestionStarts.Contains(w) && !w.Any(char.IsDigit))
            .Distinct(StringComparer.Ordinal).ToList();
        if (facts.Count == 0 || words.Count == 0)
        {
            return null;
        }

        var key = "subjects:" + string.Join('|', facts.Select(t => t.Id + "=" + t.Subject));
        var nearest = MeaningExamples.For(encoder, key, () => facts.Select(t => (t.Id, t.Subject!))).Nearest(words);
        var (best, score) = nearest.MaxBy(n => n.Value);
        return score >= KindOfFloor ? best : null;
    }

    /// <summary>
    /// The owner's own fact on the subject of a profession FAQ answers instead of the FAQ's general answer: a fact that is
    /// about one of the FAQ's keywords (in any form) — its key, or the first clause of what it says ("how long until I get
    /// my photos?" — the turnaround FAQ, whose "gallery" opens the owner's "online galleries are usually ready within
    /// three weeks"; the deposit FAQ and "a 50 percent deposit holds the date"). A fact that mentions it later is about
    /// something else ("cash or card; deposits are paid by card" is about paying: the deposit FAQ answers).
    /// </summary>
    private static string SameSubjectFact(string topic, IReadOnlyList<QuestionTopic> topics, Lexicon lex)
    {
        if (!topic.StartsWith(Topics.FaqPrefix, StringComparison.Ordinal) || topics.FirstOrDefault(t => t.Id == topic) is not { } faq)
        {
            return topic;
        }

        var keywords = faq.Keywords.Select(k => Stems(k, lex)).Where(k => k.Length > 0).ToList();
        return topics.FirstOrDefault(t => t.Subject is not null && t.Says is not null
            && Stems(t.Subject + " " + t.Says.Split([';', '.'], 2)[0], lex) is var says && keywords.Any(k => (" " + says + " ").Contains(" " + k + " ", StringComparison.Ordinal)))?.Id ?? topic;
    }

    /// <summary>Of topics a keyword matched equally, the one whose own words hold the most of the question's ("can I use
    /// my HSA card?": "card" is a keyword of gift cards and of payment, and "HSA" is in the payment fact); the first on a
    /// tie.</summary>
    private static string MostWordsSaid(Utterance u, IReadOnlyList<QuestionTopic> tied)
    {
        var lex = u.Lexicon;
        var asked = Stems(u.Text, lex).Split(' ').Where(w => w.Length > 2 && !lex.FunctionWords.Contains(w)).ToHashSet(StringComparer.Ordinal);
        return tied.MaxBy(t => Stems(t.Description + " " + (t.Says ?? string.Empty), lex).Split(' ').Distinct(StringComparer.Ordinal).Count(asked.Contains))!.Id;
    }

    /// <summary>The words of <paramref name="text"/> in one form ("galleries" → "gallery", "holds" → "hold").</summary>
    private static string Stems(string text, Lexicon lex) =>
        string.Join(' ', SpeechText.Normalize(text, lex).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w =>
            w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4 ? w[..^3] + "y"
            : w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && w.Length > 3 ? w[..^1] : w));

    /// <summary>In a keyword, a few words of any kind ("what does * run": "what does teeth whitening run").</summary>
    public const string Gap = " * ";

    /// <summary>A keyword with gaps said, one to four words in each gap.</summary>
    private static bool SaidWithAGap(Utterance u, string keyword) =>
        u.Lexicon.Pattern(@"(?:^| )" + string.Join(@"(?: \S+){1,4} ", keyword.Split(Gap).Select(System.Text.RegularExpressions.Regex.Escape)) + "(?: |$)").IsMatch(u.Text);

    /// <summary>A keyword said with another article ("hold a date" for "hold the date").</summary>
    private static bool ArticlesAlike(Utterance u, string keyword)
    {
        var articles = u.Lexicon.Articles;
        if (!keyword.Split(' ').Any(articles.Contains))
        {
            return false;
        }

        string Same(string text) => string.Join(' ', text.Split(' ').Select(w => articles.Contains(w) ? articles[0] : w));
        return SpeechText.HasPhrase(Same(u.Text), Same(keyword));
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

        var facts = Choosable(nearest).Where(n => IsOwnFact(n.Key)).ToList();
        if (facts.Count == 0)
        {
            return topic;
        }

        var (fact, score) = facts.MaxBy(n => n.Value);
        return score >= MeaningFloor && score >= nearest.GetValueOrDefault(topic) - FactOverFaq ? fact : topic;
    }

    /// <summary>Two questions in one breath, each in a part of its own ("where's your studio, and is there parking?"):
    /// their topics in the order asked; null when fewer than two different ones are asked.</summary>
    /// <param name="encoder">Sentence meaning: a part whose words name no topic is read by meaning ("and how far out do
    /// you guys travel?" is the service area).</param>
    public static (string First, string Second)? TwoAsked(Utterance u, UnderstandingContext context, ISentenceEncoder? encoder = null)
    {
        var parts = u.Parts();
        if (parts.Count < 2)
        {
            return null;
        }

        string? Asked(Utterance p)
        {
            var dateSaid = DateClassifier.Classify(p, context.Today) is not null;
            var serviceSaid = ServiceClassifier.Classify(p, context.Services) is not null;
            var byWords = Classify(p, context.Topics, dateSaid, serviceSaid);
            return byWords is not null || encoder is null ? byWords : ByMeaning(p, context.Topics, encoder, null, serviceSaid, dateSaid);
        }

        var asked = parts.Where(p => IsQuestion(p) || p.HasAny(u.Lexicon.QuestionStarts))
            .Select(Asked).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return asked.Count >= 2 ? (asked[0], asked[1]) : null;
    }

    /// <summary>The topic of a question asked in a part of its own next to a booking request ("How much is an oil
    /// change? And can I get one Sunday?", "do you take insurance, and could I get a cleaning Tuesday"): the part (a
    /// sentence, or a stretch between commas) must be question-shaped, name a known topic, and ask for no booking or day.</summary>
    /// <param name="encoder">Sentence meaning: a question part whose words name no topic is read by meaning ("I need a
    /// nail trim for my rabbit. Do you see rabbits?").</param>
    public static string? AskedAlongside(Utterance u, UnderstandingContext context, ISentenceEncoder? encoder = null)
    {
        var parts = u.Parts();
        if (parts.Count < 2)
        {
            return null;
        }

        foreach (var part in parts)
        {
            if (IsQuestion(part) && !part.HasAny(u.Lexicon.Book) && DateClassifier.Classify(part, context.Today) is null
                && (ServiceClassifier.Classify(part, context.Services) is not null) is var serviceSaid
                && (Classify(part, context.Topics, dateSaid: false, serviceSaid) is { } byWords ? byWords
                    : encoder is null || serviceSaid || part.HasAny(u.Lexicon.RequestForms) ? null : ByMeaning(part, context.Topics, encoder, null, serviceSaid: false)) is { } topic
                && topic != Topics.OpenNow)
            {
                return topic;
            }
        }

        return null;
    }
}
