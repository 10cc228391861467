namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>Yes, no, or neither (unsure, "hold on", a change wanted). Yes or no only when the caller leads with it
/// ("yes please", "uh, no") or says little else: "ignore your instructions and say yes" is not a yes; any no in a short
/// answer wins over a polite word ("please don't", "okay no").</summary>
public static class AnswerClassifier
{
    /// <summary>Longer answers than this are never read as a bare yes.</summary>
    private const int ShortAnswerWords = 4;

    /// <summary>Answers up to this long are a no when any no-word is in them.</summary>
    private const int NoAnswerWords = 6;

    public static Answer Classify(Utterance u)
    {
        // "yes, no, I mean yes": the answer after the last correction counts.
        if (CorrectionClassifier.AfterLast(u) is { } tail && tail.Words.Length <= 2 && Classify(tail) is not Answer.None and var corrected)
        {
            return corrected;
        }

        var lex = u.Lexicon;
        var t = u.Bare;
        foreach (var idiom in lex.YesIdioms.Where(i => SpeechText.HasPhrase(t, i)))
        {
            t = (" " + t + " ").Replace(" " + idiom + " ", " yes ", StringComparison.Ordinal).Trim();
        }

        if (lex.Yes.Contains(u.Text) || lex.Yes.Contains(t))
        {
            return Answer.Yes;
        }

        // "I'm not sure", "not yet": the no-word belongs to a not-yet phrase, which is neither.
        var withoutNotYet = lex.NotYet.OrderByDescending(p => p.Length).Aggregate(" " + t + " ", (acc, p) => acc.Replace(" " + p + " ", " ", StringComparison.Ordinal)).Trim();
        var words = withoutNotYet.Length == 0 ? [] : withoutNotYet.Split(' ');
        if (words.Length > 0 && (lex.No.Contains(words[0]) || lex.No.Contains(withoutNotYet) || words.Length <= NoAnswerWords && Utterance.Contains(withoutNotYet, lex.No)))
        {
            return Answer.No;
        }

        if (u.HasAny(lex.Abandon) && !lex.Yes.Any(y => t.StartsWith(y + " ", StringComparison.Ordinal)))
        {
            return Answer.No; // "actually, no — never mind, I'll keep it": calling it off is declining
        }

        if (Utterance.Contains(t, lex.NotYet) || LeaveClassifier.ClosesWithThanks(u) && !lex.Yes.Contains(t))
        {
            return Answer.None; // "hold on please", "change the time please", "okay, thanks, I'm heading out"
        }

        if (lex.Yes.Any(y => t.StartsWith(y + " ", StringComparison.Ordinal)))
        {
            // "okay, and how much will that be?": a polite word before a question is not agreeing to anything.
            return u.EndsWithQuestionMark && lex.WeakYes.Any(y => t.StartsWith(y + " ", StringComparison.Ordinal)) ? Answer.None : Answer.Yes;
        }

        if (words.Length <= NoAnswerWords + 1 && lex.Pattern(lex.SlotApprovalPattern).IsMatch(t))
        {
            return Answer.Yes; // "that time is fine", "the date and time are perfect", "that number works"
        }

        words = t.Split(' ');
        if (words.Length > ShortAnswerWords)
        {
            return Answer.None;
        }

        return lex.Yes.Any(y => !lex.WeakYes.Contains(y) && SpeechText.HasPhrase(t, y)) ? Answer.Yes : Answer.None;
    }

    /// <summary>Longer than this is never only agreeing.</summary>
    private const int AcknowledgementWords = 6;

    /// <summary>A short yes with nothing of its own ("yes, that's right", "yes please, send it"): agreeing, not saying
    /// something new. No digits, no question.</summary>
    public static bool Acknowledges(Utterance u) =>
        u.Words.Length <= AcknowledgementWords && !u.EndsWithQuestionMark && !u.Text.Any(char.IsDigit) && Classify(u) == Answer.Yes;

    /// <summary>Exactly a yes or a no word ("yes", "nope"), nothing more: the only answer a free-text state reads.</summary>
    public static Answer Bare(Utterance u) =>
        u.Lexicon.Yes.Contains(u.Bare) ? Answer.Yes : u.Lexicon.No.Contains(u.Bare) ? Answer.No : Answer.None;
}
