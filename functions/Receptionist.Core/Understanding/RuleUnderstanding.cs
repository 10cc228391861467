using System.Globalization;
using System.Text.RegularExpressions;
using Receptionist.Core.Tenants;

namespace Receptionist.Core.Understanding;

/// <summary>The offline "brain": keyword and pattern rules, no network. The default understanding and the fallback
/// whenever an LLM is unavailable or unsure.</summary>
public sealed partial class RuleUnderstanding : IUnderstanding
{
    private static readonly string[] YesPhrases =
        ["yes", "yeah", "yep", "yup", "yes please", "sure", "correct", "that's right", "thats right", "right", "ok", "okay",
         "absolutely", "definitely", "please do", "go ahead", "book it", "sounds good", "perfect", "great", "that works",
         "that's correct", "affirmative", "of course", "yes it is", "that's fine", "fine"];

    private static readonly string[] NoPhrases =
        ["no", "nope", "nah", "not", "don't", "dont", "wrong", "incorrect", "that's wrong", "negative", "no thanks", "no thank you"];

    private static readonly string[] GoodbyePhrases =
        ["bye", "goodbye", "good bye", "bye bye", "that's all", "thats all", "that's it", "thats it", "nothing else", "no thanks",
         "no thank you", "hang up", "i'm done", "im done", "have a good day"];

    private static readonly string[] BookPhrases =
        ["book", "booking", "appointment", "schedule", "make an", "come in", "reserve", "available", "availability", "opening",
         "openings", "slot", "get in", "set up", "i'd like a", "i would like a", "i need a", "can i get", "i want a"];

    private static readonly string[] PersonPhrases =
        ["speak to", "speak with", "talk to", "talk with", "a human", "a person", "real person", "someone", "somebody",
         "representative", "operator", "receptionist", "the owner", "the manager", "transfer me"];

    private static readonly string[] NamePrefixes =
        ["my name is", "my name's", "the name is", "name is", "name's", "this is", "it's", "its", "it is", "i'm", "im", "i am",
         "under", "put it under", "for", "call me", "it's for", "its for"];

    private static readonly string[] NameStopWords =
        ["please", "thanks", "thank you", "yes", "yeah", "okay", "ok", "sure", "hi", "hello", "um", "uh", "well", "so"];

    [GeneratedRegex(@"^[a-z][a-z'\-]*(?: [a-z][a-z'\-]*){0,3}$")]
    private static partial Regex NameShape();

    [GeneratedRegex(@"(?:\+?1[\s-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b")]
    private static partial Regex PhoneShape();

    public ValueTask<Understood> UnderstandAsync(string utterance, UnderstandingContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Understand(utterance, context));

    public static Understood Understand(string utterance, UnderstandingContext context)
    {
        var text = SpeechText.Normalize(utterance);
        if (text.Length == 0)
        {
            return Understood.Nothing;
        }

        var service = MatchService(text, context.Services);
        var date = DateTimeResolver.ResolveDate(text, context.Today);
        var time = context.Expecting == Expecting.Name ? null : DateTimeResolver.ResolveTime(text, context.Expecting == Expecting.Time);
        var name = ExtractName(utterance, text, context.Expecting);
        var phone = ExtractPhone(text, context.Expecting);
        var answer = AnswerOf(text);

        var intent = Intent.None;
        if (Any(text, PersonPhrases))
        {
            intent = Intent.Person;
        }
        else if (SpeechText.HasPhrase(text, "reschedule") || SpeechText.HasPhrase(text, "move my") || SpeechText.HasPhrase(text, "change my appointment"))
        {
            intent = Intent.Reschedule;
        }
        else if (SpeechText.HasPhrase(text, "cancel"))
        {
            intent = Intent.Cancel;
        }
        else if (SpeechText.HasPhrase(text, "leave a message") || SpeechText.HasPhrase(text, "take a message"))
        {
            intent = Intent.Message;
        }
        else if (service is not null || Any(text, BookPhrases))
        {
            intent = Intent.Book;
        }
        else if (Any(text, GoodbyePhrases) && date is null && time is null)
        {
            intent = Intent.Goodbye;
        }
        else if (utterance.TrimEnd().EndsWith('?') || text.StartsWith("what ", StringComparison.Ordinal) || text.StartsWith("how ", StringComparison.Ordinal)
                 || text.StartsWith("do you ", StringComparison.Ordinal) || text.StartsWith("are you ", StringComparison.Ordinal)
                 || text.StartsWith("where ", StringComparison.Ordinal) || text.StartsWith("when ", StringComparison.Ordinal))
        {
            intent = Intent.Question;
        }

        return new Understood(intent, answer, service, date, time, name, phone);
    }

