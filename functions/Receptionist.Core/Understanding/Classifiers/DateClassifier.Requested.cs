namespace Receptionist.Core.Understanding.Classifiers;

public static partial class DateClassifier
{
    /// <summary>
    /// The day the caller asks for when sentences name different days: the one in the (last) sentence that asks — a
    /// request, booking words or a question — over one said in passing ("my sister's wedding is on Saturday. Can I get
    /// my color done Friday at ten?" is Friday). Otherwise as <see cref="Classify"/>.
    /// </summary>
    public static DateOnly? Requested(Utterance u, DateOnly today)
    {
        var sentences = u.Sentences();
        if (sentences.Count > 1)
        {
            var dated = sentences.Select(s => (Sentence: s, Date: Classify(s, today))).Where(x => x.Date is not null).ToList();
            if (dated.Select(x => x.Date).Distinct().Count() > 1
                && dated.LastOrDefault(x => x.Sentence.HasAny(u.Lexicon.Book) || x.Sentence.HasAny(u.Lexicon.RequestForms) || TopicClassifier.IsQuestion(x.Sentence)) is { Date: { } asked })
            {
                return asked;
            }
        }

        return Classify(u, today);
    }
}
