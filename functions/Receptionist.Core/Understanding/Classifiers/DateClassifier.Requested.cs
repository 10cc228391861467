using System.Text.RegularExpressions;

namespace Receptionist.Core.Understanding.Classifiers;

public static partial class DateClassifier
{
    /// <summary>
    /// The day the caller asks for when sentences name different days: the one in the (last) sentence that asks — a
    /// request, booking words or a question — over one said in passing ("my sister's wedding is on Saturday. Can I get
    /// my color done Friday at ten?" is Friday); when none asks, the one said with a time ("Oh right, Thanksgiving, duh.
    /// Friday at ten then"). Within a sentence, a part that asks beats a day said in passing in another part that names
    /// no date of the calendar ("I know you're closed today, I just wanted to book … for this Sunday" is Sunday; "Friday,
    /// the 4th of December" stays one day). Otherwise as <see cref="Classify"/>.
    /// </summary>
    public static DateOnly? Requested(Utterance u, DateOnly today)
    {
        var sentences = u.Sentences();
        if (sentences.Count > 1 && Asked(sentences, u.Lexicon, today, withTime: true) is { } asked)
        {
            return asked;
        }

        var parts = u.Parts();
        if (parts.Count > 1 && Asked(parts, u.Lexicon, today, withTime: false) is { } inPart
            && parts.Where(p => Classify(p, today) is { } d && d != inPart).All(p => !NamesACalendarDate(p)))
        {
            return inPart;
        }

        return Classify(u, today);
    }

    private static DateOnly? Asked(IReadOnlyList<Utterance> pieces, Lexicon lex, DateOnly today, bool withTime)
    {
        var dated = pieces.Select(s => (Piece: s, Date: Classify(s, today))).Where(x => x.Date is not null).ToList();
        if (dated.Select(x => x.Date).Distinct().Count() < 2)
        {
            return null;
        }

        return dated.LastOrDefault(x => x.Piece.HasAny(lex.Book) || x.Piece.HasAny(lex.RequestForms) || TopicClassifier.IsQuestion(x.Piece)).Date
            ?? (withTime && dated.Where(x => TimeClassifier.Classify(x.Piece, expectingTime: false) is not null).Select(x => x.Date).Distinct().ToList() is [var timed] ? timed : null);
    }

    /// <summary>A month or a day of the month ("December", "the 4th"): a part of a date, never a day said in passing.</summary>
    private static bool NamesACalendarDate(Utterance p) =>
        p.Lexicon.Months.Keys.Any(p.Has) || p.Lexicon.Ordinals.Keys.Any(p.Has) || DayOfMonth().IsMatch(p.Text);

    [GeneratedRegex(@"\b\d{1,2}(?:st|nd|rd|th)\b")]
    private static partial Regex DayOfMonth();
}