    private static bool Any(string text, IEnumerable<string> phrases) => phrases.Any(p => SpeechText.HasPhrase(text, p));

    private static Answer AnswerOf(string text)
    {
        var first = text.Split(' ', 2)[0];
        if (NoPhrases.Contains(first) || text is "no" or "not really" || text.StartsWith("no ", StringComparison.Ordinal))
        {
            return Answer.No;
        }

        if (YesPhrases.Any(y => text == y || text.StartsWith(y + " ", StringComparison.Ordinal)))
        {
            return Answer.Yes;
        }

        return Any(text, NoPhrases) ? Answer.No : Any(text, YesPhrases) ? Answer.Yes : Answer.None;
    }

    private static string? MatchService(string text, IReadOnlyList<ServiceOffering> services)
    {
        string? best = null;
        var bestLength = 0;
        foreach (var s in services)
        {
            foreach (var phrase in s.Synonyms.Append(s.Name))
            {
                var p = SpeechText.Normalize(phrase);
                if (p.Length > bestLength && (SpeechText.HasPhrase(text, p) || SpeechText.HasPhrase(text, p + "s")))
                {
                    best = s.Name;
                    bestLength = p.Length;
                }
            }
        }

        return best;
    }

    private static string? ExtractName(string original, string text, Expecting expecting)
    {
        string? candidate = null;
        foreach (var prefix in new[] { "my name is", "my name's", "the name is", "name is", "name's", "this is", "call me" })
        {
            var at = (" " + text + " ").IndexOf(" " + prefix + " ", StringComparison.Ordinal);
            if (at >= 0)
            {
                candidate = text[(at + prefix.Length)..].Trim();
                break;
            }
        }

        if (candidate is null && expecting == Expecting.Name)
        {
            candidate = text;
            foreach (var prefix in NamePrefixes.OrderByDescending(p => p.Length))
            {
                if (candidate.StartsWith(prefix + " ", StringComparison.Ordinal))
                {
                    candidate = candidate[(prefix.Length + 1)..];
                    break;
                }
            }
        }

        if (candidate is null)
        {
            return null;
        }

        var words = candidate.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !NameStopWords.Contains(w)).ToList();
        // "Sam Lee, L-E-E" → spelled letters after the name are dropped; "and" ends the name ("Sam and I need...").
        var cut = words.FindIndex(w => w is "and" or "i" or "i'd" or "id" or "please" or "from" || w.Length == 1);
        if (cut >= 0)
        {
            words = words.Take(cut).ToList();
        }

        var joined = string.Join(' ', words);
        if (words.Count is 0 or > 4 || !NameShape().IsMatch(joined) || words.Any(w => w.Any(char.IsAsciiDigit)))
        {
            return null;
        }

        _ = original;
        return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(joined);
    }

    private static string? ExtractPhone(string text, Expecting expecting)
    {
        var digitsOnly = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (expecting == Expecting.Phone && digitsOnly.Length is 10 or 11 && Phone.PhoneNumber.TryNormalize(digitsOnly, out var spoken))
        {
            return spoken;
        }

        var m = PhoneShape().Match(text);
        return m.Success && Phone.PhoneNumber.TryNormalize(m.Value, out var e164) ? e164 : null;
    }
}
