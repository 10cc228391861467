namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>Asking to change something: which part of a read-back ("the time", "change the date please"), and in a move
/// request where to ("move my Saturday deep tissue to Sunday at 1": a day or time after "to" is the new one).</summary>
public static class ChangeClassifier
{
    /// <summary>The part of the booking the caller names ("time", "date", "name", "number", "service"), or null.</summary>
    public static BookingSlot? SlotNamed(Utterance u) =>
        u.Lexicon.SlotWords.Where(w => u.Has(w.Word)).Select(w => (BookingSlot?)w.Slot).FirstOrDefault();

    /// <summary>Words that ask for a change ("change the time", "a different day", "wrong name").</summary>
    public static bool AsksForChange(Utterance u) => u.HasAny(u.Lexicon.ChangeWords);

    /// <summary>"Thursday, same time if you have it": keep the appointment's time (the engine knows which).</summary>
    public static bool KeepsTime(Utterance u) => u.HasAny(u.Lexicon.SameTimePhrases);

    /// <summary>A move split at its "to" (or, without a move verb, at "can we do …"): the day and time that identify the
    /// appointment, and the new ones. Null without such a split ("move my checkup on Thursday": every day and time
    /// identifies it).</summary>
    public static MoveSaid? Move(Utterance u, DateOnly today)
    {
        var lex = u.Lexicon;
        var padded = " " + u.Text + " ";
        var verb = lex.MoveVerbs.Select(v => padded.IndexOf(" " + v, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (verb >= 0)
        {
            foreach (var marker in lex.MoveTo)
            {
                var to = padded.IndexOf(" " + marker + " ", verb + 1, StringComparison.Ordinal);
                if (to >= 0)
                {
                    return Split(u, padded, to, to + marker.Length + 2, today);
                }
            }

            // No "to" after it: the verb may be a noun ("my oil change … could we make it Friday"); a lead may still follow.
            // "I need to push my appointment on Friday back a day. Would Saturday work?": a later sentence that names a
            // day or a time is where to.
            if (Later(u, today) is { } later)
            {
                return later;
            }
        }

        // "I can't make it tomorrow at 10, can we do Tuesday the 8th at 10?": the lead introduces the new day.
        var lead = lex.MoveLeads.Select(l => (l, At: padded.IndexOf(" " + l + " ", StringComparison.Ordinal))).Where(x => x.At >= 0).OrderBy(x => x.At).FirstOrDefault();
        return lead.l is null ? Instead(u, today) : Split(u, padded, lead.At, lead.At + lead.l.Length + 2, today);
    }

    /// <summary>"I'm booked in for a cleaning on Monday, any chance of the same time on Friday instead?": the caller's own
    /// appointment in one part, then a later part that names a day or a time and says "instead" — the later part is where
    /// to, the earlier ones identify the appointment. Null without such parts.</summary>
    public static MoveSaid? Instead(Utterance u, DateOnly today)
    {
        var lex = u.Lexicon;
        if (!u.HasAny(lex.MoveInstead))
        {
            return null;
        }

        var parts = u.Parts();
        var own = parts.ToList().FindIndex(p => p.HasAny(lex.HaveAppointment) || p.HasAny(lex.OwnAppointment));
        for (var i = own + 1; own >= 0 && i < parts.Count; i++)
        {
            if (parts.Skip(i).Any(p => p.HasAny(lex.MoveInstead))
                && (DateClassifier.Classify(parts[i], today) is not null || TimeClassifier.Classify(parts[i], expectingTime: false) is not null))
            {
                var identifies = string.Join(' ', parts.Take(i).Select(p => p.Text));
                var padded = " " + identifies + " " + string.Join(' ', parts.Skip(i).Select(p => p.Text)) + " ";
                return Split(u, padded, identifies.Length + 1, identifies.Length + 1, today);
            }
        }

        return null;
    }

    /// <summary>The move split before the first sentence after the move verb's that names a day or a time.</summary>
    private static MoveSaid? Later(Utterance u, DateOnly today)
    {
        var sentences = u.Sentences();
        var verb = sentences.ToList().FindIndex(s => s.HasAny(u.Lexicon.MoveVerbs));
        for (var i = verb + 1; verb >= 0 && i < sentences.Count; i++)
        {
            if (DateClassifier.Classify(sentences[i], today) is not null || TimeClassifier.Classify(sentences[i], expectingTime: false) is not null)
            {
                var identifies = string.Join(' ', sentences.Take(i).Select(s => s.Text));
                var padded = " " + identifies + " " + string.Join(' ', sentences.Skip(i).Select(s => s.Text)) + " ";
                return Split(u, padded, identifies.Length + 1, identifies.Length + 1, today);
            }
        }

        return null;
    }

    /// <summary>"Switch my massage to Sunday": a move verb, then "to" (or "for") right before a day or a time — a move of
    /// something of the caller's even when it is named by no appointment word.</summary>
    public static bool MovesToASlot(Utterance u, DateOnly today)
    {
        var lex = u.Lexicon;
        var padded = " " + u.Text + " ";
        var verb = lex.MoveVerbs.Select(v => padded.IndexOf(" " + v + " ", StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
        if (verb < 0)
        {
            return false;
        }

        foreach (var marker in lex.MoveTo)
        {
            var to = padded.IndexOf(" " + marker + " ", verb + 1, StringComparison.Ordinal);
            if (to >= 0 && u.Part(string.Join(' ', padded[(to + marker.Length + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2))) is var next
                && (DateClassifier.Classify(next, today) is not null || TimeClassifier.Classify(next, expectingTime: true) is not null))
            {
                return true;
            }
        }

        return false;
    }

    private static MoveSaid Split(Utterance u, string padded, int end, int start, DateOnly today)
    {
        var identifies = u.Part(padded[..end].Trim());
        var moveTo = u.Part(padded[start..].Trim());
        var newTime = TimeClassifier.Classify(moveTo, expectingTime: true); // "to 2": after "to", a bare number is a time
        return new MoveSaid(
            DateClassifier.Classify(identifies, today),
            TimeClassifier.Classify(identifies, expectingTime: false),
            DateClassifier.Classify(moveTo, today),
            newTime,
            newTime is null ? TimeClassifier.Preference(moveTo) : TimePreference.None);
    }
}
