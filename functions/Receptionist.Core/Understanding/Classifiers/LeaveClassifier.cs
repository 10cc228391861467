namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>Goodbyes, thanks that close a call, giving up on the current step ("never mind", "stop"), and greetings
/// that ask nothing ("hello?").</summary>
public static class LeaveClassifier
{
    public static bool SaysGoodbye(Utterance u) => u.HasAny(u.Lexicon.Goodbye);

    /// <summary>"Thank you", "I'm all set, thanks", "okay great thanks": nothing more wanted.</summary>
    public static bool IsThanks(Utterance u)
    {
        var lex = u.Lexicon;
        var t = u.Bare;
        foreach (var no in lex.No.Where(n => !n.Contains(' ', StringComparison.Ordinal)))
        {
            t = t.StartsWith(no + " ", StringComparison.Ordinal) && lex.Thanks.Contains(t[(no.Length + 1)..]) ? t[(no.Length + 1)..] : t; // "nope, that's it"
        }

        foreach (var suffix in new[] { " thank you so much", " thanks so much", " thank you", " thanks" })
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal) && t.Length > suffix.Length)
            {
                var rest = t[..^suffix.Length];
                return lex.Thanks.Contains(rest) || lex.ThanksLeads.Contains(rest);
            }
        }

        return lex.Thanks.Contains(t);
    }

    /// <summary>"Okay, thank you, I'm going outside now", "okay, we're getting out, bye": thanks or a goodbye, something
    /// more said, no yes but a polite one and no request — the caller is closing, not accepting an offer ("okay, thanks"
    /// alone may still be a yes).</summary>
    public static bool ClosesWithThanks(Utterance u)
    {
        var lex = u.Lexicon;
        var rest = " " + u.Text + " ";
        foreach (var w in lex.ThanksWords.Concat(lex.WeakYes).Concat(lex.LeadingFillers).OrderByDescending(w => w.Length))
        {
            rest = rest.Replace(" " + w + " ", " ", StringComparison.Ordinal);
        }

        return rest.Trim().Length > 0 && (u.HasAny(lex.ThanksWords) || u.HasAny(lex.Goodbye))
            && !lex.Yes.Any(y => !lex.WeakYes.Contains(y) && y is not ("please" or "that's it") && u.Has(y))
            && !u.HasAny(lex.Book) && !u.HasAny(lex.RequestForms) && !u.HasAny(lex.StrongMessage) && !u.HasAny(lex.Message) && !u.HasAny(lex.Person)
            && !u.Has("please");
    }

    /// <summary>"I was locked out, but never mind — my neighbor found the spare key. Sorry, bye!": the caller calls off
    /// what they described and ends with a goodbye — whatever the trouble was, it is over.</summary>
    public static bool CallsItOff(Utterance u) =>
        u.HasAny(u.Lexicon.Abandon) && u.Sentences() is [.., var last] && last.HasAny(u.Lexicon.Goodbye);

    /// <summary>"Oh, that's too bad. Forget it then, thanks.", "never mind, thanks anyway": a part that only gives up
    /// (nothing but "forget it", "never mind", "stop" and filler words — not "stop by Friday"), and thanks or a goodbye in
    /// the last sentence: the caller is leaving the step, whatever state it is.</summary>
    public static bool GivesUp(Utterance u)
    {
        var lex = u.Lexicon;
        return u.Sentences() is [.., var last] && (last.HasAny(lex.Goodbye) || last.HasAny(lex.ThanksWords))
            && u.Clauses().Any(c => lex.Abandon.Any(a => c.Text == a || c.Text.StartsWith(a + " ", StringComparison.Ordinal)
                && c.Text[(a.Length + 1)..].Split(' ').All(lex.LeaveFillers.Contains)));
    }

    /// <summary>"I'll call you back": the caller will call again themselves.</summary>
    public static bool CallsBack(Utterance u) => u.HasAny(u.Lexicon.SelfCallback);

    /// <summary>The caller leaves putting the request off themselves: "let me check my calendar first and I'll call you
    /// back", "never mind, I'll think about it first. Bye.", "I need to check my work schedule first. Thanks, bye!" — a
    /// call back, or a reason to decide later said with a goodbye or thanks.</summary>
    public static bool PutsItOff(Utterance u) =>
        CallsBack(u) || u.HasAny(u.Lexicon.PutOff) && (SaysGoodbye(u) || u.HasAny(u.Lexicon.ThanksWords));

    public static bool IsGreeting(Utterance u) => u.Lexicon.Greetings.Contains(u.Bare);

    /// <summary>The utterance only takes leave or gives up — "ok thanks bye", "no, bye", "never mind… goodbye", "stop",
    /// "no thanks" — and says nothing else: in a state that takes free text (a message) this ends the step, it is not the
    /// text.</summary>
    public static bool OnlyLeaves(Utterance u)
    {
        var lex = u.Lexicon;
        var leaving = lex.Goodbye.Concat(lex.Abandon).ToList();
        if (!u.HasAny(leaving) && !IsThanks(u))
        {
            return false;
        }

        var rest = " " + u.Text + " ";
        foreach (var phrase in leaving.Concat(lex.Thanks).Concat(lex.No).Concat(lex.ThanksLeads).Concat(lex.LeadingFillers)
                     .Concat(lex.CorrectionMarkers).OrderByDescending(p => p.Length))
        {
            rest = rest.Replace(" " + phrase + " ", " ", StringComparison.Ordinal);
            rest = rest.Replace(" " + phrase + " ", " ", StringComparison.Ordinal);
        }

        return rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(w => lex.LeaveFillers.Contains(w));
    }
}
