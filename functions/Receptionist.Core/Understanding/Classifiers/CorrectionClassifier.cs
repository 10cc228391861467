namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>Corrections: "no, Wednesday", "Friday at 2, no wait, 3", "actually make it 4", "not Tuesday, Thursday". The
/// words after the last correction marker win; what they do not say comes from the rest; a negated day or time ("not
/// Tuesday") is dropped from what is read.</summary>
public static class CorrectionClassifier
{
    /// <summary>Whether the caller corrects something. At a read-back, "it's …" corrects too ("it's Lee").</summary>
    public static bool Corrects(Utterance u, Expecting expecting)
    {
        var lex = u.Lexicon;
        return u.HasAny(lex.CorrectionMarkers) || lex.CorrectionLeads.Any(u.StartsWith) || u.Has("not")
            || expecting == Expecting.YesNo && (u.StartsWith("it's") || u.StartsWith("its") || u.Has("it's"));
    }

    /// <summary>The utterance with negated days and times removed ("not Tuesday, Thursday" → "Thursday").</summary>
    public static Utterance WithoutNegated(Utterance u) =>
        u.Part(u.Lexicon.Pattern(u.Lexicon.NotSomethingPattern).Replace(u.Text, " ").Trim());

    /// <summary>The words after the last correction marker ("friday at 2 wait no 3" → "3"), or null.</summary>
    public static Utterance? AfterLast(Utterance u)
    {
        var padded = " " + u.Text + " ";
        var at = -1;
        var length = 0;
        foreach (var marker in u.Lexicon.CorrectionMarkers.Concat(u.Lexicon.CorrectionLeads))
        {
            var i = padded.LastIndexOf(" " + marker + " ", StringComparison.Ordinal);
            if (i > at || i == at && i >= 0 && marker.Length + 2 > length)
            {
                at = i;
                length = marker.Length + 2;
            }
        }

        return at <= 0 ? null : padded[(at + length)..].Trim() is { Length: > 0 } tail ? u.Part(tail) : null;
    }
}
