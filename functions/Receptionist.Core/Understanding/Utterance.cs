using System.Text.RegularExpressions;

namespace Receptionist.Core.Understanding;

/// <summary>
/// One caller utterance as every classifier reads it: the raw words (for sentence and clause breaks), the
/// normalised text (<see cref="SpeechText.Normalize(string, Lexicon)"/>, spelled words joined: "S-A-M" → "sam"), the
/// words that were spelled, and the language's <see cref="Lexicon"/>.
/// </summary>
public sealed partial class Utterance
{
    private Utterance(string raw, string text, IReadOnlySet<string> spelled, Lexicon lexicon, IReadOnlySet<string>? hyphenated = null)
    {
        Raw = raw;
        Text = text;
        Spelled = spelled;
        Lexicon = lexicon;
        Hyphenated = hyphenated ?? new HashSet<string>(StringComparer.Ordinal);
    }

    // Read once per utterance: several classifiers ask for the same words, clauses, sentences and parts.
    private string[]? _words;
    private IReadOnlyList<Utterance>? _clauses;
    private IReadOnlyList<Utterance>? _sentences;
    private IReadOnlyList<Utterance>? _parts;

    public string Raw { get; }

    public string Text { get; }

    /// <summary>Words the caller spelled letter by letter ("L-E-E" → "lee").</summary>
    public IReadOnlySet<string> Spelled { get; }

    public Lexicon Lexicon { get; }

    /// <summary>Pairs of words the caller joined with a hyphen ("ana lucia" for "Ana-Lucia"), which the text splits.</summary>
    public IReadOnlySet<string> Hyphenated { get; }

    public bool IsEmpty => Text.Length == 0;

    /// <summary>The text without leading fillers ("uh", "um", "oh", "well").</summary>
    public string Bare => StripFillers(Text, Lexicon);

    /// <summary>The words of <see cref="Text"/>.</summary>
    public string[] Words => _words ??= Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool EndsWithQuestionMark => Raw.TrimEnd().EndsWith('?');

    public static Utterance Read(string raw, Lexicon lexicon)
    {
        var spelled = new HashSet<string>(StringComparer.Ordinal);
        var text = SpeechText.Normalize(SpelledWord().Replace(raw, m =>
        {
            var word = new string(m.Value.Where(char.IsAsciiLetter).ToArray()).ToLowerInvariant();
            spelled.Add(word);
            return " " + word + " ";
        }), lexicon);
        var hyphenated = HyphenatedWords().Matches(raw).Select(m => m.Groups[1].Value.ToLowerInvariant() + " " + m.Groups[2].Value.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        return new Utterance(raw, text, spelled, lexicon, hyphenated);
    }

    /// <summary>Whether the text holds <paramref name="phrase"/> as whole words.</summary>
    public bool Has(string phrase) => SpeechText.HasPhrase(Text, phrase);

    /// <summary>Whether the text holds any of <paramref name="phrases"/> as whole words.</summary>
    public bool HasAny(IEnumerable<string> phrases) => Contains(Text, phrases);

    /// <summary>Whether the text starts with <paramref name="phrase"/> as whole words.</summary>
    public bool StartsWith(string phrase) => (Text + " ").StartsWith(phrase + " ", StringComparison.Ordinal);

    /// <summary>The utterance split where the caller paused (commas, full stops, dashes), normalised.</summary>
    public IReadOnlyList<Utterance> Clauses() =>
        _clauses ??= Raw.Split([',', '.', ';', '!', '?', '\u2014', ':'], StringSplitOptions.RemoveEmptyEntries).Select(c => Read(c, Lexicon)).Where(c => !c.IsEmpty).ToList();

    /// <summary>The utterance's sentences (split after "?", "." and "!").</summary>
    public IReadOnlyList<Utterance> Sentences() => _sentences ??= SentenceBreak().Split(Raw).Select(s => Read(s, Lexicon)).ToList();

    /// <summary>The utterance's stretches between sentence ends and commas ("do you take insurance, and could I …").</summary>
    public IReadOnlyList<Utterance> Parts() =>
        _parts ??= Sentences().SelectMany(s => s.Raw.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(p => Read(p, Lexicon)).Where(p => !p.IsEmpty).ToList();

    /// <summary>The same words as a new utterance (a part of this one).</summary>
    public Utterance Part(string normalizedText) => new(normalizedText, normalizedText, Spelled, Lexicon, Hyphenated);

    /// <summary>Whether <paramref name="text"/> holds any of <paramref name="phrases"/> as whole words.</summary>
    public static bool Contains(string text, IEnumerable<string> phrases) => phrases.Any(p => SpeechText.HasPhrase(text, p));

    /// <summary><paramref name="text"/> without leading filler words.</summary>
    public static string StripFillers(string text, Lexicon lexicon)
    {
        var t = text;
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var filler in lexicon.LeadingFillers)
            {
                if (t.StartsWith(filler + " ", StringComparison.Ordinal))
                {
                    t = t[(filler.Length + 1)..];
                    changed = true;
                }
            }
        }

        return t;
    }

    /// <summary>A spelled word: "S-A-M", "L.E.E" (two letters or more).</summary>
    [GeneratedRegex(@"\b[A-Za-z](?:[-.][A-Za-z])+\b\.?")]
    private static partial Regex SpelledWord();

    /// <summary>"Ana-Lucia", "Osei-Bonsu": words of two letters or more joined by a hyphen (not "L-E-E").</summary>
    [GeneratedRegex(@"\b([A-Za-z][A-Za-z']+)-(?=([A-Za-z][A-Za-z']+)\b)")]
    private static partial Regex HyphenatedWords();

    [GeneratedRegex(@"(?<=[?.!])\s+")]
    private static partial Regex SentenceBreak();

    public override string ToString() => Text;
}
