namespace Receptionist.Core.Understanding.Classifiers;

/// <summary>"Uh-huh", "okay", "right, got it": an utterance that only says the caller is listening. Anything else
/// ("no", "wait", "that's wrong", a name) is not one — and "yes" is not one either: it answers.</summary>
public static class BackchannelClassifier
{
    public static bool Is(string text, Lexicon? lexicon = null)
    {
        var lex = lexicon ?? Lexicon.English;
        var words = SpeechText.Normalize(text, lex).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length is > 0 and <= 4 && words.All(lex.Backchannels.Contains);
    }
}
