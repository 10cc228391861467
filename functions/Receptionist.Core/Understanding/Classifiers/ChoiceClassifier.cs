using System.Globalization;

namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>A pick among options just offered: "the second one", "the first", "the later one", "option 2".</summary>
public static class ChoiceClassifier
{
    /// <returns>1-based, <see cref="Understood.LastChoice"/> for the last, or null.</returns>
    public static int? Classify(Utterance u)
    {
        var lex = u.Lexicon;
        var pattern = @"\b(?:the )?(" + string.Join('|', lex.ChoiceWords.Keys) + @")(?: (?:" + string.Join('|', lex.ChoiceNouns) + @"))?\b"
            + @"|\b(?:" + string.Join('|', lex.ChoiceNumberWords) + @") (\d)\b";
        var m = lex.Pattern(pattern).Match(u.Text);
        if (!m.Success)
        {
            return null;
        }

        return m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : lex.ChoiceWords[m.Groups[1].Value];
    }
}
