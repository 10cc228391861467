using System.Text;
using System.Text.RegularExpressions;
using Receptionist.Core.Phone;

namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>A phone number ("555-234-9876", "five five five, two three four …") and, where a number is asked for, every
/// digit said ("the last four are 4 5 6 7").</summary>
public static partial class PhoneClassifier
{
    /// <summary>A whole phone number as E.164, or null. Where a number is asked for, any 10 or 11 digits said are one.</summary>
    public static string? Number(Utterance u, Expecting expecting)
    {
        var digitsOnly = new string(u.Text.Where(char.IsAsciiDigit).ToArray());
        if (expecting == Expecting.Phone && digitsOnly.Length is 10 or 11 && PhoneNumber.TryNormalize(digitsOnly, out var spoken))
        {
            return spoken;
        }

        var compact = DigitGap().Replace(u.Text, string.Empty);
        var m = PhoneShape().Match(compact);
        return m.Success && PhoneNumber.TryNormalize(m.Value, out var e164) ? e164 : null;
    }

    /// <summary>At most this many words say only where to call back ("yes, you can reach me at this number").</summary>
    private const int ThisNumberWords = 10;

    /// <summary>A short answer that says only that the callback number is the one calling ("yes, this number", "this
    /// number's good", "you can reach me at this number") — no number of its own, nothing it is about.</summary>
    public static bool ThisNumber(Utterance u) =>
        u.HasAny(u.Lexicon.ThisNumber) && u.Words.Length <= ThisNumberWords && Number(u, Expecting.Anything) is null
        && !u.HasAny(u.Lexicon.MessageSubjects);

    /// <summary>Every digit said, in order ("4 5 6 7", "45 67", "555-111-0000"; "oh" next to a digit is a zero); the words
    /// that name the digits asked for ("the last 4 digits are …") are left out. Null: none.</summary>
    public static string? Digits(Utterance u)
    {
        var lex = u.Lexicon;
        var words = lex.Pattern(lex.DigitsAskedForPattern).Replace(u.Text, " ").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var digits = new StringBuilder();
        for (var i = 0; i < words.Length; i++)
        {
            if (IsDigits(words[i]))
            {
                digits.Append(words[i].Where(char.IsAsciiDigit).ToArray());
            }
            else if (lex.ZeroWords.Contains(words[i]) && InDigitRun(words, i, lex))
            {
                digits.Append('0');
            }
        }

        return digits.Length > 0 ? digits.ToString() : null;
    }

    /// <summary>Whether the zero word at <paramref name="at"/> stands in a run of digits and zero words that holds a digit
    /// ("oh oh 4 4", "5 oh 5").</summary>
    private static bool InDigitRun(string[] words, int at, Lexicon lex)
    {
        bool Part(int i) => IsDigits(words[i]) || lex.ZeroWords.Contains(words[i]);
        var start = at;
        while (start > 0 && Part(start - 1))
        {
            start--;
        }

        var end = at;
        while (end + 1 < words.Length && Part(end + 1))
        {
            end++;
        }

        return Enumerable.Range(start, end - start + 1).Any(i => IsDigits(words[i]));
    }

    /// <summary>A word of digits, possibly hyphenated ("555-111-0000").</summary>
    private static bool IsDigits(string w) => w.Any(char.IsAsciiDigit) && w.All(c => char.IsAsciiDigit(c) || c == '-');

    [GeneratedRegex(@"(?<!\d)(?:\+?1[\s-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b")]
    private static partial Regex PhoneShape();

    [GeneratedRegex(@"(?<=\d) (?=\d)")]
    private static partial Regex DigitGap();
}
