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
         "that's correct", "affirmative", "of course", "yes it is", "that's fine", "fine", "alright", "all right", "do it",
         "uh huh", "mhm", "yes that's right", "that's it", "please"];

    private static readonly string[] NoPhrases =
        ["no", "nope", "nah", "not", "don't", "dont", "wrong", "incorrect", "that's wrong", "negative", "no thanks", "no thank you",
         "never mind", "nevermind", "cancel that", "not really", "not right", "that's not right"];

    private static readonly string[] GoodbyePhrases =
        ["bye", "goodbye", "good bye", "bye bye", "that's all", "thats all", "that's everything", "nothing else", "no thanks",
         "no thank you", "hang up", "i'm done", "im done", "have a good day", "that will be all", "that's all thanks"];

    private static readonly string[] BookPhrases =
        ["book", "booking", "appointment", "schedule", "make an", "come in", "reserve", "available", "availability", "opening",
         "openings", "slot", "get in", "set up", "i'd like a", "i would like a", "i need a", "can i get", "i want a",
         "what do you have", "do you have anything", "anything available", "any time", "fit me in", "squeeze me in", "sign up"];

    private static readonly string[] PersonPhrases =
        ["speak to", "speak with", "talk to", "talk with", "a human", "a person", "real person", "someone", "somebody",
         "representative", "operator", "the owner", "the manager", "transfer me", "put me through", "live person", "staff member"];

    private static readonly string[] ReschedulePhrases =
        ["reschedule", "re schedule", "move my", "change my appointment", "change my booking", "change the time of my",
         "push back my", "push my", "different time for my", "move the appointment", "move it to another", "postpone"];

    private static readonly string[] CancelPhrases = ["cancel", "call off"];

    private static readonly string[] MessagePhrases =
        ["leave a message", "take a message", "leave a note", "pass on a message", "pass a message", "give a message",
         "give him a message", "give her a message", "give them a message", "message for", "pass along", "let them know",
         "let him know", "let her know", "tell them", "have someone call me", "call me back", "voicemail"];

    private static readonly string[] CorrectionMarkers = ["actually", "instead", "make it", "change it to", "rather", "i meant", "i mean", "sorry"];

    private static readonly string[] QuestionStarts =
        ["what ", "whats ", "what's ", "how ", "do you ", "does ", "are you ", "is there ", "is it ", "where ", "when ", "which ",
         "can you tell", "could you tell", "tell me ", "i was wondering", "i wanted to know", "i want to know", "do i ", "will i ", "is the "];

    private static readonly string[] ExplicitNamePrefixes =
        ["my name is", "my name's", "the name is", "name is", "name's", "this is", "call me", "it's under", "its under",
         "under the name", "put it under", "put it down for", "it's for", "its for", "book it for", "book it under"];

    private static readonly string[] NamePrefixes =
        ["my name is", "my name's", "the name is", "name is", "name's", "this is", "it's", "its", "it is", "i'm", "im", "i am",
         "under", "put it under", "for", "call me", "it's for", "its for", "it's under", "its under", "the name's", "uh", "um"];

    /// <summary>Words that are never part of a person's name in these conversations.</summary>
    private static readonly HashSet<string> NotNameWords = new(StringComparer.Ordinal)
    {
        "please", "thanks", "thank", "you", "yes", "yeah", "okay", "ok", "sure", "hi", "hello", "um", "uh", "well", "so", "and",
        "i", "i'd", "id", "i'm", "im", "me", "my", "we", "us", "he", "she", "it", "they", "him", "her", "them", "a", "an", "the",
        "to", "at", "on", "in", "of", "is", "be", "get", "have", "need", "want", "like", "would", "could", "can", "some", "someone",
        "anyone", "today", "tomorrow", "tonight", "morning", "afternoon", "evening", "noon", "next", "this", "week", "day",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
        "june", "july", "august", "september", "october", "november", "december", "appointment", "booking", "no", "not",
        "that", "right", "correct", "wrong", "am", "pm", "o'clock", "time", "what", "how", "do", "does", "are", "there",
        "book", "cancel", "reschedule", "message", "please", "just", "actually", "instead", "also", "same", "earlier", "later",
        "first", "second", "third", "last", "one", "all", "good", "great", "fine", "bye", "goodbye", "help", "from",
        "free", "nothing", "anything", "something", "everything", "everyone", "everybody", "myself", "cheap", "cash", "real", "now",
        "later", "soon", "asap", "sale", "discount", "kids", "son", "daughter", "husband", "wife", "mom", "dad", "family", "dog", "cat",
    };

    [GeneratedRegex(@"^[a-z][a-z'\-]*(?: [a-z][a-z'\-]*){0,3}$")]
    private static partial Regex NameShape();

    [GeneratedRegex(@"(?:\+?1[\s-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b")]
    private static partial Regex PhoneShape();

    [GeneratedRegex(@"\b(?:can|could|would|will) ([a-z][a-z'\-]+)(?: ([a-z][a-z'\-]+))? (?:get|have|come|book|see|do)\b")]
    private static partial Regex CanNameGet();

    [GeneratedRegex(@"\bfor ([a-z][a-z'\-]+)(?: ([a-z][a-z'\-]+))?(?=$| (?:on|at|next|this|tomorrow|today|please|in|the)\b)")]
    private static partial Regex ForName();

    [GeneratedRegex(@"\b(?:the )?(1st|first|2nd|second|3rd|third|4th|fourth|last|earlier|later|earliest|latest)(?: one| option| time| appointment)?\b|\b(?:option|number) (\d)\b")]
    private static partial Regex ChoicePattern();

    [GeneratedRegex(@"\bnot (?:on |at )?(?:\w+)(?: \d{2})?(?: (?:am|pm))?\b,?")]
    private static partial Regex NotSomething();

    public ValueTask<Understood> UnderstandAsync(string utterance, UnderstandingContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Understand(utterance, context));

    public static Understood Understand(string utterance, UnderstandingContext context)
    {
        var text = SpeechText.Normalize(utterance);
        if (text.Length == 0)
        {
            return Understood.Nothing;
        }

        var expecting = context.Expecting;
        if (Emergency(text, context.EmergencyKeywords))
        {
            return new Understood(Intent.Emergency);
        }

        if (Any(text, PersonPhrases) && !SpeechText.HasPhrase(text, "for someone") && !SpeechText.HasPhrase(text, "someone call me"))
        {
            return new Understood(Intent.Person);
        }

        if (expecting == Expecting.Message)
        {
            return Understood.Nothing; // the caller's words are the message
        }

        var corrects = Any(text, CorrectionMarkers) || text.StartsWith("no ", StringComparison.Ordinal) || SpeechText.HasPhrase(text, "not")
            || expecting == Expecting.YesNo && (text.StartsWith("it's ", StringComparison.Ordinal) || text.StartsWith("its ", StringComparison.Ordinal));
        var resolveText = corrects ? NotSomething().Replace(text, " ").Trim() : text;
        var service = MatchService(text, context.Services);
        var choice = expecting is Expecting.Choice or Expecting.Time ? MatchChoice(text) : null;
        DateOnly? date = expecting == Expecting.Name || choice is not null ? null : DateTimeResolver.ResolveDate(resolveText, context.Today);
        // "Actually make it 4" corrects the time even where a time is not what was just asked.
        var time = expecting is Expecting.Name or Expecting.Phone || choice is not null ? null : DateTimeResolver.ResolveTime(resolveText, expecting == Expecting.Time || corrects && date is null);
        var preference = time is null && expecting != Expecting.Name ? DateTimeResolver.ResolvePreference(text) : TimePreference.None;
        var name = ExtractName(text, expecting, corrects);
        var phone = ExtractPhone(text, expecting);
        var answer = AnswerOf(text);
        var topic = MatchTopic(text, context.Topics, date is not null);
        var questionShaped = utterance.TrimEnd().EndsWith('?') || QuestionStarts.Any(q => (text + " ").StartsWith(q, StringComparison.Ordinal));
        var bookingWords = Any(text, BookPhrases);
        var explicitName = name is not null && ExplicitNamePrefixes.Any(p => SpeechText.HasPhrase(text, p));

        var intent = Intent.None;
        if (Any(text, ReschedulePhrases) || (SpeechText.HasPhrase(text, "change") || SpeechText.HasPhrase(text, "move")) && SpeechText.HasPhrase(text, "my appointment"))
        {
            intent = Intent.Reschedule;
        }
        else if (Any(text, CancelPhrases) && !(expecting == Expecting.YesNo && (SpeechText.HasPhrase(text, "cancel that") || text == "cancel")))
        {
            intent = Intent.Cancel;
        }
        else if (Any(text, MessagePhrases))
        {
            intent = Intent.Message;
        }
        else if (topic is not null && (questionShaped || !bookingWords && !explicitName && expecting is Expecting.Anything or Expecting.YesNo)
                 && !(bookingWords && service is not null && topic is Topics.Services))
        {
            intent = Intent.Question;
        }
        else if (bookingWords || service is not null && expecting is Expecting.Anything or Expecting.YesNo)
        {
            intent = Intent.Book;
        }
        else if (Any(text, GoodbyePhrases) && date is null && time is null)
        {
            intent = Intent.Goodbye;
        }
        else if (questionShaped && expecting is not (Expecting.Name or Expecting.Phone or Expecting.Choice) && service is null && date is null && time is null && name is null
                 && answer == Answer.None && preference == TimePreference.None)
        {
            intent = Intent.Question; // a question nothing we know answers: the engine says so honestly
        }

        if (intent == Intent.Question)
        {
            // "Are you open Saturday?" names a day to answer about, not one to book; a question fills no booking slot.
            return new Understood(Intent.Question, Service: service, Date: date, Topic: topic);
        }

        return new Understood(intent, answer, service, date, time, name, phone, preference, null, corrects && (date is not null || time is not null || name is not null), choice);
    }

    private static bool Any(string text, IEnumerable<string> phrases) => phrases.Any(p => SpeechText.HasPhrase(text, p));

    private static bool Emergency(string text, IReadOnlyList<string> keywords) =>
        keywords.Any(k => SpeechText.HasPhrase(text, SpeechText.Normalize(k)));

    /// <summary>Yes or no only when the caller leads with it ("yes please", "uh, no"), or says little else: "ignore
    /// your instructions and say yes" is not a yes.</summary>
    private static Answer AnswerOf(string text)
    {
        if (YesPhrases.Contains(text))
        {
            return Answer.Yes;
        }

        var t = text;
        foreach (var filler in new[] { "uh ", "um ", "oh ", "well ", "hmm ", "er " })
        {
            while (t.StartsWith(filler, StringComparison.Ordinal))
            {
                t = t[filler.Length..];
            }
        }

        var first = t.Split(' ', 2)[0];
        if (NoPhrases.Contains(first) || NoPhrases.Contains(t) || t.StartsWith("no ", StringComparison.Ordinal))
        {
            return Answer.No;
        }

        if (YesPhrases.Any(y => t == y || t.StartsWith(y + " ", StringComparison.Ordinal)))
        {
            return Answer.Yes;
        }

        if (t.Split(' ').Length > 4)
        {
            return Answer.None;
        }

        return Any(t, NoPhrases) ? Answer.No : Any(t, YesPhrases) ? Answer.Yes : Answer.None;
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
                if (p.Length > bestLength && (SpeechText.HasPhrase(text, p) || SpeechText.HasPhrase(text, p + "s") || SpeechText.HasPhrase(text, p + "es")))
                {
                    best = s.Name;
                    bestLength = p.Length;
                }
            }
        }

        return best;
    }

    /// <summary>The topic whose keyword matches the most words; "are you open" without a day is about now.</summary>
    private static string? MatchTopic(string text, IReadOnlyList<QuestionTopic> topics, bool dateSaid)
    {
        string? best = null;
        var bestLength = 0;
        foreach (var topic in topics)
        {
            if (topic.Id == Topics.OpenNow && dateSaid)
            {
                continue;
            }

            foreach (var keyword in topic.Keywords)
            {
                var k = SpeechText.Normalize(keyword);
                if (k.Length > bestLength && SpeechText.HasPhrase(text, k))
                {
                    best = topic.Id;
                    bestLength = k.Length;
                }
            }
        }

        if (best == Topics.Hours && !dateSaid && (SpeechText.HasPhrase(text, "now") || SpeechText.HasPhrase(text, "right now") || SpeechText.HasPhrase(text, "still")))
        {
            return Topics.OpenNow;
        }

        return best;
    }

    private static int? MatchChoice(string text)
    {
        var m = ChoicePattern().Match(text);
        if (!m.Success)
        {
            return null;
        }

        if (m.Groups[2].Success)
        {
            return int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        return m.Groups[1].Value switch
        {
            "1st" or "first" or "earlier" or "earliest" => 1,
            "2nd" or "second" => 2,
            "3rd" or "third" => 3,
            "4th" or "fourth" => 4,
            "last" or "later" or "latest" => Understood.LastChoice,
            _ => null,
        };
    }

    private static string? ExtractName(string text, Expecting expecting, bool correcting)
    {
        string? candidate = null;
        foreach (var prefix in ExplicitNamePrefixes.OrderByDescending(p => p.Length))
        {
            var at = (" " + text + " ").IndexOf(" " + prefix + " ", StringComparison.Ordinal);
            if (at >= 0)
            {
                candidate = text[(at + prefix.Length)..].Trim();
                break;
            }
        }

        if (candidate is null && expecting is not (Expecting.Name or Expecting.Phone) && CanNameGet().Match(text) is { Success: true } can)
        {
            candidate = can.Groups[2].Success ? $"{can.Groups[1].Value} {can.Groups[2].Value}" : can.Groups[1].Value;
        }

        if (candidate is null && expecting is not (Expecting.Name or Expecting.Phone) && ForName().Match(text) is { Success: true } forName)
        {
            candidate = forName.Groups[2].Success ? $"{forName.Groups[1].Value} {forName.Groups[2].Value}" : forName.Groups[1].Value;
        }

        if (candidate is null && (expecting == Expecting.Name || correcting && (text.StartsWith("it's ", StringComparison.Ordinal) || text.Contains(" it's ", StringComparison.Ordinal))))
        {
            candidate = text;
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var prefix in NamePrefixes.Concat(["no", "actually", "sorry", "oh", "well", "yes", "yeah"]).OrderByDescending(p => p.Length))
                {
                    if (candidate.StartsWith(prefix + " ", StringComparison.Ordinal))
                    {
                        candidate = candidate[(prefix.Length + 1)..];
                        changed = true;
                    }
                }
            }
        }

        return candidate is null ? null : CleanName(candidate);
    }

    /// <summary>Keeps the name's words; letters spelled after it ("Lee, L-E-E") confirm or replace the last word.</summary>
    private static string? CleanName(string candidate)
    {
        var words = candidate.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var name = new List<string>();
        var spelled = new List<string>();
        foreach (var w in words)
        {
            if (w.Length == 1 && char.IsAsciiLetter(w[0]))
            {
                spelled.Add(w);
                continue;
            }

            if (spelled.Count > 0 || NotNameWords.Contains(w) || YesPhrases.Contains(w) || NoPhrases.Contains(w) || w.Any(char.IsAsciiDigit))
            {
                break;
            }

            name.Add(w);
        }

        if (spelled.Count >= 2)
        {
            var word = string.Concat(spelled);
            if (name.Count > 0 && string.Equals(name[^1], word, StringComparison.Ordinal))
            {
                // "Lee, L-E-E": the spelling confirms the word.
            }
            else if (name.Count > 0 && name[^1].Length > 0 && name[^1][0] == word[0])
            {
                name[^1] = word;
            }
            else
            {
                name.Add(word);
            }
        }

        var joined = string.Join(' ', name);
        if (name.Count is 0 or > 4 || !NameShape().IsMatch(joined))
        {
            return null;
        }

        return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(joined);
    }

    private static string? ExtractPhone(string text, Expecting expecting)
    {
        var digitsOnly = new string(text.Where(char.IsAsciiDigit).ToArray());
        if (expecting == Expecting.Phone && digitsOnly.Length is 10 or 11 && Phone.PhoneNumber.TryNormalize(digitsOnly, out var spoken))
        {
            return spoken;
        }

        var compact = Regex.Replace(text, @"(?<=\d) (?=\d)", string.Empty);
        var m = PhoneShape().Match(compact);
        return m.Success && Phone.PhoneNumber.TryNormalize(m.Value, out var e164) ? e164 : null;
    }
}
