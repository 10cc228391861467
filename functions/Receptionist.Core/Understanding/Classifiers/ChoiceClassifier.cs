using System.Globalization;

namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>A pick among options just offered: "the second one", "the first", "the later one", "option 2".</summary>
public static class ChoiceClassifier
{
    /// <returns>1-based, <see cref="Understood.LastChoice"/> for the last, or null.</returns>
    public static int? Classify(Utterance u)
    {
        var lex = u.Lexicon;
        var nouns = @"(?: (?:" + string.Join('|', lex.ChoiceNouns) + @"))?\b";
        var pattern = @"\b(?:the )?(" + string.Join('|', lex.ChoiceWords.Keys) + @")" + nouns
            + @"|\b(?:" + string.Join('|', lex.ChoiceNumberWords) + @") (\d)\b"
            + @"|\bthe (" + string.Join('|', lex.ComparativeChoices.Keys) + @")" + nouns;
        if (lex.ComparativeChoices.TryGetValue(u.Bare, out var alone))
        {
            return alone; // "later" as the whole answer
        }

        var m = lex.Pattern(pattern).Match(u.Text);
        if (!m.Success)
        {
            return null;
        }

        // "the 1st of December" is a date, not the first option.
        var after = u.Text[(m.Index + m.Length)..].TrimStart();
        if (after.StartsWith("of ", StringComparison.Ordinal) && lex.Months.Keys.Any(month => after[3..].StartsWith(month, StringComparison.Ordinal)))
        {
            return null;
        }

        return m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)
            : m.Groups[3].Success ? lex.ComparativeChoices[m.Groups[3].Value]
            : lex.ChoiceWords[m.Groups[1].Value];
    }
}
